import { describe, expect, it } from 'vitest';
import {
  type DailySchedule,
  canonicalTimeZone,
  duePostDate,
  formatTime,
  isScheduledDay,
  isValidTimeZone,
  localDateOf,
  nextPostInstant,
  parseTime,
  postInstantFor,
  timeZoneNames,
  windowEnd,
} from '../../src/quiz/schedule.ts';

const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';
const KIRITIMATI = 'Pacific/Kiritimati'; // UTC+14
const BAKER = 'Etc/GMT+12'; // UTC-12 (the sign is inverted in Etc names)

const every = (time: string, timeZone: string): DailySchedule => ({ time, timeZone, days: 'every' });
const weekdays = (time: string, timeZone: string): DailySchedule => ({ time, timeZone, days: 'weekdays' });

describe('parseTime', () => {
  it.each([
    ['09:05', { hour: 9, minute: 5 }],
    ['9:05', { hour: 9, minute: 5 }],
    ['00:00', { hour: 0, minute: 0 }],
    ['23:59', { hour: 23, minute: 59 }],
    [' 07:30 ', { hour: 7, minute: 30 }],
  ])('accepts %j', (input, expected) => {
    expect(parseTime(input)).toEqual(expected);
  });

  it.each(['24:00', '12:60', 'ab:cd', '', '9:5', '09:05:00', '0905', '-1:00', '12:00pm', '１２:００', '123:00'])(
    'rejects %j',
    (input) => {
      expect(parseTime(input)).toBeNull();
    },
  );

  it('formats back to two-digit HH:MM', () => {
    expect(formatTime({ hour: 9, minute: 5 })).toBe('09:05');
  });
});

describe('time zones', () => {
  it.each([
    [NY, true],
    ['UTC', true],
    [BAKER, true],
    [KIRITIMATI, true],
    ['america/new_york', true],
    ['EST5EDT', true],
    ['Mars/Base', false],
    ['', false],
    ['+05:00', false],
    [' UTC', false],
  ])('%j is valid: %s', (tz, valid) => {
    expect(isValidTimeZone(tz)).toBe(valid);
  });

  it.each([
    ['america/new_york', NY],
    ['utc', 'UTC'],
    ['etc/gmt+12', BAKER],
    [' Europe/Berlin ', BERLIN],
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['Mars/Base', null],
  ])('canonical name of %j is %j', (tz, canonical) => {
    expect(canonicalTimeZone(tz)).toBe(canonical);
  });

  it('lists every supported zone once, sorted, with UTC', () => {
    const names = timeZoneNames();
    expect(names).toContain('UTC');
    expect(names).toContain(NY);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual([...names].sort());
  });
});

describe('localDateOf', () => {
  it.each([
    ['2026-01-09T19:00:00Z', KIRITIMATI, '2026-01-10'],
    ['2026-01-09T10:00:00Z', KIRITIMATI, '2026-01-10'],
    ['2026-01-09T09:59:59.999Z', KIRITIMATI, '2026-01-09'],
    ['2026-01-10T08:00:00Z', BAKER, '2026-01-09'],
    ['2026-06-16T03:59:59Z', NY, '2026-06-15'],
    ['2026-06-16T04:00:00Z', NY, '2026-06-16'],
    ['2026-06-16T00:00:00Z', 'UTC', '2026-06-16'],
  ])('%s in %s is local date %s', (instant, tz, date) => {
    expect(localDateOf(new Date(instant), tz)).toBe(date);
  });
});

describe('postInstantFor', () => {
  it.each([
    ['2026-03-07', every('09:00', NY), '2026-03-07T14:00:00.000Z', 'New York before spring forward'],
    ['2026-03-08', every('09:00', NY), '2026-03-08T13:00:00.000Z', 'New York on the spring-forward day'],
    ['2026-03-08', every('02:30', NY), '2026-03-08T07:00:00.000Z', 'a nonexistent time posts at 03:00 local'],
    ['2026-03-08', every('02:00', NY), '2026-03-08T07:00:00.000Z', 'the start of the gap posts at 03:00 local'],
    ['2026-03-08', every('03:00', NY), '2026-03-08T07:00:00.000Z', 'the first time after the gap'],
    ['2026-10-31', every('09:00', NY), '2026-10-31T13:00:00.000Z', 'New York before fall back'],
    ['2026-11-01', every('09:00', NY), '2026-11-01T14:00:00.000Z', 'New York on the fall-back day'],
    ['2026-11-01', every('01:30', NY), '2026-11-01T05:30:00.000Z', 'a repeated time posts at its first occurrence'],
    ['2026-11-01', every('02:00', NY), '2026-11-01T07:00:00.000Z', 'the first time after the repeated hour'],
    ['2026-03-28', every('09:00', BERLIN), '2026-03-28T08:00:00.000Z', 'Berlin before spring forward'],
    ['2026-03-29', every('09:00', BERLIN), '2026-03-29T07:00:00.000Z', 'Berlin on the spring-forward day'],
    ['2026-03-29', every('02:30', BERLIN), '2026-03-29T01:00:00.000Z', 'Berlin nonexistent time posts at 03:00'],
    ['2026-10-25', every('02:30', BERLIN), '2026-10-25T00:30:00.000Z', 'Berlin repeated time posts at the first'],
    ['2026-10-25', every('09:00', BERLIN), '2026-10-25T08:00:00.000Z', 'Berlin on the fall-back day'],
    ['2026-01-10', every('09:00', KIRITIMATI), '2026-01-09T19:00:00.000Z', 'UTC+14 posts on the previous UTC date'],
    ['2026-01-09', every('20:00', BAKER), '2026-01-10T08:00:00.000Z', 'UTC-12 posts on the next UTC date'],
    ['2026-06-15', every('23:59', NY), '2026-06-16T03:59:00.000Z', 'a 23:59 time'],
    ['2026-06-15', every('00:00', NY), '2026-06-15T04:00:00.000Z', 'local midnight'],
    ['2026-09-06', every('00:00', 'America/Santiago'), '2026-09-06T04:00:00.000Z', 'a nonexistent midnight'],
    ['2026-06-15', every('9:05', 'UTC'), '2026-06-15T09:05:00.000Z', 'a one-digit hour in UTC'],
  ])('%s %o is due at %s (%s)', (date, schedule, instant) => {
    expect(postInstantFor(date, schedule).toISOString()).toBe(instant);
  });

  it('refuses an impossible date or time', () => {
    expect(() => postInstantFor('2026-02-30', every('09:00', NY))).toThrow(RangeError);
    expect(() => postInstantFor('2026-02-03', every('25:00', NY))).toThrow(RangeError);
  });
});

describe('isScheduledDay', () => {
  it.each([
    ['2026-01-09', 'weekdays', true],
    ['2026-01-10', 'weekdays', false],
    ['2026-01-11', 'weekdays', false],
    ['2026-01-12', 'weekdays', true],
    ['2026-01-10', 'every', true],
  ] as const)('%s with %s is scheduled: %s', (date, days, scheduled) => {
    expect(isScheduledDay(date, days)).toBe(scheduled);
  });
});

describe('duePostDate', () => {
  it.each<[now: string, schedule: DailySchedule, expected: string | null, behaviour: string]>([
    ['2026-03-08T12:59:59Z', every('09:00', NY), null, 'not yet time'],
    ['2026-03-08T13:00:00Z', every('09:00', NY), '2026-03-08', 'exactly at the time'],
    ['2026-06-15T22:00:00Z', every('09:00', NY), '2026-06-15', 'later the same local day (catch-up)'],
    ['2026-03-08T06:59:59Z', every('02:30', NY), null, 'just before the end of the gap'],
    ['2026-03-08T07:00:00Z', every('02:30', NY), '2026-03-08', 'the first moment after the gap'],
    ['2026-11-01T05:29:00Z', every('01:30', NY), null, 'before the first 01:30'],
    ['2026-11-01T05:30:00Z', every('01:30', NY), '2026-11-01', 'the first 01:30 (EDT)'],
    ['2026-11-01T06:30:00Z', every('01:30', NY), '2026-11-01', 'the second 01:30 (EST): the same date'],
    ['2026-10-25T00:30:00Z', every('02:30', BERLIN), '2026-10-25', 'the first 02:30 in Berlin'],
    ['2026-10-25T01:30:00Z', every('02:30', BERLIN), '2026-10-25', 'the second 02:30 in Berlin: the same date'],
    ['2026-01-09T19:00:00Z', every('09:00', KIRITIMATI), '2026-01-10', 'UTC+14 on its own date'],
    ['2026-01-10T11:59:00Z', every('20:00', BAKER), '2026-01-09', 'UTC-12 at 23:59 of its previous-UTC date'],
    ['2026-01-10T12:00:00Z', every('20:00', BAKER), null, 'UTC-12 after local midnight: never a past day'],
    ['2026-01-10T15:00:00Z', weekdays('09:00', NY), null, 'a Saturday with weekdays only'],
    ['2026-06-16T03:58:00Z', every('23:59', NY), null, 'a minute before 23:59'],
    ['2026-06-16T03:59:00Z', every('23:59', NY), '2026-06-15', 'at 23:59'],
    ['2026-06-16T04:00:00Z', every('23:59', NY), null, 'at the next local midnight'],
    ['2026-06-15T04:00:00Z', every('00:00', NY), '2026-06-15', 'a midnight time at local midnight'],
  ])('at %s for %o: %s (%s)', (now, schedule, expected) => {
    expect(duePostDate(new Date(now), schedule)).toBe(expected);
  });
  it.each([
    ['2026-11-01', every('01:30', NY)],
    ['2026-03-08', every('02:30', NY)],
    ['2026-10-25', every('02:30', BERLIN)],
    ['2026-03-29', every('02:30', BERLIN)],
  ])('on %s for %o it becomes due once and stays due until local midnight', (date, schedule) => {
    const start = postInstantFor(date, every('00:00', schedule.timeZone)).getTime();
    const answers: (string | null)[] = [];
    for (let t = start; localDateOf(new Date(t), schedule.timeZone) === date; t += 60_000) {
      const due = duePostDate(new Date(t), schedule);
      if (answers.at(-1) !== due) answers.push(due);
    }
    expect(answers).toEqual([null, date]);
  });
});

describe('nextPostInstant', () => {
  it.each([
    ['2026-03-07T12:00:00Z', every('09:00', NY), false, '2026-03-07T14:00:00.000Z', 'later today when not yet due'],
    [
      '2026-03-07T12:00:00Z',
      every('09:00', NY),
      true,
      '2026-03-08T13:00:00.000Z',
      'tomorrow (EDT) after an early manual post',
    ],
    ['2026-03-07T20:00:00Z', every('09:00', NY), true, '2026-03-08T13:00:00.000Z', 'tomorrow across spring forward'],
    ['2026-03-07T20:00:00Z', every('02:30', NY), true, '2026-03-08T07:00:00.000Z', 'tomorrow after the gap'],
    ['2026-10-31T20:00:00Z', every('01:30', NY), true, '2026-11-01T05:30:00.000Z', 'the first of the repeated times'],
    ['2026-11-01T06:00:00Z', every('01:30', NY), true, '2026-11-02T06:30:00.000Z', 'the day after fall back'],
    ['2026-03-28T10:00:00Z', every('09:00', BERLIN), true, '2026-03-29T07:00:00.000Z', 'Berlin across spring forward'],
    ['2026-10-24T10:00:00Z', every('09:00', BERLIN), true, '2026-10-25T08:00:00.000Z', 'Berlin across fall back'],
    ['2026-01-09T15:00:00Z', weekdays('09:00', NY), true, '2026-01-12T14:00:00.000Z', 'Friday to Monday'],
    ['2026-01-10T15:00:00Z', weekdays('09:00', NY), false, '2026-01-12T14:00:00.000Z', 'Saturday to Monday'],
    ['2026-01-11T13:00:00Z', weekdays('09:00', NY), false, '2026-01-12T14:00:00.000Z', 'Sunday morning to Monday'],
    ['2026-01-09T12:00:00Z', every('09:00', KIRITIMATI), false, '2026-01-09T19:00:00.000Z', 'UTC+14 local morning'],
    ['2026-01-10T09:00:00Z', weekdays('20:00', BAKER), true, '2026-01-13T08:00:00.000Z', 'UTC-12 Friday to Monday'],
    ['2026-06-16T03:59:00Z', every('23:59', NY), true, '2026-06-17T03:59:00.000Z', '23:59 to the next day'],
  ])('at %s for %o, posted today %s: %s (%s)', (now, schedule, postedToday, expected) => {
    expect(nextPostInstant(new Date(now), schedule, { postedToday }).toISOString()).toBe(expected);
  });

  it('is now when today’s post is overdue and not yet posted', () => {
    const now = new Date('2026-06-15T22:00:00Z');
    expect(nextPostInstant(now, every('09:00', NY)).toISOString()).toBe(now.toISOString());
  });
});

describe('windowEnd', () => {
  it.each([
    ['2026-06-15T13:00:00Z', 24, '2026-06-16T13:00:00.000Z'],
    ['2026-03-07T14:00:00Z', 24, '2026-03-08T14:00:00.000Z'],
    ['2026-06-15T13:00:00Z', 1, '2026-06-15T14:00:00.000Z'],
    ['2026-06-15T13:00:00Z', 72, '2026-06-18T13:00:00.000Z'],
  ])('a post at %s with %i hours closes at %s', (postedAt, hours, end) => {
    expect(windowEnd(new Date(postedAt), hours).toISOString()).toBe(end);
  });
});
