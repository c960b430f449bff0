import { analyse, canSuggest, type Analysis, type Gradable } from './cold.ts';
import { SHIPPED_CALIBRATION } from './calibration.ts';
import { decide, type Calibration, type GradedAnalysis } from './learner.ts';
import type { Grade } from '../types.ts';

export type { Gradable } from './cold.ts';

/** What is stored with an answer when it arrives and shown to the student. */
export interface Suggestion {
  grade: Grade;
  /** Labels of the key points the answer states (never one it negates or contradicts). */
  matched: string[];
  /** Labels of the key points it does not. */
  missing: string[];
  /** Labels of the misconceptions it states. */
  misconceptions: string[];
}

/** A suggestion as the review card shows it, recomputed with the instructors' latest grades. */
export interface RatedSuggestion extends Suggestion {
  /** The estimated chance that an instructor gives this grade is at least 95%. */
  confident: boolean;
}

/** An earlier answer to the same question in the same guild with the instructor's latest grade. */
export interface GradedExample {
  answer: string;
  grade: Grade;
}

/**
 * Analyses by question, then by answer text: a review card compares one answer with up to hundreds of graded ones.
 * Two levels, so that each lookup hashes the answer alone, not the answer joined to the question's whole rubric.
 */
const analyses = new Map<string, Map<string, Analysis>>();
let analysesCount = 0;
const MAX_ANALYSES = 5000;

/** Forgets every cached analysis (for measuring the first card after a restart). */
export function clearAnalysisCache(): void {
  analyses.clear();
  analysesCount = 0;
}

function cachedAnalysis(
  question: Gradable,
  byAnswer: Map<string, Analysis>,
  answer: string,
  calibration: Calibration,
): Analysis {
  let analysis = byAnswer.get(answer);
  if (!analysis) {
    analysis = analyse(question, answer, calibration.reference);
    byAnswer.set(answer, analysis);
    analysesCount += 1;
  }
  return analysis;
}

function analysesOf(questionKey: string): Map<string, Analysis> {
  if (analysesCount >= MAX_ANALYSES) clearAnalysisCache();
  let byAnswer = analyses.get(questionKey);
  if (!byAnswer) {
    byAnswer = new Map();
    analyses.set(questionKey, byAnswer);
  }
  return byAnswer;
}

/**
 * A first-sort grade for an answer: from the rubric (or, without one, the reference answer) and from the grades
 * instructors already gave to other answers of the question. Null when the question has neither rubric nor
 * reference answer and nobody graded any of its answers yet.
 */
export function suggestGrade(
  question: Gradable,
  answer: string,
  graded: readonly GradedExample[] = [],
  calibration: Calibration = SHIPPED_CALIBRATION,
): RatedSuggestion | null {
  if (!canSuggest(question) && graded.length === 0) return null;
  const questionKey = JSON.stringify([question.text, question.referenceAnswer, question.rubric, calibration.reference]);
  const byAnswer = analysesOf(questionKey);
  const analysis = cachedAnalysis(question, byAnswer, answer, calibration);
  const examples: GradedAnalysis[] = graded.map((example) => ({
    analysis: cachedAnalysis(question, byAnswer, example.answer, calibration),
    grade: example.grade,
  }));
  const decision = decide(analysis, examples, calibration);
  return {
    grade: decision.grade,
    confident: decision.confident,
    matched: analysis.matched,
    missing: analysis.missing,
    misconceptions: analysis.misconceptions,
  };
}
