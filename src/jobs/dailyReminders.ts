import { DiscordAPIError, messageLink, RESTJSONErrorCodes } from 'discord.js';
import type { AppContext } from '../context.ts';
import { findPromptById } from '../db/repo/prompts.ts';
import {
  abandonReminder,
  claimReminder,
  dueReminders,
  markReminderDmDone,
  markReminderPartSent,
  markReminderSent,
  type ReminderRow,
} from '../db/repo/reminders.ts';
import { channelReminderMessages, reminderDirectMessage } from '../discord/render/reminder.ts';
import { ChannelUnusable, permanentChannelFailure } from './channelFailure.ts';
import { fetchServerChannel } from '../discord/guilds.ts';

/** Discord's refusals of a direct message that no retry fixes: the student closed their DMs, or is gone. */
const DM_REFUSED: number[] = [RESTJSONErrorCodes.CannotSendMessagesToThisUser, RESTJSONErrorCodes.UnknownUser];

/**
 * The scheduler's job: for every open daily post whose reminder time has come, claim its reminder and send it:
 * direct messages, then mentions in the daily channel (with the students whose DMs are closed). Each part is recorded once Discord has it, so a retried
 * claim (after a crash or a Discord error) sends only what is missing.
 */
export async function sendDueReminders(ctx: AppContext): Promise<void> {
  for (const promptId of await dueReminders(ctx.db, ctx.now())) {
    const found = await findPromptById(ctx.db, promptId);
    if (!found) continue;
    const claim = await claimReminder(ctx.db, promptId, found.prompt.guildId, ctx.now());
    if (!claim) continue;
    try {
      await deliverReminder(ctx, claim, found.prompt);
    } catch (error) {
      if (found.prompt.channelId && permanentChannelFailure(error, found.prompt.channelId)) {
        await abandonReminder(ctx.db, promptId);
        ctx.logger.warn(
          { err: error, promptId, guildId: claim.guildId },
          'reminder refused by the channel for good; not retried',
        );
      } else {
        ctx.logger.warn(
          { err: error, promptId, guildId: claim.guildId, attempt: claim.attempts },
          'reminder failed; retrying later',
        );
      }
    }
  }
}

async function deliverReminder(
  ctx: AppContext,
  claim: ReminderRow,
  prompt: { id: number; guildId: string; channelId: string | null; messageId: string | null; closesAt: Date | null },
): Promise<void> {
  if (!prompt.channelId || !prompt.messageId || !prompt.closesAt)
    throw new Error(`prompt ${prompt.id} is not a posted daily question`);
  const postUrl = messageLink(prompt.channelId, prompt.messageId, prompt.guildId);
  const guildName = ctx.client.guilds.cache.get(prompt.guildId)?.name ?? 'your server';
  const done = new Set(claim.dmsDone);
  const refused = [...claim.dmsRefused];
  for (const { userId } of claim.recipients.filter((r) => r.delivery === 'dm' && !done.has(r.userId))) {
    try {
      await ctx.client.users.send(userId, {
        ...reminderDirectMessage({ closesAt: prompt.closesAt, postUrl, guildName }),
        nonce: `remind-${prompt.id}`,
        enforceNonce: true,
      });
      await markReminderDmDone(ctx.db, prompt.id, userId, false);
    } catch (error) {
      if (!(error instanceof DiscordAPIError && DM_REFUSED.includes(Number(error.code)))) throw error;
      await markReminderDmDone(ctx.db, prompt.id, userId, true);
      refused.push(userId);
    }
  }
  // Direct messages first: every refused one is known before the channel's messages are made, so they never change.
  const inChannel = [...claim.recipients.filter((r) => r.delivery === 'channel').map((r) => r.userId), ...refused];
  const parts = channelReminderMessages({ userIds: inChannel, closesAt: prompt.closesAt, postUrl });
  if (claim.channelPartsDone < parts.length) {
    const channel = await fetchServerChannel(ctx.client, prompt.guildId, prompt.channelId);
    if (!channel?.isSendable()) throw new ChannelUnusable(prompt.channelId);
    for (let index = claim.channelPartsDone; index < parts.length; index++) {
      // A part sent just before a crash comes back from Discord for the same nonce instead of a second message.
      await channel.send({ ...parts[index]!, nonce: `remind-${prompt.id}-${index}`, enforceNonce: true });
      await markReminderPartSent(ctx.db, prompt.id, index + 1);
    }
  }
  await markReminderSent(ctx.db, prompt.id, ctx.now());
  ctx.logger.info(
    {
      guildId: prompt.guildId,
      promptId: prompt.id,
      mentioned: inChannel.length,
      messages: parts.length,
      dmsRefused: refused.length,
    },
    'daily reminder sent',
  );
}
