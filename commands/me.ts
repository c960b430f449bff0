import { progressChartData } from '../src/db/repo/charts.ts';
import { getGuildSettings } from '../src/db/repo/guildSettings.ts';
import { reminderPreference, setReminderPreference } from '../src/db/repo/reminders.ts';
import { reminderChoiceRow, reminderSettingText } from '../src/discord/render/reminder.ts';
import { markGradesSeen, progressOf } from '../src/db/repo/progress.ts';
import { on, onAnywhere, slashCommand, type Command } from '../src/discord/command.ts';
import { componentIds } from '../src/discord/componentIds.ts';
import { chartAttachment, renderProgressChart } from '../src/discord/render/charts/index.ts';
import { progressEmbed } from '../src/discord/render/progress.ts';
import { periodStart } from '../src/quiz/periods.ts';
import { findRegradable, markDecisionsSeen, regradableAnswers, requestRegrade, undeliveredDecisions, type RegradeRefusal } from '../src/db/repo/regrades.ts';
import { readTextField } from '../src/discord/modalFields.ts';
import { decisionsText, regradableText, regradeModal, regradeReasonField, regradeRequested, regradeRow } from '../src/discord/render/regrade.ts';
import { fieldValue } from '../src/discord/render/text.ts';
import { UserError } from '../src/errors.ts';
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

export const me: Command = {
  data: slashCommand('me', 'Your points, rank, streak and what to practise next', 'everyone'),
  instructorOnly: false,

  execute: {
    mode: 'ephemeral',
    async run(interaction, ctx, respond) {
      respond.defer();
      const guildId = interaction.guildId;
      const now = ctx.now();
      const settings = await getGuildSettings(ctx.db, guildId);
      const weekStart = periodStart(now, 'week', settings?.timeZone ?? 'UTC')!;
      const progress = await progressOf(ctx.db, { guildId, userId: interaction.user.id, now, weekStart });
      const reminders = await reminderPreference(ctx.db, guildId, interaction.user.id);
      const [regradable, decisions] = await Promise.all([
        regradableAnswers(ctx.db, { guildId, userId: interaction.user.id, now, limit: REGRADE_BUTTONS }),
        undeliveredDecisions(ctx.db, guildId, interaction.user.id),
      ]);
      const chartData = await progressChartData(ctx.db, { guildId, userId: interaction.user.id, now, timeZone: settings?.timeZone ?? 'UTC' });
      const chart = chartAttachment(await renderProgressChart(chartData), 'progress.png');
      const embed = progressEmbed(progress)
        .addFields({ name: 'Reminders', value: reminderSettingText(reminders, settings?.remindHours ?? 3) })
        .setImage(chart?.url ?? null);
      if (decisions.length > 0) embed.addFields({ name: 'Regrade decisions', value: fieldValue(decisionsText(decisions.map(({ request, question }) => ({ ...request, question })))) });
      if (regradable.length > 0) embed.addFields({ name: 'Ask for a regrade', value: fieldValue(regradableText(regradable)) });
      const rows = [reminderChoiceRow(reminders), ...(regradable.length > 0 ? [regradeRow(regradable.map((row, i) => ({ answerId: row.answerId, label: `Ask for a regrade (${i + 1})` })))] : [])];
      await respond.send({ embeds: [embed], components: rows, files: chart ? [chart.file] : [] });
      // Only grades and decisions the student was actually shown count as seen.
      const shown = progress.unseen.grades.map((grade) => grade.answerId);
      await markGradesSeen(ctx.db, guildId, shown, now);
      await markDecisionsSeen(ctx.db, decisions.map(({ request }) => request.id), now);
    },
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
        ctx.logger.info({ guildId: result.request.guildId, answerId, userId: interaction.user.id }, 'regrade requested');
        await respond.send({ content: regradeRequested(result.question) });
      },
    }),
    // The student's own setting: whoever clicks is the one whose reminders change.
    on(componentIds.meReminders, {
      mode: 'ephemeral',
      async run(interaction, ctx, respond, { choice }) {
        const guildId = interaction.guildId;
        const preference = await setReminderPreference(ctx.db, guildId, interaction.user.id, choice, ctx.now());
        const remindHours = (await getGuildSettings(ctx.db, guildId))?.remindHours ?? 3;
        await respond.send({ content: `Reminders: ${reminderSettingText(preference, remindHours)}`, components: [reminderChoiceRow(preference)] });
      },
    }),
  ],
};
