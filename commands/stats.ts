import { statsChartData } from '../src/db/repo/charts.ts';
import { guildStats } from '../src/db/repo/stats.ts';
import { cohortChoices, cohortFromOption, cohortOption, COHORT_OPTION } from '../src/discord/cohortOption.ts';
import { slashCommand, type Command } from '../src/discord/command.ts';
import { chartAttachment, renderStatsChart } from '../src/discord/render/charts/index.ts';
import { statsEmbed } from '../src/discord/render/stats.ts';

export const stats: Command = {
  data: slashCommand(
    'stats',
    'Where the cohort stands: answers and grades per question, daily participation',
    'instructors',
  ).addStringOption((o) => cohortOption(o, 'Only this cohort (default: the whole server)')),
  instructorOnly: true,

  execute: {
    mode: 'ephemeral',
    async run(interaction, ctx, respond) {
      respond.defer();
      const cohort = await cohortFromOption(ctx, interaction.guildId, interaction.options.getString(COHORT_OPTION), {
        includeRemoved: true,
      });
      const cohortId = cohort?.id ?? null;
      const [figures, chartData] = await Promise.all([
        guildStats(ctx.db, interaction.guildId, { cohortId }),
        statsChartData(ctx.db, interaction.guildId, cohortId),
      ]);
      const chart = chartAttachment(await renderStatsChart(chartData), 'stats.png');
      const embed = statsEmbed(figures).setImage(chart?.url ?? null);
      if (cohort) embed.setTitle(`${embed.data.title ?? 'Stats'} · ${cohort.name}`.slice(0, 256));
      await respond.send({ embeds: [embed], files: chart ? [chart.file] : [] });
    },
  },

  async autocomplete(interaction, ctx) {
    await interaction.respond(
      await cohortChoices(ctx, interaction.guildId, interaction.options.getFocused(), { includeRemoved: true }),
    );
  },
};
