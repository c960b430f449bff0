import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.ts';
import { testDatabaseUrl } from '../support/database.ts';
import { useProxiedTestPostgres } from '../support/tcpProxy.ts';

describe.runIf(testDatabaseUrl)('the connection pool after an outage [postgres]', () => {
  const proxied = useProxiedTestPostgres(testDatabaseUrl);
  const ping = () => queryRows<{ one: number }>(proxied().database.db, sql`select 1 as one`);

  it('fails fast while the database is down and answers as soon as it is back, however many connections failed', async () => {
    const { database, proxy } = proxied();
    await database.openConnections();
    await proxy.cut();
    // Ceilings for a hang, not speed targets: postgres.js's default waits grow to 10 to 20 s between attempts.
    const CEILING_MS = 5_000;
    // Every pooled connection fails again and again, as when interactions keep arriving during an outage.
    for (let round = 0; round < 3; round += 1) {
      const started = performance.now();
      const outcomes = await Promise.allSettled(Array.from({ length: 10 }, ping));
      expect(outcomes.every((outcome) => outcome.status === 'rejected')).toBe(true);
      expect(performance.now() - started, `round ${round + 1} of failures`).toBeLessThan(CEILING_MS);
    }
    await proxy.resume();
    const started = performance.now();
    expect(await ping()).toEqual([{ one: 1 }]);
    expect(performance.now() - started, 'the first statement after the outage').toBeLessThan(CEILING_MS);
  });
});
