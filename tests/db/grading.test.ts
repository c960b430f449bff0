import { eq } from 'drizzle-orm';
import { openPostgres, type Db } from '../../src/db/client.ts';
import { assert, beforeAll, expect, it } from 'vitest';
import { recordAnswer } from '../../src/db/repo/answers.ts';
import { gradeAnswer, saveFeedback } from '../../src/db/repo/grading.ts';
import { createPracticePrompt } from '../../src/db/repo/prompts.ts';
import { listQuestions, syncQuestions } from '../../src/db/repo/questions.ts';
import { countForReview, nextForReview } from '../../src/db/repo/reviewQueue.ts';
import { grades, pointsLedger, prompts } from '../../src/db/schema.ts';
import type { Grade } from '../../src/quiz/types.ts';
import { describeEachEngine } from '../support/database.ts';
import { pointsOfUser } from '../support/ledger.ts';
import { bankQuestion, emptyRubric, snowflake, suggesting } from '../support/fixtures.ts';
import { cohortIdOf } from '../support/cohortRows.ts';

const guildId = snowflake(21);
const instructor = snowflake(22);
const noFilters = { cohortId: null, questionId: null, userId: null, kind: null };

describeEachEngine('grading answers', (database, engine) => {
  let questionIds: number[] = [];
  beforeAll(async () => {
    await syncQuestions(
      database().db,
      null,
      [bankQuestion('q1', { rubric: emptyRubric }), bankQuestion('q2', { rubric: emptyRubric })],
      { retireMissing: true },
    );
    questionIds = (await listQuestions(database().db, guildId, { activeOnly: true })).map((q) => q.id);
  });

  async function dailyAnswer(userId: string, localDate: string, questionId = questionIds[0]!) {
    const [prompt] = await database()
      .db.insert(prompts)
      .values({
        guildId,
        cohortId: await cohortIdOf(database().db, guildId),
        questionId,
        kind: 'daily',
        localDate,
        closesAt: new Date(Date.now() + 3_600_000),
      })
      .onConflictDoUpdate({ target: [prompts.cohortId, prompts.localDate], set: { questionId } })
      .returning();
    const result = await recordAnswer(database().db, {
      guildId,
      promptId: prompt!.id,
      userId,
      userName: 'S',
      body: 'x',
      suggest: suggesting('correct'),
      now: new Date(),
    });
    if (result.status !== 'saved') throw new Error(result.status);
    return result.answer;
  }
  const grade = (answerId: number, value: Grade, regrade = false, grader = instructor) =>
    gradeAnswer(database().db, { guildId, answerId, grade: value, graderId: grader, now: new Date(), regrade });
  const pointsOf = (userId: string) => pointsOfUser(database().db, userId);

  it('a double click or two instructors at once give one grade, and the second is told who graded', async () => {
    const student = snowflake(30);
    const answer = await dailyAnswer(student, '2026-04-01');
    const results = await Promise.all([grade(answer.id, 'correct'), grade(answer.id, 'partial', false, snowflake(23))]);
    expect(results.map((r) => r.status).sort()).toEqual(['already', 'graded']);
    const already = results.find((r) => r.status === 'already');
    const graded = results.find((r) => r.status === 'graded');
    assert(already?.status === 'already' && graded?.status === 'graded');
    expect(already.grade.graderId).toBe(graded.grade.graderId);
    expect(await database().db.select().from(grades).where(eq(grades.answerId, answer.id))).toHaveLength(1);
    expect([4, 2]).toContain(await pointsOf(student));
  });

  it('regrading changes points by the difference only', async () => {
    const student = snowflake(31);
    const answer = await dailyAnswer(student, '2026-04-02');
    await grade(answer.id, 'correct');
    expect(await pointsOf(student)).toBe(4);
    const changed = await grade(answer.id, 'partial', true);
    expect(changed.status === 'graded' && changed.pointsAdded).toBe(-2);
    expect(await pointsOf(student)).toBe(2);
    expect((await grade(answer.id, 'partial', true)).status).toBe('already');
    expect(await pointsOf(student)).toBe(2);
  });

  it('an answer of another guild cannot be graded from this one', async () => {
    const answer = await dailyAnswer(snowflake(32), '2026-04-03');
    const result = await gradeAnswer(database().db, {
      guildId: snowflake(99),
      answerId: answer.id,
      grade: 'correct',
      graderId: instructor,
      now: new Date(),
      regrade: false,
    });
    expect(result.status).toBe('missing');
    expect(await database().db.select().from(grades).where(eq(grades.answerId, answer.id))).toEqual([]);
  });

  it('feedback written before the grade goes out with it', async () => {
    const answer = await dailyAnswer(snowflake(33), '2026-04-04');
    expect(
      (await saveFeedback(database().db, { guildId, answerId: answer.id, feedback: 'Mention the signature.' })).status,
    ).toBe('draft');
    const graded = await grade(answer.id, 'partial');
    expect(graded.status === 'graded' && graded.grade.feedback).toBe('Mention the signature.');
  });

  it('the queue gives the oldest ungraded answer, skips wrap around, and filters apply', async () => {
    const filters = { ...noFilters, userId: snowflake(40) };
    const first = await dailyAnswer(snowflake(40), '2026-04-05');
    const second = await dailyAnswer(snowflake(40), '2026-04-06', questionIds[1]);
    expect((await nextForReview(database().db, guildId, filters))?.answer.id).toBe(first.id);
    expect((await nextForReview(database().db, guildId, filters, first.id + 1))?.answer.id).toBe(second.id);
    expect((await nextForReview(database().db, guildId, filters, second.id + 1))?.answer.id).toBe(first.id);
    expect(await countForReview(database().db, guildId, filters)).toEqual({ left: 2, more: false });
    expect((await nextForReview(database().db, guildId, { ...filters, questionId: questionIds[1]! }))?.answer.id).toBe(
      second.id,
    );
    expect(await nextForReview(database().db, guildId, { ...filters, kind: 'practice' })).toBeUndefined();
    await grade(first.id, 'correct');
    expect(await countForReview(database().db, guildId, filters)).toEqual({ left: 1, more: false });
    expect(await countForReview(database().db, snowflake(98), noFilters)).toEqual({ left: 0, more: false });
  });

  it('grading a practice answer replaces the suggestion in points and the study card', async () => {
    const student = snowflake(50);
    const prompt = await createPracticePrompt(database().db, {
      guildId,
      cohortId: await cohortIdOf(database().db, guildId),
      userId: student,
      questionId: questionIds[0]!,
      now: new Date(),
    });
    const saved = await recordAnswer(database().db, {
      guildId,
      promptId: prompt.id,
      userId: student,
      userName: 'S',
      body: 'x',
      suggest: suggesting('correct'),
      now: new Date(),
    });
    if (saved.status !== 'saved') throw new Error(saved.status);
    expect(await pointsOf(student)).toBe(2);
    await grade(saved.answer.id, 'incorrect');
    expect(await pointsOf(student)).toBe(0);
  });

  /** Two processes' connections on PostgreSQL; PGlite has one process, so its one connection twice. */
  async function twoProcesses<T>(race: (dbs: [Db, Db]) => Promise<T>): Promise<T> {
    if (engine !== 'postgres') return race([database().db, database().db]);
    const url = (database() as unknown as { url: string }).url;
    const others = await Promise.all([openPostgres(url), openPostgres(url)]);
    try {
      return await race([others[0].db, others[1].db]);
    } finally {
      await Promise.all(others.map((other) => other.close()));
    }
  }
  const ledgerOf = (answerId: number) =>
    database()
      .db.select({ reason: pointsLedger.reason, points: pointsLedger.points })
      .from(pointsLedger)
      .where(eq(pointsLedger.answerId, answerId))
      .orderBy(pointsLedger.id);

  it('the same grade click in two processes at once: one of them grades (and sends the DM), one ledger entry', async () => {
    const once = await dailyAnswer(snowflake(60), '2026-04-20');
    const raced = await dailyAnswer(snowflake(61), '2026-04-20');
    expect((await grade(once.id, 'correct')).status).toBe('graded');
    const input = { guildId, answerId: raced.id, grade: 'correct' as const, graderId: instructor, regrade: false };
    const results = await twoProcesses((dbs) =>
      Promise.all(dbs.map((db) => gradeAnswer(db, { ...input, now: new Date() }))),
    );
    expect(results.map((result) => result.status).sort()).toEqual(['already', 'graded']);
    expect(await ledgerOf(raced.id)).toEqual(await ledgerOf(once.id));
  });

  it('the same feedback saved in two processes after the grade tells the student once', async () => {
    const answer = await dailyAnswer(snowflake(62), '2026-04-21');
    expect((await grade(answer.id, 'partial')).status).toBe('graded');
    const results = await twoProcesses((dbs) =>
      Promise.all(dbs.map((db) => saveFeedback(db, { guildId, answerId: answer.id, feedback: 'Name the key.' }))),
    );
    expect(results.map((result) => result.status).sort()).toEqual(['graded', 'unchanged']);
    const changed = await saveFeedback(database().db, { guildId, answerId: answer.id, feedback: 'Name the key, too.' });
    expect(changed.status).toBe('graded');
  });
});
