import type { BankQuestion } from '../../src/quiz/bank/bank.ts';
import type { Rubric } from '../../src/quiz/grading/rubric.ts';
import type { Suggestion } from '../../src/quiz/grading/suggest.ts';
import type { Grade } from '../../src/quiz/types.ts';

/** Snowflake-shaped ids for tests: realistic 18-digit strings. */
export function snowflake(n: number): string {
  return String(100_000_000_000_000_000n + BigInt(n));
}

export function bankQuestion(slug: string, overrides: Partial<BankQuestion> = {}): BankQuestion {
  return {
    slug,
    topic: 'JWT',
    text: `What is ${slug}?`,
    referenceAnswer: `Reference answer for ${slug}.`,
    rubric: null,
    ...overrides,
  };
}

/** A rubric with no key points: enough for a question to get suggestions, which tests fix with `suggesting`. */
export const emptyRubric: Rubric = { keyPoints: [], misconceptions: [], ignore: [], correctWhen: [], partialWhen: [] };

/** A suggestion function that always gives `grade`, for repository tests that are not about grading text. */
export function suggesting(grade: Grade): () => Suggestion {
  return () => ({ grade, matched: [], missing: [], misconceptions: [] });
}
