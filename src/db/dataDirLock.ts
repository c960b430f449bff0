import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { UserFacingStartupError } from '../errors.ts';

export interface DataDirLock {
  release(): void;
}

/**
 * PGlite does not lock its data directory and two processes would corrupt it, so we hold a lock
 * file with our pid. A lock left by a process that no longer runs (killed, crashed) is taken over.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw new UserFacingStartupError(`DATA_DIR (${dataDir}) cannot be created: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  const lockPath = path.join(dataDir, 'bot.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return { release: () => releaseIfOurs(lockPath) };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') {
        throw new UserFacingStartupError(`DATA_DIR (${dataDir}) is not writable: ${code ?? error}`);
      }
      const holder = readHolder(lockPath);
      if (holder !== null && isRunning(holder)) {
        throw new UserFacingStartupError(
          `Another bot process (pid ${holder}) is already using the embedded database in DATA_DIR (${dataDir}). ` +
            'Stop it first, or give this process its own DATA_DIR or a DATABASE_URL.',
        );
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new UserFacingStartupError(`DATA_DIR (${dataDir}): could not take the lock file ${lockPath}`);
}

function readHolder(lockPath: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function releaseIfOurs(lockPath: string): void {
  if (readHolder(lockPath) === process.pid) rmSync(lockPath, { force: true });
}
