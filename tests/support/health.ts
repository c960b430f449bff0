import { expect } from 'vitest';
import type { FakeDiscord } from '../fake-discord/index.ts';
import type { BotProcess } from './botProcess.ts';

/** Where the logs and the local Discord's records stood, so a later check looks only at what came after. */
export interface Checkpoint {
  bot: BotProcess;
  logs: number;
  errors: number;
  unknownRoutes: number;
  payloads: number;
}

export function checkpoint(bot: BotProcess, fake: FakeDiscord): Checkpoint {
  return {
    bot,
    logs: bot.logs.length,
    errors: fake.errors.length,
    unknownRoutes: fake.unknownRoutes.length,
    payloads: fake.messagePayloads.length,
  };
}

/** Fails on anything a healthy run never shows: bot errors, Discord errors, unknown routes, possible pings, the token in a log. */
export function expectHealthy(
  bot: BotProcess,
  fake: FakeDiscord,
  check: { allowErrorCodes?: number[]; since?: Checkpoint } = {},
): void {
  const since = check.since && check.since.bot === bot ? check.since : undefined;
  const fresh = new Set(bot.logs.slice(since?.logs ?? 0));
  expect(
    bot.unhandledErrors().filter((line) => fresh.has(line)),
    'bot errors',
  ).toEqual([]);
  const allowed = new Set(check.allowErrorCodes ?? []);
  const errors = fake.errors.slice(check.since?.errors ?? 0);
  expect(
    errors.filter((error) => !allowed.has(error.code)),
    'errors the local Discord returned',
  ).toEqual([]);
  expect(fake.unknownRoutes.slice(check.since?.unknownRoutes ?? 0), 'unknown routes').toEqual([]);
  expect(fake.messagesThatCouldPing(), 'messages that could ping').toEqual([]);
  expect(bot.logs.join('\n'), 'the token never appears in logs').not.toContain(fake.token);
}
