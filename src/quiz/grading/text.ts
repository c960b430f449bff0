/** Tokenising, light stemming and negation scope for matching rubric phrases in free text. */

import { rootOf } from './words.ts';

export interface Token {
  /** The word as written, lower-cased. */
  word: string;
  stem: string;
  /** The Porter2 root: conflates derived forms ("persistent", "persistence") that `stem` keeps apart. */
  root: string;
  sentence: number;
  clause: number;
  /** A negator ("not", "no", "without", ...) governs this word. */
  negated: boolean;
}

const NEGATORS = new Set(['not', 'no', 'never', 'nothing', 'none', 'nor', 'neither', 'without', 'nobody']);
const CLAUSE_BREAKERS = new Set(['but', 'however', 'although', 'though', 'whereas', 'while', 'yet', 'unless']);
const NEGATION_REACH = 3;
const IRREGULAR_STEMS: Record<string, string> = { used: 'use', uses: 'use', using: 'use', data: 'data' };
/** [suffix, replacement, shortest stem left behind] */
const SUFFIX_RULES: [string, string, number][] = [
  ['ational', 'ate', 3],
  ['ization', 'ize', 3],
  ['isation', 'ize', 3],
  ['ation', 'ate', 3],
  ['ption', 'pt', 3],
  ['ction', 'ct', 3],
  ['ically', 'ic', 3],
  ['ness', '', 4],
  ['ment', '', 4],
  ['ity', '', 4],
  ['ly', '', 4],
];

/** `compute` for one word, remembered (a long answer repeats most of its words), up to 50,000 words at a time. */
export function cachedPerWord(compute: (word: string) => string): (word: string) => string {
  const cache = new Map<string, string>();
  return (word) => {
    let cached = cache.get(word);
    if (cached === undefined) {
      if (cache.size >= 50_000) cache.clear();
      cached = compute(word);
      cache.set(word, cached);
    }
    return cached;
  };
}

/** The light stem of a lower-case word, cached. */
export const stem = cachedPerWord(computeStem);

function computeStem(word: string): string {
  const irregular = IRREGULAR_STEMS[word];
  if (irregular) return irregular;
  let w = word;
  if (w.length <= 3) return w;
  // Superlatives meet their adjective: "trickiest" and "tricky" both end as "tricki".
  if (w.endsWith('iest') && w.length >= 7) w = `${w.slice(0, -4)}i`;
  else if (w.endsWith('ies')) w = `${w.slice(0, -3)}i`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  w = stripVerbEnding(w);
  for (const [suffix, replacement, shortestStem] of SUFFIX_RULES) {
    if (w.endsWith(suffix) && w.length - suffix.length >= shortestStem) {
      w = w.slice(0, -suffix.length) + replacement;
      break;
    }
  }
  if (w.endsWith('ise') || w.endsWith('ize')) w = `${w.slice(0, -3)}iz`;
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  if (w.endsWith('y') && w.length > 3) w = `${w.slice(0, -1)}i`;
  return w;
}

function stripVerbEnding(w: string): string {
  for (const ending of ['ing', 'ed']) {
    const rest = w.slice(0, -ending.length);
    if (!w.endsWith(ending) || rest.length < 3 || !/[aeiouy]/.test(rest)) continue;
    return /([^aeioulsz])\1$/.test(rest) ? rest.slice(0, -1) : rest;
  }
  return w;
}

function normaliseText(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[\u2018\u2019\u02bc`]/g, "'")
      .replace(/\bcan'?t\b|\bcannot\b/g, 'can not')
      .replace(/\bwon'?t\b/g, 'will not')
      .replace(/n't\b/g, ' not')
      // Informal answers drop the apostrophe: "dont", "doesnt", "isnt", "wasnt".
      .replace(/\b(do|does|did|is|are|was|were|should|could|would|have|has|had)nt\b/g, '$1 not')
      .replace(/'s\b/g, '')
      .replace(/'/g, '')
  );
}

/** Splits text into word tokens, tracking sentences, clauses and which words a negator governs. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let sentence = 0;
  let clause = 0;
  const pattern = /[a-z0-9]+|[.!?;]+(?=\s|$)|\n|[,:()\u2014]| - /g;
  for (const match of normaliseText(text).matchAll(pattern)) {
    const piece = match[0];
    if (/^[.!?;\n]/.test(piece)) {
      sentence += 1;
      clause += 1;
      continue;
    }
    if (!/^[a-z0-9]/.test(piece)) {
      clause += 1;
      continue;
    }
    if (CLAUSE_BREAKERS.has(piece)) clause += 1;
    const isNegator = NEGATORS.has(piece);
    tokens.push({
      word: piece,
      stem: isNegator ? 'not' : stem(piece),
      root: isNegator ? 'not' : rootOf(piece),
      sentence,
      clause,
      negated: false,
    });
  }
  markNegationScope(tokens);
  return tokens;
}

/** Words after a negator that dismiss the rest of the clause: "it's not about security or the login". */
const DISMISSERS = new Set(['about', 'because', 'due']);
/** Words that join a list the negation runs through: "not encrypted or hidden". */
const LIST_JOINERS = new Set(['or', 'nor']);

function markNegationScope(tokens: Token[]): void {
  tokens.forEach((token, index) => {
    if (token.stem !== 'not' || tokens[index + 1]?.word === 'only') return;
    const dismissal = DISMISSERS.has(tokens[index + 1]?.word ?? '');
    let reach = NEGATION_REACH;
    for (let next = index + 1; (dismissal || next <= index + reach) && next < tokens.length; next += 1) {
      const governed = tokens[next]!;
      if (governed.clause !== token.clause) break;
      if (LIST_JOINERS.has(governed.word)) reach += 2;
      governed.negated = true;
    }
  });
}
