import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROCESS_TEST_TIMEOUT_MS } from '../support/botProcess.ts';
import { testDatabaseUrl } from '../support/database.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX_LOADER = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
const VITEST = path.join(ROOT, 'node_modules/vitest/vitest.mjs');
/** A real-looking token of a "production" bot: nothing may log in with it. */
const PRODUCTION_TOKEN = 'MTExMTExMTExMTExMTExMTEx.GProd0.production-token-never-used-by-tests';

/** Runs a command in `cwd` with exactly `env`, and returns its exit code and output. */
function run(
  cwd: string,
  env: Record<string, string>,
  args: string[],
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output: stripVTControlCharacters(output) }));
  });
}

/**
 * A developer's checkout as the issue found it: a `.env` with a token and a production database, and the same
 * variables exported in the shell. The test suite and the demo run from it must leave that database untouched.
 * The checkout is a copy in a temporary directory (sources copied, node_modules linked), so the real project
 * root never gets a `.env` from this test.
 */
describe('tests and the demo never use the developer .env or environment', () => {
  let checkout: string;
  let productionDataDir: string;
  let productionUrl: string | undefined;
  let admin: postgres.Sql | undefined;
  let productionName: string | undefined;
  let developerEnv: Record<string, string>;

  beforeAll(async () => {
    checkout = mkdtempSync(path.join(os.tmpdir(), 'quizbot-checkout-'));
    for (const entry of ['src', 'commands', 'tests', 'drizzle', 'package.json', 'tsconfig.json', 'vitest.config.ts']) {
      cpSync(path.join(ROOT, entry), path.join(checkout, entry), { recursive: true });
    }
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(checkout, 'node_modules'));
    // The migrated PGlite template the suite builds once; shared so the copy does not build its own.
    symlinkSync(path.join(ROOT, '.tmp'), path.join(checkout, '.tmp'));
    productionDataDir = path.join(checkout, 'production-data');
    if (testDatabaseUrl) {
      productionName = `quizbot_production_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
      admin = postgres(testDatabaseUrl, { onnotice: () => {}, max: 1 });
      await admin.unsafe(`create database ${productionName}`);
      const url = new URL(testDatabaseUrl);
      url.pathname = `/${productionName}`;
      productionUrl = url.toString();
    }
    const production: Record<string, string> = {
      DISCORD_TOKEN: PRODUCTION_TOKEN,
      DATA_DIR: productionDataDir,
      ...(productionUrl ? { DATABASE_URL: productionUrl } : {}),
    };
    writeFileSync(
      path.join(checkout, '.env'),
      Object.entries(production)
        .map(([name, value]) => `${name}=${value}\n`)
        .join(''),
    );
    developerEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? os.tmpdir(), ...production };
  });

  afterAll(async () => {
    if (admin && productionName) await admin.unsafe(`drop database if exists ${productionName} with (force)`);
    await admin?.end();
    if (checkout) rmSync(checkout, { recursive: true, force: true });
  });

  async function expectProductionUntouched(): Promise<void> {
    expect(existsSync(productionDataDir), 'the .env DATA_DIR was created').toBe(false);
    if (!productionUrl) return;
    const production = postgres(productionUrl, { onnotice: () => {}, max: 1 });
    try {
      const tables = await production<{ name: string }[]>`
        select schemaname || '.' || tablename as name from pg_tables where schemaname not in ('pg_catalog', 'information_schema')`;
      expect(
        tables.map((table) => table.name),
        'tables created in the .env DATABASE_URL',
      ).toEqual([]);
    } finally {
      await production.end();
    }
  }

  it(
    '`npm run demo` runs on its own temporary database',
    async () => {
      const demo = await run(checkout, developerEnv, ['--import', TSX_LOADER, 'tests/demo/run.ts']);
      expect(demo.output).toMatch(/Session over/);
      expect(demo.code).toBe(0);
      await expectProductionUntouched();
    },
    PROCESS_TEST_TIMEOUT_MS,
  );

  it(
    '`npx vitest run` of the start-up tests and an end-to-end test passes and writes nothing there',
    async () => {
      const suite = await run(checkout, developerEnv, [
        VITEST,
        'run',
        'tests/startup.test.ts',
        'tests/e2e/quiz.e2e.test.ts',
      ]);
      expect(suite.output).toMatch(/Test Files\s+2 passed/);
      expect(suite.code).toBe(0);
      await expectProductionUntouched();
    },
    2 * PROCESS_TEST_TIMEOUT_MS,
  );
});
