import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { guildSettings } from '../schema.ts';
import { cohortTimeZone, serverCohort } from './cohorts.ts';

/** The server's instructor role, or null when none is set. Each cohort may add its own (cohorts.instructor_role_id). */
export async function serverInstructorRole(db: Queryable, guildId: string): Promise<string | null> {
  const [row] = await db
    .select({ roleId: guildSettings.instructorRoleId })
    .from(guildSettings)
    .where(eq(guildSettings.guildId, guildId));
  return row?.roleId ?? null;
}

/** Sets the server's instructor role. */
export async function setServerInstructorRole(
  db: Queryable,
  guildId: string,
  instructorRoleId: string | null,
): Promise<void> {
  const values = { instructorRoleId, updatedAt: new Date() };
  await db
    .insert(guildSettings)
    .values({ guildId, ...values })
    .onConflictDoUpdate({ target: guildSettings.guildId, set: values });
}

/** Whether the database knows a time zone: the points totals compute weeks and months in it. */
export async function databaseKnowsTimeZone(db: Queryable, timeZone: string): Promise<boolean> {
  const rows = await db
    .select({ name: sql<string>`name` })
    .from(sql`pg_timezone_names`)
    .where(sql`name = ${timeZone}`)
    .limit(1);
  return rows.length > 0;
}

/** The time zone of the server's first cohort (dates in file names), or UTC before one is set. */
export async function guildTimeZone(db: Queryable, guildId: string): Promise<string> {
  const cohort = await serverCohort(db, guildId);
  return cohort ? cohortTimeZone(cohort) : 'UTC';
}
