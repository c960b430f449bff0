import { statsChartData } from '../src/db/repo/charts.ts';
import { guildStats } from '../src/db/repo/stats.ts';
import { slashCommand, type Command } from '../src/discord/command.ts';
import { chartAttachment, renderStatsChart } from '../src/discord/render/charts/index.ts';
import { statsEmbed } from '../src/discord/render/stats.ts';

export const stats: Command = {
  data: slashCommand('stats', 'Where the cohort stands: answers and grades per question, daily participation', 'instructors'),
  instructorOnly: true,

  execute: {
    mode: 'ephemeral',
    async run(interaction, ctx, respond) {
      respond.defer();
      const [figures, chartData] = await Promise.all([guildStats(ctx.db, interaction.guildId), statsChartData(ctx.db, interaction.guildId)]);
      const chart = chartAttachment(await renderStatsChart(chartData), 'stats.png');
      await respond.send({ embeds: [statsEmbed(figures).setImage(chart?.url ?? null)], files: chart ? [chart.file] : [] });
    },
  },
};
