/** What the choice of a caller's cohort needs to know of each cohort. */
export interface CohortMembership {
  id: number;
  channelId: string | null;
  studentRoleId: string | null;
}

/** The caller's place: the channel a command runs in and the roles they hold. */
export interface Caller {
  channelId: string | null;
  roleIds: readonly string[];
}

/** Whether the caller is one of the cohort's students: it has no student role (everyone is), or they hold it. */
export function isStudentOf(cohort: CohortMembership, caller: Caller): boolean {
  return cohort.studentRoleId === null || caller.roleIds.includes(cohort.studentRoleId);
}

/**
 * The cohort a command means when none is named: the cohort of the channel it runs in, else the first cohort whose
 * student role the caller holds, else the server's first cohort. `cohorts` are the active ones, oldest first.
 */
export function defaultCohort<T extends CohortMembership>(cohorts: readonly T[], caller: Caller): T | undefined {
  return (
    cohorts.find((cohort) => caller.channelId !== null && cohort.channelId === caller.channelId) ??
    cohorts.find((cohort) => cohort.studentRoleId !== null && caller.roleIds.includes(cohort.studentRoleId)) ??
    cohorts[0]
  );
}

/** The longest cohort name: it fits in an autocomplete choice and a custom id's readers' eyes. */
export const COHORT_NAME_MAX = 50;

/** A cohort name as stored: trimmed, inner whitespace collapsed; null when empty or too long. */
export function cohortName(input: string): string | null {
  const name = input.trim().replace(/\s+/g, ' ');
  return name.length > 0 && name.length <= COHORT_NAME_MAX ? name : null;
}
