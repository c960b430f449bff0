import { and, asc, eq, gt, inArray, isNotNull, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { answers, prompts, questions } from '../schema.ts';
import type { CohortRow } from './cohorts.ts';
import type { PromptRow } from './prompts.ts';

/** A claim whose post never got its message id (a crash, a Discord outage) may be taken over after this long. */
export const CLAIM_LEASE_MS = 2 * 60_000;
/** Each retry of a post or a reveal waits twice as long as the one before, up to this long. */
const MAX_RETRY_WAIT_MS = 32 * 60_000;
/** Attempts at a post or a reveal before the bot gives up on it (2 + 4 + ... + 32 + 32 min: about two hours). */
export const MAX_ATTEMPTS = 8;

/** How long after its last attempt (the `attempts`-th) a post or reveal may be tried again, in SQL. */
export const retryWait = (attempts: SQL | typeof prompts.postAttempts) =>
  sql`(interval '1 millisecond' * least(${CLAIM_LEASE_MS}::float8 * power(2, greatest(${attempts} - 1, 0)), ${MAX_RETRY_WAIT_MS}::float8))`;

/** What choosing and claiming a cohort's daily post needs to know of the cohort. */
export type DailyCohort = Pick<CohortRow, 'id' | 'guildId' | 'topics'>;

/**
 * The cohort's next daily question: rotates through the guild's active bank (within the cohort's topics, if it
 * has some), the least asked in this cohort first and, among equals, the one asked longest ago, so no question
 * repeats in a cohort until all have been asked there.
 */
async function nextDailyQuestionId(db: Queryable, cohort: DailyCohort): Promise<number | undefined> {
  const asked = db
    .select({
      questionId: prompts.questionId,
      times: sql<number>`count(*)`.as('times'),
      lastId: sql<number>`max(${prompts.id})`.as('last_id'),
    })
    .from(prompts)
    // A claim whose post never reached Discord was not asked.
    .where(and(eq(prompts.cohortId, cohort.id), eq(prompts.kind, 'daily'), isNotNull(prompts.messageId)))
    .groupBy(prompts.questionId)
    .as('asked');
  const [row] = await db
    .select({ id: questions.id })
    .from(questions)
    .leftJoin(asked, eq(asked.questionId, questions.id))
    .where(
      and(
        or(isNull(questions.guildId), eq(questions.guildId, cohort.guildId)),
        eq(questions.active, true),
        cohort.topics?.length ? inArray(questions.topic, cohort.topics) : undefined,
      ),
    )
    .orderBy(
      sql`coalesce(${asked.times}, 0)`,
      sql`coalesce(${asked.lastId}, 0)`,
      asc(questions.position),
      asc(questions.id),
    )
    .limit(1);
  return row?.id;
}

/**
 * `retaken`: an earlier claim of this day was taken over, so its post may already be in the channel.
 * `behind`: a later local date was already posted (the time zone or time changed since), so this date is not.
 */
export type DailyClaim =
  | { status: 'claimed'; prompt: PromptRow; retaken: boolean }
  | { status: 'taken' }
  | { status: 'empty-bank' }
  | { status: 'behind'; lastDate: string };

/** The latest local date the cohort has a daily post for (one that reached the channel). */
export async function lastPostedDate(db: Queryable, cohortId: number): Promise<string | null> {
  const [row] = await db
    .select({ localDate: sql<string | null>`max(${prompts.localDate})` })
    .from(prompts)
    .where(and(eq(prompts.cohortId, cohortId), eq(prompts.kind, 'daily'), isNotNull(prompts.messageId)));
  return row?.localDate ?? null;
}

/**
 * Claims the daily post of one cohort and local date, unless a later date was posted already. Exactly once: the
 * unique (cohort, local date) key lets one process win; a claim left without a message id for longer than the
 * lease is taken over (compare-and-set on its claim time), and the post's nonce stops Discord from showing a
 * retried post twice.
 */
export async function claimDailyPost(
  db: Queryable,
  input: { cohort: DailyCohort; localDate: string; channelId: string; now: Date; leaseMs?: number },
): Promise<DailyClaim> {
  // After a change of time zone the local date can go back: never post a date before one already posted.
  const lastDate = await lastPostedDate(db, input.cohort.id);
  if (lastDate !== null && lastDate > input.localDate) return { status: 'behind', lastDate };
  const questionId = await nextDailyQuestionId(db, input.cohort);
  if (questionId === undefined) return { status: 'empty-bank' };
  const [claimed] = await db
    .insert(prompts)
    .values({
      guildId: input.cohort.guildId,
      cohortId: input.cohort.id,
      questionId,
      kind: 'daily',
      localDate: input.localDate,
      channelId: input.channelId,
      claimedAt: input.now,
      postAttempts: 1,
    })
    .onConflictDoNothing({ target: [prompts.cohortId, prompts.localDate] })
    .returning();
  if (claimed) return { status: 'claimed', prompt: claimed, retaken: false };
  const now = sql`${input.now.toISOString()}::timestamptz`;
  // The scheduler retries later and later, then gives up; an instructor's retry (leaseMs 0) is always taken.
  const due =
    input.leaseMs === undefined
      ? and(
          sql`${prompts.claimedAt} < ${now} - ${retryWait(prompts.postAttempts)}`,
          sql`${prompts.postAttempts} < ${MAX_ATTEMPTS}`,
        )
      : sql`${prompts.claimedAt} < ${now} - (interval '1 millisecond' * ${input.leaseMs}::float8)`;
  const [retaken] = await db
    .update(prompts)
    .set({ claimedAt: input.now, postAttempts: sql`${prompts.postAttempts} + 1` })
    .where(
      and(
        eq(prompts.cohortId, input.cohort.id),
        eq(prompts.localDate, input.localDate),
        isNull(prompts.messageId),
        due,
      ),
    )
    .returning();
  return retaken ? { status: 'claimed', prompt: retaken, retaken: true } : { status: 'taken' };
}

export async function markDailyPosted(
  db: Queryable,
  promptId: number,
  posted: { messageId: string; channelId: string; postedAt: Date; closesAt: Date },
): Promise<void> {
  await db.update(prompts).set(posted).where(eq(prompts.id, promptId));
}

export async function dailyPromptOn(db: Queryable, cohortId: number, localDate: string) {
  const [row] = await db
    .select()
    .from(prompts)
    .where(and(eq(prompts.cohortId, cohortId), eq(prompts.localDate, localDate)));
  return row;
}

/** Closes, atomically, the daily posts whose window has ended (or, with `cohortId`, that cohort's open one now). */
export function claimClosings(db: Queryable, now: Date, cohortId?: number) {
  const due = cohortId === undefined ? lte(prompts.closesAt, now) : eq(prompts.cohortId, cohortId);
  return db
    .update(prompts)
    .set({ closedAt: now })
    .where(and(eq(prompts.kind, 'daily'), isNull(prompts.closedAt), isNotNull(prompts.messageId), due))
    .returning();
}

/** Claims the reveal of a closed post: one process posts it; a failed attempt is retried later and later, then given up. */
export async function claimReveal(db: Queryable, now: Date) {
  const at = sql`${now.toISOString()}::timestamptz`;
  const [row] = await db
    .update(prompts)
    .set({ revealClaimedAt: now, revealAttempts: sql`${prompts.revealAttempts} + 1` })
    .where(
      and(
        sql`${prompts.id} = (select id from prompts where kind = 'daily' and closed_at is not null and closed_at > ${at} - interval '24 hours'
          and reveal_message_id is null and message_id is not null and reveal_attempts < ${MAX_ATTEMPTS}
          and (reveal_claimed_at is null or reveal_claimed_at < ${at} - ${retryWait(sql`reveal_attempts`)}) order by id limit 1 for update skip locked)`,
      ),
    )
    .returning();
  return row;
}

/** A reveal that can never be posted (its channel is gone or closed to the bot): not tried again. */
export async function abandonReveal(db: Queryable, promptId: number): Promise<void> {
  await db.update(prompts).set({ revealAttempts: MAX_ATTEMPTS }).where(eq(prompts.id, promptId));
}

export async function markRevealed(db: Queryable, promptId: number, revealMessageId: string): Promise<void> {
  await db.update(prompts).set({ revealMessageId }).where(eq(prompts.id, promptId));
}

/**
 * Claims the refresh of a daily post's answer count for the window of `windowMs` starting now, unless a window is
 * still running: true for exactly one caller per window, whichever process it runs in. A claim whose process died
 * simply ends with its window; the next answer claims again. The database's clock, so processes' clocks never disagree.
 */
export async function claimPostRefresh(db: Queryable, promptId: number, windowMs: number): Promise<boolean> {
  const rows = await db
    .update(prompts)
    .set({ refreshDueAt: sql`clock_timestamp() + (interval '1 millisecond' * ${windowMs}::float8)` })
    .where(
      and(
        eq(prompts.id, promptId),
        or(isNull(prompts.refreshDueAt), sql`${prompts.refreshDueAt} <= clock_timestamp()`),
      ),
    )
    .returning({ id: prompts.id });
  return rows.length > 0;
}

export async function countAnswers(db: Queryable, promptId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(answers)
    .where(eq(answers.promptId, promptId));
  return row?.n ?? 0;
}

export function starredAnswers(db: Queryable, promptId: number) {
  return db
    .select({ userId: answers.userId, body: answers.body })
    .from(answers)
    .where(and(eq(answers.promptId, promptId), eq(answers.starred, true)))
    .orderBy(asc(answers.createdAt))
    .limit(5);
}

/**
 * Questions of the guild's open daily posts, with when each closes (null: claimed, not posted yet). /quiz keeps
 * them back and practice receipts hold back their reference answers, so those wait for the reveal.
 */
export async function openDailyQuestionIds(
  db: Queryable,
  guildId: string,
  now: Date,
): Promise<Map<number, Date | null>> {
  const rows = await db
    .select({ questionId: prompts.questionId, closesAt: prompts.closesAt })
    .from(prompts)
    .where(
      and(
        eq(prompts.guildId, guildId),
        eq(prompts.kind, 'daily'),
        isNull(prompts.closedAt),
        or(isNull(prompts.closesAt), gt(prompts.closesAt, now)),
      ),
    );
  return new Map(rows.map((row) => [row.questionId, row.closesAt]));
}
