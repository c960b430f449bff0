import { EmbedBuilder, userMention } from 'discord.js';
import { callerCohort } from '../src/db/repo/cohorts.ts';
import { leaderboardFor, type Leaderboard, type Standing } from '../src/db/repo/leaderboard.ts';
import { slashCommand, type Command } from '../src/discord/command.ts';
import { discordTime } from '../src/discord/render/text.ts';
import type { LeaderboardPeriod } from '../src/quiz/periods.ts';

const PERIOD_NAMES: Record<LeaderboardPeriod, string> = { week: 'this week', month: 'this month', all: 'all time' };
const MEDALS = ['🥇', '🥈', '🥉'];

const points = (n: number) => `${n} point${n === 1 ? '' : 's'}`;
const line = (standing: Standing) =>
  `${MEDALS[standing.rank - 1] ?? `**${standing.rank}.**`} ${userMention(standing.userId)} · ${points(standing.points)}`;

/** The public board: top 10 with rank, a mention (never a ping: allowed mentions are off) and points. */
export function leaderboardEmbed(board: Leaderboard, period: LeaderboardPeriod, callerId: string): EmbedBuilder {
  const since = board.since ? ` (since ${discordTime(board.since, 'D')})` : '';
  const embed = new EmbedBuilder()
    .setTitle(`Leaderboard · ${PERIOD_NAMES[period]}`)
    .setColor(0xfee75c)
    .setDescription(
      board.top.length > 0 ? `${board.top.map(line).join('\n')}\n\n_Counted${since}._` : `No points yet ${PERIOD_NAMES[period]}${since}.`,
    );
  const caller = board.caller;
  if (caller && caller.rank > board.top.length) embed.addFields({ name: 'You', value: line(caller) });
  else if (!caller && board.top.length > 0) embed.addFields({ name: 'You', value: `${userMention(callerId)}: no points yet ${PERIOD_NAMES[period]}.` });
  return embed;
}

export const leaderboard: Command = {
  data: slashCommand('leaderboard', 'Top 10 of the cohort by points', 'everyone')
    .addStringOption((option) =>
      option
        .setName('period')
        .setDescription('This week (default), this month or all time')
        .addChoices({ name: 'week', value: 'week' }, { name: 'month', value: 'month' }, { name: 'all', value: 'all' }),
    ),

  execute: {
    mode: 'public',
    async run(interaction, ctx, respond) {
      const chosen = interaction.options.getString('period');
      const period: LeaderboardPeriod = chosen === 'month' || chosen === 'all' ? chosen : 'week';
      const userId = interaction.user.id;
      const cohort = await callerCohort(ctx.db, interaction.guildId!, { channelId: interaction.channelId, roleIds: [] });
      const board = await leaderboardFor(ctx.db, cohort, { period, now: ctx.now(), userId });
      await respond.send({ embeds: [leaderboardEmbed(board, period, userId)] });
    },
  },
};
