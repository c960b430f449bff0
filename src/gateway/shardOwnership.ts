import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../db/client.ts';
import type { Logger } from '../logger.ts';

/**
 * Each shard is owned by one process at a time: two sessions on one shard both receive its interactions and race
 * to answer them. The lock of shard n is the pair (SHARD_LOCK_KEY, n), held on the database connection reserved
 * for locks; when its owner dies, PostgreSQL closes that connection and the lock goes with it.
 */
export const SHARD_LOCK_KEY = 720_311_421;
const POLL_INTERVAL_MS = 2_000;

/**
 * Takes the lock of every shard in `shardIds`, all or none (holding some while waiting for others could leave two
 * processes each waiting for the other), waiting while another process owns any. Says once which shards are in
 * the way. Returns false when `signal` ends the wait.
 */
export async function takeShards(
  database: Database,
  shardIds: readonly number[],
  logger: Logger,
  signal: AbortSignal,
  pollIntervalMs = POLL_INTERVAL_MS,
): Promise<boolean> {
  let waited = false;
  for (;;) {
    if (signal.aborted) return false;
    const owned = await tryTakeAll(database, shardIds);
    if (owned.length === 0) {
      if (waited) logger.info({ shards: shardIds }, 'the other process is gone: took over the shards');
      return true;
    }
    if (!waited)
      logger.warn(
        { shards: shardIds, ownedElsewhere: owned },
        `shard ${owned.join(', ')} is connected by another gateway process; this process waits and takes over when it stops`,
      );
    waited = true;
    try {
      await sleep(pollIntervalMs, undefined, { signal });
    } catch {
      return false;
    }
  }
}

/** Tries every shard's lock; when any is owned elsewhere, releases those it took and returns the owned ones. */
async function tryTakeAll(database: Database, shardIds: readonly number[]): Promise<number[]> {
  const taken: number[] = [];
  const owned: number[] = [];
  for (const id of shardIds) {
    if (await database.holdAdvisoryLock([SHARD_LOCK_KEY, id])) taken.push(id);
    else owned.push(id);
  }
  if (owned.length > 0) for (const id of taken) await database.releaseAdvisoryLock([SHARD_LOCK_KEY, id]);
  return owned;
}
