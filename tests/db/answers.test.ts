import { eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../src/db/client.ts';
import { assert, beforeAll, expect, it } from 'vitest';
import { recordAnswer } from '../../src/db/repo/answers.ts';
import { answerPointsTotal } from '../../src/db/repo/points.ts';
import { createPracticePrompt } from '../../src/db/repo/prompts.ts';
import { listQuestions, syncQuestions } from '../../src/db/repo/questions.ts';
import { studyProgress } from '../../src/db/repo/studyCards.ts';
import { replayCard } from '../../src/quiz/spacedRepetition.ts';
import type { Grade } from '../../src/quiz/types.ts';
import { answers, pointsLedger, prompts } from '../../src/db/schema.ts';
import { describeEachEngine } from '../support/database.ts';
import { bankQuestion, emptyRubric, snowflake, suggesting } from '../support/fixtures.ts';
import { cohortIdOf } from '../support/cohortRows.ts';
import { insertDailyPrompt } from '../support/dailyPrompts.ts';

const guildId = snowflake(1);

/** Waits until some statement of this database waits for a lock (PostgreSQL only); a minute is a ceiling for a hang. */
async function waitForLockWait(db: Db): Promise<void> {
  for (
    const started = Date.now();
    Date.now() - started < 60_000;
    await new Promise((resolve) => setTimeout(resolve, 10))
  ) {
    const [row] = await queryRows<{ waiting: number }>(
      db,
      sql`select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    );
    if ((row?.waiting ?? 0) > 0) return;
  }
  throw new Error('no statement ever waited for the lock');
}
const student = snowflake(2);

describeEachEngine('recording answers', (database, engine) => {
  let questionId = 0;
  beforeAll(async () => {
    await syncQuestions(
      database().db,
      null,
      [bankQuestion('jwt-what', { rubric: emptyRubric }), bankQuestion('jwt-signature', { rubric: emptyRubric })],
      { retireMissing: true },
    );
    questionId = (await listQuestions(database().db, guildId, { activeOnly: true }))[0]!.id;
  });

  const openDaily = async (localDate: string) => {
    const daily = await insertDailyPrompt(database().db, {
      guildId,
      questionId,
      localDate,
      closesAt: new Date(Date.now() + 3_600_000),
    });
    return daily!;
  };
  const answer = (
    promptId: number,
    body = 'A signed token.',
    userId = student,
    grade: Grade = 'correct',
    now = new Date(),
  ) =>
    recordAnswer(database().db, { guildId, promptId, userId, userName: 'Ada', body, suggest: suggesting(grade), now });

  it('stores a practice answer verbatim with its first-time points and a study card', async () => {
    const prompt = await createPracticePrompt(database().db, {
      guildId,
      cohortId: await cohortIdOf(database().db, guildId),
      userId: student,
      questionId,
      now: new Date(),
    });
    const body = "@everyone <@&123456789012345678> **bold** ```x``` \u200b\u202e مرحبا 🎉 '; drop table answers; --";
    const result = await answer(prompt.id, body);
    expect(result.status).toBe('saved');
    if (result.status !== 'saved') return;
    expect(result.pointsAdded).toBe(2);
    const [stored] = await database().db.select().from(answers).where(eq(answers.id, result.answer.id));
    expect(stored?.body).toBe(body);
    const progress = await studyProgress(database().db, guildId, student);
    expect(progress.map((row) => row.questionId)).toEqual([questionId]);
    expect(progress[0]?.card?.reps).toBeGreaterThan(0);
  });

  it('a second submit for the same prompt is refused and changes nothing', async () => {
    const prompt = await createPracticePrompt(database().db, {
      guildId,
      cohortId: await cohortIdOf(database().db, guildId),
      userId: student,
      questionId,
      now: new Date(),
    });
    const first = await answer(prompt.id, 'first');
    const second = await answer(prompt.id, 'second');
    expect(second.status).toBe('duplicate');
    const rows = await database().db.select().from(answers).where(eq(answers.promptId, prompt.id));
    expect(rows.map((row) => row.body)).toEqual(['first']);
    assert(first.status === 'saved');
    expect(await answerPointsTotal(database().db, first.answer.id)).toBe(0);
  });

  it('practice points are given only for the first answer to a question, even when two arrive at once', async () => {
    const other = snowflake(3);
    const [a, b] = await Promise.all([
      createPracticePrompt(database().db, {
        guildId,
        cohortId: await cohortIdOf(database().db, guildId),
        userId: other,
        questionId,
        now: new Date(),
      }),
      createPracticePrompt(database().db, {
        guildId,
        cohortId: await cohortIdOf(database().db, guildId),
        userId: other,
        questionId,
        now: new Date(),
      }),
    ]);
    const results = await Promise.all([answer(a.id, 'one', other), answer(b.id, 'two', other)]);
    expect(results.map((result) => result.status)).toEqual(['saved', 'saved']);
    const ledger = await database().db.select().from(pointsLedger).where(eq(pointsLedger.userId, other));
    expect(ledger.reduce((sum, row) => sum + row.points, 0)).toBe(2);
  });

  it('an answer to a closed daily question is refused', async () => {
    const daily = await insertDailyPrompt(database().db, {
      guildId,
      questionId,
      localDate: '2026-01-05',
      closesAt: new Date(Date.now() - 1000),
    });
    const result = await answer(daily!.id);
    expect(result.status).toBe('closed');
    expect(await database().db.select().from(answers).where(eq(answers.promptId, daily!.id))).toEqual([]);
  });

  it('a later answer to the same question replays the card from both answers and earns no practice points', async () => {
    const learner = snowflake(4);
    const practice = async () =>
      createPracticePrompt(database().db, {
        guildId,
        cohortId: await cohortIdOf(database().db, guildId),
        userId: learner,
        questionId,
        now: new Date(),
      });
    const first = await answer((await practice()).id, 'right', learner, 'correct', new Date('2026-03-01T10:00:00Z'));
    const cardAfterFirst = (await studyProgress(database().db, guildId, learner))[0]?.card;
    const second = await answer((await practice()).id, 'wrong', learner, 'incorrect', new Date('2026-03-05T10:00:00Z'));
    expect([first.status, second.status]).toEqual(['saved', 'saved']);
    if (second.status !== 'saved') return;
    expect(second.answer.firstForQuestion).toBe(false);
    expect(second.pointsAdded).toBe(0);
    const [progress] = await studyProgress(database().db, guildId, learner);
    expect(progress?.card?.reps).toBe((cardAfterFirst?.reps ?? 0) + 1);
    expect(progress?.card).toEqual(
      replayCard([
        { grade: 'correct', at: new Date('2026-03-01T10:00:00Z') },
        { grade: 'incorrect', at: new Date('2026-03-05T10:00:00Z') },
      ]),
    );
    expect(progress?.lastAnsweredAt.toISOString()).toBe('2026-03-05T10:00:00.000Z');
  });

  it('an answer racing the close of its daily question is refused once the close commits, and stores nothing', async () => {
    const daily = await openDaily('2026-01-06');
    let inFlight: ReturnType<typeof answer> | undefined;
    await database().db.transaction(async (tx) => {
      await tx.update(prompts).set({ closedAt: new Date() }).where(eq(prompts.id, daily!.id));
      inFlight = answer(daily!.id, 'just in time?', snowflake(5));
      // On PostgreSQL the answer reads the still-open prompt, then waits on its row lock until the close commits.
      // (PGlite has one connection: there the read itself waits for the close.)
      if (engine === 'postgres') await waitForLockWait(database().db);
    });
    expect((await inFlight!).status).toBe('closed');
    expect(await database().db.select().from(answers).where(eq(answers.promptId, daily!.id))).toEqual([]);
    expect(
      await database()
        .db.select()
        .from(pointsLedger)
        .where(eq(pointsLedger.userId, snowflake(5))),
    ).toEqual([]);
  });

  // PGlite has one connection: no deadlock is possible there.
  // oxlint-disable-next-line vitest/no-conditional-tests -- registered only where the race can happen
  if (engine === 'postgres')
    it('an answer caught in a deadlock (with a grade of the same student) is stored once, on a second try', async () => {
      const learner = snowflake(6);
      const practice = await createPracticePrompt(database().db, {
        guildId,
        cohortId: await cohortIdOf(database().db, guildId),
        userId: learner,
        questionId,
        now: new Date(),
      });
      expect((await answer(practice.id, 'first', learner)).status).toBe('saved');
      const daily = await openDaily('2026-01-07');
      let inFlight: ReturnType<typeof answer> | undefined;
      await database().db.transaction(async (tx) => {
        // PostgreSQL aborts the session that runs its deadlock check first, one deadlock_timeout (1 s) after that
        // session began to wait. On a busy machine that could be this one: give it a minute, so the answer is the victim.
        await tx.execute(sql`set local deadlock_timeout = '60s'`);
        // Locks taken in the opposite order to the answer's: score totals, then (below) the study card.
        await tx.execute(
          sql`select 1 from score_totals where guild_id = ${guildId} and user_id = ${learner} for update`,
        );
        inFlight = answer(daily!.id, 'second', learner);
        await waitForLockWait(database().db);
        await tx.execute(
          sql`select 1 from study_cards where guild_id = ${guildId} and user_id = ${learner} for update`,
        );
      });
      expect((await inFlight!).status).toBe('saved');
      expect(
        (await database().db.select().from(answers).where(eq(answers.promptId, daily!.id))).map((row) => row.body),
      ).toEqual(['second']);
      const ledger = await database().db.select().from(pointsLedger).where(eq(pointsLedger.userId, learner));
      expect(ledger.filter((row) => row.reason === 'daily_answer').map((row) => row.points)).toEqual([1]);
    });

  it('answers arriving together are written in one transaction, and each is told saved once it committed', async () => {
    const daily = await openDaily('2026-01-08');
    const learners = Array.from({ length: 12 }, (_, i) => snowflake(100 + i));
    const results = await Promise.all(learners.map((userId) => answer(daily!.id, `answer of ${userId}`, userId)));
    expect(results.map((result) => result.status)).toEqual(learners.map(() => 'saved'));
    // One transaction: every row carries the same creating transaction id.
    const [row] = await queryRows<{ n: number; transactions: number }>(
      database().db,
      sql`select count(*)::int as n, count(distinct xmin::text)::int as transactions from answers where prompt_id = ${daily!.id}`,
    );
    expect(row).toEqual({ n: 12, transactions: 1 });
  });

  it('in a burst, answers arriving in the milliseconds after a group started are written together in the next', async () => {
    const daily = await openDaily('2026-01-11');
    const learners = Array.from({ length: 5 }, (_, i) => snowflake(400 + i));
    // Each in its own turn of the event loop, well within GROUP_INTERVAL_MS of the first.
    const pending: ReturnType<typeof answer>[] = [];
    for (const userId of learners) {
      pending.push(answer(daily!.id, `answer of ${userId}`, userId));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect((await Promise.all(pending)).map((result) => result.status)).toEqual(learners.map(() => 'saved'));
    const rows = await queryRows<{ user_id: string; tx: string }>(
      database().db,
      sql`select user_id, xmin::text as tx from answers where prompt_id = ${daily!.id} order by id`,
    );
    // The four after the first in one transaction (the first starts at once after a quiet spell, or joins them).
    expect(rows.map((row) => row.user_id)).toEqual(learners);
    expect(new Set(rows.slice(1).map((row) => row.tx)).size).toBe(1);
  });

  it('when one answer of a group fails, the others are stored once each and only that one fails', async () => {
    const daily = await openDaily('2026-01-09');
    const learners = Array.from({ length: 6 }, (_, i) => snowflake(200 + i));
    // PostgreSQL refuses a NUL character in text: this statement fails inside the group's transaction.
    const results = await Promise.allSettled(
      learners.map((userId, i) => answer(daily!.id, i === 3 ? 'bad \u0000 byte' : `answer ${i}`, userId)),
    );
    expect(results.map((result) => (result.status === 'fulfilled' ? result.value.status : 'failed'))).toEqual([
      'saved',
      'saved',
      'saved',
      'failed',
      'saved',
      'saved',
    ]);
    const stored = await database().db.select().from(answers).where(eq(answers.promptId, daily!.id));
    expect(stored.map((row) => row.userId).sort()).toEqual(learners.filter((_, i) => i !== 3).sort());
    const ledger = await queryRows<{ n: number }>(
      database().db,
      sql`select count(*)::int as n from points_ledger where answer_id in (select id from answers where prompt_id = ${daily!.id})`,
    );
    expect(ledger[0]!.n).toBe(5);
  });

  it('the same student submitting twice in one group is stored once and told it was already received', async () => {
    const daily = await openDaily('2026-01-10');
    const twice = snowflake(300);
    const results = await Promise.all([
      answer(daily!.id, 'first', twice),
      answer(daily!.id, 'again', twice),
      answer(daily!.id, 'other', snowflake(301)),
    ]);
    expect(results.map((result) => result.status)).toEqual(['saved', 'duplicate', 'saved']);
    const stored = await database().db.select().from(answers).where(eq(answers.promptId, daily!.id));
    expect(stored.filter((row) => row.userId === twice).map((row) => row.body)).toEqual(['first']);
  });

  it('a prompt of another guild is not found', async () => {
    const prompt = await createPracticePrompt(database().db, {
      guildId: snowflake(9),
      cohortId: await cohortIdOf(database().db, snowflake(9)),
      userId: student,
      questionId,
      now: new Date(),
    });
    expect((await answer(prompt.id)).status).toBe('missing');
  });
});
