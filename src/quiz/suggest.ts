import { compilePhrase, phraseMatches, withoutEchoes, type CompiledPhrase } from './phrase.ts';
import { conditionHolds, type Rubric } from './rubric.ts';
import { tokenize } from './text.ts';
import type { Grade } from './types.ts';

export interface Suggestion {
  grade: Grade;
  /** Labels of the key points the answer expresses. */
  matched: string[];
  /** Labels of the key points it does not. */
  missing: string[];
  /** Labels of the misconceptions it states. */
  misconceptions: string[];
}

interface CompiledRubric {
  points: { id: string; label: string; phrases: CompiledPhrase[] }[];
  misconceptions: { label: string; cap: Grade; phrases: CompiledPhrase[] }[];
  ignore: CompiledPhrase[];
}

const GRADE_RANK: Record<Grade, number> = { incorrect: 0, partial: 1, correct: 2 };

/**
 * Compiled rubrics by content: each answer reads its rubric afresh from the database, so the object is new
 * every time but its text is not. Bounded: a bank has hundreds of rubrics, not thousands.
 */
const compiledRubrics = new Map<string, CompiledRubric>();
const MAX_COMPILED_RUBRICS = 2000;

function compileAll(phrases: string[]): CompiledPhrase[] {
  return phrases.map(compilePhrase).filter((phrase): phrase is CompiledPhrase => phrase !== null);
}

function compiled(rubric: Rubric): CompiledRubric {
  const key = JSON.stringify(rubric);
  let result = compiledRubrics.get(key);
  if (!result) {
    if (compiledRubrics.size >= MAX_COMPILED_RUBRICS) compiledRubrics.clear();
    result = {
      points: rubric.keyPoints.map((point) => ({ ...point, phrases: compileAll(point.phrases) })),
      misconceptions: rubric.misconceptions.map((m) => ({ label: m.label, cap: m.cap, phrases: compileAll(m.phrases) })),
      ignore: compileAll(rubric.ignore),
    };
    compiledRubrics.set(key, result);
  }
  return result;
}

/** A first-sort grade for an answer from the rubric's key points and misconceptions. */
export function suggestGrade(rubric: Rubric, answer: string): Suggestion {
  const { points, misconceptions, ignore } = compiled(rubric);
  const tokens = withoutEchoes(tokenize(answer), ignore);
  const expressed = new Set(
    points.filter((point) => point.phrases.some((phrase) => phraseMatches(phrase, tokens))).map((point) => point.id),
  );
  const stated = misconceptions.filter((m) => m.phrases.some((phrase) => phraseMatches(phrase, tokens)));
  let grade: Grade = 'incorrect';
  if (tokens.length === 0) grade = 'incorrect';
  else if (rubric.correctWhen.some((condition) => conditionHolds(condition, expressed))) grade = 'correct';
  else if (rubric.partialWhen.some((condition) => conditionHolds(condition, expressed))) grade = 'partial';
  for (const misconception of stated) {
    if (GRADE_RANK[misconception.cap] < GRADE_RANK[grade]) grade = misconception.cap;
  }
  return {
    grade,
    matched: points.filter((point) => expressed.has(point.id)).map((point) => point.label),
    missing: points.filter((point) => !expressed.has(point.id)).map((point) => point.label),
    misconceptions: stated.map((m) => m.label),
  };
}
