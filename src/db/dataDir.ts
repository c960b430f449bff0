import { accessSync, constants, existsSync, mkdirSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserFacingStartupError } from '../errors.ts';

/** File systems that hold no data (statfs magic numbers): a database there is lost or cannot be written. */
const SPECIAL_FILE_SYSTEMS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x1cd1, 'devpts'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x6e736673, 'nsfs'],
  [0x50495045, 'pipefs'],
]);

function unusable(dataDir: string, why: string): UserFacingStartupError {
  return new UserFacingStartupError(
    `DATA_DIR (${dataDir}) ${why}. Set DATA_DIR to a writable directory on a disk, or use DATABASE_URL.`,
  );
}

/**
 * Makes sure DATA_DIR is a directory this process can write, on a real file system, creating it if needed.
 * Every check fails at once with a message naming DATA_DIR: Node's recursive mkdir loops forever under /proc.
 */
export function prepareDataDir(dataDir: string): void {
  const absolute = path.resolve(dataDir);
  const missing: string[] = [];
  let existing = absolute;
  while (!existsSync(existing)) {
    missing.unshift(existing);
    existing = path.dirname(existing);
  }
  const type = SPECIAL_FILE_SYSTEMS.get(statfsSync(existing).type);
  if (type) throw unusable(dataDir, `is on the ${type} file system, which cannot hold a database`);
  for (const dir of missing) {
    try {
      mkdirSync(dir);
    } catch (error) {
      throw unusable(
        dataDir,
        `cannot be created (${(error as NodeJS.ErrnoException).code ?? String(error)} at ${dir})`,
      );
    }
  }
  if (!statSync(absolute).isDirectory()) throw unusable(dataDir, 'is a file, not a directory');
  const probe = path.join(absolute, `.write-test-${process.pid}`);
  try {
    accessSync(absolute, constants.W_OK);
    writeFileSync(probe, 'ok');
    rmSync(probe);
  } catch (error) {
    throw unusable(dataDir, `is not writable (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}
