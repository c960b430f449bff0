import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizeQuestionText, parseExercise } from '../../src/quiz/bank/exercise.ts';

const seed = (name: string) => parseExercise(readFileSync(`tests/fixtures/seeds/${name}`, 'utf8'));
const sheet000 = seed('000_91a65a4e01128c67.txt');
const sheet001 = seed('001_dd5155d4ae1a3602.txt');
const answerTo = (sheet: typeof sheet000, start: string) =>
  sheet.items.find((item) => item.question.startsWith(start))?.answer;

describe('parseExercise on the seed sheets', () => {
  it('reads the title from the heading', () => {
    expect(sheet000.title).toBe('Conceptual Exercise');
  });

  it('finds all 14 questions in sheet 001, in order', () => {
    expect(sheet001.items).toHaveLength(14);
    expect(sheet001.items[0]!.question).toBe('What is a JWT?');
    expect(sheet001.items[10]!.question).toBe('What are some ways to decide which code to test?');
  });

  it('finds 13 questions in sheet 000, which lacks the question on deciding what to test', () => {
    expect(sheet000.items).toHaveLength(13);
    expect(sheet000.items.some((item) => item.question.includes('decide which code'))).toBe(false);
  });

  it('joins the Flask question wrapped over two lines, with single spaces', () => {
    expect(sheet000.items.at(-1)!.question).toBe(
      'Did you prefer using Flask over Express? Why or why not (there is no right answer here --- we want to see how you think about technology)?',
    );
  });

  it('normalises double spaces inside a question', () => {
    expect(sheet000.items[1]!.question).toBe('What is the signature portion of the JWT? What does it do?');
  });

  it('finds the blank answer under a question', () => {
    expect(answerTo(sheet000, 'Compare and contrast')).toBe('');
  });

  it('keeps an unfinished answer as written', () => {
    expect(answerTo(sheet000, 'How can you implement')).toBe(
      "JSON Web Token (JWT) authentication works by exchanging a token between a user and a server to verify the user's identity:",
    );
  });

  it('reads hyphen-prefixed answer lines as the answer, dropping a bare "- "', () => {
    expect(answerTo(sheet001, 'If a JWT')).toBe('Yes');
    expect(answerTo(sheet001, 'What is the signature')).toBe(
      'The signature part is the secret that you specify. This will make sure the request are comming from your application',
    );
  });

  it('keeps every line of a bulleted answer', () => {
    expect(answerTo(sheet001, 'What are some differences')?.split('\n')).toEqual([
      'Web Sockets are faster',
      'HTTP initiates a fresh connection each time',
      'HTTP follows a request-response pattern',
      'WEB Sockets maintain a constant open connection',
    ]);
  });

  it('starts a new question right after an answer line without a blank line between', () => {
    expect(answerTo(sheet001, 'What is TDD')).toContain('Drawback is it takes alot more time');
    expect(answerTo(sheet001, 'What is the value of using JSONSchema')).toBe('It makes it easier to validate forms');
  });

  it('reads an indented answer under the question', () => {
    expect(answerTo(sheet001, 'What is continuous integration')).toBe(
      'Continous integration is when test are contiousously added when there are changes',
    );
  });

  it('reads the answer under the wrapped Flask question', () => {
    expect(answerTo(sheet000, 'Did you prefer')).toMatch(/^I prefer Express\./);
  });
});

describe('parseExercise on other layouts', () => {
  it('takes text after the question mark on the same line as the answer', () => {
    const { items } = parseExercise('- What is a JWT? A signed token.\n- What is a mock?\n');
    expect(items).toEqual([
      { question: 'What is a JWT?', answer: 'A signed token.' },
      { question: 'What is a mock?', answer: '' },
    ]);
  });

  it('keeps an instruction after the question mark as part of the question', () => {
    const { items } = parseExercise('- How does it work?  Describe it briefly.\nIt just works.\n');
    expect(items[0]).toEqual({ question: 'How does it work? Describe it briefly.', answer: 'It just works.' });
  });

  it('returns a null title and no items for text without bullets', () => {
    expect(parseExercise('just some notes\n')).toEqual({ title: null, items: [] });
  });

  it('accepts Windows line endings', () => {
    expect(parseExercise('- What is CI?\r\nMerging often.\r\n').items[0]!.answer).toBe('Merging often.');
  });
});

describe('normalizeQuestionText', () => {
  it('ignores backticks, case and spacing', () => {
    expect(normalizeQuestionText('What does `RETURNING` do in  SQL?')).toBe(
      normalizeQuestionText('what does RETURNING do in SQL'),
    );
  });

  it('ignores apostrophes and curly quotes', () => {
    expect(normalizeQuestionText('see what\u2019s inside')).toBe(normalizeQuestionText("see what's inside"));
  });

  it('still tells different questions apart', () => {
    expect(normalizeQuestionText('What is a JWT?')).not.toBe(normalizeQuestionText('What is a mock?'));
  });
});
