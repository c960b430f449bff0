import { describe, expect, it } from 'vitest';
import type { FakeMessage } from '../fake-discord/index.ts';
import { relativeTime, renderMessage } from './transcript.ts';

const now = new Date('2026-12-01T20:00:00Z');
const at = (hours: number) => Math.round(now.getTime() / 1000 + hours * 3600);
const message = (fields: { name: string; value: string }[], description = '') =>
  ({
    content: '',
    embeds: [{ title: 'Daily question', description, fields }],
    components: [],
    attachments: [],
  }) as unknown as FakeMessage;

describe('the demo transcript', () => {
  it('shows <t:…:R> as Discord does, relative to now', () => {
    expect(relativeTime(new Date(now.getTime() + 10 * 3_600_000), now)).toBe('in 10 hours');
    expect(relativeTime(new Date(now.getTime() + 24 * 3_600_000), now)).toBe('in 1 day');
    expect(relativeTime(new Date(now.getTime() - 2 * 60_000), now)).toBe('2 minutes ago');
    expect(relativeTime(new Date(now.getTime() - 5_000), now)).toBe('a few seconds ago');
    const text = renderMessage(message([{ name: 'Answers close', value: `<t:${at(10)}:R>` }]), '', new Map(), { now });
    expect(text).toContain('Answers close: in 10 hours');
  });

  it('shows absolute timestamps in the cohort time zone, named', () => {
    const text = renderMessage(
      message([
        { name: 'Next post', value: `<t:${at(12)}:F>` },
        { name: 'Since', value: `<t:${at(4)}:d>` },
      ]),
      '',
      new Map(),
      { now, timeZone: 'Europe/Berlin' },
    );
    expect(text).toContain('Next post: 2026-12-02 09:00 Europe/Berlin');
    expect(text).toContain('Since: 2026-12-02 (Europe/Berlin)');
  });

  it('shows user, role and channel mentions as names', () => {
    const names = new Map([
      ['111111111111111111', 'Ada'],
      ['222222222222222222', 'cohort'],
      ['333333333333333333', 'Instructor'],
    ]);
    const text = renderMessage(
      message(
        [{ name: 'Channel', value: '<#222222222222222222>' }],
        'Graded <@111111111111111111> for <@&333333333333333333>',
      ),
      '',
      names,
      { now },
    );
    expect(text).toContain('Channel: #cohort');
    expect(text).toContain('Graded @Ada for @Instructor');
  });

  it('never cuts what the bot sent (the bot keeps within Discord limits itself)', () => {
    const reference = `Reference ${'answer '.repeat(140)}end.`;
    const text = renderMessage(
      message([{ name: 'Reference answer', value: reference }], 'x'.repeat(2000)),
      '',
      new Map(),
      { now },
    );
    expect(text).toContain(reference);
    expect(text).toContain('x'.repeat(2000));
    expect(text).not.toContain('…');
  });
});
