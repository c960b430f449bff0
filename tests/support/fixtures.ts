import type { BankQuestion } from '../../src/quiz/bank.ts';

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
