import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { recordAnswer } from '../../src/db/repo/answers.ts';
import { answerPointsTotal } from '../../src/db/repo/points.ts';
import { createPracticePrompt } from '../../src/db/repo/prompts.ts';
import { listQuestions, syncQuestions } from '../../src/db/repo/questions.ts';
import { studyProgress } from '../../src/db/repo/studyCards.ts';
import { answers, pointsLedger, prompts } from '../../src/db/schema.ts';
import { describeEachEngine } from '../support/database.ts';
import { bankQuestion, emptyRubric, snowflake, suggesting } from '../support/fixtures.ts';

const guildId = snowflake(1);
const student = snowflake(2);

describeEachEngine('recording answers', (database) => {
  let questionId = 0;
  beforeAll(async () => {
    await syncQuestions(database().db, null, [bankQuestion('jwt-what', { rubric: emptyRubric }), bankQuestion('jwt-signature', { rubric: emptyRubric })], { retireMissing: true });
    questionId = (await listQuestions(database().db, guildId, { activeOnly: true }))[0]!.id;
  });

  const answer = (promptId: number, body = 'A signed token.', userId = student) =>
    recordAnswer(database().db, { guildId, promptId, userId, userName: 'Ada', body, suggest: suggesting('correct'), now: new Date() });

  it('stores a practice answer verbatim with its first-time points and a study card', async () => {
    const prompt = await createPracticePrompt(database().db, { guildId, userId: student, questionId, now: new Date() });
    const body = '@everyone <@&123456789012345678> **bold** ```x``` \u200b\u202e مرحبا 🎉 \'; drop table answers; --';
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
    const prompt = await createPracticePrompt(database().db, { guildId, userId: student, questionId, now: new Date() });
    const first = await answer(prompt.id, 'first');
    const second = await answer(prompt.id, 'second');
    expect(second.status).toBe('duplicate');
    const rows = await database().db.select().from(answers).where(eq(answers.promptId, prompt.id));
    expect(rows.map((row) => row.body)).toEqual(['first']);
    if (first.status === 'saved') expect(await answerPointsTotal(database().db, first.answer.id)).toBe(0);
  });

  it('practice points are given only for the first answer to a question, even when two arrive at once', async () => {
    const other = snowflake(3);
    const [a, b] = await Promise.all([
      createPracticePrompt(database().db, { guildId, userId: other, questionId, now: new Date() }),
      createPracticePrompt(database().db, { guildId, userId: other, questionId, now: new Date() }),
    ]);
    const results = await Promise.all([answer(a.id, 'one', other), answer(b.id, 'two', other)]);
    expect(results.map((result) => result.status)).toEqual(['saved', 'saved']);
    const ledger = await database().db.select().from(pointsLedger).where(eq(pointsLedger.userId, other));
    expect(ledger.reduce((sum, row) => sum + row.points, 0)).toBe(2);
  });

  it('an answer to a closed daily question is refused', async () => {
    const [daily] = await database()
      .db.insert(prompts)
      .values({ guildId, questionId, kind: 'daily', localDate: '2026-01-05', closesAt: new Date(Date.now() - 1000) })
      .returning();
    const result = await answer(daily!.id);
    expect(result.status).toBe('closed');
    expect(await database().db.select().from(answers).where(eq(answers.promptId, daily!.id))).toEqual([]);
  });

  it('a prompt of another guild is not found', async () => {
    const prompt = await createPracticePrompt(database().db, { guildId: snowflake(9), userId: student, questionId, now: new Date() });
    expect((await answer(prompt.id)).status).toBe('missing');
  });
});
