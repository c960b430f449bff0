import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findBankQuestion, loadShippedBank, parseBank, slugify } from '../../src/quiz/bank/bank.ts';
import { parseExercise } from '../../src/quiz/bank/exercise.ts';

const shippedMarkdown = readFileSync('src/questions/conceptual-exercise.md', 'utf8');
const studentSheet = readFileSync('tests/fixtures/seeds/001_dd5155d4ae1a3602.txt', 'utf8');

const block = (meta: string, rest = '') =>
  `- What is a JWT?\n\n  ${meta}\n  Reference answer: A signed token.\n${rest}`;
const rubricLines = '\n  Key points:\n  * `signed` signed: "sign*"\n\n  Correct when: signed\n';

describe('the shipped bank', () => {
  const bank = loadShippedBank();

  it('holds the 14 questions of the exercise, in the order of the student sheet', () => {
    expect(bank.map((question) => question.text)).toEqual(
      parseExercise(studentSheet).items.map((item) => item.question),
    );
  });

  it('gives every question a unique slug, a topic, a reference answer and a rubric', () => {
    expect(new Set(bank.map((question) => question.slug)).size).toBe(14);
    for (const question of bank) {
      expect(question.topic.length).toBeGreaterThan(0);
      expect(question.referenceAnswer?.length).toBeGreaterThan(80);
      expect(question.rubric?.keyPoints.length).toBeGreaterThan(0);
    }
  });

  it('groups questions into a few topics for autocomplete', () => {
    const topics = new Set(bank.map((question) => question.topic));
    expect(topics).toContain('JWT');
    expect(topics.size).toBeLessThanOrEqual(10);
  });

  it('keeps rubric metadata out of the question text and the reference answer', () => {
    const jwt = findBankQuestion(bank, 'jwt-what')!;
    expect(jwt.text).toBe('What is a JWT?');
    expect(jwt.referenceAnswer).toMatch(/^A JWT \(JSON Web Token\) is an open standard/);
    expect(jwt.referenceAnswer).not.toContain('Key points');
  });

  it('parses without skipping anything', () => {
    expect(parseBank(shippedMarkdown).skipped).toEqual([]);
  });
});

describe('parseBank on a plain exercise sheet', () => {
  const { questions, skipped } = parseBank(studentSheet, { defaultTopic: 'Week 3' });

  it('imports every question with a slug from its text and the default topic', () => {
    expect(skipped).toEqual([]);
    expect(questions).toHaveLength(14);
    expect(questions[0]).toEqual({
      slug: 'what-is-a-jwt',
      topic: 'Week 3',
      text: 'What is a JWT?',
      referenceAnswer: null,
      rubric: null,
    });
  });

  it("never takes the student's answer as a reference answer", () => {
    expect(questions.every((question) => question.referenceAnswer === null && question.rubric === null)).toBe(true);
  });

  it("uses the topic 'General' without a default", () => {
    expect(parseBank('- What is CI?\n').questions[0]!.topic).toBe('General');
  });
});

describe('parseBank skips what it cannot use, with a reason', () => {
  it('skips a repeated question', () => {
    const { questions, skipped } = parseBank('- What is CI?\n\n- What is `CI`?\n');
    expect(questions).toHaveLength(1);
    expect(skipped[0]!.reason).toMatch(/same question/);
  });

  it('skips a repeated slug', () => {
    const markdown = `${block('<!-- slug: jwt | topic: JWT -->')}\n- What is a token?\n\n  <!-- slug: jwt | topic: JWT -->\n`;
    expect(parseBank(markdown).skipped).toEqual([
      { question: 'What is a token?', reason: 'the slug "jwt" is already used in this file' },
    ]);
  });

  it('skips a question over 1000 characters', () => {
    const { skipped } = parseBank(`- Why ${'really '.repeat(150)}?\n`);
    expect(skipped[0]!.reason).toMatch(/longer than 1000/);
  });

  it('skips a rubric that names an unknown key point', () => {
    const { skipped } = parseBank(
      block('<!-- slug: jwt | topic: JWT -->', rubricLines.replace('Correct when: signed', 'Correct when: verified')),
    );
    expect(skipped[0]!.reason).toMatch(/invalid rubric: .*unknown key point "verified"/);
  });

  it('skips a rubric line it does not understand instead of guessing', () => {
    const { skipped } = parseBank(block('<!-- slug: jwt | topic: JWT -->', `${rubricLines}  Corect when: signed\n`));
    expect(skipped[0]!.reason).toMatch(/unrecognised line: Corect when/);
  });

  it('skips a slug that is not lower-case-with-dashes', () => {
    expect(parseBank(block('<!-- slug: Jwt What | topic: JWT -->')).skipped[0]!.reason).toMatch(/slug "Jwt What"/);
  });

  it('accepts a bank question without a rubric', () => {
    const { questions } = parseBank(block('<!-- slug: jwt | topic: Auth -->'));
    expect(questions[0]).toMatchObject({
      slug: 'jwt',
      topic: 'Auth',
      referenceAnswer: 'A signed token.',
      rubric: null,
    });
  });

  it('reads a rubric block into key points and conditions', () => {
    const rubric = parseBank(block('<!-- slug: jwt | topic: JWT -->', rubricLines)).questions[0]!.rubric;
    expect(rubric).toEqual({
      keyPoints: [{ id: 'signed', label: 'signed', phrases: ['sign*'] }],
      misconceptions: [],
      ignore: [],
      correctWhen: [{ all: ['signed'], atLeast: 1 }],
      partialWhen: [{ all: [], atLeast: 1 }],
    });
  });
});

describe('slugify', () => {
  it('is stable and at most 64 characters, cut at a word', () => {
    const long = 'Did you prefer using Flask over Express? Why or why not (there is no right answer here)?';
    expect(slugify(long)).toBe(slugify(long));
    expect(slugify(long).length).toBeLessThanOrEqual(64);
    expect(slugify(long)).toMatch(/^did-you-prefer-using-flask-over-express-why-or-why-not-there-is$/);
  });
});

describe('findBankQuestion', () => {
  const bank = loadShippedBank();

  it.each([
    ['a slug', 'sql-returning', 'sql-returning'],
    ['text without backticks', 'What does RETURNING do in SQL? When would you use it?', 'sql-returning'],
    ['text with odd spacing', 'What is the signature portion of the JWT?  What does it do?', 'jwt-signature'],
    [
      'the Flask question without its aside',
      'Did you prefer using Flask over Express? Why or why not?',
      'flask-vs-express',
    ],
    ['the first sentence only', 'What does RETURNING do in SQL?', 'sql-returning'],
    ['a part of its text in the middle', 'signature portion of the JWT', 'jwt-signature'],
  ])('finds a question by %s', (_how, key, slug) => {
    expect(findBankQuestion(bank, key)?.slug).toBe(slug);
  });

  it('finds nothing for an unknown question, nor for a part too short to tell', () => {
    expect(findBankQuestion(bank, 'What is Kubernetes?')).toBeUndefined();
    expect(findBankQuestion(bank, 'JWT')).toBeUndefined();
  });
});
