import { eq, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { recordAnswer } from '../../src/db/repo/answers.ts';
import { confirmBulkAcceptance, gradeAnswer, proposeBulkAcceptance } from '../../src/db/repo/grading.ts';
import { createPracticePrompt } from '../../src/db/repo/prompts.ts';
import { listQuestions, syncQuestions } from '../../src/db/repo/questions.ts';
import { gradedAnswersOf } from '../../src/db/repo/reviewQueue.ts';
import { grades, pointsLedger } from '../../src/db/schema.ts';
import type { Grade } from '../../src/quiz/types.ts';
import { describeEachEngine } from '../support/database.ts';
import { bankQuestion, snowflake, suggesting } from '../support/fixtures.ts';
import { cohortIdOf } from '../support/cohortRows.ts';

const guildId = snowflake(41);
const otherGuild = snowflake(42);
const instructor = snowflake(43);
const colleague = snowflake(44);

describeEachEngine('learning from grades and bulk acceptance', (database) => {
  let questionId = 0;
  beforeAll(async () => {
    await syncQuestions(database().db, null, [bankQuestion('bulk-q')], { retireMissing: true });
    questionId = (await listQuestions(database().db, guildId, { activeOnly: true })).find(
      (q) => q.slug === 'bulk-q',
    )!.id;
  });

  let studentNumber = 100;
  async function practiceAnswer(body: string, guild = guildId) {
    const userId = snowflake(studentNumber++);
    const prompt = await createPracticePrompt(database().db, {
      guildId: guild,
      cohortId: await cohortIdOf(database().db, guild),
      userId,
      questionId,
      now: new Date(),
    });
    const result = await recordAnswer(database().db, {
      guildId: guild,
      promptId: prompt.id,
      userId,
      userName: 'S',
      body,
      suggest: suggesting('partial'),
      now: new Date(),
    });
    if (result.status !== 'saved') throw new Error(result.status);
    return result.answer;
  }
  const grade = (answerId: number, value: Grade, regrade = false, guild = guildId) =>
    gradeAnswer(database().db, {
      guildId: guild,
      answerId,
      grade: value,
      graderId: instructor,
      now: new Date(),
      regrade,
    });
  const gradeCount = async (answerId: number) =>
    (await database().db.select().from(grades).where(eq(grades.answerId, answerId))).length;

  it('learns from the latest grade of each answer, and never from another guild', async () => {
    const mine = await practiceAnswer('signed token');
    const theirs = await practiceAnswer('a token from another server', otherGuild);
    await grade(mine.id, 'correct');
    await grade(mine.id, 'partial', true);
    await grade(theirs.id, 'correct', false, otherGuild);
    expect(await gradedAnswersOf(database().db, guildId, questionId)).toEqual([
      { answer: 'signed token', grade: 'partial' },
    ]);
    expect(await gradedAnswersOf(database().db, otherGuild, questionId)).toEqual([
      { answer: 'a token from another server', grade: 'correct' },
    ]);
  });

  it('confirms once under a double click, grading exactly the answers offered, with points', async () => {
    const offered = [await practiceAnswer('one'), await practiceAnswer('two')];
    const notOffered = await practiceAnswer('three');
    const items = offered.map((answer) => ({ answerId: answer.id, grade: 'correct' as const }));
    const proposalId = await proposeBulkAcceptance(database().db, {
      guildId,
      questionId,
      instructorId: instructor,
      items,
      now: new Date(),
    });
    const confirm = () =>
      confirmBulkAcceptance(database().db, { guildId, proposalId, graderId: instructor, now: new Date() });
    const results = await Promise.all([confirm(), confirm()]);
    expect(results.map((result) => result.status).sort()).toEqual(['confirmed-before', 'graded']);
    const done = results.find((result) => result.status === 'graded');
    expect(done?.status === 'graded' && done.graded.map((graded) => graded.answer.id)).toEqual(
      offered.map((answer) => answer.id),
    );
    for (const answer of offered) expect(await gradeCount(answer.id)).toBe(1);
    expect(await gradeCount(notOffered.id)).toBe(0);
    const [points] = await database()
      .db.select({ total: sql<number>`coalesce(sum(${pointsLedger.points}), 0)::int` })
      .from(pointsLedger)
      .where(eq(pointsLedger.answerId, offered[0]!.id));
    // A first practice answer graded correct: 2 points in all (1 for the suggested partial, then the difference).
    expect(points!.total).toBe(2);
  });

  it('two instructors accepting the same answers at once grade each answer once', async () => {
    const answers = [await practiceAnswer('a'), await practiceAnswer('b'), await practiceAnswer('c')];
    const items = answers.map((answer) => ({ answerId: answer.id, grade: 'correct' as const }));
    const proposals = await Promise.all(
      [instructor, colleague].map((instructorId) =>
        proposeBulkAcceptance(database().db, { guildId, questionId, instructorId, items, now: new Date() }),
      ),
    );
    const results = await Promise.all(
      proposals.map((proposalId, index) =>
        confirmBulkAcceptance(database().db, {
          guildId,
          proposalId,
          graderId: [instructor, colleague][index]!,
          now: new Date(),
        }),
      ),
    );
    const graded = results.flatMap((result) => (result.status === 'graded' ? result.graded : []));
    const already = results.reduce((sum, result) => sum + (result.status === 'graded' ? result.alreadyGraded : 0), 0);
    expect(graded).toHaveLength(3);
    expect(already).toBe(3);
    for (const answer of answers) expect(await gradeCount(answer.id)).toBe(1);
  });

  it('refuses an offer from another guild or shown to another instructor', async () => {
    const answer = await practiceAnswer('d');
    const proposalId = await proposeBulkAcceptance(database().db, {
      guildId,
      questionId,
      instructorId: instructor,
      items: [{ answerId: answer.id, grade: 'incorrect' }],
      now: new Date(),
    });
    expect(
      await confirmBulkAcceptance(database().db, {
        guildId: otherGuild,
        proposalId,
        graderId: instructor,
        now: new Date(),
      }),
    ).toEqual({ status: 'missing' });
    expect(
      await confirmBulkAcceptance(database().db, { guildId, proposalId, graderId: colleague, now: new Date() }),
    ).toEqual({ status: 'missing' });
    expect(await gradeCount(answer.id)).toBe(0);
  });
});
