import { and, asc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { ReminderDelivery } from '../../quiz/types.ts';
import type { Queryable } from '../client.ts';
import { answers, cohorts, dailyReminders, prompts, reminderPreferences } from '../schema.ts';
import { MAX_ATTEMPTS, retryWait } from './daily.ts';

export type { ReminderDelivery };

export interface ReminderPreference {
  enabled: boolean;
  delivery: ReminderDelivery;
}
export type ReminderRow = typeof dailyReminders.$inferSelect;

const OFF: ReminderPreference = { enabled: false, delivery: 'channel' };

/** The cohort a preference belongs to, and its guild (kept beside it, so a guild's data is found by guild). */
export interface CohortOf {
  cohortId: number;
  guildId: string;
}

export async function reminderPreference(db: Queryable, cohortId: number, userId: string): Promise<ReminderPreference> {
  const [row] = await db
    .select({ enabled: reminderPreferences.enabled, delivery: reminderPreferences.delivery })
    .from(reminderPreferences)
    .where(and(eq(reminderPreferences.cohortId, cohortId), eq(reminderPreferences.userId, userId)));
  return row ?? OFF;
}

/** The Remind me button: turns the student's reminders of the cohort on, or off when they were on, in one statement. */
export async function toggleReminder(
  db: Queryable,
  cohort: CohortOf,
  userId: string,
  now: Date,
): Promise<ReminderPreference> {
  const [row] = await db
    .insert(reminderPreferences)
    .values({ ...cohort, userId, enabled: true, updatedAt: now })
    .onConflictDoUpdate({
      target: [reminderPreferences.cohortId, reminderPreferences.userId],
      set: { enabled: sql`not ${reminderPreferences.enabled}`, updatedAt: now },
    })
    .returning({ enabled: reminderPreferences.enabled, delivery: reminderPreferences.delivery });
  return row!;
}

/** `/me`'s choice for one cohort: reminders by a mention in its daily channel, by direct message, or none. */
export async function setReminderPreference(
  db: Queryable,
  cohort: CohortOf,
  userId: string,
  choice: ReminderDelivery | 'off',
  now: Date,
): Promise<ReminderPreference> {
  const values = choice === 'off' ? { enabled: false } : { enabled: true, delivery: choice };
  const [row] = await db
    .insert(reminderPreferences)
    .values({ ...cohort, userId, ...values, updatedAt: now })
    .onConflictDoUpdate({
      target: [reminderPreferences.cohortId, reminderPreferences.userId],
      set: { ...values, updatedAt: now },
    })
    .returning({ enabled: reminderPreferences.enabled, delivery: reminderPreferences.delivery });
  return row!;
}

const hour = sql`interval '1 hour'`;

/**
 * Open daily posts whose reminder time has come (their cohort's `remind_hours` before closing, and after the post was
 * made) and whose reminder is not sent: never claimed, or claimed and due for another attempt.
 */
export async function dueReminders(db: Queryable, now: Date): Promise<number[]> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const rows = await db
    .select({ promptId: prompts.id })
    .from(prompts)
    .innerJoin(cohorts, eq(cohorts.id, prompts.cohortId))
    .leftJoin(dailyReminders, eq(dailyReminders.promptId, prompts.id))
    .where(
      and(
        eq(prompts.kind, 'daily'),
        isNotNull(prompts.messageId),
        isNull(prompts.closedAt),
        sql`${prompts.closesAt} > ${at}`,
        sql`${cohorts.remindHours} > 0`,
        sql`${prompts.closesAt} - ${hour} * ${cohorts.remindHours} <= ${at}`,
        sql`${prompts.closesAt} - ${hour} * ${cohorts.remindHours} > ${prompts.postedAt}`,
        sql`(${dailyReminders.promptId} is null or (${dailyReminders.sentAt} is null and ${dailyReminders.attempts} < ${MAX_ATTEMPTS}
          and ${dailyReminders.claimedAt} < ${at} - ${retryWait(sql`${dailyReminders.attempts}`)}))`,
      ),
    )
    .orderBy(asc(prompts.id));
  return rows.map((row) => row.promptId);
}

/** The opted-in students of the post's cohort who have not answered it, in a stable order. */
async function reminderRecipients(
  db: Queryable,
  promptId: number,
): Promise<{ userId: string; delivery: ReminderDelivery }[]> {
  return db
    .select({ userId: reminderPreferences.userId, delivery: reminderPreferences.delivery })
    .from(reminderPreferences)
    .innerJoin(prompts, eq(prompts.cohortId, reminderPreferences.cohortId))
    .leftJoin(answers, and(eq(answers.promptId, prompts.id), eq(answers.userId, reminderPreferences.userId)))
    .where(and(eq(prompts.id, promptId), eq(reminderPreferences.enabled, true), isNull(answers.id)))
    .orderBy(asc(reminderPreferences.userId));
}

/**
 * Claims the reminder of one post: the first claim inserts its row (the primary key lets one process win) with the
 * recipients fixed; a claim left unsent is retaken once its retry wait has passed (compare-and-set on the claim
 * time). Undefined when another process holds it or it is sent.
 */
export async function claimReminder(
  db: Queryable,
  promptId: number,
  guildId: string,
  now: Date,
): Promise<ReminderRow | undefined> {
  const recipients = await reminderRecipients(db, promptId);
  const [claimed] = await db
    .insert(dailyReminders)
    .values({ promptId, guildId, recipients, claimedAt: now })
    .onConflictDoNothing()
    .returning();
  if (claimed) return claimed;
  const at = sql`${now.toISOString()}::timestamptz`;
  const [retaken] = await db
    .update(dailyReminders)
    .set({ claimedAt: now, attempts: sql`${dailyReminders.attempts} + 1` })
    .where(
      and(
        eq(dailyReminders.promptId, promptId),
        isNull(dailyReminders.sentAt),
        sql`${dailyReminders.attempts} < ${MAX_ATTEMPTS}`,
        sql`${dailyReminders.claimedAt} < ${at} - ${retryWait(sql`${dailyReminders.attempts}`)}`,
      ),
    )
    .returning();
  return retaken;
}

export async function markReminderPartSent(db: Queryable, promptId: number, partsDone: number): Promise<void> {
  await db.update(dailyReminders).set({ channelPartsDone: partsDone }).where(eq(dailyReminders.promptId, promptId));
}

/** A direct message delivered, or refused for good (DMs closed: the student is mentioned in the channel instead). */
export async function markReminderDmDone(
  db: Queryable,
  promptId: number,
  userId: string,
  refused: boolean,
): Promise<void> {
  const added = sql`${JSON.stringify([userId])}::jsonb`;
  await db
    .update(dailyReminders)
    .set({
      dmsDone: sql`${dailyReminders.dmsDone} || ${added}`,
      ...(refused ? { dmsRefused: sql`${dailyReminders.dmsRefused} || ${added}` } : {}),
    })
    .where(eq(dailyReminders.promptId, promptId));
}

export async function markReminderSent(db: Queryable, promptId: number, now: Date): Promise<void> {
  await db.update(dailyReminders).set({ sentAt: now }).where(eq(dailyReminders.promptId, promptId));
}

/** A reminder whose channel refused the bot for good: not tried again. */
export async function abandonReminder(db: Queryable, promptId: number): Promise<void> {
  await db.update(dailyReminders).set({ attempts: MAX_ATTEMPTS }).where(eq(dailyReminders.promptId, promptId));
}

export async function findReminder(db: Queryable, promptId: number): Promise<ReminderRow | undefined> {
  const [row] = await db.select().from(dailyReminders).where(eq(dailyReminders.promptId, promptId));
  return row;
}
