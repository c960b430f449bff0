import { Writable } from 'node:stream';
import pino from 'pino';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openPostgres, type Database } from '../../src/db/client.ts';
import { SHARD_LOCK_KEY, takeShards } from '../../src/gateway/shardOwnership.ts';
import { BOT_INSTANCE_LOCK_KEY, takeInstanceLock } from '../../src/instanceLock.ts';
import { openTestPostgres, testDatabaseUrl, type TestDatabase } from '../support/database.ts';

/** A real pino logger whose lines the test reads. */
function capturedLogger(): { logger: pino.Logger; lines: { msg: string }[] } {
  const lines: { msg: string }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as { msg: string });
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe.runIf(testDatabaseUrl)('advisory locks held for a process life [postgres]', () => {
  let server: TestDatabase & { url: string };
  let admin: postgres.Sql;
  const opened: Database[] = [];
  const open = async () => {
    const database = await openPostgres(server.url);
    opened.push(database);
    return database;
  };

  beforeAll(async () => {
    server = await openTestPostgres(testDatabaseUrl!);
    admin = postgres(server.url, { onnotice: () => {}, max: 1 });
  });
  afterEach(async () => {
    for (const database of opened.splice(0)) await database.close();
  });
  afterAll(async () => {
    await admin?.end();
    await server?.destroy();
  });

  it('role processes share the instance lock, and an all-in-one process and they refuse each other, saying who runs', async () => {
    const [gateway, http, all] = [await open(), await open(), await open()];
    expect(await takeInstanceLock(gateway, 'gateway')).toBeNull();
    expect(await takeInstanceLock(http, 'http')).toBeNull();
    expect(await takeInstanceLock(all, 'all')).toMatch(/Gateway or HTTP bot processes .* are running/);
    await gateway.close();
    await http.close();
    expect(await takeInstanceLock(all, 'all')).toBeNull();
    expect(await takeInstanceLock(await open(), 'gateway')).toMatch(/An all-in-one bot process .* is running/);
    expect(await takeInstanceLock(await open(), 'all')).toMatch(/Another bot process is already running/);
    expect(await all.advisoryLockHolders(BOT_INSTANCE_LOCK_KEY)).toBeNull();
  });

  it('a pair key is a lock of its own, released on request, and held by one process at a time', async () => {
    const [first, second] = [await open(), await open()];
    expect(await first.holdAdvisoryLock([SHARD_LOCK_KEY, 0])).toBe(true);
    expect(await second.holdAdvisoryLock([SHARD_LOCK_KEY, 0])).toBe(false);
    expect(await second.holdAdvisoryLock([SHARD_LOCK_KEY, 1])).toBe(true);
    expect(await second.holdAdvisoryLock(SHARD_LOCK_KEY)).toBe(true);
    expect(await second.advisoryLockHolders([SHARD_LOCK_KEY, 0])).toBe('exclusive');
    await first.releaseAdvisoryLock([SHARD_LOCK_KEY, 0]);
    expect(await second.holdAdvisoryLock([SHARD_LOCK_KEY, 0])).toBe(true);
  });

  it('a process waits, all or none, while another owns one of its shards, says so once, and takes over when it closes', async () => {
    const [owner, waiter] = [await open(), await open()];
    const { logger, lines } = capturedLogger();
    expect(await takeShards(owner, [1], logger, new AbortController().signal)).toBe(true);
    const taking = takeShards(waiter, [0, 1], logger, new AbortController().signal, 50);
    await vi.waitFor(() => expect(lines.length).toBeGreaterThan(0), { timeout: 5000 });
    // Shard 0 is free, but the waiter does not keep it while it waits for shard 1 (it may hold it for the instant
    // of one attempt, every 50 ms: so the owner tries again until it gets it).
    await vi.waitFor(async () => expect(await owner.holdAdvisoryLock([SHARD_LOCK_KEY, 0])).toBe(true), {
      timeout: 2000,
      interval: 7,
    });
    await owner.releaseAdvisoryLock([SHARD_LOCK_KEY, 0]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(lines.map((line) => line.msg)).toEqual([
      'shard 1 is connected by another gateway process; this process waits and takes over when it stops',
    ]);
    await owner.close();
    expect(await taking).toBe(true);
    expect(lines.at(-1)?.msg).toBe('the other process is gone: took over the shards');
    expect(await (await open()).holdAdvisoryLock([SHARD_LOCK_KEY, 0])).toBe(false);
  });

  it('waiting ends at once when the process stops', async () => {
    const [owner, waiter] = [await open(), await open()];
    const { logger } = capturedLogger();
    await takeShards(owner, [0], logger, new AbortController().signal);
    const stop = new AbortController();
    const taking = takeShards(waiter, [0], logger, stop.signal, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    stop.abort();
    expect(await taking).toBe(false);
  });

  it('when the connection holding the locks is terminated, the watcher says so, and the locks are free for another', async () => {
    const owner = await open();
    await takeShards(owner, [0], capturedLogger().logger, new AbortController().signal);
    const losses: string[] = [];
    owner.watchHeldLocks((reason) => losses.push(reason), 100);
    await admin`
      select pg_terminate_backend(pid) from pg_locks
      where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())
        and classid = ${SHARD_LOCK_KEY} and objid = 0 and objsubid = 2`;
    await vi.waitFor(() => expect(losses.length).toBeGreaterThan(0), { timeout: 5000 });
    expect(losses).toHaveLength(1);
    expect(await (await open()).holdAdvisoryLock([SHARD_LOCK_KEY, 0])).toBe(true);
    await expect(owner.holdAdvisoryLock([SHARD_LOCK_KEY, 1])).rejects.toThrow(/was lost/);
  });
});
