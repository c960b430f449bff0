import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_HEADER } from '../../src/export/answersCsv.ts';
import { recordAnswer } from '../../src/db/repo/answers.ts';
import { listQuestions } from '../../src/db/repo/questions.ts';
import { questions } from '../../src/db/schema.ts';
import { CSV_BOM, csvRow } from '../../src/export/csv.ts';
import { prepareDatabase } from '../../src/startup.ts';
import { PROCESS_TEST_TIMEOUT_MS, runScript, type ToolResult } from '../support/botProcess.ts';
import { openTestPglite } from '../support/database.ts';
import { snowflake, suggesting } from '../support/fixtures.ts';
import { insertDailyPrompt } from '../support/dailyPrompts.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const tool = (file: string) => path.join(ROOT, file);
const EXPORT = tool('src/cli/export.ts');
const QUESTIONS = tool('src/cli/questions.ts');
const MIGRATE = tool('src/cli/migrate.ts');
const DEPLOY = tool('src/cli/deployCommands.ts');
const BENCH = tool('bench/run.ts');
const guildId = snowflake(901);

/** No stack trace and no JSON: a tool's failure is one or two plain lines. */
function expectPlainFailure(result: ToolResult): void {
  expect(result.code, result.output).toBe(1);
  expect(result.output).not.toMatch(/\n\s+at |^\{/m);
}

describe.concurrent('--help of every tool', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it.each([
    ['export', EXPORT, /npm run export -- GUILD_ID --out answers\.csv[\s\S]*npm run -s/],
    ['questions', QUESTIONS, /npm run questions -- import FILE\.md[\s\S]*docs\/questions\.md/],
    ['db:migrate', MIGRATE, /npm run db:migrate/],
    ['deploy-commands', DEPLOY, /npm run deploy-commands/],
    ['bench', BENCH, /npm run bench[\s\S]*--update-results[\s\S]*BENCH_DATABASE_URL/],
  ])('%s --help prints its usage on stdout and exits 0', async (_name, entry, usage) => {
    const result = await runScript(entry, ['--help'], {});
    expect(result.stdout).toMatch(usage);
    expect(result.code).toBe(0);
  });

  it('a wrong argument prints the usage on stderr and exits 2', async () => {
    const result = await runScript(EXPORT, ['not-a-server'], {});
    expect(result.stderr).toMatch(/"not-a-server" is not a server id[\s\S]*usage:/);
    expect(result.code).toBe(2);
  });
});

describe('tools on the embedded database', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  let dataDir: string;
  let scratch: string;
  let answerBody: string;

  beforeAll(async () => {
    const database = await openTestPglite();
    dataDir = database.dataDir;
    scratch = mkdtempSync(path.join(os.tmpdir(), 'quizbot-cli-'));
    // One answer to export.
    await prepareDatabase(database);
    const [question] = await listQuestions(database.db, guildId, { activeOnly: true });
    const prompt = await insertDailyPrompt(database.db, {
      guildId,
      questionId: question!.id,
      localDate: '2026-03-01',
      messageId: 'm',
      closesAt: new Date(Date.now() + 3_600_000),
    });
    answerBody = 'A signed token, "with claims", on two\nlines.';
    const saved = await recordAnswer(database.db, {
      guildId,
      promptId: prompt!.id,
      userId: snowflake(902),
      userName: 'Ada',
      body: answerBody,
      suggest: suggesting('correct'),
      now: new Date(),
    });
    expect(saved.status).toBe('saved');
    await database.close();
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  });

  async function importedCount(): Promise<number> {
    const { openPglite } = await import('../../src/db/client.ts');
    const database = await openPglite(dataDir);
    try {
      return (await database.db.select().from(questions)).filter((row) => row.imported).length;
    } finally {
      await database.close();
    }
  }

  it('export --out writes the whole CSV itself, and nothing on stdout', async () => {
    const out = path.join(scratch, 'answers.csv');
    const result = await runScript(EXPORT, [guildId, '--out', out], { DATA_DIR: dataDir });
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/Wrote 1 answers to .*answers\.csv/);
    const csv = readFileSync(out, 'utf8');
    expect(csv.startsWith(CSV_BOM + csvRow(EXPORT_HEADER))).toBe(true);
    expect(csv).toContain('"A signed token, ""with claims"", on two\nlines."');
    expect(readdirSync(scratch)).toEqual(['answers.csv']);
  });

  it('export to stdout writes only the CSV', async () => {
    const result = await runScript(EXPORT, [guildId], { DATA_DIR: dataDir });
    expect(result.code, result.output).toBe(0);
    expect(result.stdout.startsWith(CSV_BOM + csvRow(EXPORT_HEADER))).toBe(true);
  });

  it('export --out into a folder that does not exist fails with one line and leaves no file', async () => {
    const out = path.join(scratch, 'missing', 'answers.csv');
    const result = await runScript(EXPORT, [guildId, `--out=${out}`], { DATA_DIR: dataDir });
    expectPlainFailure(result);
    expect(result.stderr).toMatch(/^Cannot write .*answers\.csv: ENOENT\n$/);
    expect(existsSync(path.join(scratch, 'missing'))).toBe(false);
  });

  it('while the bot holds the database, a tool says to stop the bot or use the slash command, not to change DATA_DIR', async () => {
    // The lock file of a running bot: this test process stands in for it (a live pid other than the tool's).
    writeFileSync(path.join(dataDir, 'bot.lock'), String(process.pid));
    try {
      const exported = await runScript(EXPORT, [guildId, '--out', path.join(scratch, 'locked.csv')], {
        DATA_DIR: dataDir,
      });
      expectPlainFailure(exported);
      expect(exported.stderr).toMatch(
        /The bot is running on the embedded database in DATA_DIR .*Stop the bot first .*or use \/export in Discord/,
      );
      expect(exported.stderr).not.toMatch(/own DATA_DIR/);
      const imported = await runScript(QUESTIONS, ['list'], { DATA_DIR: dataDir });
      expect(imported.stderr).toMatch(/Stop the bot first .*\/questions in Discord/);
    } finally {
      rmSync(path.join(dataDir, 'bot.lock'), { force: true });
    }
  });

  it.each([
    ['an empty file', '  \n\n', /empty\. Nothing was imported/],
    [
      'a binary file',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe]),
      /not UTF-8 text\. Nothing was imported/,
    ],
    [
      'a text without questions',
      '# Week 3\n\nRead chapter four before Monday.\n',
      /No questions found in .*top-level "- " bullets.*docs\/questions\.md.*Nothing was imported/,
    ],
    [
      'a file whose every question is unusable',
      '# Week 3\n\n- What is a JWT?\n  <!-- slug: Not A Slug -->\n',
      /None of the questions .* could be used.*Nothing was imported/,
    ],
  ])('questions import of %s exits 1 with a clear message and imports nothing', async (_case, content, message) => {
    const file = path.join(scratch, 'exercise.md');
    writeFileSync(file, content);
    const result = await runScript(QUESTIONS, ['import', file], { DATA_DIR: dataDir });
    expectPlainFailure(result);
    expect(result.stderr).toMatch(message);
    expect(await importedCount()).toBe(0);
  });

  it('questions import of a real exercise sheet adds its questions and exits 0', async () => {
    const file = path.join(scratch, 'sheet.md');
    writeFileSync(file, '# Week 9\n\n- What does a load balancer do?\n- Why would you cache a database query?\n');
    const result = await runScript(QUESTIONS, ['import', file], { DATA_DIR: dataDir });
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toMatch(/^2 added, 0 updated, 0 unchanged, 0 skipped/);
    expect(await importedCount()).toBe(2);
  });
});
