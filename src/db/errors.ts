const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  '57P01', // terminated by an administrator
  '57P02',
  '57P03', // the database is starting up or shutting down
  '08000',
  '08001',
  '08003',
  '08006',
]);

/** Writes refused because the disk is (almost) full: disk_full, or read-only below the free-space margin. */
const STORAGE_FULL_CODES = new Set(['53100', '25006']);
/** A statement that gave up waiting: lock_not_available (lock_timeout), query_canceled (statement_timeout). */
const BUSY_CODES = new Set(['55P03', '57014']);

/** The SQLSTATE (or driver) code of an error or of one it wraps, as Drizzle does, that is in `codes`. */
function hasCode(error: unknown, codes: ReadonlySet<string>): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && codes.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** True when an error (or one it wraps, as Drizzle does) means the database could not be reached. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return hasCode(error, UNAVAILABLE_CODES);
}

/**
 * Database failures that are not the bot's fault and need no stack trace: the database is unreachable, its
 * disk is full, or a statement timed out waiting. Null for anything else.
 */
export type DatabaseProblem = 'unavailable' | 'storageFull' | 'busy';

/** The innermost database error's code and message, without the query and its parameters (student text). */
export function databaseErrorSummary(error: unknown): { code: string | undefined; reason: string } {
  let innermost = error as { code?: unknown; message?: unknown; cause?: unknown };
  for (let depth = 0; innermost.cause && depth < 5; depth += 1) innermost = innermost.cause as typeof innermost;
  return {
    code: typeof innermost.code === 'string' ? innermost.code : undefined,
    reason: typeof innermost.message === 'string' ? innermost.message : String(error),
  };
}

export function databaseProblem(error: unknown): DatabaseProblem | null {
  if (hasCode(error, UNAVAILABLE_CODES)) return 'unavailable';
  if (hasCode(error, STORAGE_FULL_CODES)) return 'storageFull';
  if (hasCode(error, BUSY_CODES)) return 'busy';
  return null;
}

/** True when PostgreSQL aborted the statement to break a deadlock: it wrote nothing and may run again. */
const DEADLOCK_CODES = new Set(['40P01']);

export function isDeadlock(error: unknown): boolean {
  return hasCode(error, DEADLOCK_CODES);
}

/** The name of the unique constraint an error violated (on either engine), or null. */
export function violatedUniqueConstraint(error: unknown): string | null {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    const fields = current as { code?: unknown; constraint?: unknown; constraint_name?: unknown };
    if (fields.code === '23505')
      return [fields.constraint_name, fields.constraint].find((name) => typeof name === 'string') ?? '';
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}
