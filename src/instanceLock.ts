import type { ProcessRole } from './config.ts';
import type { Database } from './db/client.ts';

/**
 * One all-in-one bot per database: a second would answer every interaction a second time. An `all` process holds
 * this lock exclusively; `gateway` and `http` processes hold it shared, so they run beside each other (shard locks
 * and the database's claims keep their work apart) but never beside an `all` process, nor it beside them.
 */
export const BOT_INSTANCE_LOCK_KEY = 720_311_403;

const ROLE_PROCESSES_RUNNING =
  'Gateway or HTTP bot processes (PROCESS_ROLE=gateway or http) are running on the database of DATABASE_URL, and an all-in-one process (PROCESS_ROLE=all, the default) beside them would answer their interactions a second time. Stop them first, or start this process with PROCESS_ROLE=gateway (and SHARD_COUNT, SHARD_IDS) or PROCESS_ROLE=http.';
const ALL_IN_ONE_RUNNING =
  'An all-in-one bot process (PROCESS_ROLE=all, the default) is running on the database of DATABASE_URL and answers every interaction itself: this process would answer them a second time. Stop it first, then start the gateway and http processes; or keep the all-in-one process alone.';
const ANOTHER_ALL_IN_ONE_RUNNING =
  'Another bot process is already running on the database of DATABASE_URL. Stop it first: two processes would answer every interaction twice.';

/** Takes the instance lock for `role`; returns null when held, or what the operator must do when it is not. */
export async function takeInstanceLock(database: Database, role: ProcessRole): Promise<string | null> {
  const shared = role !== 'all';
  if (await database.holdAdvisoryLock(BOT_INSTANCE_LOCK_KEY, { shared })) return null;
  if (shared) return ALL_IN_ONE_RUNNING;
  const holders = await database.advisoryLockHolders(BOT_INSTANCE_LOCK_KEY);
  return holders === 'shared' ? ROLE_PROCESSES_RUNNING : ANOTHER_ALL_IN_ONE_RUNNING;
}
