import { describe, expect, it } from 'vitest';
import { type LeaderboardPeriod, periodStart } from '../../src/quiz/periods.ts';

const NY = 'America/New_York';

type Row = [now: string, period: LeaderboardPeriod, timeZone: string, start: string, behaviour: string];

describe('periodStart', () => {
  it.each<Row>([
    [
      '2026-01-12T04:30:00Z',
      'week',
      NY,
      '2026-01-05T05:00:00.000Z',
      'Sunday 23:30 in New York is still last week although Monday in UTC',
    ],
    ['2026-01-12T05:00:00Z', 'week', NY, '2026-01-12T05:00:00.000Z', 'Monday local midnight starts a new week'],
    ['2026-01-12T04:59:59Z', 'week', NY, '2026-01-05T05:00:00.000Z', 'a second before local Monday is the old week'],
    [
      '2026-03-11T16:00:00Z',
      'week',
      NY,
      '2026-03-09T04:00:00.000Z',
      'a week after spring forward starts at midnight EDT',
    ],
    [
      '2026-03-08T20:00:00Z',
      'week',
      NY,
      '2026-03-02T05:00:00.000Z',
      'a week spanning spring forward starts at midnight EST',
    ],
    ['2026-01-01T03:00:00Z', 'week', NY, '2025-12-29T05:00:00.000Z', 'a week across New Year'],
    ['2026-04-01T03:30:00Z', 'month', NY, '2026-03-01T05:00:00.000Z', 'March 31 23:30 in New York is still March'],
    ['2026-01-01T03:00:00Z', 'month', NY, '2025-12-01T05:00:00.000Z', 'New Year’s Eve in New York is still December'],
    ['2026-10-31T23:30:00Z', 'month', 'Europe/Berlin', '2026-10-31T23:00:00.000Z', 'Berlin is already in November'],
    [
      '2026-01-11T10:30:00Z',
      'week',
      'Pacific/Kiritimati',
      '2026-01-11T10:00:00.000Z',
      'UTC+14 is in next week before UTC',
    ],
    ['2026-01-12T11:00:00Z', 'week', 'Etc/GMT+12', '2026-01-05T12:00:00.000Z', 'UTC-12 is in last week after UTC'],
    [
      '2021-03-24T12:00:00Z',
      'week',
      'Asia/Tehran',
      '2021-03-21T20:30:00.000Z',
      'a Monday without a midnight starts at 01:00',
    ],
    [
      '2023-10-15T12:00:00Z',
      'month',
      'America/Asuncion',
      '2023-10-01T04:00:00.000Z',
      'a 1st without a midnight starts at 01:00',
    ],
    ['2026-06-15T12:00:00Z', 'month', 'UTC', '2026-06-01T00:00:00.000Z', 'a month in UTC'],
  ])('at %s the %s in %s starts at %s (%s)', (now, period, tz, start) => {
    expect(periodStart(new Date(now), period, tz)?.toISOString()).toBe(start);
  });

  it.each([NY, 'UTC'])('all time has no start in %s', (tz) => {
    expect(periodStart(new Date('2026-06-15T12:00:00Z'), 'all', tz)).toBeNull();
  });
});
