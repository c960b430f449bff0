import type { Message, SendableChannels, TextBasedChannel } from 'discord.js';
import type { AppContext } from '../context.ts';
import { claimDailyPost, markDailyPosted, type DailyClaim } from '../db/repo/daily.ts';
import { scheduledCohorts, scheduleOf, type ScheduledCohort } from '../db/repo/cohorts.ts';
import { findPromptById, type PromptRow } from '../db/repo/prompts.ts';
import { componentIds } from '../discord/componentIds.ts';
import { dailyPostMessage } from '../discord/render/daily.ts';
import { ChannelUnusable, pauseOnPermanentFailure } from './channelFailure.ts';
import { duePostDate, windowEnd } from '../quiz/schedule.ts';
import { fetchServerChannel } from '../discord/guilds.ts';

/** The scheduler's job: for every cohort whose post is due today (in its own time zone) and not yet made, post it. */
export async function postDueDailyQuestions(ctx: AppContext): Promise<void> {
  const now = ctx.now();
  for (const cohort of await scheduledCohorts(ctx.db)) {
    const localDate = duePostDate(now, scheduleOf(cohort));
    if (!localDate || (cohort.startsOn && localDate < cohort.startsOn)) continue;
    try {
      await postDailyQuestion(ctx, cohort, localDate);
    } catch (error) {
      const failure = { cohortId: cohort.id, guildId: cohort.guildId, channelId: cohort.channelId, error };
      if (await pauseOnPermanentFailure(ctx, failure, 'owner')) continue;
      ctx.logger.warn(
        { err: error, guildId: cohort.guildId, cohortId: cohort.id, localDate },
        'daily post failed; retrying later',
      );
    }
  }
}

export type PostOutcome =
  | { status: 'posted'; prompt: PromptRow; messageId: string }
  | Exclude<DailyClaim, { status: 'claimed' }>;

/**
 * Claims the cohort's post for `localDate` and, if this process won the claim, sends it. The claim is stored
 * before sending and the message id after; a failed send leaves the claim to be retried later and later (its
 * attempts double the wait, up to MAX_ATTEMPTS).
 */
export async function postDailyQuestion(
  ctx: AppContext,
  cohort: Pick<ScheduledCohort, 'id' | 'guildId' | 'topics' | 'channelId' | 'windowHours'>,
  localDate: string,
  options: { leaseMs?: number } = {},
): Promise<PostOutcome> {
  const now = ctx.now();
  const claim = await claimDailyPost(ctx.db, {
    cohort,
    localDate,
    channelId: cohort.channelId,
    now,
    leaseMs: options.leaseMs,
  });
  if (claim.status !== 'claimed') return claim;
  const prompt = claim.prompt;
  const found = await findPromptById(ctx.db, prompt.id);
  if (!found) throw new Error(`claimed prompt ${prompt.id} vanished`);
  const channel = await fetchServerChannel(ctx.client, cohort.guildId, cohort.channelId);
  if (!channel?.isSendable() || !channel.isTextBased()) throw new ChannelUnusable(cohort.channelId);
  const earlier = claim.retaken ? await findEarlierPost(ctx, channel as TextBasedChannel, prompt.id) : undefined;
  if (earlier) {
    const closesAt = windowEnd(earlier.createdAt, cohort.windowHours);
    await markDailyPosted(ctx.db, prompt.id, {
      messageId: earlier.id,
      channelId: channel.id,
      postedAt: earlier.createdAt,
      closesAt,
    });
    ctx.logger.info(
      { guildId: cohort.guildId, cohortId: cohort.id, localDate, promptId: prompt.id },
      'daily post found after a crash; not sent again',
    );
    return {
      status: 'posted',
      prompt: { ...prompt, messageId: earlier.id, postedAt: earlier.createdAt, closesAt },
      messageId: earlier.id,
    };
  }
  const closesAt = windowEnd(now, cohort.windowHours);
  const message = await (channel as SendableChannels).send({
    ...dailyPostMessage({
      promptId: prompt.id,
      localDate,
      question: found.question.text,
      topic: found.question.topic,
      closesAt,
      answerCount: 0,
      closed: false,
    }),
    // Within a few minutes Discord returns the first message for a repeated nonce; after that, findEarlierPost.
    nonce: `daily-${prompt.id}`,
    enforceNonce: true,
  });
  await markDailyPosted(ctx.db, prompt.id, { messageId: message.id, channelId: channel.id, postedAt: now, closesAt });
  ctx.logger.info(
    { guildId: cohort.guildId, cohortId: cohort.id, localDate, promptId: prompt.id },
    'daily question posted',
  );
  return {
    status: 'posted',
    prompt: { ...prompt, messageId: message.id, postedAt: now, closesAt },
    messageId: message.id,
  };
}

/**
 * A post this prompt already has in the channel: a process that sent it and died before storing its id left
 * the claim to be retaken, possibly after Discord has forgotten the nonce. Its Answer button names the prompt.
 */
async function findEarlierPost(
  ctx: AppContext,
  channel: TextBasedChannel,
  promptId: number,
): Promise<Message | undefined> {
  const answerButton = componentIds.quizAnswer.encode({ promptId });
  const recent = await channel.messages.fetch({ limit: 50 });
  return recent.find(
    (message) =>
      message.author.id === ctx.client.user?.id &&
      message.components.some(
        (row) => 'components' in row && row.components.some((c) => 'customId' in c && c.customId === answerButton),
      ),
  );
}
