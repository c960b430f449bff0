import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { agreement } from '../../src/quiz/grading/agreement.ts';
import { findBankQuestion, loadShippedBank } from '../../src/quiz/bank/bank.ts';
import { preloadLexicon } from '../../src/quiz/grading/lexicon.ts';
import { suggestGrade } from '../../src/quiz/grading/suggest.ts';
import type { Grade } from '../../src/quiz/types.ts';

const bank = loadShippedBank();
const question = (slug: string) => findBankQuestion(bank, slug)!;
const suggest = (slug: string, answer: string) => suggestGrade(question(slug), answer)!;
const readGraded = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { question: string; answer: string; grade: Grade });

describe('suggestGrade on blank answers', () => {
  it.each(['', '   ', '\n- \n'])('calls %j incorrect and lists every key point as missing', (answer) => {
    const suggestion = suggest('jwt-signature', answer);
    expect(suggestion.grade).toBe('incorrect');
    expect(suggestion.matched).toEqual([]);
    expect(suggestion.missing).toHaveLength(2);
  });
});

describe('suggestGrade handles negation', () => {
  it.each([
    ['jwt-intercepted', 'Yes, the payload is only encoded, not encrypted.', 'correct'],
    ['jwt-intercepted', "Yes, but it's encrypted so you need the secret key.", 'partial'],
    ['jwt-intercepted', 'No', 'incorrect'],
    ['jwt-intercepted', "No, they can't read it.", 'incorrect'],
    ['jwt-intercepted', 'They cannot decode it without the key.', 'incorrect'],
    ['jwt-what', 'A token that is not signed and not used for auth.', 'partial'],
  ] as const)('[%s] %j is %s', (slug, answer, grade) => {
    expect(suggest(slug, answer).grade).toBe(grade);
  });

  it.each([
    [
      'which-code-to-test',
      "It's not about security or the login stuff, just test the calculations that are complicated.",
      'security-sensitive code such as auth',
    ],
    [
      'which-code-to-test',
      'It is not about how secure the login page is, just test the complicated calculations.',
      'security-sensitive code such as auth',
    ],
    [
      'websockets-vs-http',
      'Websockets dont keep a persistent connection.',
      'WebSockets keep a persistent open connection',
    ],
    ['jwt-intercepted', 'They cant decode it or read it.', 'yes, anyone can read the payload'],
  ] as const)('[%s] %j does not state "%s"', (slug, answer, point) => {
    expect(suggest(slug, answer).matched).not.toContain(point);
  });

  it('does not count "not encrypted" as saying the payload is encrypted', () => {
    expect(suggest('jwt-intercepted', 'The payload is encoded but not encrypted.').misconceptions).toEqual([]);
  });
});

describe('suggestGrade recognises misconceptions', () => {
  it.each([
    ['mock', 'A mock test is used as practice for a future real exam.', 'incorrect'],
    ['jwt-signature', 'The signature is the secret key. It makes sure requests come from your app.', 'partial'],
    [
      'continuous-integration',
      'Continuous integration is when tests are continuously added when there are changes',
      'incorrect',
    ],
    ['environment-variables', 'Variables that can be used globally, for example to hold API keys.', 'partial'],
    ['environment-variables', 'Variables you can access from anywhere in your app, global variables.', 'partial'],
    ['jwt-signature', 'It encrypts the payload so no one can read it.', 'partial'],
    [
      'jwt-auth-flow',
      'The token is stored in the database and we compare the token the user sends with it.',
      'partial',
    ],
    ['sql-returning', 'You use it with SELECT to pick which columns come back.', 'partial'],
    [
      'jwt-auth-flow',
      'The front end creates the token with the user id, signs it, and sends it to the server, which verifies it on each request.',
      'partial',
    ],
    ['sql-returning', 'It returns true or false depending on whether the insert worked.', 'incorrect'],
    ['jwt-signature', 'The signature is basically the secret key itself, added at the end of the token.', 'partial'],
  ] as const)('[%s] %j is %s (a misconception capped at partial is on the right track)', (slug, answer, grade) => {
    const suggestion = suggest(slug, answer);
    expect(suggestion.grade).toBe(grade);
    expect(suggestion.misconceptions).toHaveLength(1);
  });
});

describe('a cookie is where the token travels, not any mention of cookies', () => {
  it('counts a token kept in a cookie and sent with requests, not a comparison with cookies', () => {
    const sends = 'the client sends it with later requests';
    expect(suggest('jwt-auth-flow', 'The token is stored in a cookie after login.').matched).toContain(sends);
    expect(suggest('jwt-auth-flow', 'JWT is more secure than cookies.').matched).not.toContain(sends);
  });
});

describe('what the grading rubric names in passing', () => {
  it('reads "I liked it more" as a vague reason for a preference (partial), and a bare preference as none', () => {
    expect(suggest('flask-vs-express', 'Express I guess, I liked it more.').grade).toBe('partial');
    expect(suggest('flask-vs-express', 'Express.').grade).toBe('incorrect');
  });

  it('does not take "unless the token is encrypted" for the belief that it is encrypted', () => {
    const answer = 'Yes, it is only encoded, so anyone can read it, unless the token is encrypted (JWE).';
    expect(suggest('jwt-intercepted', answer)).toMatchObject({ grade: 'correct', misconceptions: [] });
    expect(suggest('jwt-intercepted', 'Yes, but it is encrypted.').grade).toBe('partial');
  });
});

describe('key points in other words (probe batch F)', () => {
  it('reads computing the signature again and comparing as verifying it', () => {
    const answer =
      'It is made from the header and payload with the server secret. The server calculates it again and compares, if it is not the same somebody changed the token.';
    expect(suggest('jwt-signature', answer).grade).toBe('correct');
  });

  it('reads "a false thing in place of the real one" as a mock standing in', () => {
    const standIn = 'a fake stand-in for a real dependency';
    expect(suggest('mock', 'A false thing in place of the real one, only for the test.').matched).toContain(standIn);
  });

  it("does not read JSON's key/value pairs as a declared shape, but does read required keys", () => {
    const shape = 'against a declared shape (types, required fields)';
    expect(suggest('jsonschema-value', 'JSON is key/value pairs, like a Python dict.').matched).not.toContain(shape);
    expect(suggest('jsonschema-value', 'It checks the body has the required keys.').matched).toContain(shape);
  });
});

describe('suggestGrade on real-looking answers', () => {
  it.each([
    ['jwt-what', 'JWT stands for JSON Web Token', 'incorrect'],
    ['jwt-what', 'JSON Web Token. Used for authenticating a user.', 'partial'],
    ['jwt-what', 'A signed token used to authenticate users; it has a header, a payload and a signature.', 'correct'],
    ['jwt-signature', 'It verifies the token has not been tampered with.', 'correct'],
    ['jwt-signature', 'It is a hash of the header and payload with the secret.', 'partial'],
    [
      'jwt-auth-flow',
      'User logs in, server creates a JWT, the client sends it with each request and the server verifies it.',
      'correct',
    ],
    ['jwt-auth-flow', 'Encode a token with a secret.', 'partial'],
    [
      'test-kinds',
      'Unit tests test one function. Integration tests check parts work together. End to end tests test the whole app like a user.',
      'correct',
    ],
    ['test-kinds', 'Unit tests test one function. End to end tests test the whole app.', 'partial'],
    [
      'continuous-integration',
      'Merging small changes often into main, with tests run automatically on every push.',
      'correct',
    ],
    ['continuous-integration', 'Merging small changes often.', 'partial'],
    ['tdd', 'Writing tests before code. Benefit: fewer bugs. Drawback: slower at first.', 'correct'],
    ['tdd', 'Test driven development. It takes more time but has fewer bugs.', 'partial'],
    ['sql-returning', 'It returns the inserted row, useful to get the new id without another query.', 'correct'],
    ['websockets-vs-http', 'WebSockets keep a persistent two-way connection; HTTP is request/response.', 'correct'],
    ['flask-vs-express', 'Express, because I can use JavaScript on both front and back end.', 'correct'],
    ['flask-vs-express', 'Flask, it was easier.', 'partial'],
    ['flask-vs-express', 'Flask.', 'incorrect'],
  ] as const)('[%s] %j is %s', (slug, answer, grade) => {
    expect(suggest(slug, answer).grade).toBe(grade);
  });

  it('forgives a one-letter typo in a long word', () => {
    expect(suggest('jwt-signature', 'Its purpose is autheticating the sender.').grade).toBe('correct');
  });

  it('forgives a doubled letter or two swapped letters in a shorter word, not any one-letter change', () => {
    expect(suggest('sql-returning', 'It returns the new row so you dont need a second querry.').grade).toBe('correct');
    expect(suggest('sql-returning', 'It returns the new row so you dont need a second qeury.').grade).toBe('correct');
    expect(suggest('sql-returning', 'It returns the new row so you dont need a second quarry.').grade).toBe('partial');
  });

  it.each([
    [
      'environment-variables',
      'Values that are set outside of your code, like in a .env file, so your API keys are not in GitHub.',
      'correct',
    ],
    [
      'sql-returning',
      'It gives you back the rows you just inserted, so you do not need a second SELECT query to get the new id.',
      'correct',
    ],
    [
      'websockets-vs-http',
      'With HTTP the client has to constantly request updates; with websockets the server pushes new data whenever it wants.',
      'correct',
    ],
    [
      'which-code-to-test',
      'Anything that handles money or user data, and the functions with lots of if statements.',
      'correct',
    ],
    [
      'jwt-auth-flow',
      'After login the backend hands out a JWT, the frontend saves it and attaches it in the Authorization header, and the backend validates it on protected routes.',
      'correct',
    ],
  ] as const)('credits the key idea in other words: [%s] %j is %s', (slug, answer, grade) => {
    expect(suggest(slug, answer).grade).toBe(grade);
  });

  it.each([
    [
      'environment-variables',
      'a variable stored on the server rather than in the app, used to keep credentials private',
    ],
    ['sql-returning', 'lets you see the row you just inserted without making another query'],
    ['sql-returning', 'RETURNING * gives back every column of the deleted rows so you can show what was removed'],
    ['which-code-to-test', 'code that handles money and code that a lot of other code relies on'],
    ['which-code-to-test', 'test the trickiest parts and anything touching the database'],
    ['which-code-to-test', 'not the stuff from npm, mostly my own functions with calculations'],
    ['websockets-vs-http', "good for real time stuff because they don't need to make a new request every time"],
    ['jwt-auth-flow', 'server signs a jwt with the user info, client keeps it, server decodes it on every request'],
    [
      'jwt-auth-flow',
      'After authenticaton the server returns a signed jwt. The frontend atachs it to evry request and the server verifys it',
    ],
  ] as const)('credits a correct answer in other words, a dismissal or typos: [%s] %j', (slug, answer) => {
    expect(suggest(slug, answer).grade).toBe('correct');
  });

  it.each([
    ['sql-returning', 'not sure, maybe it returns an error if the query fails', 'partial'],
    ['sql-returning', 'It ends the SQL function and returns a value, like return in JavaScript', 'incorrect'],
    ['which-code-to-test', 'Write tests with jest and run them with npm test', 'incorrect'],
    ['which-code-to-test', 'test everything important', 'partial'],
    ['jwt-auth-flow', 'JWTs allow authentication by signing the payload so it cannot be tampered with', 'partial'],
  ] as const)('does not reward a wrong or vague answer: [%s] %j is %s', (slug, answer, grade) => {
    expect(suggest(slug, answer).grade).toBe(grade);
  });

  it('does not read "authors" as authentication', () => {
    const suggestion = suggest('which-code-to-test', 'Libraries are tested by their authors.');
    expect(suggestion.matched).not.toContain('security-sensitive code such as auth');
  });

  it('names the key points found and missing', () => {
    const suggestion = suggest('continuous-integration', 'Merging small changes into the main branch often.');
    expect(suggestion.matched).toEqual(['changes merged into a shared branch often']);
    expect(suggestion.missing).toEqual(['each change automatically built and tested']);
  });

  it('does not count words that only echo the question', () => {
    expect(suggest('continuous-integration', 'Continuous integration.').grade).toBe('incorrect');
  });
});

describe('explanations never contradict the answer', () => {
  it('does not list "anyone can read the payload" as found in "no, it is encrypted"', () => {
    const suggestion = suggest('jwt-intercepted', 'No, it is encrypted.');
    expect(suggestion.grade).toBe('incorrect');
    expect(suggestion.matched).toEqual([]);
    expect(suggestion.misconceptions).toHaveLength(2);
  });

  it('does not list "signed with a secret" as found when the answer says the signature is the secret key', () => {
    const suggestion = suggest('jwt-signature', 'The signature is the secret key.');
    expect(suggestion.matched).toEqual([]);
    expect(suggestion.misconceptions).toEqual(['the signature is the secret key']);
  });

  it('still finds a point stated in another clause than the misconception', () => {
    const suggestion = suggest('jwt-intercepted', "Yes, but it's encrypted so you need the secret key.");
    expect(suggestion.matched).toEqual(['yes, anyone can read the payload']);
  });
});

describe('questions without a rubric', () => {
  const imported = {
    text: 'What is a database index?',
    referenceAnswer:
      'An index is a separate data structure, usually a B-tree, that lets the database find rows by a column without scanning the whole table. It speeds up reads but slows down writes and takes space.',
    rubric: null,
  };

  it('get suggestions from the reference answer, with its sentences as key points', () => {
    const found = suggestGrade(
      imported,
      'It is a B-tree structure so lookups find rows in a table with no full scan. It speeds reads and slows writes.',
    )!;
    expect(found.grade).toBe('correct');
    expect(found.matched).toHaveLength(2);
    expect(found.missing).toEqual([]);
    const blank = suggestGrade(imported, 'I do not know')!;
    expect(blank.grade).toBe('incorrect');
    expect(blank.matched).toEqual([]);
  });

  it('never count a negated reference point as found', () => {
    const negated = suggestGrade(imported, 'It does not speed up reads and does not slow writes.')!;
    expect(negated.matched).toEqual([]);
  });

  it('have no suggestion without a reference answer until an instructor grades one', () => {
    const bare = { text: 'Why?', referenceAnswer: null, rubric: null };
    expect(suggestGrade(bare, 'It scales.')).toBeNull();
    expect(suggestGrade(bare, 'It scales.', [{ answer: 'It scales well.', grade: 'partial' }])!.grade).toBe('partial');
  });
});

describe("learning from instructors' grades", () => {
  const harsh = 'Continuous integration means developers merge their changes into the main branch several times a day.';
  const graded = [
    { answer: 'Developers merge their changes into the main branch many times a day.', grade: 'correct' as const },
    {
      answer: 'Continuous integration: everyone merges changes into the main branch often, several times a day.',
      grade: 'correct' as const,
    },
    { answer: 'Merging changes into the main branch a few times a day.', grade: 'correct' as const },
  ];

  it('follows three instructor grades where the rubric alone would suggest otherwise', () => {
    expect(suggest('continuous-integration', harsh).grade).toBe('partial');
    expect(suggestGrade(question('continuous-integration'), harsh, graded)!.grade).toBe('correct');
  });

  it('does not let graded answers that the rules read differently vote on this one', () => {
    // Two criteria (the rubric's correct); the graded answers name only the first, and instructors called them partial.
    const answer = 'Test the complex calculations and the payment code.';
    const oneCriterion = Array.from({ length: 5 }, (_, index) => ({
      answer: `Test the complex calculations${'!'.repeat(index + 1)}`,
      grade: 'partial' as const,
    }));
    expect(suggestGrade(question('which-code-to-test'), oneCriterion[0]!.answer)!.grade).toBe('partial');
    expect(suggestGrade(question('which-code-to-test'), answer, oneCriterion)!.grade).toBe('correct');
  });

  it('is not made confident by a handful of agreeing grades where the calibration is unsure', () => {
    const answer = 'It returns the inserted row, useful to get the new id without another query.';
    const agreeing = Array.from({ length: 8 }, (_, index) => ({
      answer: `${answer} ${'x'.repeat(index + 1)}`,
      grade: 'correct' as const,
    }));
    expect(suggest('sql-returning', answer)).toMatchObject({ grade: 'correct', confident: false });
    expect(suggestGrade(question('sql-returning'), answer, agreeing)!).toMatchObject({
      grade: 'correct',
      confident: false,
    });
  });

  it("keeps the rubric's grade for an unlike answer", () => {
    const unlike = 'CI runs the test suite automatically on a server for every push.';
    expect(suggestGrade(question('continuous-integration'), unlike, graded)!.grade).toBe(
      suggest('continuous-integration', unlike).grade,
    );
  });

  it('is deterministic', () => {
    const first = suggestGrade(question('continuous-integration'), harsh, graded);
    expect(suggestGrade(question('continuous-integration'), harsh, graded)).toEqual(first);
  });
});

describe('confidence', () => {
  it('is confident on a blank answer and on a full answer, not on a borderline one', () => {
    expect(suggest('jwt-signature', '').confident).toBe(true);
    expect(suggest('tdd', 'Writing tests before code. Benefit: fewer bugs. Drawback: slower at first.').confident).toBe(
      true,
    );
    expect(suggest('tdd', 'Test driven development. It takes more time but has fewer bugs.').confident).toBe(false);
  });

  it('is never confident on a partial, even where every graded answer of its kind was partial', () => {
    const answer = 'Developers merge their changes into the main branch many times a day.';
    const partials = Array.from({ length: 30 }, (_, index) => ({
      answer: `${answer} ${'x'.repeat(index + 1)}`,
      grade: 'partial' as const,
    }));
    expect(suggest('continuous-integration', answer)).toMatchObject({ grade: 'partial', confident: false });
    expect(suggestGrade(question('continuous-integration'), answer, partials)).toMatchObject({
      grade: 'partial',
      confident: false,
    });
  });
});

describe('confidence from many key points', () => {
  it('is confident when an answer states four key points, even in few words, and not on two', () => {
    const four = suggest('which-code-to-test', 'Payments, complicated logic, login, and edge cases.');
    expect(four).toMatchObject({ grade: 'correct', confident: true });
    expect(four.matched.length).toBeGreaterThanOrEqual(4);
    const two = suggest('which-code-to-test', 'Payments and complicated logic.');
    expect(two).toMatchObject({ grade: 'correct', confident: false });
  });
});

describe('readying the suggester at start-up', () => {
  it('changes no suggestion, and takes questions with neither rubric nor reference answer, or none at all', () => {
    const answers = [
      ['which-code-to-test', 'Payments, complicated logic, login, and edge cases.'],
      ['sql-returning', 'It returns the inserted row, useful to get the new id without another query.'],
    ] as const;
    const before = answers.map(([slug, answer]) => suggest(slug, answer));
    expect(() => preloadLexicon([])).not.toThrow();
    expect(() => preloadLexicon([{ text: 'Why?', referenceAnswer: null, rubric: null }])).not.toThrow();
    preloadLexicon(bank);
    expect(answers.map(([slug, answer]) => suggest(slug, answer))).toEqual(before);
  });
});

describe('agreement with instructors (regression guard)', () => {
  const measure = (path: string) =>
    agreement(
      readGraded(path).map((row) => ({ expected: row.grade, actual: suggest(row.question, row.answer).grade })),
    );

  it('agrees with instructors on at least 85% of the dev set with kappa at least 0.7', () => {
    const result = measure('tests/fixtures/eval-dev/answers.jsonl');
    expect(result.n).toBe(167);
    expect(result.agreement).toBeGreaterThanOrEqual(0.85);
    expect(result.kappa).toBeGreaterThanOrEqual(0.7);
  });

  it('agrees with the seed sheets graded under the rubric', () => {
    const result = measure('tests/fixtures/seed-grades.jsonl');
    expect(result.n).toBe(27);
    expect(result.agreement).toBeGreaterThanOrEqual(0.85);
  });

  it('holds on an independent set written and graded without seeing the rubric rules', () => {
    const result = measure('tests/fixtures/heldout-answers.jsonl');
    expect(result.n).toBe(140);
    expect(result.agreement).toBeGreaterThanOrEqual(0.85);
    expect(result.kappa).toBeGreaterThanOrEqual(0.7);
  });
});
