import { GRADES, type Grade } from '../types.ts';
import type { Analysis, ReferenceThresholds } from './cold.ts';

/**
 * What the suggester takes from graded answers of other questions (or, in cross-validation, of other sheets):
 * the reference-coverage cut-offs for questions without a rubric, and how often instructors gave each grade
 * to answers in each cell (the rules' grade and how much of the reference answer the answer states).
 */
export interface Calibration {
  reference: ReferenceThresholds;
  cells: Record<string, Record<Grade, number>>;
}

/** An answer of the same question in the same guild, with the instructor's latest grade. */
export interface GradedAnalysis {
  analysis: Analysis;
  grade: Grade;
}

export interface Decision {
  grade: Grade;
  /** Estimated chance the instructor gives this grade. */
  probability: number;
  confident: boolean;
}

/** Reference coverage from which an answer counts as stating much of the reference answer. */
const HIGH_COVERAGE = 0.3;
/** Rubric key points from which an answer gets a cell of its own. */
const MANY_POINTS = 4;
/**
 * Fixed by hand (not fitted): how many graded answers the prior is worth, and how neighbours vote. Confidence weighs
 * the prior as 20 graded answers, so that a handful of this question's grades can change the grade but cannot alone
 * make it confident (with a weight of 4, confident suggestions learned from 10 graded answers per question were
 * right 91% of the time on eval-dev, cross-validated).
 */
const LEARNER_SETTINGS = {
  priorWeight: 4,
  confidencePriorWeight: 20,
  neighbours: 5,
  minSimilarity: 0.5,
  neighbourWeight: 1,
};
/**
 * A suggestion is confident when its estimated chance of matching the instructor is at least this. A partial never
 * is: partial is the grade between two others, and on answers the rules had not seen (probe batches D to F on the
 * rules before their changes, batch G) the partial suggestions the calibration called confident were right 78% and
 * 53% of the time, against 100% on eval-dev, which the rules were tuned on.
 */
const CONFIDENT_PROBABILITY = 0.95;

/**
 * The rules' grade, whether the answer states much of the reference answer, and whether it states two rubric key
 * points, or four or more: an answer that states four key points is almost never graded below correct, on any set
 * measured (so those answers can be confident), while two or three points leave room for a partial.
 */
function cellOf(analysis: Analysis): string {
  if (!analysis.informed) return 'no-rules';
  const cell = `${analysis.grade}:${analysis.coverage >= HIGH_COVERAGE ? 'high' : 'low'}`;
  if (analysis.rubricPoints >= MANY_POINTS) return `${cell}:many-points`;
  return analysis.rubricPoints >= 2 ? `${cell}:points` : cell;
}

function zero(): Record<Grade, number> {
  return { correct: 0, partial: 0, incorrect: 0 };
}

function normalised(counts: Record<Grade, number>): Record<Grade, number> {
  const total = GRADES.reduce((sum, grade) => sum + counts[grade], 0);
  const result = zero();
  for (const grade of GRADES) result[grade] = counts[grade] / total;
  return result;
}

/** Counts of instructors' grades per cell, with one pseudo-answer on the rules' own grade so no cell is empty. */
export function countCells(examples: readonly GradedAnalysis[]): Calibration['cells'] {
  const cells: Calibration['cells'] = {};
  for (const { analysis, grade } of examples) {
    const cell = cellOf(analysis);
    cells[cell] ??= zero();
    cells[cell][grade] += 1;
  }
  return cells;
}

function prior(analysis: Analysis, calibration: Calibration): Record<Grade, number> {
  // Without rubric or reference answer the rules know nothing: every grade is as likely until instructors grade.
  if (!analysis.informed) return { correct: 1 / 3, partial: 1 / 3, incorrect: 1 / 3 };
  const counts = { ...(calibration.cells[cellOf(analysis)] ?? zero()) };
  counts[analysis.grade] += 1;
  for (const grade of GRADES) counts[grade] += 0.1;
  return normalised(counts);
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (const [key, weight] of a) {
    normA += weight * weight;
    const other = b.get(key);
    if (other !== undefined) dot += weight * other;
  }
  for (const weight of b.values()) normB += weight * weight;
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

/**
 * The grade to suggest: the calibration's view of the rules' grade, updated by this question's graded answers
 * in the same cell (so a question whose instructors read "partial" answers as correct is learned) and by the
 * graded answers most like this one in the same cell (nearest neighbours over words, key points and misconceptions).
 * Answers to one question share most of their words whatever their grade: a graded answer that the rules read
 * differently (a key point more or less) differs in what its grade depended on, so it does not vote here.
 */
export function decide(analysis: Analysis, examples: readonly GradedAnalysis[], calibration: Calibration): Decision {
  const cell = cellOf(analysis);
  const own = zero();
  for (const example of examples) if (cellOf(example.analysis) === cell) own[example.grade] += 1;
  const base = prior(analysis, calibration);
  const neighbours = examples
    .filter((example) => cellOf(example.analysis) === cell)
    .map((example) => ({ grade: example.grade, similarity: cosine(analysis.features, example.analysis.features) }))
    .filter((neighbour) => neighbour.similarity >= LEARNER_SETTINGS.minSimilarity)
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, LEARNER_SETTINGS.neighbours);
  const votes = zero();
  for (const neighbour of neighbours) votes[neighbour.grade] += neighbour.similarity;

  /** The prior worth `weight` graded answers, this cell's own grades, then the neighbours' votes. */
  const estimate = (weight: number): Record<Grade, number> => {
    const counts = zero();
    for (const grade of GRADES) counts[grade] = own[grade] + weight * base[grade];
    const probability = normalised(counts);
    if (neighbours.length === 0) return probability;
    const mixed = zero();
    for (const grade of GRADES)
      mixed[grade] = probability[grade] * weight + votes[grade] * LEARNER_SETTINGS.neighbourWeight;
    return normalised(mixed);
  };
  const probability = estimate(LEARNER_SETTINGS.priorWeight);
  // Ties go to the rules' grade, then to the higher grade: deterministic.
  let grade: Grade = analysis.grade;
  for (const candidate of GRADES) if (probability[candidate] > probability[grade] + 1e-12) grade = candidate;
  const confident =
    grade !== 'partial' && estimate(LEARNER_SETTINGS.confidencePriorWeight)[grade] >= CONFIDENT_PROBABILITY;
  return { grade, probability: probability[grade], confident };
}
