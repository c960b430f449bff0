import type { Queryable } from '../../src/db/client.ts';
import { ensureServerCohort } from '../../src/db/repo/cohorts.ts';

/** The id of the guild's (first) cohort, made if the guild has none: for tests that write prompts and points directly. */
export async function cohortIdOf(db: Queryable, guildId: string): Promise<number> {
  return (await ensureServerCohort(db, guildId)).id;
}
