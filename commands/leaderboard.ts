import { leaderboardFor } from '../src/db/repo/leaderboard.ts';
import { slashCommand, type Command } from '../src/discord/command.ts';
import { leaderboardEmbed } from '../src/discord/render/leaderboard.ts';
import type { LeaderboardPeriod } from '../src/quiz/periods.ts';

export const leaderboard: Command = {
  data: slashCommand('leaderboard', 'Top 10 of the cohort by points', 'everyone')
    .addStringOption((option) =>
      option
        .setName('period')
        .setDescription('This week (default), this month or all time')
        .addChoices({ name: 'week', value: 'week' }, { name: 'month', value: 'month' }, { name: 'all', value: 'all' }),
    ),
  instructorOnly: false,

  execute: {
    mode: 'public',
    async run(interaction, ctx, respond) {
      const chosen = interaction.options.getString('period');
      const period: LeaderboardPeriod = chosen === 'month' || chosen === 'all' ? chosen : 'week';
      const userId = interaction.user.id;
      const board = await leaderboardFor(ctx.db, interaction.guildId, { period, now: ctx.now(), userId });
      await respond.send({ embeds: [leaderboardEmbed(board, period, userId)] });
    },
  },
};
