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

/** True when an error (or one it wraps, as Drizzle does) means the database could not be reached. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** True when PostgreSQL aborted the statement to break a deadlock: it wrote nothing and may run again. */
export function isDeadlock(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    if ((current as { code?: unknown }).code === '40P01') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** The name of the unique constraint an error violated (on either engine), or null. */
export function violatedUniqueConstraint(error: unknown): string | null {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    const fields = current as { code?: unknown; constraint?: unknown; constraint_name?: unknown };
    if (fields.code === '23505') return String(fields.constraint_name ?? fields.constraint ?? '');
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}
