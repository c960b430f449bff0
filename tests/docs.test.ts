import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBank } from '../src/quiz/bank/bank.ts';
import { suggestGrade } from '../src/quiz/grading/suggest.ts';

const guide = readFileSync(new URL('../docs/questions.md', import.meta.url), 'utf8');
const [sheet, example] = [...guide.matchAll(/```markdown\n([\s\S]*?)```/g)].map((match) => match[1]!);

describe('docs/questions.md', () => {
  it('its plain sheet imports as questions without reference answer or rubric, under the title as topic', () => {
    const { questions, skipped } = parseBank(sheet!, { defaultTopic: 'Week 9: Caching' });
    expect(skipped).toEqual([]);
    expect(
      questions.map((question) => [question.text, question.topic, question.referenceAnswer, question.rubric]),
    ).toEqual([
      ['Why would you cache a database query?', 'Week 9: Caching', null, null],
      ['What does a load balancer do?', 'Week 9: Caching', null, null],
    ]);
  });

  it('its complete example imports as one question with reference answer and rubric', () => {
    const { questions, skipped } = parseBank(example!);
    expect(skipped).toEqual([]);
    const [question] = questions;
    expect(question).toMatchObject({
      slug: 'cache-why',
      topic: 'Caching',
      text: 'Why would you cache a database query?',
    });
    expect(question!.referenceAnswer).toMatch(/^A cache keeps the result .* invalidated when the data changes\.$/);
    expect(question!.rubric!.keyPoints.map((point) => point.id)).toEqual(['faster', 'load', 'stale']);
    expect(question!.rubric!.misconceptions.map((m) => m.cap)).toEqual(['partial', 'incorrect']);
  });

  it('its rubric grades as the guide explains, a misconception capping the grade', () => {
    const question = parseBank(example!).questions[0]!;
    const grade = (answer: string) => suggestGrade(question, answer)!.grade;
    expect(grade('Later requests are faster, but the data can go stale, so entries must be invalidated.')).toBe(
      'correct',
    );
    expect(grade('It makes requests faster.')).toBe('partial');
    expect(
      grade(
        'Requests are faster, the database gets less work and entries expire after a TTL, and the data is kept permanently.',
      ),
    ).toBe('partial');
    expect(grade('It is faster and makes the data more secure.')).toBe('incorrect');
    expect(grade('It is not faster.')).toBe('incorrect');
  });
});
