import type { AppContext } from '../context.ts';
import type { Logger } from '../logger.ts';
import type { Queryable } from '../db/client.ts';
import { claimPostRefresh, countAnswers } from '../db/repo/daily.ts';
import { findPromptById } from '../db/repo/prompts.ts';
import { dailyPostMessage } from '../discord/render/daily.ts';
import { fetchServerChannel } from '../discord/guilds.ts';

/** Re-renders a daily post from the database: its answer count, and whether it is closed. */
export async function refreshDailyPost(ctx: AppContext, promptId: number): Promise<void> {
  const found = await findPromptById(ctx.db, promptId);
  if (!found?.prompt.messageId || !found.prompt.channelId || !found.prompt.closesAt || !found.prompt.localDate) return;
  const { prompt, question } = found;
  const channel = await fetchServerChannel(ctx.client, prompt.guildId, prompt.channelId!);
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
 * of answers leads to one refresh per post per interval, across every process answering. The first answer of a
 * window claims the post's refresh in the database (claimPostRefresh) and this process refreshes at the window's
 * end, reading the count then; answers meanwhile, here or in another process, find the window claimed and do
 * nothing. A process that stops or dies holding a claim leaves it to expire: the next answer claims again, and
 * the closing job renders the final count whatever happened.
 */
export class DailyPostRefreshThrottle {
  private readonly pending = new Set<NodeJS.Timeout>();
  /** Until when this process knows a post's window is claimed (by itself or another): no UPDATE per answer then. */
  private readonly claimedUntil = new Map<number, number>();
  private stopped = false;

  constructor(
    private readonly db: Queryable,
    private readonly refresh: (promptId: number) => Promise<void>,
    private readonly logger: Logger,
    private readonly intervalMs = 5_000,
  ) {}

  /** Asks for a refresh of the post, done at the end of the current window by whichever process claimed it. */
  request(promptId: number): void {
    void this.claimAndSchedule(promptId).catch((error: unknown) =>
      this.logger.warn({ err: error, promptId }, 'could not update the answer count'),
    );
  }

  private async claimAndSchedule(promptId: number): Promise<void> {
    const now = Date.now();
    if (this.stopped || (this.claimedUntil.get(promptId) ?? 0) > now) return;
    // Another process's window ends within an interval, so ask again after a part of one: a burst's answers cost a
    // few claims per window, not one UPDATE each.
    this.claimedUntil.set(promptId, now + this.intervalMs / 5);
    if (!(await claimPostRefresh(this.db, promptId, this.intervalMs)) || this.stopped) return;
    this.claimedUntil.set(promptId, now + this.intervalMs);
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      this.claimedUntil.delete(promptId);
      this.refresh(promptId).catch((error: unknown) =>
        this.logger.warn({ err: error, promptId }, 'could not update the answer count'),
      );
    }, this.intervalMs);
    this.pending.add(timer);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }
}
