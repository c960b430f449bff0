import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.ts';
import { isDatabaseUnavailable, violatedUniqueConstraint } from '../../src/db/errors.ts';
import { guildSettings } from '../../src/db/schema.ts';
import { openTestPglite, type TestDatabase } from '../support/database.ts';

describe('the embedded database in its own thread', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestPglite();
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('keeps this thread free while a long query runs', async () => {
    let longestGap = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 5);
    const started = performance.now();
    await queryRows(database.db, sql`select count(*) from generate_series(1, 4000000)`);
    const queryMs = performance.now() - started;
    clearInterval(ticker);
    longestGap = Math.max(longestGap, performance.now() - last);
    // Run on this thread, the query would leave one gap as long as itself (here about a second).
    expect(queryMs).toBeGreaterThan(50);
    expect(longestGap).toBeLessThan(queryMs / 2);
  });

  it('rolls a failed transaction back and reports the violated constraint by name', async () => {
    const error = await database.db
      .transaction(async (tx) => {
        await tx.insert(guildSettings).values({ guildId: 'thread-1' });
        await tx.insert(guildSettings).values({ guildId: 'thread-1' });
      })
      .catch((caught: unknown) => caught);
    expect(violatedUniqueConstraint(error)).toBe('guild_settings_pkey');
    expect(await queryRows(database.db, sql`select guild_id from guild_settings where guild_id = 'thread-1'`)).toEqual(
      [],
    );
  });

  it('a query outside a transaction waits for it, as PGlite itself does', async () => {
    const order: string[] = [];
    let inside!: () => void;
    const entered = new Promise<void>((resolve) => (inside = resolve));
    const transaction = database.db.transaction(async (tx) => {
      await tx.insert(guildSettings).values({ guildId: 'thread-2' });
      inside();
      await new Promise((resolve) => setTimeout(resolve, 100));
      order.push('transaction');
    });
    await entered;
    const rows = await queryRows<{ guild_id: string }>(
      database.db,
      sql`select guild_id from guild_settings where guild_id = 'thread-2'`,
    );
    order.push('query');
    await transaction;
    expect(order).toEqual(['transaction', 'query']);
    expect(rows.map((row) => row.guild_id)).toEqual(['thread-2']);
  });

  it('calls made together go to the thread together, each with its own result, and one that cannot be sent fails alone', async () => {
    const numbers = Array.from({ length: 20 }, (_, i) => i);
    const calls = numbers.map((n) => queryRows<{ n: number }>(database.db, sql`select ${n}::int as n`));
    // A function cannot be copied to the thread: posted in the same turn as the others, only it fails.
    const bad = queryRows(database.db, sql`select ${(() => 1) as unknown as number} as f`);
    const failing = queryRows(database.db, sql`select 1/0`);
    const results = await Promise.allSettled([...calls, bad, failing]);
    expect(
      results
        .slice(0, 20)
        .map((result) => (result.status === 'fulfilled' ? (result.value[0] as { n: number }).n : result.reason)),
    ).toEqual(numbers);
    expect(results[20]!.status).toBe('rejected');
    expect(results[21]).toMatchObject({ status: 'rejected', reason: { cause: { code: '22012' } } });
  });

  it('after the thread is gone, calls fail as "database unavailable" instead of hanging', async () => {
    const own = await openTestPglite();
    await own.destroy();
    const error = await queryRows(own.db, sql`select 1`).catch((caught: unknown) => caught);
    expect(isDatabaseUnavailable(error)).toBe(true);
  });
});
