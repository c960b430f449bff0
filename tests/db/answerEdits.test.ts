import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { editAnswer, findEditableAnswer, type AnswerEdit } from '../../src/db/repo/answerEdits.ts';
import { recordAnswer } from '../../src/db/repo/answers.ts';
import { claimClosings } from '../../src/db/repo/daily.ts';
import { confirmBulkAcceptance, gradeAnswer, proposeBulkAcceptance } from '../../src/db/repo/grading.ts';
import { createPracticePrompt } from '../../src/db/repo/prompts.ts';
import { listQuestions, syncQuestions } from '../../src/db/repo/questions.ts';
import { answers, answerVersions, prompts, studyCards } from '../../src/db/schema.ts';
import type { Suggestion } from '../../src/quiz/grading/suggest.ts';
import { describeEachEngine } from '../support/database.ts';
import { pointsOfUser } from '../support/ledger.ts';
import { bankQuestion, emptyRubric, snowflake, suggesting } from '../support/fixtures.ts';
import { cohortIdOf } from '../support/cohortRows.ts';
import { insertDailyPrompt } from '../support/dailyPrompts.ts';

const guildId = snowflake(801);
const instructor = snowflake(802);

/** A suggestion that reads the answer: "right" in it is correct, anything else incorrect. */
const byWord = (_question: unknown, body: string): Suggestion => ({
  grade: body.includes('right') ? 'correct' : 'incorrect',
  matched: [],
  missing: [],
  misconceptions: [],
});

describeEachEngine('editing a daily answer until the deadline', (database) => {
  let questionId = 0;
  let day = 0;
  beforeAll(async () => {
    await syncQuestions(database().db, null, [bankQuestion('edit-q', { rubric: emptyRubric })], {
      retireMissing: false,
    });
    questionId = (await listQuestions(database().db, guildId, { activeOnly: true }))[0]!.id;
  });

  async function dailyAnswer(userId: string, body = 'first wrong try') {
    day += 1;
    const prompt = await insertDailyPrompt(database().db, {
      guildId,
      questionId,
      localDate: `2026-05-${String(day).padStart(2, '0')}`,
      messageId: 'm',
      closesAt: new Date(Date.now() + 3_600_000),
    });
    const saved = await recordAnswer(database().db, {
      guildId,
      promptId: prompt!.id,
      userId,
      userName: 'S',
      body,
      suggest: byWord,
      now: new Date(),
    });
    if (saved.status !== 'saved') throw new Error(saved.status);
    return saved.answer;
  }
  const edit = (answerId: number, userId: string, fromVersion: number, body: string, extra: Partial<AnswerEdit> = {}) =>
    editAnswer(database().db, {
      guildId,
      answerId,
      userId,
      fromVersion,
      body,
      suggest: byWord,
      now: new Date(),
      ...extra,
    });
  const stored = async (answerId: number) =>
    (await database().db.select().from(answers).where(eq(answers.id, answerId)))[0]!;
  const versionsOf = (answerId: number) =>
    database()
      .db.select()
      .from(answerVersions)
      .where(eq(answerVersions.answerId, answerId))
      .orderBy(answerVersions.version);
  const pointsOf = (userId: string) => pointsOfUser(database().db, userId);

  it('an edit replaces the text and the suggestion, keeps the earlier version, and adds no points', async () => {
    const student = snowflake(810);
    const answer = await dailyAnswer(student);
    expect(answer.suggestedGrade).toBe('incorrect');
    const dueOf = async () =>
      (await database().db.select().from(studyCards).where(eq(studyCards.userId, student)))[0]!.due!.getTime();
    const dueBefore = await dueOf();
    const result = await edit(answer.id, student, 1, 'now the right answer');
    expect(result.status).toBe('edited');
    const now = await stored(answer.id);
    expect(now).toMatchObject({ body: 'now the right answer', version: 2, suggestedGrade: 'correct' });
    expect(now.editedAt).toBeInstanceOf(Date);
    expect(await versionsOf(answer.id)).toMatchObject([
      { version: 1, body: 'first wrong try', suggestedGrade: 'incorrect', submittedAt: answer.createdAt },
    ]);
    expect(await pointsOf(student)).toBe(1);
    // The study card follows the latest version's suggestion (a correct answer is due later than an incorrect one).
    expect(await dueOf()).toBeGreaterThan(dueBefore);
  });

  it('a double submit of the same edit stores it once', async () => {
    const student = snowflake(811);
    const answer = await dailyAnswer(student);
    const results = await Promise.all([
      edit(answer.id, student, 1, 'second version'),
      edit(answer.id, student, 1, 'second version'),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['duplicate', 'edited']);
    expect(await versionsOf(answer.id)).toHaveLength(1);
    expect(await stored(answer.id)).toMatchObject({ body: 'second version', version: 2 });
    expect(await pointsOf(student)).toBe(1);
  });

  it('two different edits from the same version: the first is stored, the second is told it is stale', async () => {
    const student = snowflake(812);
    const answer = await dailyAnswer(student);
    expect((await edit(answer.id, student, 1, 'from window one')).status).toBe('edited');
    expect((await edit(answer.id, student, 1, 'from window two')).status).toBe('stale');
    expect((await stored(answer.id)).body).toBe('from window one');
    expect(await versionsOf(answer.id)).toHaveLength(1);
  });

  it("someone else's answer, another guild's, and a practice answer are refused, and nothing changes", async () => {
    const student = snowflake(813);
    const answer = await dailyAnswer(student);
    expect((await edit(answer.id, snowflake(814), 1, 'forged')).status).toBe('not-yours');
    expect(
      (
        await findEditableAnswer(database().db, {
          guildId,
          answerId: answer.id,
          userId: snowflake(814),
          now: new Date(),
        })
      ).status,
    ).toBe('not-yours');
    expect((await edit(answer.id, student, 1, 'forged', { guildId: snowflake(899) })).status).toBe('missing');
    const prompt = await createPracticePrompt(database().db, {
      guildId,
      cohortId: await cohortIdOf(database().db, guildId),
      userId: student,
      questionId,
      now: new Date(),
    });
    const practice = await recordAnswer(database().db, {
      guildId,
      promptId: prompt.id,
      userId: student,
      userName: 'S',
      body: 'practice',
      suggest: suggesting('correct'),
      now: new Date(),
    });
    if (practice.status !== 'saved') throw new Error(practice.status);
    expect((await edit(practice.answer.id, student, 1, 'changed')).status).toBe('practice');
    expect((await stored(answer.id)).body).toBe('first wrong try');
    expect((await stored(practice.answer.id)).body).toBe('practice');
    expect(
      await database().db.select().from(answerVersions).where(eq(answerVersions.answerId, practice.answer.id)),
    ).toEqual([]);
  });

  it('an edit after the window closed, or after an instructor graded, is refused and changes nothing', async () => {
    const late = await dailyAnswer(snowflake(815));
    expect((await edit(late.id, snowflake(815), 1, 'too late', { now: new Date(Date.now() + 3_700_000) })).status).toBe(
      'closed',
    );
    await database().db.update(prompts).set({ closedAt: new Date() }).where(eq(prompts.id, late.promptId));
    expect((await edit(late.id, snowflake(815), 1, 'too late')).status).toBe('closed');
    const graded = await dailyAnswer(snowflake(816));
    await gradeAnswer(database().db, {
      guildId,
      answerId: graded.id,
      grade: 'partial',
      graderId: instructor,
      now: new Date(),
      regrade: false,
    });
    expect((await edit(graded.id, snowflake(816), 1, 'after the grade')).status).toBe('graded');
    for (const answer of [late, graded]) {
      expect(await stored(answer.id)).toMatchObject({ body: 'first wrong try', version: 1 });
      expect(await versionsOf(answer.id)).toEqual([]);
    }
    expect(await pointsOf(snowflake(816))).toBe(2);
  });

  it('a grade for a version the instructor did not see is refused; a bulk acceptance leaves an answer edited since in the queue', async () => {
    const student = snowflake(840);
    const answer = await dailyAnswer(student);
    await edit(answer.id, student, 1, 'edited while the card was open');
    const stale = await gradeAnswer(database().db, {
      guildId,
      answerId: answer.id,
      grade: 'correct',
      graderId: instructor,
      now: new Date(),
      regrade: false,
      seenVersion: 1,
    });
    expect(stale.status).toBe('edited');
    expect((await stored(answer.id)).graded).toBe(false);
    const proposalId = await proposeBulkAcceptance(database().db, {
      guildId,
      questionId,
      instructorId: instructor,
      items: [{ answerId: answer.id, grade: 'correct', version: 2 }],
      now: new Date(),
    });
    await edit(answer.id, student, 2, 'edited after the offer');
    const confirmed = await confirmBulkAcceptance(database().db, {
      guildId,
      proposalId,
      graderId: instructor,
      now: new Date(),
    });
    expect(confirmed).toMatchObject({ status: 'graded', graded: [], alreadyGraded: 0, editedMeanwhile: 1 });
    expect((await stored(answer.id)).graded).toBe(false);
    const seen = await gradeAnswer(database().db, {
      guildId,
      answerId: answer.id,
      grade: 'correct',
      graderId: instructor,
      now: new Date(),
      regrade: false,
      seenVersion: 3,
    });
    expect(seen.status).toBe('graded');
  });

  it('an edit racing a grade: either the edit lands first and is what was graded, or it is refused', async () => {
    for (let round = 0; round < 4; round += 1) {
      const student = snowflake(820 + round);
      const answer = await dailyAnswer(student);
      const [graded, edited] = await Promise.all([
        gradeAnswer(database().db, {
          guildId,
          answerId: answer.id,
          grade: 'correct',
          graderId: instructor,
          now: new Date(),
          regrade: false,
        }),
        edit(answer.id, student, 1, 'racing edit'),
      ]);
      expect(graded.status).toBe('graded');
      expect(['edited', 'graded']).toContain(edited.status);
      const now = await stored(answer.id);
      expect(now.graded).toBe(true);
      expect(now.body).toBe(edited.status === 'edited' ? 'racing edit' : 'first wrong try');
      expect(await versionsOf(answer.id)).toHaveLength(edited.status === 'edited' ? 1 : 0);
      expect(await pointsOf(student)).toBe(4);
    }
  });

  it('an edit racing the close: either it lands before the close or it is refused', async () => {
    for (let round = 0; round < 4; round += 1) {
      const student = snowflake(830 + round);
      const answer = await dailyAnswer(student);
      const [closed, edited] = await Promise.all([
        claimClosings(database().db, new Date(), await cohortIdOf(database().db, guildId)),
        edit(answer.id, student, 1, 'racing the close'),
      ]);
      expect(closed.map((p) => p.id)).toContain(answer.promptId);
      expect(['edited', 'closed']).toContain(edited.status);
      expect((await stored(answer.id)).body).toBe(edited.status === 'edited' ? 'racing the close' : 'first wrong try');
    }
  });
});
