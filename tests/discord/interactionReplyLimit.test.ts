import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RESTEvents, type RateLimitData } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InteractionAwareREST } from '../../src/discord/client.ts';

// Discord exempts interaction endpoints from the global limit of 50 requests a second; the bot's REST
// manager must not hold an interaction's edits and follow-ups back on it, and must still hold everything else.
describe('the global request limit', () => {
  let server: Server;
  let api: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  async function globalWaits(routes: `/${string}`[]): Promise<number> {
    const rest = new InteractionAwareREST({ api, globalRequestsPerSecond: 50 }).setToken('test-token');
    const waits: RateLimitData[] = [];
    rest.on(RESTEvents.RateLimited, (data) => waits.push(data));
    await Promise.all(routes.map((route) => rest.patch(route, { body: {} })));
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
    return waits.filter((wait) => wait.global).length;
  }

  it("does not hold 120 interaction replies' edits in one second back", async () => {
    const edits = Array.from(
      { length: 120 },
      (_, n) => `/webhooks/1234567890123456789/token-${n}/messages/@original` as const,
    );
    expect(await globalWaits(edits)).toBe(0);
  });

  it('still holds 120 channel message edits in one second back', async () => {
    const edits = Array.from(
      { length: 120 },
      (_, n) => `/channels/${1234567890123456789n + BigInt(n)}/messages/1` as const,
    );
    expect(await globalWaits(edits)).toBeGreaterThan(0);
  });
});
