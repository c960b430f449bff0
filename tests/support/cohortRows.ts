import type { Queryable } from '../../src/db/client.ts';
import { editCohort, ensureServerCohort, type CohortChanges, type CohortRow } from '../../src/db/repo/cohorts.ts';

/** The id of the guild's (first) cohort, made if the guild has none: for tests that write prompts and points directly. */
export async function cohortIdOf(db: Queryable, guildId: string): Promise<number> {
  return (await ensureServerCohort(db, guildId)).id;
}

/** Changes the guild's (first) cohort, made if the guild has none, as /setup daily does. */
export async function updateServerCohort(db: Queryable, guildId: string, changes: CohortChanges): Promise<CohortRow> {
  const cohort = await ensureServerCohort(db, guildId);
  const edited = await editCohort(db, guildId, cohort.id, changes);
  if (edited.status !== 'saved') throw new Error(`cohort not changed: ${edited.status}`);
  return edited.cohort;
}
