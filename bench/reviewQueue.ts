/**
 * /review on a big queue: 100,000 answers in PostgreSQL from 20 cohorts of one server (the shipped bank via
 * prepareDatabase, daily and practice prompts, answers; 200 of them graded with a regrade request open), timing
 * nextForReview and countForReview with each filter (the cohort filter among them), and a grade click.
 */
import { sql } from 'drizzle-orm';
import { openPostgres, type Database } from '../src/db/client.ts';
import { gradeAnswer } from '../src/db/repo/grading.ts';
import { countForReview, nextForReview, type ReviewFilters } from '../src/db/repo/reviewQueue.ts';
import { prepareDatabase } from '../src/startup.ts';
import { createScratchDatabase } from './databases.ts';
import { summarize, timeRuns } from './stats.ts';
import type { TimedCase } from './leaderboard.ts';

const GUILD_ID = '1300000000000000001';
const GRADER_ID = '1300000000000000003';
const STUDENTS = 2_000;
const DAILY_PROMPTS = 90;
const DAILY_ANSWERS = 50_000;
const PRACTICE_ANSWERS = 50_000;
/** Cohorts in the one server; student s is in cohort 1 + s % COHORTS (ids 1..20 in this fresh database). */
const COHORTS = 20;
const REGRADE_REQUESTS = 200;
const userId = (n: string) => `(130000000000000000 + ${n})::bigint::text`;

export interface ReviewResult {
  seedMs: number;
  ungraded: number;
  cases: TimedCase[];
}

const BODIES = [
  'A JWT is a signed token with a header, a payload of claims and a signature.',
  'json web token',
  'It lets the server check who you are without a session: the payload is base64, not encrypted, and the signature stops changes.',
  'RETURNING gives back the changed rows so you do not need another select',
  'idk',
  'Test what is most likely to break and what would cost the most if it broke.',
];

async function seed(database: Database): Promise<number> {
  const db = database.db;
  const bodies = `array[${BODIES.map((body) => `'${body.replace(/'/g, "''")}'`).join(', ')}]`;
  const bank = `(select id, row_number() over (order by id) - 1 as k, count(*) over () as n from questions where guild_id is null and active)`;
  await db.execute(
    sql.raw(`
    insert into cohorts (guild_id, name, channel_id, post_time, time_zone)
    select '${GUILD_ID}', 'Cohort ' || (k + 1), (1300000000000000200 + k)::text, '09:00', 'UTC' from generate_series(0, ${COHORTS - 1}) k`),
  );
  // A daily post a day in each cohort.
  await db.execute(
    sql.raw(`
    insert into prompts (guild_id, cohort_id, question_id, kind, local_date, channel_id, message_id, posted_at, closes_at)
    select '${GUILD_ID}', c.id, q.id, 'daily', to_char(current_date - d, 'YYYY-MM-DD'), c.channel_id, (1300000000000000100 + c.id * 1000 + d)::text,
           now() - d * interval '1 day', now() - d * interval '1 day' + interval '24 hours'
    from generate_series(0, ${DAILY_PROMPTS - 1}) d cross join cohorts c join ${bank} q on q.k = (d + c.id) % q.n
    where c.guild_id = '${GUILD_ID}'`),
  );
  // Practice: one prompt per answer, as /quiz makes them, in the student's cohort.
  await db.execute(
    sql.raw(`
    insert into prompts (guild_id, cohort_id, question_id, kind, user_id, posted_at)
    select '${GUILD_ID}', 1 + s % ${COHORTS}, q.id, 'practice', ${userId('s')}, now() - random() * interval '${DAILY_PROMPTS} days'
    from (select i, 1 + floor(random() * ${STUDENTS})::int as s from generate_series(1, ${PRACTICE_ANSWERS}) i) picked join ${bank} q on q.k = i % q.n`),
  );
  // Answers of both kinds in time order (ids grow with time, as in real life): 50,000 distinct (daily post, student)
  // pairs of the 180,000, and one answer per practice prompt a minute after it was posed.
  await db.execute(
    sql.raw(`
    insert into answers (prompt_id, guild_id, cohort_id, question_id, kind, user_id, user_name, body, suggested_grade, matched_points, missing_points, first_for_question, created_at)
    select prompt_id, '${GUILD_ID}', cohort_id, question_id, kind, user_id, 'Student ' || user_id, (${bodies})[1 + floor(random() * ${BODIES.length})::int],
           (array['correct','partial','incorrect'])[1 + floor(random() * 3)::int], '["signed"]'::jsonb, '["claims"]'::jsonb, false, created_at
    from (
      (select p.id as prompt_id, p.cohort_id, p.question_id, p.kind, ${userId('s')} as user_id, p.posted_at + random() * interval '20 hours' as created_at
       from prompts p join generate_series(1, ${STUDENTS}) s on p.cohort_id = 1 + s % ${COHORTS}
       where p.guild_id = '${GUILD_ID}' and p.kind = 'daily'
       order by random() limit ${DAILY_ANSWERS})
      union all
      select id, cohort_id, question_id, kind, user_id, posted_at + interval '1 minute' from prompts where guild_id = '${GUILD_ID}' and kind = 'practice'
    ) picked
    order by created_at`),
  );
  // The first answer of each student to each question is the one that earns first-time practice points.
  await db.execute(
    sql.raw(`
    update answers a set first_for_question = true
    from (select distinct on (guild_id, user_id, question_id) id from answers order by guild_id, user_id, question_id, created_at, id) f
    where a.id = f.id`),
  );
  // Regrade requests: 200 answers spread over the queue are graded, and their students asked for a regrade.
  await db.execute(
    sql.raw(`
    with picked as (select id, user_id from answers where guild_id = '${GUILD_ID}' and id % 500 = 0 limit ${REGRADE_REQUESTS}),
    graded as (insert into grades (answer_id, guild_id, grade, grader_id) select id, '${GUILD_ID}', 'partial', '${GRADER_ID}' from picked),
    requested as (insert into regrade_requests (answer_id, guild_id, user_id, reason, grade, requested_at)
                  select id, '${GUILD_ID}', user_id, 'Please look again.', 'partial', now() from picked)
    update answers a set graded = true, regrade_open = true from picked where a.id = picked.id`),
  );
  await db.execute(sql.raw('vacuum analyze'));
  const [row] = (await db.execute(
    sql.raw(`select count(*)::int as n from answers where guild_id = '${GUILD_ID}' and not graded`),
  )) as unknown as { n: number }[];
  return row?.n ?? 0;
}

async function pick(database: Database, query: string): Promise<string> {
  const [row] = (await database.db.execute(sql.raw(query))) as unknown as { v: string | number }[];
  if (row === undefined) throw new Error(`no row for ${query}`);
  return String(row.v);
}

export async function runReview(
  log: (line: string) => void,
  options: { runs: number; budgetMs: number },
): Promise<ReviewResult> {
  const scratch = await createScratchDatabase('review');
  // Seeding can run longer than the bot's statement bound: no timeouts for the benchmark's own work.
  const database = await openPostgres(scratch.url, { timeoutMs: 0, lockTimeoutMs: 0, minFreeBytes: 0 });
  try {
    await prepareDatabase(database);
    const seedStart = performance.now();
    const ungraded = await seed(database);
    const seedMs = performance.now() - seedStart;
    log(`  review: ${ungraded} ungraded answers seeded in ${Math.round(seedMs / 1000)} s`);
    const db = database.db;
    const [minId, maxId] = (await pick(database, `select min(id) || ',' || max(id) as v from answers`))
      .split(',')
      .map(Number) as [number, number];
    // A typical student (median answer count) and the question with the most answers.
    const student = await pick(
      database,
      `select user_id as v from (select user_id, count(*) n from answers group by 1) s order by n, user_id offset (select count(distinct user_id) / 2 from answers) limit 1`,
    );
    const question = Number(
      await pick(database, `select question_id as v from answers group by 1 order by count(*) desc limit 1`),
    );
    const filterSets: [string, ReviewFilters][] = [
      ['no filter', { cohortId: null, questionId: null, userId: null, kind: null }],
      ['student', { cohortId: null, questionId: null, userId: student, kind: null }],
      ['question', { cohortId: null, questionId: question, userId: null, kind: null }],
      ['kind:daily', { cohortId: null, questionId: null, userId: null, kind: 'daily' }],
      ['kind:practice', { cohortId: null, questionId: null, userId: null, kind: 'practice' }],
      ['student + question + kind:daily', { cohortId: null, questionId: question, userId: student, kind: 'daily' }],
      [`cohort (1 of ${COHORTS})`, { cohortId: 1, questionId: null, userId: null, kind: null }],
      ['cohort + question + kind:daily', { cohortId: 1, questionId: question, userId: null, kind: 'daily' }],
      ['kind:regrade', { cohortId: null, questionId: null, userId: null, kind: 'regrade' }],
    ];
    // Start positions spread over the queue (the position after the last answer graded or skipped).
    const fromIds = Array.from(
      { length: options.runs + 10 },
      (_, i) => minId + Math.floor(((i * 7919) % (options.runs + 10)) * ((maxId - minId + 1) / (options.runs + 10))),
    );
    const cases: TimedCase[] = [];
    for (const [name, filters] of filterSets) {
      const next = await timeRuns((i) => nextForReview(db, GUILD_ID, filters, fromIds[i % fromIds.length]), options);
      cases.push({ name: `nextForReview (${name})`, summary: summarize(next) });
      const counted = await timeRuns(() => countForReview(db, GUILD_ID, filters), options);
      cases.push({ name: `countForReview (${name})`, summary: summarize(counted) });
    }
    // Grade clicks, one after another through the queue, as an instructor does: the grade, then the next card.
    const noFilter: ReviewFilters = { cohortId: null, questionId: null, userId: null, kind: null };
    let fromId = minId;
    const gradeOnly: number[] = [];
    const clicks = await timeRuns(
      async (i) => {
        const item = await nextForReview(db, GUILD_ID, noFilter, fromId);
        if (!item) throw new Error('the queue is empty');
        const started = performance.now();
        const grade = (['correct', 'partial', 'incorrect'] as const)[i % 3]!;
        const result = await gradeAnswer(db, {
          guildId: GUILD_ID,
          answerId: item.answer.id,
          grade,
          graderId: GRADER_ID,
          now: new Date(),
          regrade: false,
        });
        if (result.status !== 'graded') throw new Error(`grade: ${result.status}`);
        gradeOnly.push(performance.now() - started);
        fromId = item.answer.id + 1;
        await Promise.all([nextForReview(db, GUILD_ID, noFilter, fromId), countForReview(db, GUILD_ID, noFilter)]);
      },
      { ...options, warmup: 0 },
    );
    cases.push({ name: 'grade click: gradeAnswer', summary: summarize(gradeOnly) });
    cases.push({ name: 'grade click: next card + gradeAnswer + next card and count', summary: summarize(clicks) });
    return { seedMs, ungraded, cases };
  } finally {
    await database.close();
    await scratch.drop();
  }
}
