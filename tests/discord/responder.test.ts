import { describe, expect, it } from 'vitest';
import { AUTO_DEFER_AFTER_MS, deferDelay } from '../../src/discord/responder.ts';

describe('when a slow handler is deferred', () => {
  it.each([
    ['an interaction that arrives at once waits the full delay', 0, AUTO_DEFER_AFTER_MS],
    ['one that waited 1 s in the gateway queue has 0.5 s left', 1000, 500],
    ['one that waited longer is deferred at once', 2500, 0],
    ['a creation time slightly in the future (clock skew) never waits longer than the delay', -400, AUTO_DEFER_AFTER_MS],
  ])('%s', (_name, waitedMs, expected) => {
    const created = 1_800_000_000_000;
    expect(deferDelay(created, created + waitedMs)).toBe(expected);
  });
});
