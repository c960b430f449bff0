import { describe, expect, it } from 'vitest';
import { compilePhrase, phraseMatches, withoutEchoes } from '../../src/quiz/grading/phrase.ts';
import { stem, tokenize } from '../../src/quiz/grading/text.ts';

const matches = (phrase: string, text: string) => phraseMatches(compilePhrase(phrase)!, tokenize(text));

describe('stem', () => {
  it.each([
    ['integration', 'integrating'],
    ['validated', 'validation'],
    ['encrypted', 'encryption'],
    ['verifies', 'verify'],
    ['changes', 'changed'],
    ['used', 'using'],
    ['trickiest', 'tricky'],
    ['easiest', 'easy'],
  ])('gives %s and %s the same stem', (a, b) => {
    expect(stem(a)).toBe(stem(b));
  });
});

describe('phrase matching', () => {
  it.each([
    ['sign secret', 'signed with a secret', true],
    ['sign secret', 'signed using the new secret', false],
    ['not encrypt*', "it isn't encrypted", true],
    ['not encrypt*', 'it is encrypted', false],
    ['not encrypt*', 'No, it is encrypted', false],
    ['persistent connection', 'the connection persists', false],
    ['persist* connection', 'a connection that persists', false],
    ['persistence', 'a persistent connection', true],
    ['encrypt*', 'encoded, not encrypted', false],
    ['encrypt*', 'not only encoded but encrypted', true],
    ['not alter*', 'nothing has been altered', true],
    ['^no', 'No, never', true],
    ['^no', 'Yes, no secrets in it', false],
    ['unit & isolat*', 'Unit tests run code in isolation.', true],
    ['unit & isolat*', 'Unit tests are fast. They are isolated.', false],
    ['test* * add*', 'tests are continuously added', true],
  ] as const)('"%s" in %j: %s', (phrase, text, expected) => {
    expect(matches(phrase, text)).toBe(expected);
  });

  it('refuses a phrase without words', () => {
    expect(compilePhrase(' & ')).toBeNull();
  });

  it('drops echoed words as written, keeping other forms', () => {
    const tokens = withoutEchoes(tokenize('RETURNING returns rows'), [compilePhrase('returning')!]);
    expect(tokens.map((token) => token.word)).toEqual(['returns', 'rows']);
  });
});
