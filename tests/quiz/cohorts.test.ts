import { describe, expect, it } from 'vitest';
import { cohortName, defaultCohort, isStudentOf } from '../../src/quiz/cohorts.ts';

const morning = { id: 1, channelId: 'c-morning', studentRoleId: 'r-morning' };
const evening = { id: 2, channelId: 'c-evening', studentRoleId: 'r-evening' };
const open = { id: 3, channelId: null, studentRoleId: null };

describe('the cohort a command means when none is named', () => {
  it.each([
    [
      'the channel it runs in wins over the roles',
      [morning, evening],
      { channelId: 'c-evening', roleIds: ['r-morning'] },
      2,
    ],
    [
      'else the first cohort whose role the caller holds',
      [morning, evening],
      { channelId: 'c-other', roleIds: ['r-evening'] },
      2,
    ],
    ['else the server’s first cohort', [morning, evening], { channelId: 'c-other', roleIds: [] }, 1],
    ['a cohort without a role is not picked by roles', [open, evening], { channelId: null, roleIds: ['r-evening'] }, 2],
    ['a null channel matches no cohort without a channel', [open, morning], { channelId: null, roleIds: [] }, 3],
  ])('%s', (_name, cohorts, caller, expected) => {
    expect(defaultCohort(cohorts, caller)?.id).toBe(expected);
  });

  it('is undefined for a server without cohorts', () => {
    expect(defaultCohort([], { channelId: 'c', roleIds: [] })).toBeUndefined();
  });
});

describe('cohort membership and names', () => {
  it('everyone is a student of a cohort without a student role; otherwise only its role holders', () => {
    expect(isStudentOf(open, { channelId: null, roleIds: [] })).toBe(true);
    expect(isStudentOf(morning, { channelId: null, roleIds: [] })).toBe(false);
    expect(isStudentOf(morning, { channelId: null, roleIds: ['r-morning'] })).toBe(true);
  });

  it.each([
    ['  Evening   cohort ', 'Evening cohort'],
    ['', null],
    ['   ', null],
    ['x'.repeat(50), 'x'.repeat(50)],
    ['x'.repeat(51), null],
  ])('%j is stored as %j', (input, expected) => {
    expect(cohortName(input)).toBe(expected);
  });
});
