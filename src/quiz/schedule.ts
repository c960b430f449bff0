/** Which days get a daily question: every day, or Monday to Friday. */
export const DAY_RULES = ['every', 'weekdays'] as const;
export type DayRule = (typeof DAY_RULES)[number];

export interface DailySchedule {
  /** Local posting time, 'HH:MM' 24 h (a one-digit hour is accepted, see parseTime). */
  time: string;
  /** IANA time zone of the guild, e.g. 'America/New_York'. */
  timeZone: string;
  days: DayRule;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Strict 24 h 'HH:MM' from 00:00 to 23:59; a one-digit hour ('9:05') is accepted, minutes need two digits. */
export function parseTime(s: string): { hour: number; minute: number } | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(s.trim());
  if (!match) return null;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  if (hour > 23 || minute > 59) return null;
  return { hour, minute };
}

export function formatTime(time: { hour: number; minute: number }): string {
  return `${String(time.hour).padStart(2, '0')}:${String(time.minute).padStart(2, '0')}`;
}

/** Any zone name Intl accepts (including legacy IANA names such as 'EST5EDT' or 'US/Eastern'), but no UTC offsets. */
export function isValidTimeZone(tz: string): boolean {
  if (tz === '' || /^[+-]/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

let cachedNames: readonly string[] | undefined;

export function timeZoneNames(): string[] {
  cachedNames ??= [...new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])].sort();
  return [...cachedNames];
}

/** The properly cased name of a valid zone ('america/new_york' -> 'America/New_York'), or null if invalid. */
export function canonicalTimeZone(tz: string): string | null {
  const input = tz.trim();
  if (!isValidTimeZone(input)) return null;
  const lower = input.toLowerCase();
  const listed = timeZoneNames().find((name) => name.toLowerCase() === lower);
  if (listed) return listed;
  const resolved = new Intl.DateTimeFormat('en-US', { timeZone: input }).resolvedOptions().timeZone;
  // Intl resolves aliases to older names (Asia/Kolkata -> Asia/Calcutta): keep a cased alias as typed.
  const caseless = input === lower || input === input.toUpperCase();
  return resolved.toLowerCase() === lower || caseless ? resolved : input;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The local wall-clock reading at `instantMs`, expressed as if it were a UTC timestamp. */
function wallClockMs(instantMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instantMs)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  const wholeSecondMs = Date.UTC(year, month - 1, day, hour, minute, second);
  return wholeSecondMs + (((instantMs % 1000) + 1000) % 1000);
}

function parseLocalDate(localDate: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(localDate);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== localDate) {
    throw new RangeError(`Not a YYYY-MM-DD date: ${localDate}`);
  }
  return ms;
}

export function localDateOf(instant: Date, timeZone: string): string {
  return new Date(wallClockMs(instant.getTime(), timeZone)).toISOString().slice(0, 10);
}

export function addLocalDays(localDate: string, days: number): string {
  return new Date(parseLocalDate(localDate) + days * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday of a calendar date: Monday 1 .. Sunday 7. */
export function isoWeekday(localDate: string): number {
  return new Date(parseLocalDate(localDate)).getUTCDay() || 7;
}

/**
 * The instant at which the wall clock in `timeZone` reads `hour:minute` on `localDate`.
 * A repeated time (fall back) gives its first occurrence; a skipped time (spring forward)
 * gives the first moment after the gap.
 */
export function instantAtLocalTime(localDate: string, hour: number, minute: number, timeZone: string): Date {
  const wall = parseLocalDate(localDate) + hour * HOUR_MS + minute * MINUTE_MS;
  const offsetBefore = wallClockMs(wall - DAY_MS, timeZone) - (wall - DAY_MS);
  const offsetAfter = wallClockMs(wall + DAY_MS, timeZone) - (wall + DAY_MS);
  const [early, late] = [wall - offsetBefore, wall - offsetAfter].sort((a, b) => a - b) as [number, number];
  const exact = [early, late].find((t) => wallClockMs(t, timeZone) === wall);
  if (exact !== undefined) return new Date(exact);
  // In a gap the clock jumps past `wall`: find, to the second, the first instant reading later.
  let lo = early / 1000;
  let hi = late / 1000;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallClockMs(mid * 1000, timeZone) >= wall) hi = mid;
    else lo = mid;
  }
  return new Date(hi * 1000);
}

function requireTime(schedule: DailySchedule): { hour: number; minute: number } {
  const time = parseTime(schedule.time);
  if (!time) throw new RangeError(`Not an HH:MM time: ${schedule.time}`);
  return time;
}

export function postInstantFor(localDate: string, schedule: DailySchedule): Date {
  const { hour, minute } = requireTime(schedule);
  return instantAtLocalTime(localDate, hour, minute, schedule.timeZone);
}

export function isScheduledDay(localDate: string, days: DayRule): boolean {
  return days === 'every' || isoWeekday(localDate) <= 5;
}

/** The local date whose post is due at `now`; only ever today's, so downtime never posts a past day. */
export function duePostDate(now: Date, schedule: DailySchedule): string | null {
  const today = localDateOf(now, schedule.timeZone);
  if (!isScheduledDay(today, schedule.days)) return null;
  return now >= postInstantFor(today, schedule) ? today : null;
}

/**
 * When the next daily post will happen, never before `now`. If today's post is due and not
 * yet posted it happens at once, so the answer is `now`; with `postedToday` today is skipped.
 */
export function nextPostInstant(now: Date, schedule: DailySchedule, opts: { postedToday?: boolean } = {}): Date {
  const today = localDateOf(now, schedule.timeZone);
  if (!opts.postedToday && isScheduledDay(today, schedule.days)) {
    const todays = postInstantFor(today, schedule);
    return todays > now ? todays : new Date(now.getTime());
  }
  let day = addLocalDays(today, 1);
  while (!isScheduledDay(day, schedule.days)) day = addLocalDays(day, 1);
  return postInstantFor(day, schedule);
}

/** The window is a duration, so a DST change during it neither lengthens nor shortens it. */
export function windowEnd(postedAt: Date, windowHours: number): Date {
  return new Date(postedAt.getTime() + windowHours * HOUR_MS);
}
