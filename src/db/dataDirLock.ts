import { linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserFacingStartupError } from '../errors.ts';
import { prepareDataDir } from './dataDir.ts';

export interface DataDirLock {
  /** Throws when another process has taken the lock over since (two starts racing for a stale lock). */
  verify(): void;
  release(): void;
}

/**
 * Who holds the lock: a pid alone is not enough, since a pid is reused (in a container the bot is always
 * pid 1), so the process's start time and the machine's boot id go with it. A lock whose process is gone,
 * or is another process with the same pid, or was taken before the last boot, is stale and taken over.
 */
interface Holder {
  pid: number;
  startTime: string | null;
  bootId: string | null;
}

function readOptional(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** The start time of a process, in clock ticks since boot (field 22 of /proc/PID/stat), or null off Linux. */
function startTimeOf(pid: number): string | null {
  const stat = readOptional(`/proc/${pid}/stat`);
  // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
}

function bootId(): string | null {
  return readOptional('/proc/sys/kernel/random/boot_id')?.trim() ?? null;
}

function ourselves(): Holder {
  return { pid: process.pid, startTime: startTimeOf(process.pid), bootId: bootId() };
}

function readHolder(lockPath: string): Holder | null {
  const text = readOptional(lockPath);
  if (text === null) return null;
  try {
    const holder = JSON.parse(text) as Partial<Holder>;
    if (Number.isInteger(holder.pid) && holder.pid! > 0) {
      return { pid: holder.pid!, startTime: holder.startTime ?? null, bootId: holder.bootId ?? null };
    }
  } catch {
    // A lock file of an older version holds a bare pid.
  }
  const pid = Number.parseInt(text, 10);
  return Number.isInteger(pid) && pid > 0 ? { pid, startTime: null, bootId: null } : null;
}

function isAlive(holder: Holder): boolean {
  const now = ourselves();
  if (holder.bootId && now.bootId && holder.bootId !== now.bootId) return false;
  if (holder.startTime && now.startTime) return startTimeOf(holder.pid) === holder.startTime;
  // Off Linux, or a lock without a start time: the pid is all there is.
  if (holder.pid === process.pid) return holder.startTime === null && now.startTime === null;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sameHolder = (a: Holder | null, b: Holder) =>
  a !== null && a.pid === b.pid && a.startTime === b.startTime && a.bootId === b.bootId;

/** Creates the lock file with its content in one step (a file that exists but is still empty is never seen). */
function createLockFile(lockPath: string, content: string): boolean {
  const draft = `${lockPath}.${process.pid}.draft`;
  writeFileSync(draft, content);
  try {
    linkSync(draft, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(draft, { force: true });
  }
}

/**
 * Removes a stale lock while holding a second, short-lived lock (a directory, created atomically), so two
 * processes starting together cannot both take the stale lock over: the second to come finds it fresh.
 */
function removeIfStill(lockPath: string, stale: Holder): void {
  const takeover = `${lockPath}.takeover`;
  try {
    mkdirSync(takeover);
  } catch {
    // Another process is taking over right now (or died doing so, long ago: then its mark is removed).
    if (Date.now() - statSync(takeover, { throwIfNoEntry: false })!.mtimeMs > 10_000)
      rmSync(takeover, { recursive: true, force: true });
    return;
  }
  try {
    if (sameHolder(readHolder(lockPath), stale)) rmSync(lockPath, { force: true });
  } finally {
    rmSync(takeover, { recursive: true, force: true });
  }
}

/** PGlite does not lock its data directory and two processes would corrupt it, so we hold a lock file. */
export function lockDataDir(dataDir: string): DataDirLock {
  prepareDataDir(dataDir);
  const lockPath = path.join(dataDir, 'bot.lock');
  const me = ourselves();
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      if (createLockFile(lockPath, JSON.stringify(me))) {
        return {
          verify() {
            if (!sameHolder(readHolder(lockPath), me)) {
              throw new UserFacingStartupError(
                `Another bot process took the embedded database in DATA_DIR (${dataDir}) at the same moment; this one stops.`,
              );
            }
          },
          release: () => {
            if (sameHolder(readHolder(lockPath), me)) rmSync(lockPath, { force: true });
          },
        };
      }
    } catch (error) {
      throw new UserFacingStartupError(
        `DATA_DIR (${dataDir}) is not writable: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      );
    }
    const holder = readHolder(lockPath);
    if (holder !== null && isAlive(holder)) {
      throw new UserFacingStartupError(
        `Another bot process (pid ${holder.pid}) is already using the embedded database in DATA_DIR (${dataDir}). ` +
          'Stop it first (the command-line tools too: use /export while the bot runs).',
      );
    }
    if (holder !== null) removeIfStill(lockPath, holder);
    else rmSync(lockPath, { force: true });
  }
  throw new UserFacingStartupError(`DATA_DIR (${dataDir}): could not take the lock file ${lockPath}; try again.`);
}
