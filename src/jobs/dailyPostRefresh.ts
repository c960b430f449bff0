import type { AppContext } from '../context.ts';
import { countAnswers } from '../db/repo/daily.ts';
import { findPromptById } from '../db/repo/prompts.ts';
import { dailyPostMessage } from '../discord/render/daily.ts';

/** Re-renders a daily post from the database: its answer count, and whether it is closed. */
export async function refreshDailyPost(ctx: AppContext, promptId: number): Promise<void> {
  const found = await findPromptById(ctx.db, promptId);
  if (!found?.prompt.messageId || !found.prompt.channelId || !found.prompt.closesAt || !found.prompt.localDate) return;
  const { prompt, question } = found;
  const channel = await ctx.client.channels.fetch(prompt.channelId!);
  if (!channel?.isTextBased()) return;
  const view = dailyPostMessage({
    promptId,
    localDate: prompt.localDate!,
    question: question.text,
    topic: question.topic,
    closesAt: prompt.closedAt ?? prompt.closesAt!,
    answerCount: await countAnswers(ctx.db, promptId),
    closed: prompt.closedAt !== null,
  });
  await channel.messages.edit(prompt.messageId!, view);
}

/**
 * Keeps the answer count on daily posts current without hitting rate limits: a burst of answers
 * leads to one edit per post per interval. The count itself is always read from the database.
 */
export class DailyAnswerCounter {
  private readonly pending = new Map<number, NodeJS.Timeout>();

  constructor(
    private readonly ctx: AppContext,
    private readonly intervalMs = 5_000,
  ) {}

  changed(promptId: number): void {
    if (this.pending.has(promptId)) return;
    const timer = setTimeout(() => {
      this.pending.delete(promptId);
      refreshDailyPost(this.ctx, promptId).catch((error: unknown) =>
        this.ctx.logger.warn({ err: error, promptId }, 'could not update the answer count'),
      );
    }, this.intervalMs);
    this.pending.set(promptId, timer);
  }

  stop(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
