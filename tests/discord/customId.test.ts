import { describe, expect, it } from 'vitest';
import { componentIds } from '../../src/discord/componentIds.ts';
import { encodeCustomId, parseCustomId, parseDatabaseId } from '../../src/discord/customId.ts';

describe('custom ids', () => {
  it('round-trips command, action and arguments', () => {
    const id = encodeCustomId('review', 'grade', 42, 'correct', '0', '123456789012345678', 'all');
    expect(id).toBe('review:grade:42:correct:0:123456789012345678:all');
    expect(parseCustomId(id)).toEqual({
      command: 'review',
      action: 'grade',
      args: ['42', 'correct', '0', '123456789012345678', 'all'],
    });
  });

  it('refuses to build an id over 100 characters or with a separator inside a part', () => {
    expect(() => encodeCustomId('quiz', 'answer', 'x'.repeat(40), 'y'.repeat(40), 'z'.repeat(20))).toThrow(
      /longer than 100/,
    );
    expect(() => encodeCustomId('quiz', 'answer', 'a:b')).toThrow(/invalid/);
  });

  it.each([
    ['', 'empty'],
    ['quiz', 'no action'],
    ['quiz::1', 'empty part'],
    ['quiz:answer:<script>', 'strange characters'],
    ['x'.repeat(101), 'too long'],
    ['quiz:answer:1:' + 'é', 'non-ASCII'],
  ])('parses a forged id (%s: %s) to null instead of throwing', (raw) => {
    expect(parseCustomId(raw)).toBeNull();
  });

  it.each([
    [['7'], 7],
    [['0'], null],
    [['-1'], null],
    [['007'], null],
    [['1e3'], null],
    [['99999999999'], null],
    [['2147483648'], null],
    [[], null],
  ])('reads a database id argument %j as %s', ([value], expected) => {
    expect(parseDatabaseId(value)).toBe(expected);
  });
});

describe('the declared custom ids', () => {
  const filters = { cohortId: 5, questionId: 12, userId: '123456789012345678', kind: 'daily' as const };

  it('writes and reads back every argument with its type', () => {
    const id = componentIds.reviewGrade.encode({ answerId: 42, grade: 'partial', filters, version: 2 });
    expect(id).toBe('review:grade:42:partial:12:123456789012345678:daily:5:2');
    expect(componentIds.reviewGrade.parse(parseCustomId(id)!.args)).toEqual({
      answerId: 42,
      grade: 'partial',
      filters,
      version: 2,
    });
    const any = componentIds.reviewSkip.encode({
      answerId: 7,
      filters: { cohortId: null, questionId: null, userId: null, kind: null },
    });
    expect(any).toBe('review:skip:7:0:0:all:0');
    expect(componentIds.reviewSkip.parse(['7', '0', '0', 'all', '0'])).toEqual({
      answerId: 7,
      filters: { cohortId: null, questionId: null, userId: null, kind: null },
    });
    expect(componentIds.meReminders.parse(['3', 'dm'])).toEqual({ cohortId: 3, choice: 'dm' });
  });

  it.each([
    ['a grade that is not one', componentIds.reviewGrade, ['42', 'excellent', '0', '0', 'all', '0', '1']],
    ['a malformed answer id', componentIds.reviewGrade, ['4x', 'correct', '0', '0', 'all', '0', '1']],
    ['a malformed question filter', componentIds.reviewSkip, ['7', 'abc', '0', 'all', '0']],
    ['a student filter that is no snowflake', componentIds.reviewSkip, ['7', '0', '42', 'all', '0']],
    ['an unknown kind', componentIds.reviewSkip, ['7', '0', '0', 'weekly', '0']],
    ['a malformed cohort filter', componentIds.reviewSkip, ['7', '0', '0', 'all', '-1']],
    ['filters without the cohort (an id from before cohorts)', componentIds.reviewSkip, ['7', '0', '0', 'all']],
    ['missing filters', componentIds.reviewStar, ['7']],
    ['an argument too many', componentIds.quizAnswer, ['7', '8']],
    ['no argument', componentIds.quizAnswer, []],
    ['an unknown reminder choice', componentIds.meReminders, ['3', 'sms']],
    ['a reminder choice without its cohort', componentIds.meReminders, ['dm']],
  ] as const)('refuses %s', (_what, id, args) => {
    expect(id.parse([...args])).toBeNull();
  });

  it('refuses to write an id with an argument it could not read back', () => {
    expect(() => componentIds.meReminders.encode({ cohortId: 3, choice: 'a:b' as 'dm' })).toThrow(
      /invalid custom id part/,
    );
  });
});
