import {
  compilePhrase,
  PhraseFilter,
  phraseMatchIndices,
  phraseMatches,
  withoutEchoes,
  type CompiledPhrase,
} from './phrase.ts';
import { conditionHolds, type Rubric } from './rubric.ts';
import { tokenize } from './text.ts';
import type { Grade } from '../types.ts';
import { answerWords, echoedRoots, pointCoverage, referencePoints, type ReferencePoint } from './reference.ts';

/** What a suggestion needs to know about a question: its text, and a rubric, a reference answer or both. */
export interface Gradable {
  text: string;
  referenceAnswer: string | null;
  rubric: Rubric | null;
}

/** Reference coverage cut-offs for a question without a rubric: correct from `correct` on, partial from `partial`. */
export interface ReferenceThresholds {
  correct: number;
  partial: number;
}

/** Everything the rules see in one answer, before any instructor's grade is taken into account. */
export interface Analysis {
  /** The rules' grade: the rubric's when the question has one, otherwise from reference coverage. */
  grade: Grade;
  /** Share of the reference answer's content words the answer states (0 to 1). */
  coverage: number;
  matched: string[];
  missing: string[];
  misconceptions: string[];
  /** Weighted features for comparing answers: content roots, key points found, misconceptions stated. */
  features: Map<string, number>;
  /** How many of the rubric's key points the answer states (0 without a rubric). */
  rubricPoints: number;
  /** False when the question has neither rubric nor reference answer: `grade` then says nothing. */
  informed: boolean;
}

interface CompiledQuestion {
  rubric: Rubric | null;
  points: { id: string; label: string; phrases: CompiledPhrase[] }[];
  misconceptions: { label: string; cap: Grade; phrases: CompiledPhrase[] }[];
  ignore: CompiledPhrase[];
  /** Narrows the key points' and misconceptions' phrases to those that can match an answer. */
  filter: PhraseFilter;
  reference: ReferencePoint[];
  echoed: Set<string>;
}

const GRADE_RANK: Record<Grade, number> = { incorrect: 0, partial: 1, correct: 2 };

/** Compiled questions by content: each answer reads its question afresh, so the object is new but its text is not. */
const compiledQuestions = new Map<string, CompiledQuestion>();
const MAX_COMPILED = 2000;

function compileAll(phrases: string[]): CompiledPhrase[] {
  return phrases.map(compilePhrase).filter((phrase): phrase is CompiledPhrase => phrase !== null);
}

/** The grade of an answer to a question without a rubric: correct needs one reference sentence stated. */
export function referenceGrade(coverage: number, pointFound: boolean, thresholds: ReferenceThresholds): Grade {
  if (coverage >= thresholds.correct && pointFound) return 'correct';
  return coverage >= thresholds.partial ? 'partial' : 'incorrect';
}

export function canSuggest(question: Gradable): boolean {
  return question.rubric !== null || (question.referenceAnswer ?? '').trim() !== '';
}

function compiled(question: Gradable): CompiledQuestion {
  const key = JSON.stringify([question.text, question.referenceAnswer, question.rubric]);
  let result = compiledQuestions.get(key);
  if (!result) {
    if (compiledQuestions.size >= MAX_COMPILED) compiledQuestions.clear();
    const rubric = question.rubric;
    const points = (rubric?.keyPoints ?? []).map((point) => ({
      id: point.id,
      label: point.label,
      phrases: compileAll(point.phrases),
    }));
    const misconceptions = (rubric?.misconceptions ?? []).map((m) => ({
      label: m.label,
      cap: m.cap,
      phrases: compileAll(m.phrases),
    }));
    result = {
      rubric,
      points,
      misconceptions,
      filter: new PhraseFilter([...misconceptions, ...points].flatMap((item) => item.phrases)),
      ignore: compileAll(rubric?.ignore ?? []),
      reference: referencePoints(question.referenceAnswer ?? '', question.text),
      echoed: echoedRoots(question.text),
    };
    compiledQuestions.set(key, result);
  }
  return result;
}

/**
 * The rules' view of an answer. Misconceptions are matched first and the words they use are not available to
 * key points, and negated words never count: a point the answer negates or contradicts is not shown as found.
 */
export function analyse(question: Gradable, answer: string, thresholds: ReferenceThresholds): Analysis {
  const q = compiled(question);
  const tokens = withoutEchoes(tokenize(answer), q.ignore);
  const starts = q.filter.starts(tokens);
  const contradicted = new Set<number>();
  const stated = q.misconceptions.filter((misconception) => {
    const used = misconception.phrases
      .filter((phrase) => starts.has(phrase))
      .map((phrase) => phraseMatchIndices(phrase, tokens, undefined, starts.get(phrase)))
      .filter((indices) => indices !== null);
    for (const indices of used) for (const index of indices) contradicted.add(index);
    return used.length > 0;
  });
  const words = answerWords(tokens, q.echoed);
  const reference = pointCoverage(q.reference, words);
  const features = new Map<string, number>();
  for (const root of words.roots) features.set(root, 1);
  for (const misconception of stated) features.set(`misconception:${misconception.label}`, 2);

  let grade: Grade;
  let matched: string[];
  let missing: string[];
  let rubricPoints = 0;
  if (q.rubric) {
    const expressed = new Set(
      q.points
        .filter((point) =>
          point.phrases.some(
            (phrase) => starts.has(phrase) && phraseMatches(phrase, tokens, contradicted, starts.get(phrase)),
          ),
        )
        .map((point) => point.id),
    );
    for (const id of expressed) features.set(`point:${id}`, 2);
    rubricPoints = expressed.size;
    grade = 'incorrect';
    if (tokens.length === 0) grade = 'incorrect';
    else if (q.rubric.correctWhen.some((condition) => conditionHolds(condition, expressed))) grade = 'correct';
    else if (q.rubric.partialWhen.some((condition) => conditionHolds(condition, expressed))) grade = 'partial';
    matched = q.points.filter((point) => expressed.has(point.id)).map((point) => point.label);
    missing = q.points.filter((point) => !expressed.has(point.id)).map((point) => point.label);
  } else {
    reference.found.forEach((found, index) => found && features.set(`point:${index}`, 2));
    grade = referenceGrade(reference.coverage, reference.found.some(Boolean), thresholds);
    matched = q.reference.filter((_, index) => reference.found[index]).map((point) => point.label);
    missing = q.reference.filter((_, index) => !reference.found[index]).map((point) => point.label);
  }
  // A misconception capped at partial is the rubric's "on the right track but mixed with a misconception": the answer
  // said something about the question, so it is partial even when no key point survives it; a cap at incorrect wins.
  if (grade === 'incorrect' && stated.some((misconception) => misconception.cap === 'partial')) grade = 'partial';
  for (const misconception of stated) {
    if (GRADE_RANK[misconception.cap] < GRADE_RANK[grade]) grade = misconception.cap;
  }
  return {
    grade,
    coverage: reference.coverage,
    matched,
    missing,
    misconceptions: stated.map((m) => m.label),
    features,
    rubricPoints,
    informed: canSuggest(question),
  };
}
