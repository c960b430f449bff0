import { eq, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { recordAnswer } from '../../src/db/repo/answers.ts';
import { gradeAnswer, saveFeedback } from '../../src/db/repo/grading.ts';
import { listQuestions, syncQuestions } from '../../src/db/repo/questions.ts';
import {
  markDecisionNotified,
  markDecisionsSeen,
  regradableAnswers,
  requestRegrade,
  undeliveredDecisions,
} from '../../src/db/repo/regrades.ts';
import { countForReview, nextForReview } from '../../src/db/repo/reviewQueue.ts';
import { answers, grades, pointsLedger, regradeRequests } from '../../src/db/schema.ts';
import type { Grade } from '../../src/quiz/types.ts';
import { describeEachEngine } from '../support/database.ts';
import { bankQuestion, emptyRubric, snowflake, suggesting } from '../support/fixtures.ts';
import { insertDailyPrompt } from '../support/dailyPrompts.ts';

const guildId = snowflake(901);
const instructor = snowflake(902);
const DAY = 24 * 60 * 60 * 1000;
const regradesOnly = { cohortId: null, questionId: null, userId: null, kind: 'regrade' as const };

describeEachEngine('regrade requests', (database) => {
  let questionId = 0;
  let day = 0;
  beforeAll(async () => {
    await syncQuestions(database().db, null, [bankQuestion('regrade-q', { rubric: emptyRubric })], {
      retireMissing: false,
    });
    questionId = (await listQuestions(database().db, guildId, { activeOnly: true }))[0]!.id;
  });

  /** A daily answer of `userId`, graded `grade` at `gradedAt`. */
  async function gradedAnswer(userId: string, grade: Grade | null = 'partial', gradedAt = new Date()) {
    day += 1;
    const prompt = await insertDailyPrompt(database().db, {
      guildId,
      questionId,
      localDate: `2026-06-${String(day).padStart(2, '0')}`,
      messageId: 'm',
      closesAt: new Date(Date.now() + 3_600_000),
    });
    const saved = await recordAnswer(database().db, {
      guildId,
      promptId: prompt!.id,
      userId,
      userName: 'S',
      body: 'an answer',
      suggest: suggesting('partial'),
      now: new Date(),
    });
    if (saved.status !== 'saved') throw new Error(saved.status);
    if (grade) await decide(saved.answer.id, grade, false, gradedAt);
    return saved.answer.id;
  }
  const decide = (answerId: number, grade: Grade, decidesRegrade = true, now = new Date()) =>
    gradeAnswer(database().db, { guildId, answerId, grade, graderId: instructor, now, regrade: false, decidesRegrade });
  const ask = (answerId: number, userId: string, now = new Date()) =>
    requestRegrade(database().db, { answerId, userId, reason: 'Please look again.', now });
  const requestsOf = (answerId: number) =>
    database().db.select().from(regradeRequests).where(eq(regradeRequests.answerId, answerId));
  const pointsOf = async (answerId: number) => {
    const [row] = await database()
      .db.select({ total: sql<number>`coalesce(sum(${pointsLedger.points}), 0)::int` })
      .from(pointsLedger)
      .where(eq(pointsLedger.answerId, answerId));
    return row!.total;
  };

  it('a request opens once, even for two submits at once, and puts the answer in the review queue marked with its reason', async () => {
    const student = snowflake(910);
    const answerId = await gradedAnswer(student);
    const results = await Promise.all([ask(answerId, student), ask(answerId, student)]);
    expect(results.map((r) => r.status).sort()).toEqual(['open', 'requested']);
    expect(await requestsOf(answerId)).toMatchObject([
      { userId: student, reason: 'Please look again.', grade: 'partial', decidedAt: null },
    ]);
    const item = await nextForReview(database().db, guildId, regradesOnly);
    expect(item?.answer.id).toBe(answerId);
    expect(item?.regrade).toMatchObject({ reason: 'Please look again.', grade: 'partial' });
    expect((await countForReview(database().db, guildId, { ...regradesOnly, kind: null })).left).toBe(1);
    expect((await countForReview(database().db, guildId, { ...regradesOnly, kind: 'daily' })).left).toBe(1);
  });

  it("someone else's answer, an ungraded one and a grade older than 7 days are refused, and nothing is stored", async () => {
    const student = snowflake(911);
    const graded = await gradedAnswer(student, 'incorrect', new Date(Date.now() - 7 * DAY - 1000));
    expect((await ask(graded, snowflake(912))).status).toBe('not-yours');
    expect((await ask(graded, student)).status).toBe('expired');
    expect((await ask(graded, student, new Date(Date.now() - 2000))).status).toBe('requested');
    const ungraded = await gradedAnswer(student, null);
    expect((await ask(ungraded, student)).status).toBe('not-graded');
    expect((await ask(999_999, student)).status).toBe('missing');
    expect(await requestsOf(ungraded)).toEqual([]);
    expect(await regradableAnswers(database().db, { guildId, userId: student, now: new Date(), limit: 5 })).toEqual([]);
  });

  it('keeping the grade closes the request with the comment, changes no points, and ends requests for that grade', async () => {
    const student = snowflake(913);
    const answerId = await gradedAnswer(student, 'partial');
    expect(
      await regradableAnswers(database().db, { guildId, userId: student, now: new Date(), limit: 5 }),
    ).toMatchObject([{ answerId, grade: 'partial' }]);
    await ask(answerId, student);
    expect(
      (await saveFeedback(database().db, { guildId, answerId, feedback: 'Still missing the signature.' })).status,
    ).toBe('draft');
    const [gradeBefore] = await database().db.select().from(grades).where(eq(grades.answerId, answerId));
    expect(gradeBefore!.feedback).toBeNull();
    const kept = await decide(answerId, 'partial');
    expect(kept.status === 'regrade-decided' && kept.request).toMatchObject({
      outcome: 'kept',
      newGrade: 'partial',
      comment: 'Still missing the signature.',
      decidedBy: instructor,
    });
    expect(await pointsOf(answerId)).toBe(2);
    const [answer] = await database().db.select().from(answers).where(eq(answers.id, answerId));
    expect(answer).toMatchObject({ regradeOpen: false, feedbackDraft: null, graded: true });
    expect((await ask(answerId, student)).status).toBe('decided');
    expect(await regradableAnswers(database().db, { guildId, userId: student, now: new Date(), limit: 5 })).toEqual([]);
    expect(await nextForReview(database().db, guildId, { ...regradesOnly, userId: student })).toBeUndefined();
  });

  it('changing the grade moves points by the difference once, even for a double click', async () => {
    const student = snowflake(914);
    const answerId = await gradedAnswer(student, 'partial');
    await ask(answerId, student);
    const clicks = await Promise.all([decide(answerId, 'correct'), decide(answerId, 'correct')]);
    expect(clicks.map((r) => r.status).sort()).toEqual(['already', 'regrade-decided']);
    const decided = clicks.find((r) => r.status === 'regrade-decided');
    expect(
      decided?.status === 'regrade-decided' && [decided.pointsAdded, decided.previous, decided.request.outcome],
    ).toEqual([2, 'partial', 'changed']);
    expect(await pointsOf(answerId)).toBe(4);
    expect((await database().db.select().from(grades).where(eq(grades.answerId, answerId)))[0]!.grade).toBe('correct');
    expect(await requestsOf(answerId)).toHaveLength(1);
  });

  it('only a review card decides: a grade given otherwise (bulk acceptance) leaves the request open', async () => {
    const student = snowflake(915);
    const answerId = await gradedAnswer(student, 'partial');
    await ask(answerId, student);
    expect((await decide(answerId, 'correct', false)).status).toBe('already');
    expect((await requestsOf(answerId))[0]!.decidedAt).toBeNull();
  });

  it('a decision not delivered by DM is listed for /me until shown; a delivered one is not', async () => {
    const student = snowflake(916);
    const [first, second] = [await gradedAnswer(student, 'incorrect'), await gradedAnswer(student, 'incorrect')];
    for (const answerId of [first, second]) {
      await ask(answerId, student);
      await decide(answerId, 'partial');
    }
    const [delivered] = await requestsOf(first);
    await markDecisionNotified(database().db, delivered!.id, new Date());
    const listed = await undeliveredDecisions(database().db, guildId, student);
    expect(listed.map(({ request }) => request.answerId)).toEqual([second]);
    await markDecisionsSeen(
      database().db,
      listed.map(({ request }) => request.id),
      new Date(),
    );
    expect(await undeliveredDecisions(database().db, guildId, student)).toEqual([]);
  });
});
