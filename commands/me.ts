import { progressChartData } from '../src/db/repo/charts.ts';
import { getGuildSettings } from '../src/db/repo/guildSettings.ts';
import { reminderPreference, setReminderPreference } from '../src/db/repo/reminders.ts';
import { reminderChoiceRow, reminderSettingText } from '../src/discord/render/reminder.ts';
import { markGradesSeen, progressOf } from '../src/db/repo/progress.ts';
import { on, slashCommand, type Command } from '../src/discord/command.ts';
import { componentIds } from '../src/discord/componentIds.ts';
import { chartAttachment, renderProgressChart } from '../src/discord/render/charts/index.ts';
import { progressEmbed } from '../src/discord/render/progress.ts';
import { periodStart } from '../src/quiz/periods.ts';

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
      const chartData = await progressChartData(ctx.db, { guildId, userId: interaction.user.id, now, timeZone: settings?.timeZone ?? 'UTC' });
      const chart = chartAttachment(await renderProgressChart(chartData), 'progress.png');
      await respond.send({
        embeds: [
          progressEmbed(progress)
            .addFields({ name: 'Reminders', value: reminderSettingText(reminders, settings?.remindHours ?? 3) })
            .setImage(chart?.url ?? null),
        ],
        components: [reminderChoiceRow(reminders)],
        files: chart ? [chart.file] : [],
      });
      // Only grades the student was actually shown count as seen.
      const shown = progress.unseen.grades.map((grade) => grade.answerId);
      await markGradesSeen(ctx.db, guildId, shown, now);
    },
  },

  components: [
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
