import { embedLength, type AttachmentBuilder, type EmbedBuilder } from 'discord.js';
import { progressChartData } from '../src/db/repo/charts.ts';
import { cohortsAnsweredBy, ensureServerCohort, findCohort, listCohorts, type CohortRow } from '../src/db/repo/cohorts.ts';
import { markGradesSeen, progressOf } from '../src/db/repo/progress.ts';
import { reminderPreference, setReminderPreference } from '../src/db/repo/reminders.ts';
import { callerOf, cohortChoices, cohortFromOption, cohortOption, COHORT_OPTION, mayView } from '../src/discord/cohortOption.ts';
import { on, slashCommand, type Command, type SlashInteraction } from '../src/discord/command.ts';
import { componentIds } from '../src/discord/componentIds.ts';
import { chartAttachment, renderProgressChart } from '../src/discord/render/charts/index.ts';
import { progressEmbed } from '../src/discord/render/progress.ts';
import { reminderChoiceRow, reminderSettingText } from '../src/discord/render/reminder.ts';
import type { AppContext } from '../src/context.ts';
import { UserError } from '../src/errors.ts';
import { defaultCohort, isStudentOf } from '../src/quiz/cohorts.ts';
import { periodStart } from '../src/quiz/periods.ts';

/** Cohorts shown at most in one /me: one row of reminder buttons each, within Discord's 5 rows and 6000 embed characters. */
const MAX_SHOWN = 5;
const EMBEDS_MAX_LENGTH = 6000;

/**
 * The cohorts /me shows: the one its option names; else every cohort the caller is in (whose student role they hold,
 * or where they have answered), the default one (this channel's, else their role's, else the server's first) first.
 */
async function shownCohorts(interaction: SlashInteraction, ctx: AppContext): Promise<CohortRow[]> {
  const chosen = await cohortFromOption(ctx, interaction.guildId, interaction.options.getString(COHORT_OPTION));
  if (chosen) {
    if (!mayView(interaction, chosen)) throw new UserError(`You are not in the cohort "${chosen.name}". Pick one of your cohorts.`);
    return [chosen];
  }
  const caller = callerOf(interaction);
  const all = await listCohorts(ctx.db, interaction.guildId);
  const first = defaultCohort(all, caller) ?? (await ensureServerCohort(ctx.db, interaction.guildId));
  const answered = new Set(await cohortsAnsweredBy(ctx.db, interaction.guildId, interaction.user.id));
  const mine = all.filter((c) => c.id !== first.id && ((c.studentRoleId !== null && isStudentOf(c, caller)) || answered.has(c.id)));
  return [first, ...mine];
}

export const me: Command = {
  data: slashCommand('me', 'Your points, rank, streak and what to practise next', 'everyone').addStringOption((o) =>
    cohortOption(o, 'Only this cohort (default: every cohort you are in)'),
  ),
  instructorOnly: false,

  execute: {
    mode: 'ephemeral',
    async run(interaction, ctx, respond) {
      respond.defer();
      const { guildId } = interaction;
      const userId = interaction.user.id;
      const now = ctx.now();
      const cohorts = await shownCohorts(interaction, ctx);
      const several = cohorts.length > 1;
      const embeds: EmbedBuilder[] = [];
      const rows = [];
      const files: AttachmentBuilder[] = [];
      const seen: number[] = [];
      for (const cohort of cohorts.slice(0, MAX_SHOWN)) {
        const timeZone = cohort.timeZone ?? 'UTC';
        const weekStart = periodStart(now, 'week', timeZone)!;
        const progress = await progressOf(ctx.db, { guildId, cohortId: cohort.id, userId, now, weekStart });
        const reminders = await reminderPreference(ctx.db, cohort.id, userId);
        const embed = progressEmbed(progress, several ? cohort.name : undefined).addFields({ name: 'Reminders', value: reminderSettingText(reminders, cohort.remindHours) });
        if (embeds.reduce((sum, e) => sum + embedLength(e.data), embedLength(embed.data)) > EMBEDS_MAX_LENGTH) break;
        const chartData = await progressChartData(ctx.db, { cohortId: cohort.id, userId, now, timeZone });
        // One file name per panel: each embed shows its own cohort's chart.
        const chart = chartAttachment(await renderProgressChart(chartData), several ? `progress-${cohort.id}.png` : 'progress.png');
        embeds.push(embed.setImage(chart?.url ?? null));
        if (chart) files.push(chart.file);
        rows.push(reminderChoiceRow(reminders, { id: cohort.id, name: several ? cohort.name : undefined }));
        seen.push(...progress.unseen.grades.map((grade) => grade.answerId));
      }
      const left = cohorts.length - embeds.length;
      const more = left > 0 ? `You are in ${left} more cohort${left === 1 ? '' : 's'}: run /me with its name in \`cohort\`.` : undefined;
      await respond.send({ ...(more ? { content: more } : {}), embeds, components: rows, files });
      // Only grades the student was actually shown count as seen.
      await markGradesSeen(ctx.db, guildId, seen, now);
    },
  },

  async autocomplete(interaction, ctx) {
    await interaction.respond(await cohortChoices(ctx, interaction.guildId, interaction.options.getFocused()));
  },

  components: [
    // The student's own setting for one cohort: whoever clicks is the one whose reminders change.
    on(componentIds.meReminders, {
      mode: 'ephemeral',
      async run(interaction, ctx, respond, { cohortId, choice }) {
        const { guildId } = interaction;
        const cohort = await findCohort(ctx.db, guildId, cohortId);
        if (!cohort || cohort.removedAt) throw new UserError(componentIds.meReminders.refusal);
        const preference = await setReminderPreference(ctx.db, { guildId, cohortId }, interaction.user.id, choice, ctx.now());
        const several = (await listCohorts(ctx.db, guildId)).length > 1;
        const name = several ? cohort.name : undefined;
        await respond.send({
          content: `Reminders${name ? ` for ${name}` : ''}: ${reminderSettingText(preference, cohort.remindHours)}`,
          components: [reminderChoiceRow(preference, { id: cohort.id, name })],
        });
      },
    }),
  ],
};
