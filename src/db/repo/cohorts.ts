import { and, asc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { defaultCohort, type Caller } from '../../quiz/cohorts.ts';
import type { DailySchedule } from '../../quiz/schedule.ts';
import type { Db, Queryable } from '../client.ts';
import { violatedUniqueConstraint } from '../errors.ts';
import { answers, cohorts } from '../schema.ts';

export type CohortRow = typeof cohorts.$inferSelect;
export interface ScheduledCohort extends CohortRow {
  channelId: string;
  postTime: string;
  timeZone: string;
}

/** What an instructor sets on a cohort; only the given fields change. */
export type CohortChanges = Partial<Omit<CohortRow, 'id' | 'guildId' | 'createdAt' | 'updatedAt' | 'removedAt'>>;

/** The name given to a server's first cohort when nobody named it (a server set up before cohorts, or /quiz first). */
const FIRST_COHORT_NAME = 'Cohort 1';

export function hasDailySchedule<T extends Partial<CohortRow>>(
  cohort: T | undefined,
): cohort is T & Pick<ScheduledCohort, 'channelId' | 'postTime' | 'timeZone'> {
  return Boolean(cohort?.channelId && cohort.postTime && cohort.timeZone);
}

export function scheduleOf(cohort: Pick<ScheduledCohort, 'postTime' | 'timeZone' | 'days'>): DailySchedule {
  return { time: cohort.postTime, timeZone: cohort.timeZone, days: cohort.days };
}

const active = (guildId: string) => and(eq(cohorts.guildId, guildId), isNull(cohorts.removedAt));

/** The guild's cohorts, oldest first; removed ones only with `includeRemoved` (their data stays exportable). */
export function listCohorts(
  db: Queryable,
  guildId: string,
  options: { includeRemoved?: boolean } = {},
): Promise<CohortRow[]> {
  return db
    .select()
    .from(cohorts)
    .where(options.includeRemoved ? eq(cohorts.guildId, guildId) : active(guildId))
    .orderBy(asc(cohorts.id));
}

/** One cohort of the guild by id (a removed one too): never another guild's, whatever id a forged option names. */
export async function findCohort(db: Queryable, guildId: string, cohortId: number): Promise<CohortRow | undefined> {
  const [row] = await db
    .select()
    .from(cohorts)
    .where(and(eq(cohorts.guildId, guildId), eq(cohorts.id, cohortId)));
  return row;
}

/** The server's first active cohort: the one /setup daily configures when the server has only one. */
export async function serverCohort(db: Queryable, guildId: string): Promise<CohortRow | undefined> {
  const [row] = await db.select().from(cohorts).where(active(guildId)).orderBy(asc(cohorts.id)).limit(1);
  return row;
}

/** The server's first cohort, made (named FIRST_COHORT_NAME) if the server has none yet; safe when two callers race. */
export async function ensureServerCohort(db: Queryable, guildId: string): Promise<CohortRow> {
  const existing = await serverCohort(db, guildId);
  if (existing) return existing;
  // The unique (guild, name) index lets one of two racing callers create it; the other reads it.
  await db.execute(
    sql`insert into cohorts (guild_id, name) values (${guildId}, ${FIRST_COHORT_NAME}) on conflict do nothing`,
  );
  const made = await serverCohort(db, guildId);
  if (!made) throw new Error(`no cohort for guild ${guildId} after creating one`);
  return made;
}

/** The cohort a command means when none is named (see defaultCohort); the server's first, made if it has none. */
export async function callerCohort(db: Queryable, guildId: string, caller: Caller): Promise<CohortRow> {
  return defaultCohort(await listCohorts(db, guildId), caller) ?? ensureServerCohort(db, guildId);
}

export type CohortWriteResult =
  | { status: 'saved'; cohort: CohortRow }
  | { status: 'duplicate-name' | 'duplicate-channel' | 'missing' };

/** A refused write's reason, from the unique index it hit; rethrows anything else. */
function duplicateOf(error: unknown): 'duplicate-name' | 'duplicate-channel' {
  const constraint = violatedUniqueConstraint(error);
  if (constraint === 'cohorts_guild_name') return 'duplicate-name';
  if (constraint === 'cohorts_guild_channel') return 'duplicate-channel';
  throw error;
}

/** Adds a cohort; refused when the guild has an active cohort of that name (in any case) or channel. */
export async function addCohort(
  db: Queryable,
  guildId: string,
  values: CohortChanges & { name: string },
): Promise<CohortWriteResult> {
  try {
    // A savepoint, so a refused insert does not abort the caller's transaction on PostgreSQL.
    const [row] = await db.transaction((tx) =>
      tx
        .insert(cohorts)
        .values({ ...values, guildId })
        .returning(),
    );
    return { status: 'saved', cohort: row! };
  } catch (error) {
    return { status: duplicateOf(error) };
  }
}

/** Changes an active cohort of the guild; refused like addCohort, or 'missing' for an unknown or removed cohort. */
export async function editCohort(
  db: Queryable,
  guildId: string,
  cohortId: number,
  changes: CohortChanges,
): Promise<CohortWriteResult> {
  try {
    const [row] = await db.transaction((tx) =>
      tx
        .update(cohorts)
        .set({ ...changes, updatedAt: new Date() })
        .where(and(active(guildId), eq(cohorts.id, cohortId)))
        .returning(),
    );
    return row ? { status: 'saved', cohort: row } : { status: 'missing' };
  } catch (error) {
    return { status: duplicateOf(error) };
  }
}

export type RemoveCohortResult = { status: 'removed'; cohort: CohortRow } | { status: 'missing' | 'last-cohort' };

/**
 * Removes a cohort: it posts nothing more and frees its name and channel, but its answers and points stay (and
 * export). The server keeps at least one cohort: the guild's active cohorts are locked first, so two removals at
 * once cannot remove the last two.
 */
export async function removeCohort(db: Db, guildId: string, cohortId: number, now: Date): Promise<RemoveCohortResult> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: cohorts.id })
      .from(cohorts)
      .where(active(guildId))
      .orderBy(asc(cohorts.id))
      .for('update');
    if (!rows.some((row) => row.id === cohortId)) return { status: 'missing' };
    if (rows.length === 1) return { status: 'last-cohort' };
    const [row] = await tx
      .update(cohorts)
      .set({ removedAt: now, updatedAt: now })
      .where(eq(cohorts.id, cohortId))
      .returning();
    return { status: 'removed', cohort: row! };
  });
}

/** The guild's active cohorts the student has answered in, oldest first. */
export async function cohortsAnsweredBy(db: Queryable, guildId: string, userId: string): Promise<number[]> {
  const rows = await db
    .selectDistinct({ id: answers.cohortId })
    .from(answers)
    .innerJoin(cohorts, eq(cohorts.id, answers.cohortId))
    .where(and(eq(answers.guildId, guildId), eq(answers.userId, userId), isNull(cohorts.removedAt)))
    .orderBy(asc(answers.cohortId));
  return rows.map((row) => row.id);
}

/** Active, unpaused cohorts with a daily schedule, of every guild; the scheduler checks each in its own zone. */
export async function scheduledCohorts(db: Queryable): Promise<ScheduledCohort[]> {
  const rows = await db
    .select()
    .from(cohorts)
    .where(and(isNull(cohorts.removedAt), eq(cohorts.paused, false), isNotNull(cohorts.channelId)))
    .orderBy(asc(cohorts.id));
  return rows.filter(hasDailySchedule) as ScheduledCohort[];
}

/** The cohort's time zone for periods and dates: its schedule's zone, or UTC before one is set. */
export function cohortTimeZone(cohort: Pick<CohortRow, 'timeZone'>): string {
  return cohort.timeZone ?? 'UTC';
}

/**
 * Pauses a cohort's schedule because Discord refused its channel for good, unless the schedule moved to another
 * channel meanwhile. True when this call paused it (a new reason that instructors must be told of).
 */
export async function pauseForChannel(
  db: Queryable,
  cohortId: number,
  channelId: string,
  reason: string,
): Promise<boolean> {
  const rows = await db
    .update(cohorts)
    .set({ paused: true, pausedReason: reason, pauseNoticeAt: null, updatedAt: new Date() })
    .where(and(eq(cohorts.id, cohortId), eq(cohorts.channelId, channelId), isNull(cohorts.pausedReason)))
    .returning({ id: cohorts.id });
  return rows.length > 0;
}

/**
 * Pauses every running schedule of a server the bot was removed from, with the reason; the guilds among `guildIds`
 * that had one, each with how many of its cohorts this call paused.
 */
export async function pauseServers(
  db: Queryable,
  guildIds: readonly string[],
  reason: string,
): Promise<Map<string, number>> {
  if (guildIds.length === 0) return new Map();
  const rows = await db
    .update(cohorts)
    .set({ paused: true, pausedReason: reason, pauseNoticeAt: null, updatedAt: new Date() })
    .where(
      and(
        inArray(cohorts.guildId, [...guildIds]),
        isNull(cohorts.removedAt),
        eq(cohorts.paused, false),
        isNotNull(cohorts.channelId),
      ),
    )
    .returning({ guildId: cohorts.guildId });
  const paused = new Map<string, number>();
  for (const { guildId } of rows) paused.set(guildId, (paused.get(guildId) ?? 0) + 1);
  return paused;
}

/**
 * Takes the job of telling instructors why the cohort's schedule is paused: the reason for exactly one caller per
 * pause (compare-and-set), so they are told once; null for everyone else. `givePauseNoticeBack` undoes it when the
 * message could not be delivered.
 */
export async function takePauseNotice(db: Queryable, cohortId: number, now: Date): Promise<string | null> {
  const [row] = await db
    .update(cohorts)
    .set({ pauseNoticeAt: now })
    .where(and(eq(cohorts.id, cohortId), isNotNull(cohorts.pausedReason), isNull(cohorts.pauseNoticeAt)))
    .returning({ reason: cohorts.pausedReason });
  return row?.reason ?? null;
}

export async function givePauseNoticeBack(db: Queryable, cohortId: number): Promise<void> {
  await db.update(cohorts).set({ pauseNoticeAt: null }).where(eq(cohorts.id, cohortId));
}
