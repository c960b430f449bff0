/** A student may ask for a regrade this long after the grade (a changed grade starts the time again). */
export const REGRADE_WINDOW_DAYS = 7;
const WINDOW_MS = REGRADE_WINDOW_DAYS * 24 * 60 * 60 * 1000;

/** The last moment a regrade of a grade given at `gradedAt` can be asked for. */
export function regradeDeadline(gradedAt: Date): Date {
  return new Date(gradedAt.getTime() + WINDOW_MS);
}

/** The earliest grade time that can still get a regrade request at `now`. */
export function regradeWindowStart(now: Date): Date {
  return new Date(now.getTime() - WINDOW_MS);
}
