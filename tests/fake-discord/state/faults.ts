import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { DiscordHttpError, discordErrors } from '../http/discordErrors.ts';

type RouteMatcher = RegExp | string;

/** Refusals Discord gives for good: the channel is gone, or the bot may not see it or write in it. */
const PERMANENT_REFUSALS = {
  [RESTJSONErrorCodes.UnknownChannel]: () => discordErrors.unknownChannel(),
  [RESTJSONErrorCodes.MissingAccess]: () => discordErrors.missingAccess(),
  [RESTJSONErrorCodes.MissingPermissions]: () => discordErrors.missingPermissions(),
} as const;

export interface RestFault {
  method?: string;
  route: RouteMatcher;
  /** A server error, a rate limit, or (with `code`) one of Discord's permanent refusals. */
  status: 500 | 429 | 403 | 404;
  code?: keyof typeof PERMANENT_REFUSALS;
  times?: number;
  retryAfterSeconds?: number;
}

export interface SlowFault {
  method?: string;
  route: RouteMatcher;
  delayMs: number;
  times?: number;
}

interface Armed<T> {
  fault: T;
  remaining: number;
}

function matches(
  matcher: RouteMatcher,
  method: string | undefined,
  request: { method: string; path: string; template: string | null },
): boolean {
  if (method && method.toUpperCase() !== request.method) return false;
  if (typeof matcher === 'string') return matcher === request.path || matcher === request.template;
  matcher.lastIndex = 0;
  return matcher.test(request.path);
}

function take<T extends { method?: string; route: RouteMatcher }>(
  list: Armed<T>[],
  request: { method: string; path: string; template: string | null },
): T | null {
  const armed = list.find((item) => item.remaining > 0 && matches(item.fault.route, item.fault.method, request));
  if (!armed) return null;
  armed.remaining -= 1;
  return armed.fault;
}

function rateLimited(fault: RestFault): DiscordHttpError {
  const retryAfter = fault.retryAfterSeconds ?? 1;
  return new DiscordHttpError(
    429,
    { message: 'You are being rate limited.', retry_after: retryAfter, global: false },
    {
      'retry-after': String(retryAfter),
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(Date.now() / 1000 + retryAfter),
      'x-ratelimit-reset-after': String(retryAfter),
      'x-ratelimit-bucket': 'fakebucket0000000000000000000000',
      'x-ratelimit-scope': 'user',
    },
  );
}

export class FaultSwitches {
  private readonly restFaults: Armed<RestFault>[] = [];
  private readonly slowFaults: Armed<SlowFault>[] = [];

  rest(fault: RestFault): void {
    this.restFaults.push({ fault, remaining: fault.times ?? Number.POSITIVE_INFINITY });
  }

  slow(fault: SlowFault): void {
    this.slowFaults.push({ fault, remaining: fault.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.restFaults.length = 0;
    this.slowFaults.length = 0;
  }

  delayFor(request: { method: string; path: string; template: string | null }): number {
    return take(this.slowFaults, request)?.delayMs ?? 0;
  }

  errorFor(request: { method: string; path: string; template: string | null }): DiscordHttpError | null {
    const fault = take(this.restFaults, request);
    if (!fault) return null;
    if (fault.status === 429) return rateLimited(fault);
    if (fault.code !== undefined) return PERMANENT_REFUSALS[fault.code]();
    return new DiscordHttpError(500, { code: 0, message: '500: Internal Server Error' });
  }
}
