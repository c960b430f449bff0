import { DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';
import type { AppContext } from '../context.ts';
import {
  abandonReveal,
  claimClosings,
  claimReveal,
  countAnswers,
  markRevealed,
  starredAnswers,
} from '../db/repo/daily.ts';
import { findPromptById } from '../db/repo/prompts.ts';
import { revealMessage } from '../discord/render/daily.ts';
import { ChannelUnusable, pauseOnPermanentFailure } from './channelFailure.ts';
import { refreshDailyPost } from './dailyPostRefresh.ts';
import { fetchServerChannel } from '../discord/guilds.ts';

/** The scheduler's job: close the daily posts whose answer window has ended, then post their reveals. */
export async function closeDueDailyQuestions(ctx: AppContext): Promise<void> {
  await claimClosings(ctx.db, ctx.now());
  await postPendingReveals(ctx, null);
}

/**
 * `/daily close`: closes the cohort's open daily question now; tells whether it was closed and revealed, and
 * why not when Discord refused the channel for good.
 */
export async function closeDailyNow(
  ctx: AppContext,
  cohortId: number,
): Promise<{ closed: number; revealed: boolean; refused: string | null }> {
  const closed = await claimClosings(ctx.db, ctx.now(), cohortId);
  const { revealed, refused } = await postPendingReveals(ctx, cohortId);
  return {
    closed: closed.length,
    revealed: closed.every((prompt) => revealed.has(prompt.id)),
    refused: closed.map((prompt) => refused.get(prompt.id)).find(Boolean) ?? null,
  };
}

/**
 * For every closed post whose reveal is due: edit the post to its closed state, then post the reveal. A failure
 * Discord may recover from is retried later and later (the claim's attempts); a channel refused for good is not
 * retried, and pauses the cohort's schedule (see channelFailure.ts): the instructor closing cohort `replyingTo` is told in the
 * command's reply, others by DM. A deleted post does not block the reveal.
 */
async function postPendingReveals(
  ctx: AppContext,
  replyingTo: number | null,
): Promise<{ revealed: Set<number>; refused: Map<number, string> }> {
  const revealed = new Set<number>();
  const refused = new Map<number, string>();
  for (let prompt = await claimReveal(ctx.db, ctx.now()); prompt; prompt = await claimReveal(ctx.db, ctx.now())) {
    try {
      await refreshDailyPost(ctx, prompt.id).catch((error: unknown) => {
        if (!(error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownMessage)) throw error;
      });
      const found = await findPromptById(ctx.db, prompt.id);
      const channel = prompt.channelId ? await fetchServerChannel(ctx.client, prompt.guildId, prompt.channelId) : null;
      if (!found || !channel?.isSendable()) throw new ChannelUnusable(prompt.channelId ?? 'none');
      const message = await channel.send({
        ...revealMessage({
          question: found.question.text,
          referenceAnswer: found.question.referenceAnswer,
          answerCount: await countAnswers(ctx.db, prompt.id),
          starred: await starredAnswers(ctx.db, prompt.id),
        }),
        nonce: `reveal-${prompt.id}`,
        enforceNonce: true,
      });
      await markRevealed(ctx.db, prompt.id, message.id);
      revealed.add(prompt.id);
      ctx.logger.info({ guildId: prompt.guildId, promptId: prompt.id }, 'daily reveal posted');
    } catch (error) {
      const tell = prompt.cohortId === replyingTo ? 'reply' : 'owner';
      const reason = prompt.channelId
        ? await pauseOnPermanentFailure(
            ctx,
            { cohortId: prompt.cohortId, guildId: prompt.guildId, channelId: prompt.channelId, error },
            tell,
          )
        : null;
      if (reason) {
        await abandonReveal(ctx.db, prompt.id);
        refused.set(prompt.id, reason);
        ctx.logger.warn(
          { err: error, promptId: prompt.id, guildId: prompt.guildId },
          'reveal refused for good; not retried',
        );
      } else {
        ctx.logger.warn(
          { err: error, promptId: prompt.id, guildId: prompt.guildId, attempt: prompt.revealAttempts },
          'reveal failed; retrying later',
        );
      }
    }
  }
  return { revealed, refused };
}
