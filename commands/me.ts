import { embedLength, type AttachmentBuilder, type EmbedBuilder } from 'discord.js';
import { progressChartData } from '../src/db/repo/charts.ts';
import {
  cohortsAnsweredBy,
  ensureServerCohort,
  findCohort,
  listCohorts,
  type CohortRow,
} from '../src/db/repo/cohorts.ts';
import { markGradesSeen, progressOf } from '../src/db/repo/progress.ts';
import { reminderPreference, setReminderPreference } from '../src/db/repo/reminders.ts';
import {
  callerOf,
  cohortChoices,
  cohortFromOption,
  cohortOption,
  COHORT_OPTION,
  mayView,
} from '../src/discord/cohortOption.ts';
import { on, onAnywhere, slashCommand, type Command, type SlashInteraction } from '../src/discord/command.ts';
import { componentIds } from '../src/discord/componentIds.ts';
import { chartAttachment, renderProgressChart } from '../src/discord/render/charts/index.ts';
import { progressEmbed } from '../src/discord/render/progress.ts';
import { reminderChoiceRow, reminderSettingText } from '../src/discord/render/reminder.ts';
import type { AppContext } from '../src/context.ts';
import { UserError } from '../src/errors.ts';
import { defaultCohort, isStudentOf } from '../src/quiz/cohorts.ts';
import { periodStart } from '../src/quiz/periods.ts';
import {
  findRegradable,
  markDecisionsSeen,
  regradableAnswers,
  requestRegrade,
  undeliveredDecisions,
  type RegradeRefusal,
} from '../src/db/repo/regrades.ts';
import { readTextField } from '../src/discord/modalFields.ts';
import {
  decisionsText,
  regradableText,
  regradeModal,
  regradeReasonField,
  regradeRequested,
  regradeRow,
} from '../src/discord/render/regrade.ts';
import { fieldValue } from '../src/discord/render/text.ts';
import { REGRADE_WINDOW_DAYS } from '../src/quiz/regrades.ts';

/** At most this many recent grades get an Ask for a regrade button in /me. */
const REGRADE_BUTTONS = 3;

function regradeRefusal(status: RegradeRefusal): string {
  const messages: Record<RegradeRefusal, string> = {
    missing: componentIds.meRegrade.refusal,
    'not-yours': 'This is not your answer: you can only ask for a regrade of your own grades.',
    'not-graded': 'This answer has not been graded yet, so there is nothing to regrade.',
    expired: `Regrades can be asked for up to ${REGRADE_WINDOW_DAYS} days after the grade, and this grade is older. Talk to your instructor if it matters.`,
    open: 'You already asked for a regrade of this answer and the instructors have not decided yet. Their decision comes by direct message.',
    decided: 'An instructor already decided on a regrade request for this grade, so it cannot be asked for again.',
  };
  return messages[status];
}

/** Cohorts shown at most in one /me: one row of reminder buttons each, beside the row of regrade buttons, within Discord's 5 rows and 6000 embed characters. */
const MAX_SHOWN = 4;
const EMBEDS_MAX_LENGTH = 6000;

/**
 * The cohorts /me shows: the one its option names; else every cohort the caller is in (whose student role they hold,
 * or where they have answered), the default one (this channel's, else their role's, else the server's first) first.
 */
async function shownCohorts(interaction: SlashInteraction, ctx: AppContext): Promise<CohortRow[]> {
  const chosen = await cohortFromOption(ctx, interaction.guildId, interaction.options.getString(COHORT_OPTION));
  if (chosen) {
    if (!mayView(interaction, chosen))
      throw new UserError(`You are not in the cohort "${chosen.name}". Pick one of your cohorts.`);
    return [chosen];
  }
  const caller = callerOf(interaction);
  const all = await listCohorts(ctx.db, interaction.guildId);
  const first = defaultCohort(all, caller) ?? (await ensureServerCohort(ctx.db, interaction.guildId));
  const answered = new Set(await cohortsAnsweredBy(ctx.db, interaction.guildId, interaction.user.id));
  const mine = all.filter(
    (c) => c.id !== first.id && ((c.studentRoleId !== null && isStudentOf(c, caller)) || answered.has(c.id)),
  );
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
      // Regrades are the student's in the whole server: shown once, in the first panel.
      const [regradable, decisions] = await Promise.all([
        regradableAnswers(ctx.db, { guildId, userId, now, limit: REGRADE_BUTTONS }),
        undeliveredDecisions(ctx.db, guildId, userId),
      ]);
      for (const cohort of cohorts.slice(0, MAX_SHOWN)) {
        const timeZone = cohort.timeZone ?? 'UTC';
        const weekStart = periodStart(now, 'week', timeZone)!;
        const progress = await progressOf(ctx.db, { guildId, cohortId: cohort.id, userId, now, weekStart });
        const reminders = await reminderPreference(ctx.db, cohort.id, userId);
        const embed = progressEmbed(progress, several ? cohort.name : undefined).addFields({
          name: 'Reminders',
          value: reminderSettingText(reminders, cohort.remindHours),
        });
        if (embeds.length === 0 && decisions.length > 0) {
          embed.addFields({
            name: 'Regrade decisions',
            value: fieldValue(decisionsText(decisions.map(({ request, question }) => ({ ...request, question })))),
          });
        }
        if (embeds.length === 0 && regradable.length > 0)
          embed.addFields({ name: 'Ask for a regrade', value: fieldValue(regradableText(regradable)) });
        if (embeds.reduce((sum, e) => sum + embedLength(e.data), embedLength(embed.data)) > EMBEDS_MAX_LENGTH) break;
        const chartData = await progressChartData(ctx.db, { cohortId: cohort.id, userId, now, timeZone });
        // One file name per panel: each embed shows its own cohort's chart.
        const chart = chartAttachment(
          await renderProgressChart(chartData),
          several ? `progress-${cohort.id}.png` : 'progress.png',
        );
        embeds.push(embed.setImage(chart?.url ?? null));
        if (chart) files.push(chart.file);
        rows.push(reminderChoiceRow(reminders, { id: cohort.id, name: several ? cohort.name : undefined }));
        seen.push(...progress.unseen.grades.map((grade) => grade.answerId));
      }
      if (regradable.length > 0)
        rows.push(
          regradeRow(regradable.map((row, i) => ({ answerId: row.answerId, label: `Ask for a regrade (${i + 1})` }))),
        );
      const left = cohorts.length - embeds.length;
      const more =
        left > 0
          ? `You are in ${left} more cohort${left === 1 ? '' : 's'}: run /me with its name in \`cohort\`.`
          : undefined;
      await respond.send({ ...(more ? { content: more } : {}), embeds, components: rows, files });
      // Only grades and decisions the student was actually shown count as seen.
      await markGradesSeen(ctx.db, guildId, seen, now);
      await markDecisionsSeen(
        ctx.db,
        decisions.map(({ request }) => request.id),
        now,
      );
    },
  },

  async autocomplete(interaction, ctx) {
    await interaction.respond(await cohortChoices(ctx, interaction.guildId, interaction.options.getFocused()));
  },

  components: [
    // From a grade's direct message or from /me: the answer must be the clicker's own, which the repository checks.
    // One read before the form, as for Edit, so a refusal (not yours, too late, asked already) comes before typing.
    onAnywhere(componentIds.meRegrade, {
      mode: 'modal',
      async run(interaction, ctx, respond, { answerId }) {
        const check = await findRegradable(ctx.db, { answerId, userId: interaction.user.id, now: ctx.now() });
        if (check.status !== 'allowed') throw new UserError(regradeRefusal(check.status));
        await respond.showModal(regradeModal(answerId, check.question));
      },
    }),
    onAnywhere(componentIds.meRegradeForm, {
      mode: 'ephemeral',
      async run(interaction, ctx, respond, { answerId }) {
        const reason = readTextField(interaction, regradeReasonField);
        const result = await requestRegrade(ctx.db, { answerId, userId: interaction.user.id, reason, now: ctx.now() });
        if (result.status !== 'requested') throw new UserError(regradeRefusal(result.status));
        ctx.logger.info(
          { guildId: result.request.guildId, answerId, userId: interaction.user.id },
          'regrade requested',
        );
        await respond.send({ content: regradeRequested(result.question) });
      },
    }),
    // The student's own setting for one cohort: whoever clicks is the one whose reminders change.
    on(componentIds.meReminders, {
      mode: 'ephemeral',
      async run(interaction, ctx, respond, { cohortId, choice }) {
        const { guildId } = interaction;
        const cohort = await findCohort(ctx.db, guildId, cohortId);
        if (!cohort || cohort.removedAt) throw new UserError(componentIds.meReminders.refusal);
        const preference = await setReminderPreference(
          ctx.db,
          { guildId, cohortId },
          interaction.user.id,
          choice,
          ctx.now(),
        );
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
