import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseProblem } from '../../src/db/errors.ts';
import { freeBytes, PgliteThread, type PgliteThreadEvent } from '../../src/db/pgliteThread.ts';
import { templateDir } from '../support/pgliteTemplate.ts';

const MB = 1024 * 1024;

/**
 * A small disk of its own: a tmpfs of `sizeMb`, mounted for the test (the tests run as root, as CI does here)
 * and unmounted after it. Filling it is a real full disk for PGlite, not a stand-in.
 */
function smallDisk(sizeMb: number): { dir: string; fill(leaveMb: number): void; free(): void; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'quizbot-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir]);
  const filler = path.join(dir, 'filler');
  return {
    dir,
    fill(leaveMb) {
      writeFileSync(filler, Buffer.alloc(Math.max(0, freeBytes(dir) - leaveMb * MB)));
    },
    free() {
      rmSync(filler, { force: true });
    },
    remove() {
      execFileSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForEvent(
  events: PgliteThreadEvent[],
  kind: PgliteThreadEvent['kind'],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!events.some((event) => event.kind === kind)) {
    if (Date.now() > deadline)
      throw new Error(`no "${kind}" event within ${timeoutMs} ms; saw ${events.map((event) => event.kind).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the embedded database on a disk that fills up', { timeout: 180_000 }, () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function openOn(disk: ReturnType<typeof smallDisk>, options: { timeoutMs: number; minFreeBytes: number }) {
    const events: PgliteThreadEvent[] = [];
    // A copy of the migrated template saves initdb (tens of seconds on a busy machine).
    cpSync(templateDir(), path.join(disk.dir, 'pglite'), { recursive: true });
    const thread = await PgliteThread.open(path.join(disk.dir, 'pglite'), {
      ...options,
      onEvent: (event) => events.push(event),
    });
    cleanups.push(() => thread.close());
    thread.startGuards();
    return { thread, events };
  }

  it('a query stuck after the disk refused a WAL segment fails as "unavailable" in time, and a fresh thread finds the data intact', async () => {
    const disk = smallDisk(160);
    cleanups.push(() => disk.remove());
    const { thread, events } = await openOn(disk, { timeoutMs: 3_000, minFreeBytes: 0 });
    await thread.query('create table kept (x text)');
    await thread.query(`insert into kept values ('before the disk filled')`);
    disk.fill(14);
    // Writing until the next WAL segment cannot be created: PGlite reports it once, then its next query spins.
    const refused = await (async () => {
      for (let i = 0; i < 40_000; i += 1) await thread.query('insert into kept values ($1)', ['x'.repeat(1000)]);
    })().catch((error: unknown) => error);
    expect((refused as { code?: string }).code).toBe('53100');
    const stuck = await thread.query('select count(*) from kept').catch((error: unknown) => error);
    expect(databaseProblem(stuck)).toBe('unavailable');
    expect(events.map((event) => event.kind)).toContain('stuck');

    disk.free();
    await waitForEvent(events, 'reopened', 60_000);
    const rows = await thread.query<{ x: string }>(`select x from kept where x = 'before the disk filled'`);
    expect(rows.rows).toHaveLength(1);
  });

  it('below the free-space margin writes are refused as "storage full" and reads still work; with space back, writes are accepted', async () => {
    const disk = smallDisk(200);
    cleanups.push(() => disk.remove());
    const { thread, events } = await openOn(disk, { timeoutMs: 20_000, minFreeBytes: 64 * MB });
    await thread.query('create table notes (x text)');
    disk.fill(32);
    await waitForEvent(events, 'lowDisk', 15_000);
    const refused = await thread.query(`insert into notes values ('while full')`).catch((error: unknown) => error);
    expect(databaseProblem(refused)).toBe('storageFull');
    expect((await thread.query('select count(*)::int as n from notes')).rows).toEqual([{ n: 0 }]);

    disk.free();
    await waitForEvent(events, 'diskOk', 15_000);
    await thread.query(`insert into notes values ('with space')`);
    expect((await thread.query('select count(*)::int as n from notes')).rows).toEqual([{ n: 1 }]);
    expect(
      events.filter((event) => event.kind === 'lowDisk'),
      'the operator is told once',
    ).toHaveLength(1);
  });

  it('a call that waits behind a long transaction is not taken for a stuck thread: both finish, nothing is restarted', async () => {
    const disk = smallDisk(120);
    cleanups.push(() => disk.remove());
    const { thread, events } = await openOn(disk, { timeoutMs: 1_000, minFreeBytes: 0 });
    const transaction = thread.transaction(async (tx) => {
      await tx.query('select 1');
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      return 'committed';
    });
    const waiting = thread.query<{ n: number }>('select 2 as n');
    expect(await transaction).toBe('committed');
    expect((await waiting).rows).toEqual([{ n: 2 }]);
    expect(events.map((event) => event.kind)).not.toContain('stuck');
  });

  it('every commit is flushed to the disk before it returns, so an answer said to be saved survives a power cut', async () => {
    const disk = smallDisk(120);
    cleanups.push(() => disk.remove());
    const { thread } = await openOn(disk, { timeoutMs: 20_000, minFreeBytes: 0 });
    await thread.query('create table answers_kept (x int)');
    const before = await thread.syncCount();
    for (let i = 0; i < 5; i += 1) await thread.query('insert into answers_kept values ($1)', [i]);
    expect((await thread.syncCount()) - before).toBeGreaterThanOrEqual(5);
  });
});
