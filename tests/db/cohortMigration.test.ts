import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite, openPostgres, queryRows, type Database, type Queryable } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { listCohorts } from '../../src/db/repo/cohorts.ts';
import { gradeAnswer } from '../../src/db/repo/grading.ts';
import { leaderboardFor, rankStandings, rebuildScoreTotals } from '../../src/db/repo/leaderboard.ts';
import { progressOf } from '../../src/db/repo/progress.ts';
import { periodKey, periodStart, type LeaderboardPeriod } from '../../src/quiz/periods.ts';
import { dailyStreaks, type DailyPostOutcome } from '../../src/quiz/streaks.ts';
import { engines, testDatabaseUrl, type Engine } from '../support/database.ts';
import { snowflake } from '../support/fixtures.ts';

/** The last migration of the schema before cohorts: the database is built with the migrations up to it. */
const BEFORE_COHORTS = '0005_answer_versions_and_regrades';
const root = path.resolve(import.meta.dirname, '../..');

/** A copy of drizzle/ whose journal stops at BEFORE_COHORTS: the previous schema, migrated the same way. */
function previousMigrations(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'quizbot-previous-migrations-'));
  cpSync(path.join(root, 'drizzle'), dir, { recursive: true });
  const journalPath = path.join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const cut = journal.entries.findIndex((entry) => entry.tag === BEFORE_COHORTS);
  expect(cut).toBeGreaterThanOrEqual(0);
  journal.entries = journal.entries.slice(0, cut + 1);
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

async function openEmpty(engine: Engine): Promise<{ database: Database; destroy: () => Promise<void> }> {
  if (engine === 'pglite') {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'quizbot-migration-'));
    mkdirSync(path.join(dataDir, 'pglite'));
    const database = await openPglite(dataDir);
    return {
      database,
      destroy: async () => (await database.close(), rmSync(dataDir, { recursive: true, force: true })),
    };
  }
  const name = `quizbot_cohort_migration_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(testDatabaseUrl!, { onnotice: () => {}, max: 1 });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(testDatabaseUrl!);
  url.pathname = `/${name}`;
  const database = await openPostgres(url.toString());
  const destroy = async () => {
    await database.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
  return { database, destroy };
}

const rows = <T>(db: Queryable, query: ReturnType<typeof sql>) => queryRows<T>(db, query);

const guilds = {
  newYork: snowflake(1001),
  berlin: snowflake(1002),
  practiceOnly: snowflake(1003),
  rolesOnly: snowflake(1004),
};
const students = Array.from({ length: 7 }, (_, i) => snowflake(2000 + i));
const instructor = snowflake(3000);
/** The clock of the checks: after every seeded post, with the last one still open. */
const NOW = new Date('2026-11-06T20:00:00Z');
const DATES = Array.from({ length: 12 }, (_, i) => new Date(Date.UTC(2026, 9, 26 + i)).toISOString().slice(0, 10));

/**
 * The previous schema, populated as a server used it: two scheduled guilds in zones whose weeks and months differ
 * from UTC (across the end of daylight saving time and a month's end), a guild that only practised, one that only
 * set its instructor role; daily posts (closed, open, one claimed but never posted), answers, grades and regrades,
 * practice answers, points, study cards, reminder preferences and claims, a bulk acceptance. All through SQL, as
 * the repository functions of that schema are gone.
 */
async function seedPreviousSchema(db: Queryable): Promise<void> {
  await db.execute(sql`insert into guild_settings (guild_id, channel_id, post_time, time_zone, window_hours, days, remind_hours, instructor_role_id, starts_on)
    values (${guilds.newYork}, ${snowflake(11)}, '09:00', 'America/New_York', 24, 'weekdays', 2, ${snowflake(21)}, '2026-10-20')`);
  await db.execute(sql`insert into guild_settings (guild_id, channel_id, post_time, time_zone, window_hours, days, paused, paused_reason, pause_notice_at)
    values (${guilds.berlin}, ${snowflake(12)}, '18:30', 'Europe/Berlin', 12, 'every', true, 'Discord says the channel is gone.', '2026-11-05T10:00:00Z')`);
  await db.execute(
    sql`insert into guild_settings (guild_id, instructor_role_id) values (${guilds.rolesOnly}, ${snowflake(24)})`,
  );
  const questionIds: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    const [row] = await rows<{ id: number }>(
      db,
      sql`insert into questions (slug, topic, text, position) values (${`q${i}`}, ${`topic ${i % 2}`}, ${`Question ${i}?`}, ${i}) returning id`,
    );
    questionIds.push(row!.id);
  }
  const [imported] = await rows<{ id: number }>(
    db,
    sql`insert into questions (guild_id, slug, topic, text, imported) values (${guilds.newYork}, 'own', 'topic 9', 'Own?', true) returning id`,
  );
  questionIds.push(imported!.id);
  let minute = 0;
  const at = (base: Date, minutes: number) => new Date(base.getTime() + minutes * 60_000).toISOString();
  for (const [g, guildId] of [guilds.newYork, guilds.berlin].entries()) {
    for (const [d, localDate] of DATES.entries()) {
      const postedAt = new Date(`${localDate}T${g === 0 ? '13:00' : '17:30'}:00Z`);
      const last = d === DATES.length - 1;
      const closesAt = new Date(postedAt.getTime() + 24 * 3_600_000);
      const [prompt] = await rows<{ id: number }>(
        db,
        sql`insert into prompts (guild_id, question_id, kind, local_date, channel_id, message_id, claimed_at, posted_at, closes_at, closed_at, reveal_message_id, post_attempts)
            values (${guildId}, ${questionIds[(d + g) % 5]!}, 'daily', ${localDate}, ${snowflake(11 + g)}, ${snowflake(50_000 + g * 100 + d)}, ${postedAt.toISOString()},
                    ${postedAt.toISOString()}, ${closesAt.toISOString()}, ${last ? null : closesAt.toISOString()}, ${last ? null : snowflake(60_000 + g * 100 + d)}, 1)
            returning id`,
      );
      for (const [s, userId] of students.entries()) {
        // Each student skips some days, so streaks break and restart differently per student and guild.
        if ((s * 7 + d * 3 + g) % 5 === 0 || (s === 6 && g === 1)) continue;
        const answeredAt = at(postedAt, 10 + s * 37 + (minute++ % 13));
        const [answer] = await rows<{ id: number }>(
          db,
          sql`insert into answers (prompt_id, guild_id, question_id, kind, user_id, user_name, body, suggested_grade, first_for_question, graded, starred, created_at)
              values (${prompt!.id}, ${guildId}, ${questionIds[(d + g) % 5]!}, 'daily', ${userId}, ${`Student ${s}`}, ${`answer ${d} ${s}`}, 'partial', false,
                      ${(s + d) % 3 !== 0}, ${s === 1}, ${answeredAt}) returning id`,
        );
        await db.execute(
          sql`insert into points_ledger (guild_id, user_id, answer_id, reason, points, created_at) values (${guildId}, ${userId}, ${answer!.id}, 'daily_answer', 1, ${answeredAt})`,
        );
        if ((s + d) % 3 === 0) continue;
        const grade = (['correct', 'partial', 'incorrect'] as const)[(s + d) % 3 === 1 ? 0 : s % 2 === 0 ? 1 : 2];
        const gradedAt = at(postedAt, 26 * 60 + s);
        await db.execute(
          sql`insert into grades (answer_id, guild_id, grade, grader_id, graded_at) values (${answer!.id}, ${guildId}, ${grade}, ${instructor}, ${gradedAt})`,
        );
        const points = { correct: 3, partial: 1, incorrect: 0 }[grade];
        await db.execute(
          sql`insert into points_ledger (guild_id, user_id, answer_id, reason, points, created_at) values (${guildId}, ${userId}, ${answer!.id}, 'daily_grade', ${points}, ${gradedAt})`,
        );
        // A later regrade down: the ledger records the difference.
        if (grade === 'correct' && s % 3 === 0) {
          await db.execute(sql`update grades set grade = 'partial' where answer_id = ${answer!.id}`);
          await db.execute(
            sql`insert into points_ledger (guild_id, user_id, answer_id, reason, points, created_at) values (${guildId}, ${userId}, ${answer!.id}, 'daily_grade', -2, ${at(postedAt, 30 * 60)})`,
          );
        }
      }
      if (d === 3) {
        await db.execute(sql`insert into daily_reminders (prompt_id, guild_id, recipients, claimed_at, sent_at, dms_done)
          values (${prompt!.id}, ${guildId}, ${JSON.stringify([{ userId: students[2], delivery: 'dm' }])}::jsonb, ${postedAt.toISOString()}, ${postedAt.toISOString()}, ${JSON.stringify([students[2]])}::jsonb)`);
      }
    }
    // A claim whose post never reached Discord: it counts for no rotation and no streak.
    await db.execute(sql`insert into prompts (guild_id, question_id, kind, local_date, channel_id, claimed_at, post_attempts)
      values (${guildId}, ${questionIds[0]!}, 'daily', '2026-11-07', ${snowflake(11 + g)}, '2026-11-06T19:00:00Z', 3)`);
    for (const userId of students.slice(0, 3)) {
      await db.execute(
        sql`insert into reminder_preferences (guild_id, user_id, enabled, delivery) values (${guildId}, ${userId}, ${userId !== students[1]}, ${userId === students[2] ? 'dm' : 'channel'})`,
      );
    }
  }
  // Practice: the first answer to a question earns points, later ones none; a guild with practice only.
  for (const guildId of [guilds.newYork, guilds.practiceOnly]) {
    for (const [s, userId] of students.slice(0, 4).entries()) {
      for (let q = 0; q < 3; q += 1) {
        const when = new Date(Date.UTC(2026, 9, 28 + q * 2 + s, 8 + s)).toISOString();
        const [prompt] = await rows<{ id: number }>(
          db,
          sql`insert into prompts (guild_id, question_id, kind, user_id, claimed_at, posted_at) values (${guildId}, ${questionIds[q]!}, 'practice', ${userId}, ${when}, ${when}) returning id`,
        );
        const [answer] = await rows<{ id: number }>(
          db,
          sql`insert into answers (prompt_id, guild_id, question_id, kind, user_id, user_name, body, suggested_grade, first_for_question, created_at)
              values (${prompt!.id}, ${guildId}, ${questionIds[q]!}, 'practice', ${userId}, ${`Student ${s}`}, 'practice answer', ${q === 2 ? 'incorrect' : 'correct'}, true, ${when}) returning id`,
        );
        if (q !== 2)
          await db.execute(
            sql`insert into points_ledger (guild_id, user_id, answer_id, reason, points, created_at) values (${guildId}, ${userId}, ${answer!.id}, 'practice_grade', 2, ${when})`,
          );
        await db.execute(
          sql`insert into study_cards (guild_id, user_id, question_id, card, due, last_answered_at) values (${guildId}, ${userId}, ${questionIds[q]!}, null, ${when}, ${when})`,
        );
      }
    }
  }
  await db.execute(
    sql`insert into bulk_acceptances (guild_id, question_id, instructor_id, items) values (${guilds.newYork}, ${questionIds[0]!}, ${instructor}, '[]'::jsonb)`,
  );
}

interface Figures {
  totals: Record<string, { points: number; reachedAt: string | null }>;
  ledger: Record<string, number>;
  answers: Record<string, number>;
  streaks: Record<string, { current: number; best: number }>;
  boards: Record<string, string[]>;
  counts: Record<string, number>;
}

const key = (...parts: (string | number)[]) => parts.join('|');
const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

/** Every figure a user of the bot sees, read with SQL that means the same on either schema (`cohortOf`: how a row reaches its guild). */
async function readFigures(db: Queryable, scoreGuild: ReturnType<typeof sql>): Promise<Figures> {
  const totals = await rows<{
    guild: string;
    period: string;
    user_id: string;
    points: number;
    reached_at: string | null;
  }>(db, sql`select ${scoreGuild} as guild, t.period, t.user_id, t.points, t.reached_at from score_totals t`);
  const ledger = await rows<{ guild_id: string; user_id: string; reason: string; points: number }>(
    db,
    sql`select guild_id, user_id, reason, sum(points)::int as points from points_ledger group by 1, 2, 3`,
  );
  const answers = await rows<{ guild_id: string; user_id: string; kind: string; graded: boolean; n: number }>(
    db,
    sql`select guild_id, user_id, kind, graded, count(*)::int as n from answers group by 1, 2, 3, 4`,
  );
  // The streak's inputs as /me reads them: every posted daily question of the guild, answered or not, in date order.
  const posts = await rows<{ guild_id: string; user_id: string; answered: boolean; closed: boolean }>(
    db,
    sql`select p.guild_id, u.user_id, a.id is not null as answered,
          (p.closed_at is not null or coalesce(p.closes_at <= ${NOW.toISOString()}::timestamptz, false)) as closed
        from prompts p cross join (select distinct user_id from answers) u
        left join answers a on a.prompt_id = p.id and a.user_id = u.user_id
        where p.kind = 'daily' and p.message_id is not null order by p.guild_id, u.user_id, p.local_date`,
  );
  const byStudent = new Map<string, DailyPostOutcome[]>();
  for (const post of posts)
    byStudent.set(key(post.guild_id, post.user_id), [...(byStudent.get(key(post.guild_id, post.user_id)) ?? []), post]);
  const counts: Record<string, number> = {};
  for (const table of [
    'prompts',
    'answers',
    'grades',
    'points_ledger',
    'score_totals',
    'study_cards',
    'reminder_preferences',
    'daily_reminders',
    'bulk_acceptances',
    'questions',
  ]) {
    const [row] = await rows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(table)}`);
    counts[table] = row!.n;
  }
  // The leaderboard of every period as the previous rankStandings ordered it: points, then who reached them first.
  const boards: Record<string, string[]> = {};
  for (const row of [...totals]
    .filter((t) => t.points > 0)
    .sort(
      (a, b) =>
        b.points - a.points ||
        String(iso(a.reached_at)).localeCompare(String(iso(b.reached_at))) ||
        a.user_id.localeCompare(b.user_id),
    )) {
    (boards[key(row.guild, row.period)] ??= []).push(`${row.user_id}:${row.points}`);
  }
  return {
    totals: Object.fromEntries(
      totals.map((t) => [key(t.guild, t.period, t.user_id), { points: t.points, reachedAt: iso(t.reached_at) }]),
    ),
    ledger: Object.fromEntries(ledger.map((l) => [key(l.guild_id, l.user_id, l.reason), l.points])),
    answers: Object.fromEntries(answers.map((a) => [key(a.guild_id, a.user_id, a.kind, String(a.graded)), a.n])),
    streaks: Object.fromEntries([...byStudent].map(([k, list]) => [k, dailyStreaks(list)])),
    boards,
    counts,
  };
}

for (const engine of engines) {
  describe(`migrating a populated database to cohorts [${engine}]`, () => {
    const cleanups: (() => Promise<void> | void)[] = [];
    afterAll(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    });

    it('turns every server into one cohort and keeps every total, streak and setting', async () => {
      const previous = previousMigrations();
      cleanups.push(() => rmSync(previous, { recursive: true, force: true }));
      const { database, destroy } = await openEmpty(engine);
      cleanups.push(destroy);
      const db = database.db;
      await migrateDatabase(database, previous);
      await seedPreviousSchema(db);
      const settingsBefore = await rows<Record<string, unknown>>(
        db,
        sql`select * from guild_settings order by guild_id`,
      );
      const before = await readFigures(db, sql`t.guild_id`);
      expect(before.counts.score_totals).toBeGreaterThan(60);
      expect(Object.keys(before.boards).length).toBeGreaterThan(10);

      await migrateDatabase(database);

      const after = await readFigures(db, sql`(select c.guild_id from cohorts c where c.id = t.cohort_id)`);
      expect(after).toEqual(before);

      // One cohort per server that had settings or data, with that server's schedule; the instructor role stays the server's.
      const cohorts = await rows<Record<string, unknown>>(db, sql`select * from cohorts order by guild_id`);
      expect(cohorts.map((c) => c.guild_id)).toEqual(Object.values(guilds).sort());
      for (const cohort of cohorts) {
        const old = settingsBefore.find((s) => s.guild_id === cohort.guild_id);
        expect(cohort.name).toBe('Cohort 1');
        for (const column of [
          'channel_id',
          'post_time',
          'time_zone',
          'window_hours',
          'days',
          'paused',
          'paused_reason',
          'starts_on',
          'remind_hours',
        ]) {
          expect({ column, value: cohort[column] }).toEqual({
            column,
            value: old?.[column] ?? { window_hours: 24, days: 'every', paused: false, remind_hours: 3 }[column] ?? null,
          });
        }
        expect(iso(cohort.pause_notice_at as string | null)).toEqual(
          iso((old?.pause_notice_at as string | null) ?? null),
        );
      }
      const servers = await rows<Record<string, unknown>>(db, sql`select * from guild_settings order by guild_id`);
      expect(servers).toEqual(
        settingsBefore.map((s) => ({
          guild_id: s.guild_id,
          instructor_role_id: s.instructor_role_id,
          updated_at: s.updated_at,
        })),
      );
      // Every row points to its own server's cohort.
      for (const table of ['prompts', 'answers', 'points_ledger', 'score_totals', 'reminder_preferences']) {
        const [mismatch] = await rows<{ n: number }>(
          db,
          sql`select count(*)::int as n from ${sql.identifier(table)} t join cohorts c on c.id = t.cohort_id where c.guild_id <> t.guild_id`,
        );
        expect({ table, mismatched: mismatch!.n }).toEqual({ table, mismatched: 0 });
      }

      // What /leaderboard and /me show now, through the repository, equals what the figures held before.
      for (const cohort of await Promise.all(
        Object.values(guilds).map(async (guildId) => (await listCohorts(db, guildId))[0]!),
      )) {
        const zone = (cohort.timeZone ?? 'UTC') as string;
        for (const period of ['week', 'month', 'all'] as LeaderboardPeriod[]) {
          for (const now of [new Date('2026-10-30T12:00:00Z'), new Date('2026-11-02T12:00:00Z'), NOW]) {
            const board = await leaderboardFor(db, cohort, { period, now, userId: students[0]!, limit: 50 });
            expect(board.top.map((s) => `${s.userId}:${s.points}`)).toEqual(
              before.boards[key(cohort.guildId, periodKey(now, period, zone))] ?? [],
            );
          }
        }
        for (const userId of students) {
          const progress = await progressOf(db, {
            guildId: cohort.guildId,
            cohortId: cohort.id,
            userId,
            now: NOW,
            weekStart: periodStart(NOW, 'week', zone)!,
          });
          const allTime = ['daily_answer', 'daily_grade', 'practice_grade'].reduce(
            (sum, reason) => sum + (before.ledger[key(cohort.guildId, userId, reason)] ?? 0),
            0,
          );
          expect(progress.points.allTime).toBe(allTime);
          expect(progress.points.week).toBe(
            before.totals[key(cohort.guildId, periodKey(NOW, 'week', zone), userId)]?.points ?? 0,
          );
          expect(progress.streak).toEqual(before.streaks[key(cohort.guildId, userId)] ?? { current: 0, best: 0 });
          const given = Object.entries(before.answers)
            .filter(([k]) => k.startsWith(key(cohort.guildId, userId) + '|'))
            .reduce((sum, [, n]) => sum + n, 0);
          expect(progress.answers).toBe(given);
          const ranked =
            before.boards[key(cohort.guildId, 'all')]?.findIndex((entry) => entry.startsWith(`${userId}:`)) ?? -1;
          expect(progress.rank?.rank ?? null).toBe(ranked >= 0 ? ranked + 1 : null);
        }
        // The migrated totals are exactly what the ledger gives in the cohort's zone.
        const kept = await rows(
          db,
          sql`select period, user_id, points from score_totals where cohort_id = ${cohort.id} order by 1, 2`,
        );
        await rebuildScoreTotals(db, cohort.id);
        expect(
          await rows(
            db,
            sql`select period, user_id, points from score_totals where cohort_id = ${cohort.id} order by 1, 2`,
          ),
        ).toEqual(kept);
      }

      // The bot keeps working on the migrated data: a grade adds its points to the cohort's running totals.
      const [ungraded] = await rows<{ id: number; user_id: string; cohort_id: number }>(
        db,
        sql`select id, user_id, cohort_id from answers where guild_id = ${guilds.berlin} and kind = 'daily' and not graded order by id limit 1`,
      );
      const allBefore = await rankStandings(db, ungraded!.cohort_id, {
        period: 'all',
        userId: ungraded!.user_id,
        limit: 0,
      });
      const graded = await gradeAnswer(database.db, {
        guildId: guilds.berlin,
        answerId: ungraded!.id,
        grade: 'correct',
        graderId: instructor,
        now: NOW,
        regrade: false,
      });
      expect(graded.status).toBe('graded');
      const allAfter = await rankStandings(db, ungraded!.cohort_id, {
        period: 'all',
        userId: ungraded!.user_id,
        limit: 0,
      });
      expect(allAfter.caller!.points).toBe((allBefore.caller?.points ?? 0) + 3);
    });
  });
}
