import { sql } from 'drizzle-orm';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type Db } from '../../src/db/client.ts';
import { openTestPostgres, testDatabaseUrl, type TestDatabase } from '../support/database.ts';
import { runScript, startBot } from '../support/botProcess.ts';
import { startWorld, textOf, type World } from './world.ts';

const TABLES = [
  'guild_settings',
  'cohorts',
  'questions',
  'prompts',
  'answers',
  'grades',
  'points_ledger',
  'study_cards',
  'score_totals',
  'reminder_preferences',
];

async function snapshot(db: Db): Promise<{ counts: Record<string, number>; totals: unknown[] }> {
  const counts: Record<string, number> = {};
  for (const table of TABLES)
    counts[table] = (
      await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(table)}`)
    )[0]!.n;
  const totals = await queryRows(
    db,
    sql`select guild_id, cohort_id, period, user_id, points, reached_at::text from score_totals order by 1, 2, 3, 4`,
  );
  return { counts, totals };
}

const COPY_ENTRY = fileURLToPath(new URL('../../src/cli/copyToPostgres.ts', import.meta.url));

/** The copy tool, run as an operator runs it, isolated from the developer's `.env`. */
function copy(dataDir: string, url: string) {
  return runScript(COPY_ENTRY, [url], { DATA_DIR: dataDir });
}

describe.runIf(testDatabaseUrl)('moving the embedded database to PostgreSQL', { timeout: 180_000 }, () => {
  let world: World;
  let target: TestDatabase & { url: string };
  beforeAll(async () => {
    world = await startWorld();
    target = await openTestPostgres(testDatabaseUrl!);
  });
  afterAll(async () => {
    await world?.close();
    await target?.destroy();
  });

  it('copies every answer, grade and point, so the totals and the leaderboard are the same, and the bot carries on there', async () => {
    const [ada, linus] = world.students;
    for (const student of [ada, linus]) {
      const quiz = await student.run('quiz');
      await student.click(quiz.message!, 'Answer');
      await student.submitModal('A JWT is a signed token: header, payload and signature, readable by anyone.');
    }
    const review = await world.instructor.run('review');
    await world.instructor.click(review.message!, 'Correct');
    await ada.click((await ada.run('me')).message!, 'Remind me by DM');
    const before = await world.inspectDatabase((database) => snapshot(database.db));
    expect(before.counts.answers).toBe(2);
    expect([before.counts.cohorts, before.counts.reminder_preferences]).toEqual([1, 1]);

    const copied = await copy(world.dataDir, target.url);
    expect(copied.code, copied.output).toBe(0);
    expect(copied.output).toMatch(/Copied\. Points: \d+ on both sides/);
    expect(await snapshot(target.db)).toEqual(before);

    const again = await copy(world.dataDir, target.url);
    expect(again.code).toBe(1);
    expect(again.output).toMatch(/already holds data/);
  });

  it('the bot started on the copy shows the same leaderboard and hands out new ids after the copied ones', async () => {
    const bot = await startBot({
      env: {
        DISCORD_TOKEN: world.fake.token,
        DISCORD_API_URL: world.fake.apiUrl,
        DISCORD_GUILD_ID: world.guild.id,
        DATABASE_URL: target.url,
      },
    });
    try {
      world.bot = bot;
      const board = await world.students[2].run('leaderboard', { period: 'all' });
      expect(textOf(board.message)).toMatch(new RegExp(`<@${world.students[0].id}> · \\d+ points`));
      const quiz = await world.students[2].run('quiz');
      await world.students[2].click(quiz.message!, 'Answer');
      expect(textOf((await world.students[2].submitModal('Written after the move')).message)).toContain('Saved');
      expect((await snapshot(target.db)).counts.answers).toBe(3);
    } finally {
      await bot.stop();
    }
  });
});
