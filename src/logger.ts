import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { LogFormat, LogLevel } from './config.ts';

export type { Logger };

/** JSON lines for machines; readable lines (`12:04:05 INFO: ready …`) when a person watches a terminal. */
export function readableLogs(format: LogFormat, stdoutIsTerminal: boolean): boolean {
  return format === 'pretty' || (format === 'auto' && stdoutIsTerminal);
}

/** One structured logger on stdout. Secrets are redacted wherever they might appear, in either format. */
export function createLogger(level: LogLevel, format: LogFormat = 'auto'): Logger {
  const options = {
    level,
    base: undefined,
    redact: { paths: ['token', '*.token', 'headers.authorization', '*.headers.authorization'], censor: '[redacted]' },
    serializers: {
      // discord.js errors carry the request URL (with the interaction token of /interactions and /webhooks routes)
      // and the request body (student answers): keep the route, drop the token and the body.
      err: (error: Error) => {
        const serialized = pino.stdSerializers.err(error) as unknown as Record<string, unknown>;
        if (typeof serialized.url === 'string')
          serialized.url = serialized.url.replace(/\/(interactions\/\d+|webhooks\/\d+)\/[^/?]+/g, '/$1/[redacted]');
        delete serialized.requestBody;
        // Drizzle's query errors carry the statement's parameters (an answer, a comment): keep the SQL only.
        delete serialized.params;
        if (typeof serialized.message === 'string')
          serialized.message = serialized.message.replace(/\nparams: [\s\S]*/, '');
        if (typeof serialized.stack === 'string')
          serialized.stack = serialized.stack.replace(/\nparams: [\s\S]*?(?=\n\s+at |$)/g, '');
        return serialized;
      },
    },
  };
  // Synchronous writes on the bot's own thread: the last lines before an exit are never lost, and a log line
  // costs one write, not a round trip through libuv's thread pool (which, in a burst of answers, cost more CPU
  // than storing the answer).
  if (!readableLogs(format, process.stdout.isTTY === true))
    return pino(options, pino.destination({ fd: 1, sync: true }));
  return pino(
    options,
    pretty({ colorize: process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss', singleLine: true, sync: true }),
  );
}
