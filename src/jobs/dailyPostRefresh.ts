import type { AppContext } from '../context.ts';
import type { Logger } from '../logger.ts';
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
 * Throttles the refreshes of daily posts, so their answer count stays current without hitting rate limits: a burst
 * of answers leads to one refresh per post per interval. The count itself is always read from the database.
 */
export class DailyPostRefreshThrottle {
  private readonly pending = new Map<number, NodeJS.Timeout>();

  constructor(
    private readonly refresh: (promptId: number) => Promise<void>,
    private readonly logger: Logger,
    private readonly intervalMs = 5_000,
  ) {}

  /** Asks for a refresh of the post, done at the end of the interval together with any others asked meanwhile. */
  request(promptId: number): void {
    if (this.pending.has(promptId)) return;
    const timer = setTimeout(() => {
      this.pending.delete(promptId);
      this.refresh(promptId).catch((error: unknown) =>
        this.logger.warn({ err: error, promptId }, 'could not update the answer count'),
      );
    }, this.intervalMs);
    this.pending.set(promptId, timer);
  }

  stop(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
