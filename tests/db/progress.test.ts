import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { recordAnswer } from '../../src/db/repo/answers.ts';
import { gradeAnswer, markNotified, saveFeedback } from '../../src/db/repo/grading.ts';
import { markGradesSeen, progressOf } from '../../src/db/repo/progress.ts';
import { createPracticePrompt } from '../../src/db/repo/prompts.ts';
import { listQuestions, syncQuestions } from '../../src/db/repo/questions.ts';
import { answers, pointsLedger, questions } from '../../src/db/schema.ts';
import type { Grade } from '../../src/quiz/types.ts';
import { describeEachEngine } from '../support/database.ts';
import { bankQuestion, snowflake, suggesting } from '../support/fixtures.ts';
import { cohortIdOf } from '../support/cohortRows.ts';
import { insertDailyPrompt } from '../support/dailyPrompts.ts';

const guildId = snowflake(301);
const otherGuild = snowflake(302);
const instructor = snowflake(303);
const answeredAt = new Date('2026-02-02T12:00:00Z');
const weekStart = new Date('2026-02-02T00:00:00Z');
const student = (n: number) => snowflake(400 + n);

describeEachEngine('a student’s progress', (database) => {
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    const bank = [
      bankQuestion('a'),
      bankQuestion('b'),
      bankQuestion('c', { topic: 'Testing' }),
      bankQuestion('d', { topic: 'Testing' }),
    ];
    await syncQuestions(database().db, guildId, bank, { retireMissing: false });
    for (const q of await listQuestions(database().db, guildId, { activeOnly: false })) ids[q.slug] = q.id;
  });
  const progress = async (userId: string, now = answeredAt) =>
    progressOf(database().db, { guildId, cohortId: await cohortIdOf(database().db, guildId), userId, now, weekStart });

  async function practise(userId: string, slug: string, grade: Grade | null, feedback?: string) {
    const prompt = await createPracticePrompt(database().db, {
      guildId,
      cohortId: await cohortIdOf(database().db, guildId),
      userId,
      questionId: ids[slug]!,
      now: new Date(),
    });
    const saved = await recordAnswer(database().db, {
      guildId,
      promptId: prompt.id,
      userId,
      userName: 'S',
      body: 'x',
      suggest: suggesting('correct'),
      now: answeredAt,
    });
    if (saved.status !== 'saved') throw new Error(saved.status);
    if (feedback) await saveFeedback(database().db, { guildId, answerId: saved.answer.id, feedback });
    if (grade)
      await gradeAnswer(database().db, {
        guildId,
        answerId: saved.answer.id,
        grade,
        graderId: instructor,
        now: answeredAt,
        regrade: false,
      });
    return saved.answer.id;
  }

  it('counts points this week and all time, and ranks the student over all time', async () => {
    const give = async (userId: string, points: number, at: string) =>
      database()
        .db.insert(pointsLedger)
        .values({
          guildId,
          cohortId: await cohortIdOf(database().db, guildId),
          userId,
          points,
          reason: 'daily_grade',
          createdAt: new Date(at),
        });
    await give(student(1), 3, '2026-01-20T10:00:00Z');
    await give(student(1), 2, '2026-02-02T10:00:00Z');
    await give(student(2), 10, '2026-01-20T10:00:00Z');
    await database()
      .db.insert(pointsLedger)
      .values({
        guildId: otherGuild,
        cohortId: await cohortIdOf(database().db, otherGuild),
        userId: student(1),
        points: 50,
        reason: 'daily_grade',
      });
    const mine = await progress(student(1));
    expect(mine.points).toEqual({ week: 2, allTime: 5 });
    expect(mine.rank).toEqual({ rank: 2, userId: student(1), points: 5 });
    const nobody = await progress(student(3));
    expect(nobody.points).toEqual({ week: 0, allTime: 0 });
    expect(nobody.rank).toBeNull();
  });

  it("takes the streak from the guild's posted daily questions in date order; unposted days do not break it", async () => {
    const userId = student(10);
    // d4 missed and closed, d6 claimed but never posted, d8 still open: current 2 (d5, d7), best 3 (d1 to d3).
    const days = [
      ['d7', true, true],
      ['d1', true, true],
      ['d2', true, true],
      ['d3', true, true],
      ['d4', true, false],
      ['d5', true, true],
      ['d6', false, false],
      ['d8', true, false],
    ] as const;
    for (const [day, posted, answered] of days) {
      const prompt = await insertDailyPrompt(database().db, {
        guildId,
        questionId: ids.a!,
        localDate: `2026-01-0${day[1]}`,
        messageId: posted ? `m${day}` : null,
        closedAt: day === 'd8' ? null : answeredAt,
      });
      if (answered) {
        await database().db.insert(answers).values({
          promptId: prompt!.id,
          guildId,
          cohortId: prompt!.cohortId,
          questionId: ids.a!,
          kind: 'daily',
          userId,
          userName: 'S',
          body: 'x',
          firstForQuestion: false,
        });
      }
    }
    await insertDailyPrompt(database().db, {
      guildId: otherGuild,
      questionId: ids.a!,
      localDate: '2026-01-09',
      messageId: 'm',
      closedAt: answeredAt,
    });
    expect((await progress(userId)).streak).toEqual({ current: 2, best: 3 });
    expect((await progress(student(11))).streak).toEqual({ current: 0, best: 0 });
  });

  it('counts answers given and counts graded answers per topic', async () => {
    const userId = student(20);
    await practise(userId, 'a', 'correct');
    await practise(userId, 'b', 'partial');
    await practise(userId, 'c', 'incorrect');
    await practise(userId, 'd', null);
    const mine = await progress(userId);
    expect(mine.answers).toBe(4);
    expect(mine.topics).toEqual([
      { topic: 'JWT', graded: 2, correct: 1, partial: 1 },
      { topic: 'Testing', graded: 1, correct: 0, partial: 0 },
    ]);
  });

  it('lists questions due for practice, not retired ones, and not before they are due', async () => {
    const userId = student(20);
    expect((await progress(userId)).due.count).toBe(0);
    const later = new Date('2026-06-01T00:00:00Z');
    const due = (await progress(userId, later)).due;
    expect(due.count).toBe(3);
    expect(due.questions).toHaveLength(3);
    await database().db.update(questions).set({ active: false }).where(eq(questions.id, ids.c!));
    expect((await progress(userId, later)).due.count).toBe(2);
    await database().db.update(questions).set({ active: true }).where(eq(questions.id, ids.c!));
  });

  it('shows grades with unread feedback or an undelivered message until they are marked seen', async () => {
    const userId = student(30);
    const withFeedback = await practise(userId, 'a', 'partial', 'Mention the signature.');
    const delivered = await practise(userId, 'b', 'correct');
    const undelivered = await practise(userId, 'c', 'incorrect');
    await markNotified(database().db, withFeedback, answeredAt);
    await markNotified(database().db, delivered, answeredAt);
    const first = await progress(userId);
    expect(first.unseen.grades.map((g) => g.answerId).sort((x, y) => x - y)).toEqual(
      [withFeedback, undelivered].sort((x, y) => x - y),
    );
    expect(first.unseen.grades.find((g) => g.answerId === withFeedback)?.feedback).toBe('Mention the signature.');
    await markGradesSeen(database().db, guildId, [withFeedback, undelivered], answeredAt);
    expect((await progress(userId)).unseen).toEqual({ count: 0, grades: [] });
    await saveFeedback(database().db, { guildId, answerId: delivered, feedback: 'Well put.' });
    expect((await progress(userId)).unseen.grades.map((g) => g.answerId)).toEqual([delivered]);
  });

  it('shows at most five unseen grades and marks only those it showed', async () => {
    const userId = student(40);
    const bank = ['e1', 'e2', 'e3', 'e4', 'e5', 'e6'].map((slug) => bankQuestion(slug));
    await syncQuestions(
      database().db,
      guildId,
      [...(await listQuestions(database().db, guildId, { activeOnly: false })), ...bank],
      { retireMissing: false },
    );
    for (const q of await listQuestions(database().db, guildId, { activeOnly: false })) ids[q.slug] = q.id;
    for (const { slug } of bank) await practise(userId, slug, 'correct', `Feedback on ${slug}`);
    const first = await progress(userId);
    expect(first.unseen.count).toBe(6);
    expect(first.unseen.grades).toHaveLength(5);
    await markGradesSeen(
      database().db,
      otherGuild,
      first.unseen.grades.map((g) => g.answerId),
      answeredAt,
    );
    expect((await progress(userId)).unseen.count).toBe(6);
    await markGradesSeen(
      database().db,
      guildId,
      first.unseen.grades.map((g) => g.answerId),
      answeredAt,
    );
    const second = await progress(userId);
    expect(second.unseen.count).toBe(1);
    expect(second.unseen.grades.map((g) => g.question)).toEqual(['What is e1?']);
  });
});
