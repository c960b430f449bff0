import { compilePhrase } from './phrase.ts';

/** A rubric is plain JSON so it can be stored as it is (a jsonb column). */
export interface Rubric {
  keyPoints: KeyPoint[];
  misconceptions: Misconception[];
  /** Phrases that only echo the question, removed before matching ("json web token*"). */
  ignore: string[];
  /** The answer is correct when any of these conditions holds (and no misconception caps it). */
  correctWhen: Condition[];
  /** Otherwise partial when any of these holds; otherwise incorrect. */
  partialWhen: Condition[];
}

export interface KeyPoint {
  id: string;
  /** Short human-readable label shown to instructors ("verifies it was not tampered with"). */
  label: string;
  phrases: string[];
}

export interface Misconception {
  label: string;
  phrases: string[];
  /** The best grade an answer stating this misconception can get. */
  cap: 'partial' | 'incorrect';
}

/** Holds when every key point in `all` is expressed and at least `atLeast` key points in total. */
export interface Condition {
  all: string[];
  atLeast: number;
}

const ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Everything wrong with a rubric, as sentences; empty when it is usable. */
export function rubricProblems(rubric: Rubric): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  if (rubric.keyPoints.length === 0) problems.push('it has no key points');
  for (const point of rubric.keyPoints) {
    if (!ID_PATTERN.test(point.id)) problems.push(`key point id "${point.id}" is not lower-case-with-dashes`);
    if (ids.has(point.id)) problems.push(`key point id "${point.id}" is used twice`);
    ids.add(point.id);
    if (point.label.trim() === '') problems.push(`key point "${point.id}" has no label`);
    problems.push(...phraseProblems(`key point "${point.id}"`, point.phrases));
  }
  for (const misconception of rubric.misconceptions) {
    problems.push(...phraseProblems(`misconception "${misconception.label}"`, misconception.phrases));
  }
  problems.push(...phraseProblems('ignore', rubric.ignore, true));
  if (rubric.correctWhen.length === 0) problems.push('it never says when an answer is correct');
  for (const condition of [...rubric.correctWhen, ...rubric.partialWhen]) {
    for (const id of condition.all) {
      if (!ids.has(id)) problems.push(`a condition names an unknown key point "${id}"`);
    }
    if (condition.atLeast === 0) problems.push('a condition asks for no key point at all');
    if (condition.atLeast > rubric.keyPoints.length) {
      problems.push(`a condition asks for ${condition.atLeast} key points but there are ${rubric.keyPoints.length}`);
    }
  }
  return problems;
}

function phraseProblems(owner: string, phrases: string[], emptyAllowed = false): string[] {
  if (phrases.length === 0 && !emptyAllowed) return [`${owner} has no phrases`];
  return phrases
    .filter((phrase) => compilePhrase(phrase) === null)
    .map((phrase) => `${owner} has a phrase without words: "${phrase}"`);
}

/** Parses "token + signed | parts | any 2" into conditions; null when it names no requirement. */
export function parseConditions(text: string): Condition[] | null {
  const conditions: Condition[] = [];
  for (const alternative of text.split('|')) {
    const condition: Condition = { all: [], atLeast: 0 };
    for (const atom of alternative.split('+').map((part) => part.trim())) {
      const count = /^any\s+(\d+)$/i.exec(atom);
      if (count) condition.atLeast = Math.max(condition.atLeast, Number(count[1]));
      else if (ID_PATTERN.test(atom)) condition.all.push(atom);
      else return null;
    }
    condition.atLeast = Math.max(condition.atLeast, condition.all.length);
    conditions.push(condition);
  }
  return conditions.length > 0 ? conditions : null;
}

export function conditionHolds(condition: Condition, expressed: ReadonlySet<string>): boolean {
  return condition.all.every((id) => expressed.has(id)) && expressed.size >= condition.atLeast;
}
