import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.ts';

export type { Logger };

/** One structured logger (JSON lines on stdout). Secrets are redacted wherever they might appear. */
export function createLogger(level: LogLevel): Logger {
  return pino({
    level,
    base: undefined,
    redact: { paths: ['token', '*.token', 'headers.authorization', '*.headers.authorization'], censor: '[redacted]' },
    serializers: {
      // discord.js errors carry the request URL (with the interaction token of /interactions and /webhooks routes)
      // and the request body (student answers): keep the route, drop the token and the body.
      err: (error: Error) => {
        const serialized = pino.stdSerializers.err(error) as unknown as Record<string, unknown>;
        if (typeof serialized.url === 'string') serialized.url = serialized.url.replace(/\/(interactions\/\d+|webhooks\/\d+)\/[^/?]+/g, '/$1/[redacted]');
        delete serialized.requestBody;
        // Drizzle's query errors carry the statement's parameters (an answer, a comment): keep the SQL only.
        delete serialized.params;
        if (typeof serialized.message === 'string') serialized.message = serialized.message.replace(/\nparams: [\s\S]*/, '');
        if (typeof serialized.stack === 'string') serialized.stack = serialized.stack.replace(/\nparams: [\s\S]*?(?=\n\s+at |$)/g, '');
        return serialized;
      },
    },
  });
}
