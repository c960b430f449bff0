import { describe, expect, it } from 'vitest';
import { agreement } from '../../src/quiz/grading/agreement.ts';
import type { Grade } from '../../src/quiz/types.ts';

const repeat = (count: number, expected: Grade, actual: Grade) =>
  Array.from({ length: count }, () => ({ expected, actual }));

describe('agreement', () => {
  // Hand computed: observed 8/10; chance = .5*.5 + .3*.3 + .2*.2 = .38; kappa = (.8 - .38) / (1 - .38).
  const pairs = [
    ...repeat(4, 'correct', 'correct'),
    ...repeat(1, 'correct', 'partial'),
    ...repeat(2, 'partial', 'partial'),
    ...repeat(1, 'partial', 'correct'),
    ...repeat(2, 'incorrect', 'incorrect'),
  ];

  it('computes agreement and Cohen kappa for a hand-worked example', () => {
    const result = agreement(pairs);
    expect(result.n).toBe(10);
    expect(result.agreement).toBeCloseTo(0.8, 10);
    expect(result.kappa).toBeCloseTo(0.42 / 0.62, 10);
  });

  it('fills the confusion matrix with rows as expected grades and columns as actual ones', () => {
    expect(agreement(pairs).confusion).toEqual({
      correct: { correct: 4, partial: 1, incorrect: 0 },
      partial: { correct: 1, partial: 2, incorrect: 0 },
      incorrect: { correct: 0, partial: 0, incorrect: 2 },
    });
  });

  it.each([
    [
      'always saying correct earns no kappa',
      [...repeat(7, 'correct', 'correct'), ...repeat(3, 'partial', 'correct')],
      0.7,
      0,
    ],
    [
      'perfect agreement over several grades is kappa 1',
      [...repeat(2, 'correct', 'correct'), ...repeat(2, 'incorrect', 'incorrect')],
      1,
      1,
    ],
    ['perfect agreement on a single grade is kappa 1', repeat(3, 'partial', 'partial'), 1, 1],
    [
      'systematic disagreement is negative',
      [...repeat(2, 'correct', 'incorrect'), ...repeat(2, 'incorrect', 'correct')],
      0,
      -1,
    ],
  ] as const)('%s', (_name, given, expectedAgreement, expectedKappa) => {
    const result = agreement(given);
    expect(result.agreement).toBeCloseTo(expectedAgreement, 10);
    expect(result.kappa).toBeCloseTo(expectedKappa, 10);
  });

  it('reports zeros for no pairs', () => {
    expect(agreement([])).toMatchObject({ n: 0, agreement: 0, kappa: 0 });
  });
});
