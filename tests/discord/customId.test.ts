import { describe, expect, it } from 'vitest';
import { encodeCustomId, idArg, parseCustomId } from '../../src/discord/customId.ts';

describe('custom ids', () => {
  it('round-trips command, action and arguments', () => {
    const id = encodeCustomId('review', 'grade', 42, 'correct', '0', '123456789012345678', 'all');
    expect(id).toBe('review:grade:42:correct:0:123456789012345678:all');
    expect(parseCustomId(id)).toEqual({ command: 'review', action: 'grade', args: ['42', 'correct', '0', '123456789012345678', 'all'] });
  });

  it('refuses to build an id over 100 characters or with a separator inside a part', () => {
    expect(() => encodeCustomId('quiz', 'answer', 'x'.repeat(40), 'y'.repeat(40), 'z'.repeat(20))).toThrow(/longer than 100/);
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
  ])('reads a database id argument %j as %s', (args, expected) => {
    expect(idArg(args, 0)).toBe(expected);
  });
});
