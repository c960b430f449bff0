import type { AppContext } from '../context.ts';
import { claimClosings, claimReveal, countAnswers, markRevealed, starredAnswers } from '../db/repo/daily.ts';
import { findPromptById } from '../db/repo/prompts.ts';
import { revealMessage } from '../discord/render/daily.ts';
import { refreshDailyPost } from './dailyPostRefresh.ts';

/** The scheduler's job: close the daily posts whose answer window has ended, then post their reveals. */
export async function closeDueDailyQuestions(ctx: AppContext): Promise<void> {
  await closeAndReveal(ctx, await claimClosings(ctx.db, ctx.now()));
}

/** `/daily close`: closes the guild's open daily question now; returns how many were closed. */
export async function closeDailyNow(ctx: AppContext, guildId: string): Promise<number> {
  const closed = await claimClosings(ctx.db, ctx.now(), guildId);
  await closeAndReveal(ctx, closed);
  return closed.length;
}

async function closeAndReveal(ctx: AppContext, closed: { id: number; guildId: string }[]): Promise<void> {
  for (const prompt of closed) {
    await refreshDailyPost(ctx, prompt.id).catch((error: unknown) =>
      ctx.logger.warn({ err: error, promptId: prompt.id, guildId: prompt.guildId }, 'could not mark the daily post closed'),
    );
  }
  await postPendingReveals(ctx);
}

/** Posts every reveal that is due; a reveal whose send failed is retried on a later tick. */
async function postPendingReveals(ctx: AppContext): Promise<void> {
  for (let prompt = await claimReveal(ctx.db, ctx.now()); prompt; prompt = await claimReveal(ctx.db, ctx.now())) {
    try {
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
      ctx.logger.info({ guildId: prompt.guildId, promptId: prompt.id }, 'daily reveal posted');
    } catch (error) {
      ctx.logger.warn({ err: error, promptId: prompt.id, guildId: prompt.guildId }, 'reveal failed; retrying later');
    }
  }
}
