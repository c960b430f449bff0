import { rootOf } from './words.ts';
import { stem, type Token } from './text.ts';

/**
 * Rubric phrases: words in order with at most MAX_GAP filler words between them ("signed with a
 * secret" matches "sign secret", "signed using the new secret" does not); `word*` matches words
 * starting with `word` as written; a lone `*` matches any one word; `^` anchors at the start of the answer; `a & b` asks for both parts in one sentence.
 * A phrase without a negator never matches negated words ("not encrypted" is not "encrypted");
 * a phrase with one (`not encrypt*`) matches negated wording ("isn't encrypted", "without").
 */
const MAX_GAP = 3;
const NEGATOR_WORDS = new Set(['not', 'no', 'never', 'without', 'nothing']);
const FILLER_WORDS = new Set(
  (
    'a an the this that these those it its is are was were be been being am has have had do does did of to in on at ' +
    'by for with from into as and or so very really just also then your my our their them they we you i he she one ' +
    'can could will would should may might must any some all each every which who what there here more much such only'
  ).split(' '),
);

interface Term {
  /** Matches any word when true. */
  any: boolean;
  prefix: string | null;
  word: string;
  stem: string;
  root: string;
}

interface Sequence {
  anchored: boolean;
  negative: boolean;
  terms: Term[];
}

export type CompiledPhrase = Sequence[];

export function compilePhrase(phrase: string): CompiledPhrase | null {
  const parts = phrase.split('&').map((part) => compileSequence(part.trim()));
  return parts.length > 0 && parts.every((part) => part !== null) ? (parts as Sequence[]) : null;
}

function compileSequence(text: string): Sequence | null {
  const anchored = text.startsWith('^');
  const words =
    text
      .replace(/^\^/, '')
      .toLowerCase()
      .replace(/['`]/g, '')
      .match(/[a-z0-9]+\*?|\*/g) ?? [];
  if (!words.some((word) => word !== '*')) return null;
  const terms = words.map((word): Term => {
    if (word === '*') return { any: true, prefix: null, word, stem: '', root: '' };
    if (word.endsWith('*')) return { any: false, prefix: word.slice(0, -1), word, stem: '', root: '' };
    const negator = NEGATOR_WORDS.has(word);
    return { any: false, prefix: null, word, stem: negator ? 'not' : stem(word), root: negator ? 'not' : rootOf(word) };
  });
  return { anchored, negative: terms.some((term) => term.stem === 'not'), terms };
}

/** Where each part of a phrase can start: the token positions whose word its first term matches, in order. */
export type PartStarts = readonly (readonly number[])[];

export function phraseMatches(
  phrase: CompiledPhrase,
  tokens: Token[],
  excluded?: ReadonlySet<number>,
  starts?: PartStarts,
): boolean {
  return phraseMatchIndices(phrase, tokens, excluded, starts) !== null;
}

/**
 * The token positions a phrase matches in its first matching sentence, or null. Positions in `excluded`
 * (words a misconception already used) never match, so "the signature is the secret key" does not also
 * count as "signed with a secret". `starts` (from a PhraseFilter) narrows where each part is tried; without it,
 * every position is.
 */
export function phraseMatchIndices(
  phrase: CompiledPhrase,
  tokens: Token[],
  excluded?: ReadonlySet<number>,
  starts?: PartStarts,
): number[] | null {
  const candidates = starts ?? phrase.map(() => tokens.map((_, index) => index));
  let sentence = -1;
  // Only the sentences where the first part can start are tried, each once.
  for (const position of candidates[0] ?? []) {
    if (tokens[position]!.sentence === sentence) continue;
    sentence = tokens[position]!.sentence;
    const used: number[] = [];
    const inSentence = sentence;
    if (
      phrase.every((sequence, part) =>
        sequenceMatchesIn(sequence, tokens, candidates[part]!, inSentence, used, excluded),
      )
    ) {
      return used;
    }
  }
  return null;
}

/** The first index of `positions` (in token order) whose token is in `sentence` or a later one. */
function firstInSentence(positions: readonly number[], tokens: Token[], sentence: number): number {
  let low = 0;
  let high = positions.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (tokens[positions[middle]!]!.sentence < sentence) low = middle + 1;
    else high = middle;
  }
  return low;
}

function termMatches(term: Term, token: Token): boolean {
  if (term.any) return true;
  if (term.prefix === null) {
    // Porter2 roots join derived forms ("persistence", "persistent"); short roots join too much ("useful", "use").
    if (term.stem === token.stem || (term.root.length >= 5 && term.root === token.root)) return true;
    return isTypoOf(term.stem, token.stem);
  }
  if (token.word.startsWith(term.prefix)) return true;
  if (term.prefix.length < 4 || token.word[0] !== term.prefix[0]) return false;
  const length = term.prefix.length;
  return [length - 1, length, length + 1].some((cut) => isTypoOf(term.prefix!, token.word.slice(0, cut)));
}

/**
 * True when `written` is a slip for `meant`, forgiven in proportion to the word's length: from seven letters any one
 * insertion, deletion or substitution ("autheticate", "automaticalyl"); from four letters only a doubled or undoubled
 * letter or two swapped neighbours ("querries", "recieve"), so that "token" does not become "taken".
 */
export function isTypoOf(meant: string, written: string): boolean {
  if (meant.length >= 7) return oneEditApart(meant, written);
  if (meant.length < 4 || meant[0] !== written[0]) return false;
  if (Math.abs(meant.length - written.length) === 1) {
    const [long, short] = meant.length > written.length ? [meant, written] : [written, meant];
    for (let i = 1; i < long.length; i += 1) {
      if (long[i] === long[i - 1] && long.slice(0, i) + long.slice(i + 1) === short) return true;
    }
    return false;
  }
  if (meant.length !== written.length) return false;
  for (let i = 1; i < meant.length - 1; i += 1) {
    if (meant[i] !== written[i]) {
      return meant[i] === written[i + 1] && meant[i + 1] === written[i] && meant.slice(i + 2) === written.slice(i + 2);
    }
  }
  return false;
}

/**
 * True when one insertion, deletion or substitution inside `a` turns it into `b`. A slip on the
 * first or last letter is not forgiven: "complet" is not "complex", "general" is not "generat".
 */
function oneEditApart(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1 || a[0] !== b[0]) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  if (i === a.length && a.length <= b.length) return true;
  if (i >= a.length - 1) return false;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1);
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

function sequenceMatchesIn(
  sequence: Sequence,
  tokens: Token[],
  starts: readonly number[],
  sentence: number,
  used: number[],
  excluded: ReadonlySet<number> | undefined,
): boolean {
  for (let index = firstInSentence(starts, tokens, sentence); index < starts.length; index += 1) {
    const start = starts[index]!;
    const first = tokens[start]!;
    if (first.sentence !== sentence) break;
    // An anchored part starts the answer.
    if (sequence.anchored && start !== 0) break;
    if (excluded?.has(start) || !termMatches(sequence.terms[0]!, first)) continue;
    if (!sequence.negative && first.negated) continue;
    const rest = restMatches(sequence, tokens, start, 1, excluded);
    if (rest) {
      used.push(start, ...rest);
      return true;
    }
  }
  return false;
}

function restMatches(
  sequence: Sequence,
  tokens: Token[],
  previous: number,
  termIndex: number,
  excluded: ReadonlySet<number> | undefined,
): number[] | null {
  const term = sequence.terms[termIndex];
  if (!term) return [];
  const { sentence, clause } = tokens[previous]!;
  for (let next = previous + 1; next <= previous + 1 + MAX_GAP && next < tokens.length; next += 1) {
    const token = tokens[next]!;
    if (token.sentence !== sentence) return null;
    // A negated phrase holds within one clause: "no, it is encrypted" does not say "not encrypted".
    if (sequence.negative && token.clause !== clause) return null;
    if (!sequence.negative && token.stem === 'not') return null;
    if (!excluded?.has(next) && termMatches(term, token)) {
      const rest = restMatches(sequence, tokens, next, termIndex + 1, excluded);
      if (rest) return [next, ...rest];
    }
    if (!FILLER_WORDS.has(token.word)) return null;
  }
  return null;
}

/** Distinct words remembered per filter before it starts afresh (a question's answers share most of their words). */
const MAX_FILTER_WORDS = 50_000;

/**
 * Which of a question's phrases can match an answer at all: a phrase needs, for each of its parts, a word that the
 * part's first term matches. What each word can start is worked out once per word and remembered, so a long answer
 * looks up its few hundred distinct words instead of trying every phrase at every position; only the phrases left
 * are matched in full. Never leaves out a phrase that matches.
 */
export class PhraseFilter {
  readonly #firstTerms: Term[] = [];
  readonly #parts = new Map<CompiledPhrase, number[]>();
  readonly #startable = new Map<string, number[]>();

  constructor(phrases: readonly CompiledPhrase[]) {
    for (const phrase of phrases) {
      if (this.#parts.has(phrase)) continue;
      this.#parts.set(
        phrase,
        phrase.map((sequence) => this.#firstTerms.push(sequence.terms[0]!) - 1),
      );
    }
  }

  /** The phrases that can match, each with where its parts can start (see PartStarts). */
  starts(tokens: readonly Token[]): Map<CompiledPhrase, PartStarts> {
    const positions: number[][] = this.#firstTerms.map(() => []);
    for (const [index, token] of tokens.entries()) {
      for (const id of this.#startableBy(token)) positions[id]!.push(index);
    }
    const result = new Map<CompiledPhrase, PartStarts>();
    for (const [phrase, parts] of this.#parts) {
      if (parts.every((id) => positions[id]!.length > 0))
        result.set(
          phrase,
          parts.map((id) => positions[id]!),
        );
    }
    return result;
  }

  /** The parts whose first term matches the token's word (a term looks only at the word, its stem and root). */
  #startableBy(token: Token): number[] {
    let ids = this.#startable.get(token.word);
    if (!ids) {
      ids = [];
      for (const [id, term] of this.#firstTerms.entries()) if (termMatches(term, token)) ids.push(id);
      if (this.#startable.size >= MAX_FILTER_WORDS) this.#startable.clear();
      this.#startable.set(token.word, ids);
    }
    return ids;
  }
}

/** Drops words that only echo the question ("JSON Web Token" does not say what a JWT is); matched as written, not stemmed. */
export function withoutEchoes(tokens: Token[], echoes: CompiledPhrase[]): Token[] {
  const dropped = new Set<number>();
  for (const echo of echoes) {
    for (const sequence of echo) markSequence(sequence, tokens, dropped);
  }
  return tokens.filter((_, index) => !dropped.has(index));
}

function markSequence(sequence: Sequence, tokens: Token[], dropped: Set<number>): void {
  for (let start = 0; start + sequence.terms.length <= tokens.length; start += 1) {
    const matches = sequence.terms.every((term, offset) => echoTermMatches(term, tokens[start + offset]!));
    if (matches) sequence.terms.forEach((_, offset) => dropped.add(start + offset));
  }
}

function echoTermMatches(term: Term, token: Token): boolean {
  if (term.any) return true;
  return term.prefix === null ? term.word === token.word : token.word.startsWith(term.prefix);
}
