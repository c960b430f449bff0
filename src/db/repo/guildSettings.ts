import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { cohorts, guildSettings } from '../schema.ts';
import {
  cohortTimeZone,
  ensureServerCohort,
  hasDailySchedule as hasCohortSchedule,
  FIRST_COHORT_NAME,
  serverCohort,
  takePauseNotice as takeCohortPauseNotice,
  type CohortChanges,
  type CohortRow,
} from './cohorts.ts';

export { scheduleOf } from './cohorts.ts';

/**
 * The settings /setup daily shows and changes: the server's instructor role with the schedule of the server's cohort
 * (its first one; with several, each has its own in `/setup cohort`). `cohortId` is null before the server has one.
 */
export type GuildSettings = Omit<CohortRow, 'id' | 'instructorRoleId'> & { cohortId: number | null; instructorRoleId: string | null };
export type DailySettings = GuildSettings & { cohortId: number; channelId: string; postTime: string; timeZone: string };

/** A cohort's settings before it is made: the schema's defaults. */
function unsavedCohort(guildId: string): Omit<CohortRow, 'id' | 'instructorRoleId'> {
  const epoch = new Date(0);
  return {
    guildId,
    name: FIRST_COHORT_NAME,
    channelId: null,
    studentRoleId: null,
    postTime: null,
    timeZone: null,
    windowHours: 24,
    days: 'every',
    paused: false,
    pausedReason: null,
    pauseNoticeAt: null,
    startsOn: null,
    remindHours: 3,
    topics: null,
    createdAt: epoch,
    updatedAt: epoch,
    removedAt: null,
  };
}

/** Whether the server's cohort has a daily schedule. */
export function hasDailySchedule(settings: GuildSettings | undefined): settings is DailySettings {
  return settings?.cohortId != null && hasCohortSchedule(settings);
}

/** The server's instructor role, or null when none is set. */
export async function serverInstructorRole(db: Queryable, guildId: string): Promise<string | null> {
  const [row] = await db.select({ roleId: guildSettings.instructorRoleId }).from(guildSettings).where(eq(guildSettings.guildId, guildId));
  return row?.roleId ?? null;
}

export async function getGuildSettings(db: Queryable, guildId: string): Promise<GuildSettings | undefined> {
  const [[server], cohort] = await Promise.all([db.select().from(guildSettings).where(eq(guildSettings.guildId, guildId)), serverCohort(db, guildId)]);
  if (!server && !cohort) return undefined;
  const { id, instructorRoleId: _cohortInstructors, ...schedule } = cohort ?? { id: null, instructorRoleId: null, ...unsavedCohort(guildId) };
  return { ...schedule, cohortId: id, instructorRoleId: server?.instructorRoleId ?? null };
}

/** Sets the server's instructor role. */
export async function setServerInstructorRole(db: Queryable, guildId: string, instructorRoleId: string | null): Promise<void> {
  const values = { instructorRoleId, updatedAt: new Date() };
  await db.insert(guildSettings).values({ guildId, ...values }).onConflictDoUpdate({ target: guildSettings.guildId, set: values });
}

/**
 * Changes the server's settings: the instructor role on the server, the schedule on the server's cohort (made if
 * the server has none yet). Only the given fields change.
 */
export async function updateGuildSettings(
  db: Queryable,
  guildId: string,
  changes: CohortChanges & { instructorRoleId?: string | null },
): Promise<GuildSettings> {
  const { instructorRoleId, ...schedule } = changes;
  if (instructorRoleId !== undefined) await setServerInstructorRole(db, guildId, instructorRoleId);
  if (Object.keys(schedule).length > 0) {
    const cohort = await ensureServerCohort(db, guildId);
    await db.update(cohorts).set({ ...schedule, updatedAt: new Date() }).where(eq(cohorts.id, cohort.id));
  }
  return (await getGuildSettings(db, guildId))!;
}

/** Whether the database knows a time zone: the points totals compute weeks and months in it. */
export async function databaseKnowsTimeZone(db: Queryable, timeZone: string): Promise<boolean> {
  const rows = await db.select({ name: sql<string>`name` }).from(sql`pg_timezone_names`).where(sql`name = ${timeZone}`).limit(1);
  return rows.length > 0;
}

/** The time zone of the server's cohort, or UTC before one is set. */
export async function guildTimeZone(db: Queryable, guildId: string): Promise<string> {
  const cohort = await serverCohort(db, guildId);
  return cohort ? cohortTimeZone(cohort) : 'UTC';
}

/** Takes the pause notice of the server's cohort (see cohorts.ts takePauseNotice). */
export async function takePauseNotice(db: Queryable, guildId: string, now: Date): Promise<string | null> {
  const cohort = await serverCohort(db, guildId);
  return cohort ? takeCohortPauseNotice(db, cohort.id, now) : null;
}
