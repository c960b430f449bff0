import { describe, expect, it } from 'vitest';
import { shorten, studentText } from '../../src/discord/render/text.ts';

describe('student text in messages', () => {
  it('escapes line-start Markdown that Discord would render: headings, lists, quotes, subtext', () => {
    const shown = studentText('# Big\n- item\n1. first\n> quote\n>>> rest\n  -# small\nnot > here', 1000);
    expect(shown).toBe('\\# Big\n\\- item\n1\\. first\n\\> quote\n\\>>> rest\n  \\-# small\nnot > here');
  });

  it('escapes inline Markdown and masked links, and shows blank text as (blank)', () => {
    expect(studentText('**Bold** `x` ||y|| [a](http://b)', 1000)).toBe(
      '\\*\\*Bold\\*\\* \\`x\\` \\|\\|y\\|\\| \\[a](http://b)',
    );
    expect(studentText(' \n ', 1000)).toBe('(blank)');
  });

  it('shortens with a visible mark, never leaving half an escape or half an emoji at the cut', () => {
    // The cut at 17 characters would end on the backslash of an escaped star.
    const escaped = `${'a'.repeat(12)}${'\\*'.repeat(10)}`;
    expect(shorten(escaped, 30)).toBe(`${'a'.repeat(12)}\\*\\*… (shortened)`);
    // The cut at 17 characters would split the emoji's surrogate pair.
    expect(shorten(`${'a'.repeat(16)}🎉${'b'.repeat(20)}`, 30)).toBe(`${'a'.repeat(16)}… (shortened)`);
  });
});
