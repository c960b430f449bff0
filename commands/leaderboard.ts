import { listCohorts } from '../src/db/repo/cohorts.ts';
import { leaderboardFor } from '../src/db/repo/leaderboard.ts';
import { chosenOrCallerCohort, cohortChoices, cohortOption } from '../src/discord/cohortOption.ts';
import { slashCommand, type Command } from '../src/discord/command.ts';
import { leaderboardEmbed } from '../src/discord/render/leaderboard.ts';
import type { LeaderboardPeriod } from '../src/quiz/periods.ts';

export const leaderboard: Command = {
  data: slashCommand('leaderboard', 'Top 10 of a cohort by points', 'everyone')
    .addStringOption((option) =>
      option
        .setName('period')
        .setDescription('This week (default), this month or all time')
        .addChoices({ name: 'week', value: 'week' }, { name: 'month', value: 'month' }, { name: 'all', value: 'all' }),
    )
    .addStringOption((o) =>
      cohortOption(o, "Another cohort you are in (default: this channel's, else your cohort role's)"),
    ),
  instructorOnly: false,

  execute: {
    mode: 'public',
    async run(interaction, ctx, respond) {
      const chosen = interaction.options.getString('period');
      const period: LeaderboardPeriod = chosen === 'month' || chosen === 'all' ? chosen : 'week';
      const userId = interaction.user.id;
      const cohort = await chosenOrCallerCohort(interaction, ctx);
      const board = await leaderboardFor(ctx.db, cohort, { period, now: ctx.now(), userId });
      // A server with one cohort keeps the board it always had; with several the board names its cohort.
      const several = (await listCohorts(ctx.db, interaction.guildId)).length > 1;
      await respond.send({ embeds: [leaderboardEmbed(board, period, userId, several ? cohort.name : undefined)] });
    },
  },

  async autocomplete(interaction, ctx) {
    await interaction.respond(await cohortChoices(ctx, interaction.guildId, interaction.options.getFocused()));
  },
};
