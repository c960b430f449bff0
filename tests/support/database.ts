import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe } from 'vitest';
import { openPglite, openPostgres, type Database } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { templateDir } from './pgliteTemplate.ts';

export type Engine = 'pglite' | 'postgres';

export interface TestDatabase extends Database {
  /** Closes the database and deletes it. */
  destroy(): Promise<void>;
}

/** A fresh, migrated embedded database copied from the template, in its own temporary DATA_DIR. */
export async function openTestPglite(): Promise<TestDatabase & { dataDir: string }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'quizbot-test-'));
  cpSync(templateDir(), path.join(dataDir, 'pglite'), { recursive: true });
  const database = await openPglite(dataDir);
  return {
    ...database,
    dataDir,
    async destroy() {
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh, migrated database of its own on the PostgreSQL server of TEST_DATABASE_URL. */
export async function openTestPostgres(serverUrl: string): Promise<TestDatabase & { url: string }> {
  const name = `quizbot_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(serverUrl, { onnotice: () => {}, max: 1 });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openPostgres(url.toString());
  await migrateDatabase(database);
  return {
    ...database,
    url: url.toString(),
    async destroy() {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;

/** The engines a repository suite runs on: PGlite always, PostgreSQL whenever TEST_DATABASE_URL is set. */
export const engines: Engine[] = testDatabaseUrl ? ['pglite', 'postgres'] : ['pglite'];

export function openTestDatabase(engine: Engine): Promise<TestDatabase> {
  return engine === 'pglite' ? openTestPglite() : openTestPostgres(testDatabaseUrl!);
}

/**
 * Runs the same suite on each engine, with one fresh database per engine. The suite's title names the
 * engine, so the output shows that the PostgreSQL run happened.
 */
export function describeEachEngine(title: string, suite: (db: () => Database, engine: Engine) => void): void {
  for (const engine of engines) {
    describe(`${title} [${engine}]`, () => {
      let database: TestDatabase | undefined;
      beforeAll(async () => {
        database = await openTestDatabase(engine);
      });
      afterAll(async () => {
        await database?.destroy();
      });
      suite(() => {
        if (!database) throw new Error('database not open');
        return database;
      }, engine);
    });
  }
}
