import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { ensurePgliteTemplate } from '../tests/support/pgliteTemplate.ts';

/** The PostgreSQL server the benchmarks create their databases on. */
const serverUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

function redacted(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

export const serverLabel = redacted(serverUrl);

/** The server's version, or null when it cannot be reached (the PostgreSQL parts are then skipped). */
export async function postgresVersion(): Promise<string | null> {
  const sql = postgres(serverUrl, { onnotice: () => {}, max: 1, connect_timeout: 3 });
  try {
    const [row] = await sql<{ server_version: string }[]>`show server_version`;
    return row?.server_version.split(' ')[0] ?? null;
  } catch {
    return null;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => undefined);
  }
}

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** An empty database of its own on the server (the caller migrates it, or lets the bot do it). */
export async function createScratchDatabase(purpose: string): Promise<ScratchDatabase> {
  const name = `quizbot_bench_${purpose}_${process.pid}_${Math.random().toString(36).slice(2, 7)}`;
  const admin = postgres(serverUrl, { onnotice: () => {}, max: 1 });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const sql = postgres(serverUrl, { onnotice: () => {}, max: 1 });
      try {
        await sql.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await sql.end();
      }
    },
  };
}

export interface PostgresProcesses {
  /** The server's connection processes serving the database of `url`. */
  backends: number[];
  /** The server's main process (the parent of every backend), or null when the server is not on this machine. */
  postmaster: number | null;
}

/**
 * The processes of a PostgreSQL server on this machine that serve the database of `url`, found in /proc by their
 * titles ("postgres: ... <user> <database> <client> <state>"), for reading their CPU: no connection needed, which
 * matters on a server whose connections are all taken. Empty, with a null postmaster, for a server elsewhere.
 */
export function postgresProcesses(url: string): PostgresProcesses {
  const database = new URL(url).pathname.slice(1);
  const backends: number[] = [];
  let postmaster: number | null = null;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!title.startsWith('postgres:') || !title.split(/[\s\0]+/).includes(database)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      postmaster = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      backends.push(Number(entry));
    } catch {
      // The process ended while the list was read.
    }
  }
  return { backends, postmaster };
}

export interface ScratchDataDir {
  dir: string;
  remove(): void;
}

/** A DATA_DIR for the embedded database: empty, or holding a copy of the migrated template. */
export async function createDataDir(options: { migrated: boolean }): Promise<ScratchDataDir> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'quizbot-bench-'));
  if (options.migrated) cpSync(await ensurePgliteTemplate(), path.join(dir, 'pglite'), { recursive: true });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
