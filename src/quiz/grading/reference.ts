import { isTypoOf } from './phrase.ts';
import { tokenize, type Token } from './text.ts';
import { synonymRoots } from './words.ts';

/**
 * Key points read from a reference answer alone, for the common question whose instructors wrote no rubric:
 * each sentence of the reference answer is a point, made of its content words (their roots and synonyms).
 */
export interface ReferencePoint {
  label: string;
  words: ReferenceWord[];
}

interface ReferenceWord {
  root: string;
  word: string;
  /** Roots of the word's synonyms: "fake" also accepts "imitation", "simulated". */
  synonyms: ReadonlySet<string>;
}

const STOP_WORDS = new Set(
  (
    'a an the this that these those it its is are was were be been being am has have had do does did of to in on at by for ' +
    'with from into as and or so very really just also then your my our their them they we you i he she one can could will ' +
    'would should may might must any some all each every which who what there here more much such only not no than when ' +
    'where how why because if about like use used using way example for e g eg etc most usually often get gets thing things ' +
    'something other another both either between same new make makes made instead whole part'
  ).split(' '),
);
const MAX_LABEL = 90;

function contentTokens(tokens: Token[], echoed: ReadonlySet<string>): Token[] {
  return tokens.filter(
    (token) =>
      token.word.length >= 3 &&
      token.stem !== 'not' &&
      !STOP_WORDS.has(token.word) &&
      !/^\d+$/.test(token.word) &&
      !echoed.has(token.root),
  );
}

/** Roots of the question's own words: an answer that repeats the question says nothing by it. */
export function echoedRoots(questionText: string): Set<string> {
  return new Set(
    tokenize(questionText)
      .filter((token) => !STOP_WORDS.has(token.word))
      .map((token) => token.root),
  );
}

function label(sentence: string): string {
  const text = sentence
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.;:]$/, '');
  return text.length <= MAX_LABEL ? text : `${text.slice(0, MAX_LABEL - 1).replace(/\s+\S*$/, '')}…`;
}

export function referencePoints(referenceAnswer: string, questionText: string): ReferencePoint[] {
  const echoed = echoedRoots(questionText);
  const sentences = referenceAnswer.split(/(?<=[.;!?])\s+|\n+/).filter((sentence) => sentence.trim() !== '');
  const points: ReferencePoint[] = [];
  for (const sentence of sentences) {
    const seen = new Set<string>();
    const words: ReferenceWord[] = [];
    for (const token of contentTokens(tokenize(sentence), echoed)) {
      if (seen.has(token.root)) continue;
      seen.add(token.root);
      words.push({ root: token.root, word: token.word, synonyms: new Set(synonymRoots(token.word)) });
    }
    if (words.length > 0) points.push({ label: label(sentence), words });
  }
  return points;
}

/** The answer's content words, not negated, by root and by spelling (for typos). */
export interface AnswerWords {
  roots: Set<string>;
  /** Words of four letters or more by first letter, for the typo check. */
  longWords: Map<string, string[]>;
}

export function answerWords(tokens: Token[], echoed: ReadonlySet<string>): AnswerWords {
  const content = contentTokens(tokens, echoed).filter((token) => !token.negated);
  const longWords = new Map<string, string[]>();
  for (const word of new Set(content.map((token) => token.word))) {
    if (word.length < 4) continue;
    const sameStart = longWords.get(word[0]!);
    if (sameStart) sameStart.push(word);
    else longWords.set(word[0]!, [word]);
  }
  return { roots: new Set(content.map((token) => token.root)), longWords };
}

function wordFound(word: ReferenceWord, answer: AnswerWords): boolean {
  if (answer.roots.has(word.root)) return true;
  for (const synonym of word.synonyms) if (answer.roots.has(synonym)) return true;
  return (answer.longWords.get(word.word[0]!) ?? []).some((written) => isTypoOf(word.word, written));
}

/** Share of each point's words the answer states: a point counts as found at a third of its words and at least two. */
export function pointCoverage(
  points: readonly ReferencePoint[],
  answer: AnswerWords,
): { found: boolean[]; coverage: number } {
  let total = 0;
  let hit = 0;
  const found = points.map((point) => {
    const matched = point.words.filter((word) => wordFound(word, answer)).length;
    total += point.words.length;
    hit += matched;
    return matched >= Math.min(2, point.words.length) && matched * 3 >= point.words.length;
  });
  return { found, coverage: total === 0 ? 0 : hit / total };
}
