/**
 * /leaderboard and /me on a big guild: 20 cohorts in one server, 10,000 students (each in one cohort) and 1,000,000
 * ledger rows over ~90 days in PostgreSQL, timing the repository functions the commands call for one cohort
 * (src/db/repo/leaderboard.ts, src/db/repo/progress.ts).
 */
import { sql } from 'drizzle-orm';
import { openPostgres, type Database } from '../src/db/client.ts';
import { leaderboardFor } from '../src/db/repo/leaderboard.ts';
import { callerCohort } from '../src/db/repo/cohorts.ts';
import { progressOf } from '../src/db/repo/progress.ts';
import { periodStart, type LeaderboardPeriod } from '../src/quiz/periods.ts';
import { prepareDatabase } from '../src/startup.ts';
import { createScratchDatabase } from './databases.ts';
import { summarize, timeRuns, type Summary } from './stats.ts';

const GUILD_ID = '1100000000000000001';
const STUDENTS = 10_000;
const LEDGER_ROWS = 1_000_000;
const DAYS = 90;
/** Students who answer the daily questions (with grades and study cards), so /me has real rows to read. */
const ACTIVE_STUDENTS = 2_000;
/** Cohorts in the one server; student s is in cohort s % COHORTS. */
const COHORTS = 20;
const userId = (n: string | number) => `(110000000000000000 + ${n})::bigint::text`;

export interface TimedCase {
  name: string;
  summary: Summary;
  rows?: number;
}

export interface LeaderboardResult {
  seedMs: number;
  counts: Record<string, number>;
  cases: TimedCase[];
}

async function seed(database: Database): Promise<Record<string, number>> {
  const db = database.db;
  // 20 cohorts, each with its channel, in a few zones; cohort k (0-based) has id k + 1 in this fresh database.
  await db.execute(
    sql.raw(`
    insert into cohorts (guild_id, name, channel_id, post_time, time_zone)
    select '${GUILD_ID}', 'Cohort ' || (k + 1), (1100000000000000100 + k)::text, '09:00',
           (array['Europe/Berlin','America/New_York','Asia/Kolkata','UTC'])[1 + k % 4]
    from generate_series(0, ${COHORTS - 1}) k`),
  );
  // One daily post a day per cohort for 90 days, rotating through the shipped bank.
  await db.execute(
    sql.raw(`
    insert into prompts (guild_id, cohort_id, question_id, kind, local_date, channel_id, message_id, posted_at, closes_at, closed_at)
    select '${GUILD_ID}', c.id, q.id, 'daily', to_char(current_date - d, 'YYYY-MM-DD'), c.channel_id, (1200000000000000000 + c.id * 1000 + d)::text,
           now() - d * interval '1 day', now() - d * interval '1 day' + interval '24 hours',
           case when d > 0 then now() - d * interval '1 day' + interval '24 hours' end
    from generate_series(0, ${DAYS - 1}) d cross join cohorts c
    join (select id, row_number() over (order by id) - 1 as k, count(*) over () as n from questions where guild_id is null) q on q.k = (d + c.id) % q.n
    where c.guild_id = '${GUILD_ID}'`),
  );
  // The active students answer about 70% of their cohort's daily questions.
  await db.execute(
    sql.raw(`
    insert into answers (prompt_id, guild_id, cohort_id, question_id, kind, user_id, user_name, body, suggested_grade, first_for_question, graded, created_at)
    select p.id, p.guild_id, p.cohort_id, p.question_id, 'daily', ${userId('s')}, 'Student ' || s, 'A signed token with claims, checked with the secret.',
           (array['correct','partial','incorrect'])[1 + floor(random() * 3)::int],
           not exists (select 1 from prompts p2 where p2.cohort_id = p.cohort_id and p2.question_id = p.question_id and p2.id < p.id),
           true, p.posted_at + random() * interval '20 hours'
    from prompts p join generate_series(1, ${ACTIVE_STUDENTS}) s on p.cohort_id = 1 + s % ${COHORTS}
    where p.guild_id = '${GUILD_ID}' and random() < 0.7`),
  );
  await db.execute(
    sql.raw(`
    insert into grades (answer_id, guild_id, grade, grader_id, graded_at, notified_at)
    select id, guild_id, (array['correct','correct','partial','incorrect'])[1 + floor(random() * 4)::int], '1100000000000000003',
           created_at + interval '2 hours', created_at + interval '2 hours'
    from answers where guild_id = '${GUILD_ID}'`),
  );
  await db.execute(
    sql.raw(`
    insert into study_cards (guild_id, user_id, question_id, card, due, last_answered_at)
    select guild_id, user_id, question_id, null, max(created_at) + interval '7 days', max(created_at)
    from answers where guild_id = '${GUILD_ID}' group by guild_id, user_id, question_id`),
  );
  // The ledger: one row per student, then the rest skewed towards the first students, over 90 days.
  await db.execute(
    sql.raw(`
    insert into points_ledger (guild_id, cohort_id, user_id, answer_id, reason, points, created_at)
    select '${GUILD_ID}', 1 + s % ${COHORTS}, ${userId('s')}, null, 'daily_answer', 1, now() - random() * interval '${DAYS} days'
    from generate_series(1, ${STUDENTS}) s`),
  );
  await db.execute(
    sql.raw(`
    insert into points_ledger (guild_id, cohort_id, user_id, answer_id, reason, points, created_at)
    select '${GUILD_ID}', 1 + s % ${COHORTS}, ${userId('s')}, null,
           (array['daily_answer','daily_grade','daily_grade','practice_grade'])[1 + floor(random() * 4)::int],
           (array[1, 3, 1, 0, 2])[1 + floor(random() * 5)::int], now() - random() * interval '${DAYS} days'
    from (select 1 + floor(${STUDENTS} * power(random(), 2))::int as s from generate_series(1, ${LEDGER_ROWS - STUDENTS})) picked`),
  );
  await db.execute(sql.raw('vacuum analyze'));
  const counts: Record<string, number> = {};
  for (const table of ['cohorts', 'points_ledger', 'answers', 'grades', 'study_cards', 'prompts']) {
    const [row] = (await database.db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown as {
      n: number;
    }[];
    counts[table] = row?.n ?? 0;
  }
  return counts;
}

/** A student ranked in the middle (not in the top 10, so the caller's own row is looked up too). */
function middleStudent(): string {
  return String(110000000000000000n + BigInt(STUDENTS / 2));
}

/** The channel of a student's cohort (see the seed: cohort k + 1 posts in channel 1100000000000000100 + k). */
function cohortChannel(userId: string): string {
  return String(1100000000000000100n + ((BigInt(userId) - 110000000000000000n) % BigInt(COHORTS)));
}

/** An active student (with answers, grades and cards) in the middle of the ranking. */
function activeStudent(): string {
  return String(110000000000000000n + BigInt(ACTIVE_STUDENTS / 2));
}

export async function runLeaderboard(
  log: (line: string) => void,
  options: { runs: number; budgetMs: number },
): Promise<LeaderboardResult> {
  const scratch = await createScratchDatabase('leaderboard');
  // Seeding can run longer than the bot's statement bound: no timeouts for the benchmark's own work.
  const database = await openPostgres(scratch.url, { timeoutMs: 0, lockTimeoutMs: 0, minFreeBytes: 0 });
  try {
    await prepareDatabase(database);
    const seedStart = performance.now();
    const counts = await seed(database);
    const seedMs = performance.now() - seedStart;
    log(`  leaderboard: seeded ${JSON.stringify(counts)} in ${Math.round(seedMs / 1000)} s`);
    const db = database.db;
    const now = new Date();
    const cases: TimedCase[] = [];
    for (const period of ['week', 'month', 'all'] as LeaderboardPeriod[]) {
      let rows = 0;
      const samples = await timeRuns(async () => {
        // What /leaderboard does in a cohort's channel: find the cohort of the channel, then its board.
        const cohort = await callerCohort(db, GUILD_ID, { channelId: cohortChannel(middleStudent()), roleIds: [] });
        const board = await leaderboardFor(db, cohort, { period, now, userId: middleStudent() });
        rows = board.top.length + (board.caller ? 1 : 0);
      }, options);
      cases.push({
        name: `/leaderboard period:${period}, 1 of ${COHORTS} cohorts (callerCohort + leaderboardFor)`,
        summary: summarize(samples),
        rows,
      });
    }
    const me = activeStudent();
    const samples = await timeRuns(async () => {
      // What /me does for one cohort: the cohort (its zone gives the week), then every part of the progress.
      const cohort = await callerCohort(db, GUILD_ID, { channelId: cohortChannel(me), roleIds: [] });
      const weekStart = periodStart(now, 'week', cohort.timeZone ?? 'UTC')!;
      await progressOf(db, { guildId: GUILD_ID, cohortId: cohort.id, userId: me, now, weekStart });
    }, options);
    cases.push({ name: `/me, 1 of ${COHORTS} cohorts (callerCohort + progressOf)`, summary: summarize(samples) });
    return { seedMs, counts, cases };
  } finally {
    await database.close();
    await scratch.drop();
  }
}
