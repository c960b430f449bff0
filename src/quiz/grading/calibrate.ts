import { agreement } from './agreement.ts';
import type { Grade } from '../types.ts';
import { analyse, referenceGrade, type Gradable, type ReferenceThresholds } from './cold.ts';
import { countCells, type Calibration } from './learner.ts';

export interface GradedAnswer {
  question: Gradable;
  answer: string;
  grade: Grade;
}

const NO_THRESHOLDS: ReferenceThresholds = { correct: 0, partial: 0 };

/**
 * Fits the calibration on graded answers: the reference-coverage cut-offs that agree best (kappa, then agreement)
 * with the instructors when the rubric is left out, then the instructors' grades per cell. Deterministic.
 */
export function calibrate(rows: readonly GradedAnswer[]): Calibration {
  const referenceOnly = rows.map((row) => {
    const analysis = analyse({ ...row.question, rubric: null }, row.answer, NO_THRESHOLDS);
    return { coverage: analysis.coverage, anyFound: analysis.matched.length > 0, grade: row.grade };
  });
  let best = { thresholds: { correct: 0.3, partial: 0.1 }, kappa: -2, agreement: -1 };
  for (let partial = 0.02; partial <= 0.3; partial += 0.02) {
    for (let correct = partial + 0.02; correct <= 0.7; correct += 0.02) {
      const thresholds = { correct: round(correct), partial: round(partial) };
      const measured = agreement(
        referenceOnly.map((row) => ({
          expected: row.grade,
          actual: referenceGrade(row.coverage, row.anyFound, thresholds),
        })),
      );
      if (
        measured.kappa > best.kappa + 1e-9 ||
        (Math.abs(measured.kappa - best.kappa) <= 1e-9 && measured.agreement > best.agreement)
      ) {
        best = { thresholds, kappa: measured.kappa, agreement: measured.agreement };
      }
    }
  }
  const cells = countCells(
    rows.map((row) => ({ analysis: analyse(row.question, row.answer, best.thresholds), grade: row.grade })),
  );
  return { reference: best.thresholds, cells };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
