import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgres, type Database } from '../../src/db/client.ts';
import { listBankQuestions } from '../../src/db/repo/questions.ts';
import { prepareDatabase } from '../../src/startup.ts';
import { testDatabaseUrl } from '../support/database.ts';

describe.runIf(testDatabaseUrl)('migrating PostgreSQL', () => {
  const name = `quizbot_migrate_${process.pid}`;
  const admin = postgres(testDatabaseUrl!, { onnotice: () => {}, max: 1 });
  const opened: Database[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((database) => database.close()));
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  });

  it('is safe when three processes start at once on an empty database', async () => {
    await admin.unsafe(`create database ${name}`);
    const url = new URL(testDatabaseUrl!);
    url.pathname = `/${name}`;
    for (let i = 0; i < 3; i += 1) opened.push(await openPostgres(url.toString()));
    const reports = await Promise.all(opened.map((database) => prepareDatabase(database)));
    expect(reports.map((report) => report.added.length).sort((x, y) => x - y)).toEqual([0, 0, 14]);
    expect(await listBankQuestions(opened[0]!.db)).toHaveLength(14);
    const direct = postgres(url.toString(), { onnotice: () => {}, max: 1 });
    const [row] = await direct`select count(*)::int as n from drizzle.__drizzle_migrations`;
    await direct.end();
    const journal = JSON.parse(readFileSync('drizzle/meta/_journal.json', 'utf8')) as { entries: unknown[] };
    expect(row?.n).toBe(journal.entries.length);
  });
});
