import { DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';
import type { AppContext } from '../context.ts';
import { claimClosings, claimReveal, countAnswers, markRevealed, starredAnswers } from '../db/repo/daily.ts';
import { findPromptById } from '../db/repo/prompts.ts';
import { revealMessage } from '../discord/render/daily.ts';
import { refreshDailyPost } from './dailyPostRefresh.ts';

/** The scheduler's job: close the daily posts whose answer window has ended, then post their reveals. */
export async function closeDueDailyQuestions(ctx: AppContext): Promise<void> {
  await claimClosings(ctx.db, ctx.now());
  await postPendingReveals(ctx);
}

/** `/daily close`: closes the guild's open daily question now; tells whether it was closed and revealed. */
export async function closeDailyNow(ctx: AppContext, guildId: string): Promise<{ closed: number; revealed: boolean }> {
  const closed = await claimClosings(ctx.db, ctx.now(), guildId);
  const revealed = await postPendingReveals(ctx);
  return { closed: closed.length, revealed: closed.every((prompt) => revealed.has(prompt.id)) };
}

/**
 * For every closed post whose reveal is due: edit the post to its closed state, then post the reveal.
 * Both are retried on a later tick when Discord fails (the claim's lease), and a deleted post does not block.
 */
async function postPendingReveals(ctx: AppContext): Promise<Set<number>> {
  const revealed = new Set<number>();
  for (let prompt = await claimReveal(ctx.db, ctx.now()); prompt; prompt = await claimReveal(ctx.db, ctx.now())) {
    try {
      await refreshDailyPost(ctx, prompt.id).catch((error: unknown) => {
        if (!(error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownMessage)) throw error;
      });
      const found = await findPromptById(ctx.db, prompt.id);
      const channel = prompt.channelId ? await ctx.client.channels.fetch(prompt.channelId) : null;
      if (!found || !channel?.isSendable()) throw new Error('the daily channel cannot receive messages');
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
      ctx.logger.warn({ err: error, promptId: prompt.id, guildId: prompt.guildId }, 'reveal failed; retrying later');
    }
  }
  return revealed;
}
