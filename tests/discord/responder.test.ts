import { describe, expect, it } from 'vitest';
import {
  AUTO_DEFER_AFTER_MS,
  BUSY_HANDLING_MS,
  BUSY_IN_FLIGHT,
  BUSY_LAG_MS,
  DISCORD_DEADLINE_MS,
  deferDelay,
  firstStep,
  LoadGauge,
  InteractionClock,
} from '../../src/discord/responder.ts';

describe('when a slow handler is deferred', () => {
  it.each([
    ['an interaction that arrives at once waits the full delay', 0, AUTO_DEFER_AFTER_MS],
    ['one that waited 1 s in the gateway queue has 0.5 s left', 1000, 500],
    ['one that waited longer is deferred at once', 2500, 0],
    [
      'a creation time slightly in the future (clock skew) never waits longer than the delay',
      -400,
      AUTO_DEFER_AFTER_MS,
    ],
  ])('%s', (_name, waitedMs, expected) => {
    const created = 1_800_000_000_000;
    expect(deferDelay(created, created + waitedMs)).toBe(expected);
  });
});

describe('what the bot does first with an interaction', () => {
  const idle = { lagMs: 0, inFlight: 1, handlingMs: 5 };
  it.each([
    [
      'fresh, on an idle bot: handle it, deferring only if slow',
      10,
      idle,
      { kind: 'wait', deferInMs: AUTO_DEFER_AFTER_MS - 10 },
    ],
    [
      'fresh, but the event loop runs late: defer before any database work',
      10,
      { ...idle, lagMs: BUSY_LAG_MS },
      { kind: 'defer' },
    ],
    [
      'fresh, but the last interactions took long to handle: defer first',
      10,
      { ...idle, handlingMs: BUSY_HANDLING_MS },
      { kind: 'defer' },
    ],
    [
      'fresh, but many interactions in flight: defer first',
      10,
      { ...idle, inFlight: BUSY_IN_FLIGHT },
      { kind: 'defer' },
    ],
    [
      'fresh, a little lag, a few in flight, handled quickly: no deferral that costs a request',
      10,
      { lagMs: 120, inFlight: 20, handlingMs: 80 },
      { kind: 'wait', deferInMs: AUTO_DEFER_AFTER_MS - 10 },
    ],
    ['half its time gone on an idle bot: defer first', AUTO_DEFER_AFTER_MS, idle, { kind: 'defer' }],
    [
      'just before the deadline: still deferred, the response can arrive',
      DISCORD_DEADLINE_MS - 1,
      idle,
      { kind: 'defer' },
    ],
    ['at the deadline: late, nothing is done for it', DISCORD_DEADLINE_MS, idle, { kind: 'late' }],
    ['long past it: late', 10_000, { lagMs: 500, inFlight: 100, handlingMs: 900 }, { kind: 'late' }],
    ['from the future (clock skew): the full wait', -400, idle, { kind: 'wait', deferInMs: AUTO_DEFER_AFTER_MS }],
  ])('%s', (_name, ageMs, load, expected) => {
    expect(firstStep(ageMs, load)).toEqual(expected);
  });
});

describe('how long interactions lately took to handle', () => {
  it('is the slowest recent one, fading by half every second', () => {
    const gauge = new LoadGauge(1000);
    try {
      gauge.handled(800, 10_000);
      expect(gauge.now(10_000).handlingMs).toBe(800);
      expect(gauge.now(11_000).handlingMs).toBe(400);
      gauge.handled(100, 11_000);
      expect(gauge.now(11_000).handlingMs).toBe(400);
      gauge.handled(900, 11_000);
      expect(gauge.now(13_000).handlingMs).toBe(225);
    } finally {
      gauge.stop();
    }
  });
});

describe("an interaction's age from the two clocks", () => {
  const created = 1_800_000_000_000;
  it('is the plain difference when the clocks agree', () => {
    const clock = new InteractionClock();
    expect(clock.age(created, created + 40)).toBe(40);
    expect(clock.age(created + 1000, created + 3500)).toBe(2500);
  });

  it('takes off a host clock running 10 s ahead, so fresh interactions are not all judged late', () => {
    const clock = new InteractionClock(250);
    const ahead = 10_000;
    expect(clock.age(created, created + ahead + 40)).toBe(250);
    // Queued 3 s on the bot: still seen as late, the skew taken off (less the 1 ms per second the floor rises).
    expect(clock.age(created + 1000, created + 1000 + ahead + 40 + 3000)).toBe(3250 - 4);
  });
});
