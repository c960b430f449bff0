import { Colors, EmbedBuilder, userMention } from 'discord.js';
import type { Leaderboard, Standing } from '../../db/repo/leaderboard.ts';
import type { LeaderboardPeriod } from '../../quiz/periods.ts';
import { discordTime, plural, shorten } from './text.ts';

const PERIOD_NAMES: Record<LeaderboardPeriod, string> = { week: 'this week', month: 'this month', all: 'all time' };
const MEDALS = ['🥇', '🥈', '🥉'];

const line = (standing: Standing) =>
  `${MEDALS[standing.rank - 1] ?? `**${standing.rank}.**`} ${userMention(standing.userId)} · ${plural(standing.points, 'point')}`;

/** A cohort's public board: top 10 with rank, a mention (never a ping: allowed mentions are off) and points. */
export function leaderboardEmbed(
  board: Leaderboard,
  period: LeaderboardPeriod,
  callerId: string,
  cohortName?: string,
): EmbedBuilder {
  const since = board.since ? ` (since ${discordTime(board.since, 'D')})` : '';
  const embed = new EmbedBuilder()
    .setTitle(shorten(`Leaderboard · ${cohortName ? `${cohortName} · ` : ''}${PERIOD_NAMES[period]}`, 256))
    .setColor(Colors.Yellow)
    .setDescription(
      board.top.length > 0
        ? `${board.top.map(line).join('\n')}\n\n_Counted${since}._`
        : `No points yet ${PERIOD_NAMES[period]}${since}.`,
    );
  const caller = board.caller;
  if (caller && caller.rank > board.top.length) embed.addFields({ name: 'You', value: line(caller) });
  else if (!caller && board.top.length > 0)
    embed.addFields({ name: 'You', value: `${userMention(callerId)}: no points yet ${PERIOD_NAMES[period]}.` });
  return embed;
}
