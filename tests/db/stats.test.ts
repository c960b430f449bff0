import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { listQuestions, syncQuestions } from '../../src/db/repo/questions.ts';
import { guildStats } from '../../src/db/repo/stats.ts';
import { questions } from '../../src/db/schema.ts';
import type { Grade } from '../../src/quiz/types.ts';
import { describeEachEngine } from '../support/database.ts';
import { bankQuestion, snowflake } from '../support/fixtures.ts';
import { insertAnswer } from '../support/gradedAnswers.ts';
import { insertDailyPrompt } from '../support/dailyPrompts.ts';

const guildId = snowflake(501);
const otherGuild = snowflake(502);
const student = (n: number) => snowflake(600 + n);

describeEachEngine('cohort stats', (database) => {
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    const bank = [
      bankQuestion('jwt-a'),
      bankQuestion('jwt-b'),
      bankQuestion('test-a', { topic: 'Testing' }),
      bankQuestion('ci-a', { topic: 'CI' }),
      bankQuestion('env-a', { topic: 'Env' }),
      bankQuestion('retired-used', { topic: 'Env' }),
      bankQuestion('retired-unused', { topic: 'Env' }),
    ];
    await syncQuestions(database().db, guildId, bank, { retireMissing: false });
    for (const q of await listQuestions(database().db, guildId, { activeOnly: false })) ids[q.slug] = q.id;
    await database().db.update(questions).set({ active: false }).where(eq(questions.slug, 'retired-used'));
    await database().db.update(questions).set({ active: false }).where(eq(questions.slug, 'retired-unused'));
  });

  const answer = (
    slug: string,
    userId: string,
    grade: Grade | null,
    options: { guild?: string; promptId?: number } = {},
  ) =>
    insertAnswer(database().db, {
      guildId: options.guild ?? guildId,
      questionId: ids[slug]!,
      userId,
      grade,
      promptId: options.promptId,
    });

  it('counts answers, the graded share and each grade per question, from this guild only', async () => {
    for (const [n, grade] of (['correct', 'correct', 'partial', 'incorrect', null] as const).entries())
      await answer('jwt-a', student(n), grade);
    await answer('jwt-b', student(1), null);
    await answer('retired-used', student(1), 'correct');
    await answer('jwt-a', student(9), 'incorrect', { guild: otherGuild });
    const { questions: perQuestion } = await guildStats(database().db, guildId);
    const bySlug = Object.fromEntries(perQuestion.map((q) => [q.slug, q]));
    expect(bySlug['jwt-a']).toMatchObject({ answers: 5, graded: 4, correct: 2, partial: 1, incorrect: 1 });
    expect(bySlug['jwt-b']).toMatchObject({ answers: 1, graded: 0, correct: 0 });
    expect(bySlug['ci-a']).toMatchObject({ answers: 0, graded: 0 });
    expect(bySlug['retired-used']).toMatchObject({ answers: 1, correct: 1 });
    expect(bySlug['retired-unused']).toBeUndefined();
    expect(perQuestion.map((q) => q.slug).slice(0, 3)).toEqual(['jwt-a', 'jwt-b', 'test-a']);
  });

  it('shows participation in the last 7 posted daily questions, oldest first', async () => {
    for (let day = 1; day <= 9; day += 1) {
      const prompt = await insertDailyPrompt(database().db, {
        guildId,
        questionId: ids['jwt-b']!,
        localDate: `2026-03-0${day}`,
        messageId: day === 9 ? null : `m${day}`,
      });
      for (let n = 0; n < day; n += 1) await answer('jwt-b', student(20 + n), null, { promptId: prompt!.id });
    }
    const { daily } = await guildStats(database().db, guildId);
    expect(daily.map((d) => [d.localDate, d.answers])).toEqual(
      [2, 3, 4, 5, 6, 7, 8].map((day) => [`2026-03-0${day}`, day]),
    );
    expect(daily[0]!.slug).toBe('jwt-b');
  });

  it('names the three topics with the lowest share of correct among graded answers', async () => {
    await answer('test-a', student(1), 'incorrect');
    await answer('test-a', student(2), 'correct');
    await answer('test-a', student(3), 'incorrect');
    await answer('ci-a', student(1), 'incorrect');
    await answer('env-a', student(1), 'correct');
    // CI 0 of 1, Testing 1 of 3, JWT 2 of 4, Env 2 of 2 (env-a and the retired question).
    const { weakestTopics } = await guildStats(database().db, guildId);
    expect(weakestTopics.map((t) => [t.topic, t.correct, t.graded])).toEqual([
      ['CI', 0, 1],
      ['Testing', 1, 3],
      ['JWT', 2, 4],
    ]);
  });
});
