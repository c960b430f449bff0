import { createHash } from 'node:crypto';
import { agreement, type Agreement } from './agreement.ts';
import type { Grade } from '../types.ts';
import { calibrate, type GradedAnswer } from './calibrate.ts';
import { analyse } from './cold.ts';
import { decide, type Calibration } from './learner.ts';

/** A graded answer from an answer sheet, with the question it answers (slug as the key). */
export interface SheetAnswer extends GradedAnswer {
  sheet: string;
  slug: string;
}

/** How many graded answers per question (from other sheets) the suggester learns from; null for all of them. */
export type Budget = number | null;

export interface Measured extends Agreement {
  /** Share of answers whose suggestion is confident, and the share of those the instructors graded the same. */
  confidentCoverage: number;
  confidentPrecision: number;
  confidentN: number;
  /** Agreeing and all answers per question slug, in the order the questions first appear. */
  perQuestion: Map<string, { agreed: number; n: number }>;
}

interface Pair {
  slug: string;
  expected: Grade;
  actual: Grade;
  confident: boolean;
}

function measure(pairs: Pair[]): Measured {
  const confident = pairs.filter((pair) => pair.confident);
  const perQuestion = new Map<string, { agreed: number; n: number }>();
  for (const pair of pairs) {
    const counts = perQuestion.get(pair.slug) ?? { agreed: 0, n: 0 };
    counts.n += 1;
    if (pair.expected === pair.actual) counts.agreed += 1;
    perQuestion.set(pair.slug, counts);
  }
  return {
    ...agreement(pairs),
    perQuestion,
    confidentN: confident.length,
    confidentCoverage: pairs.length === 0 ? 0 : confident.length / pairs.length,
    confidentPrecision:
      confident.length === 0 ? 0 : confident.filter((pair) => pair.expected === pair.actual).length / confident.length,
  };
}

/** A fixed pseudo-random order (by hash of sheet and answer), so "the first 5 graded" is the same on every run. */
function shuffled(rows: readonly SheetAnswer[]): SheetAnswer[] {
  const key = (row: SheetAnswer) => createHash('sha1').update(`${row.sheet}\u0000${row.answer}`).digest('hex');
  return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/**
 * Cross-validation by answer sheet: sheets are dealt into `folds` groups; for each group, the calibration is
 * fitted on the other groups' sheets, and each held-out answer is suggested from its question's rules and
 * from up to `budget` graded answers of the same question from the other groups. Every answer is predicted once
 * per budget, by a suggester that never saw its sheet.
 */
export function crossValidate(
  rows: readonly SheetAnswer[],
  folds: number,
  budgets: readonly Budget[],
): Map<Budget, Measured> {
  const sheets = [...new Set(rows.map((row) => row.sheet))].sort();
  const foldOf = new Map(sheets.map((sheet, index) => [sheet, index % folds]));
  const pairs = new Map<Budget, Pair[]>(budgets.map((budget) => [budget, []]));
  for (let fold = 0; fold < folds; fold += 1) {
    const training = shuffled(rows.filter((row) => foldOf.get(row.sheet) !== fold));
    const held = rows.filter((row) => foldOf.get(row.sheet) === fold);
    if (held.length === 0) continue;
    const calibration = calibrate(training);
    for (const row of held) {
      const analysis = analyse(row.question, row.answer, calibration.reference);
      const sameQuestion = training.filter((other) => other.slug === row.slug);
      for (const budget of budgets) {
        const examples = sameQuestion.slice(0, budget ?? undefined).map((other) => ({
          analysis: analyse(other.question, other.answer, calibration.reference),
          grade: other.grade,
        }));
        const decision = decide(analysis, examples, calibration);
        pairs
          .get(budget)!
          .push({ slug: row.slug, expected: row.grade, actual: decision.grade, confident: decision.confident });
      }
    }
  }
  return new Map(budgets.map((budget) => [budget, measure(pairs.get(budget)!)]));
}

/** The suggester as shipped (its calibration as given), measured on the same answers: in-sample if fitted on them. */
export function measureAsShipped(rows: readonly SheetAnswer[], calibration: Calibration): Measured {
  return measure(
    rows.map((row) => {
      const decision = decide(analyse(row.question, row.answer, calibration.reference), [], calibration);
      return { slug: row.slug, expected: row.grade, actual: decision.grade, confident: decision.confident };
    }),
  );
}
