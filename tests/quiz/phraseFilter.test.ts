import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadShippedBank } from '../../src/quiz/bank/bank.ts';
import { compilePhrase, PhraseFilter, phraseMatchIndices, type CompiledPhrase } from '../../src/quiz/grading/phrase.ts';
import { tokenize } from '../../src/quiz/grading/text.ts';

const bank = loadShippedBank();
const questions = bank
  .filter((question) => question.rubric !== null)
  .map((question) => {
    const rubric = question.rubric!;
    const phrases = [...rubric.misconceptions, ...rubric.keyPoints]
      .flatMap((item) => item.phrases)
      .map((phrase) => compilePhrase(phrase)!);
    return { slug: question.slug, phrases, filter: new PhraseFilter(phrases) };
  });

/** The rubrics' own words, slips of them, negators, fillers and punctuation: answers that come near many phrases. */
const rubricWords = [
  ...new Set(
    bank.flatMap((question) =>
      (question.rubric?.keyPoints ?? []).flatMap((point) =>
        point.phrases.flatMap((phrase) => phrase.toLowerCase().match(/[a-z0-9]+/g) ?? []),
      ),
    ),
  ),
].sort();
const slip = (word: string) => (word.length > 4 ? `${word.slice(0, 2)}${word[3]}${word[2]}${word.slice(4)}` : word);
const token = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...rubricWords) },
  { weight: 1, arbitrary: fc.constantFrom(...rubricWords).map(slip) },
  { weight: 1, arbitrary: fc.constantFrom(...rubricWords).map((word) => `${word}s`) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('not', "isn't", 'without', 'no', 'the', 'a', 'it', 'is', 'of', 'and', 'but'),
  },
  { weight: 1, arbitrary: fc.constantFrom('.', ',', ';', ' - ', '\n', '?') },
);
const answer = fc.array(token, { minLength: 0, maxLength: 80 }).map((words) => words.join(' '));

const unfiltered = (phrase: CompiledPhrase, text: string) => phraseMatchIndices(phrase, tokenize(text));
function filtered(filter: PhraseFilter, phrase: CompiledPhrase, text: string) {
  const tokens = tokenize(text);
  const starts = filter.starts(tokens).get(phrase);
  return starts ? phraseMatchIndices(phrase, tokens, undefined, starts) : null;
}

describe('PhraseFilter', () => {
  it('never changes what a phrase matches, on answers made of the rubrics own words, their slips and negations', () => {
    fc.assert(
      fc.property(fc.constantFrom(...questions), answer, (question, text) => {
        for (const phrase of question.phrases) {
          expect(filtered(question.filter, phrase, text)).toEqual(unfiltered(phrase, text));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('leaves out the phrases whose parts cannot start anywhere in the answer', () => {
    const phrases = ['persist*', 'server & push*', 'connection*'].map((phrase) => compilePhrase(phrase)!);
    const filter = new PhraseFilter(phrases);
    const starts = filter.starts(tokenize('The server keeps a persistent connection.'));
    expect([...starts.keys()]).toEqual([phrases[0]!, phrases[2]!]);
    expect(starts.get(phrases[0]!)).toEqual([[4]]);
  });
});
