import { channelMention, DiscordAPIError, escapeMarkdown, RESTJSONErrorCodes } from 'discord.js';
import type { AppContext } from '../context.ts';
import { givePauseNoticeBack, pauseForChannel, takePauseNotice } from '../db/repo/cohorts.ts';
import { fetchServer } from '../discord/guilds.ts';

/** The daily channel exists but cannot hold the bot's messages (not a text channel). */
export class ChannelUnusable extends Error {
  constructor(channelId: string) {
    super(`channel ${channelId} cannot receive messages`);
    this.name = 'ChannelUnusable';
  }
}

const NEEDED = 'View Channel, Send Messages, Embed Links and Read Message History';

/** Discord's refusals that no retry can fix, each with what an instructor can do about it. */
const PERMANENT: Record<number, (channel: string) => string> = {
  [RESTJSONErrorCodes.UnknownChannel]: (channel) =>
    `Discord says the daily channel ${channel} no longer exists (Unknown Channel). Choose a channel with /setup daily.`,
  [RESTJSONErrorCodes.MissingAccess]: (channel) =>
    `The bot can no longer see the daily channel ${channel} (Missing Access). Give it ${NEEDED} there and run /setup resume, or choose another channel with /setup daily.`,
  [RESTJSONErrorCodes.MissingPermissions]: (channel) =>
    `The bot lacks a permission in the daily channel ${channel} (Missing Permissions). Give it ${NEEDED} there and run /setup resume, or choose another channel with /setup daily.`,
};

/** What went wrong for good and what to do, when `error` is a permanent refusal of the channel; null when a retry may work. */
export function permanentChannelFailure(error: unknown, channelId: string): string | null {
  const channel = channelMention(channelId);
  if (error instanceof ChannelUnusable)
    return `The daily channel ${channel} cannot hold the bot's messages. Choose a text channel with /setup daily.`;
  if (error instanceof DiscordAPIError && typeof error.code === 'number')
    return PERMANENT[error.code]?.(channel) ?? null;
  return null;
}

/**
 * After a post or reveal failed: when Discord refused the channel for good, pauses the cohort's schedule with the
 * reason and returns it, so nothing retries a channel that cannot work. `tell: 'owner'` (the scheduler, which has
 * nobody to answer) sends the reason once to the server's owner by DM; `tell: 'reply'` (an instructor's command)
 * counts the command's own reply as the notice.
 */
export async function pauseOnPermanentFailure(
  ctx: AppContext,
  failure: { cohortId: number; guildId: string; channelId: string; error: unknown },
  tell: 'owner' | 'reply',
): Promise<string | null> {
  const reason = permanentChannelFailure(failure.error, failure.channelId);
  if (!reason) return null;
  if (await pauseForChannel(ctx.db, failure.cohortId, failure.channelId, reason)) {
    ctx.logger.warn(
      { guildId: failure.guildId, cohortId: failure.cohortId, channelId: failure.channelId, err: failure.error },
      'daily channel refused for good: schedule paused',
    );
  }
  if (tell === 'reply') await takePauseNotice(ctx.db, failure.cohortId, ctx.now());
  else await tellOwner(ctx, failure);
  return reason;
}

/**
 * The owner always has Manage Server, so is an instructor, and a DM reaches them whatever channel is gone. If the
 * DM cannot be delivered, the notice waits for the next instructor to run /setup or /daily.
 */
async function tellOwner(ctx: AppContext, { guildId, cohortId }: { guildId: string; cohortId: number }): Promise<void> {
  const reason = await takePauseNotice(ctx.db, cohortId, ctx.now());
  if (!reason) return;
  try {
    const guild = await fetchServer(ctx.client, guildId);
    const owner = await ctx.client.users.fetch(guild.ownerId);
    await owner.send({ content: `${pausedNotice(reason, escapeMarkdown(guild.name))} /setup show shows it too.` });
    ctx.logger.info({ guildId }, 'owner told that the daily question is paused');
  } catch (error) {
    await givePauseNoticeBack(ctx.db, cohortId);
    ctx.logger.warn(
      { err: error, guildId },
      'could not tell the owner that the daily question is paused; the next /setup or /daily will',
    );
  }
}

/** The one sentence that tells an instructor the schedule is paused, and why. */
export function pausedNotice(reason: string, guildName?: string): string {
  return `${guildName ? `**${guildName}**: the` : 'The'} daily question is paused. ${reason}`;
}
