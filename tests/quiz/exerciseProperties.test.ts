import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBank } from '../../src/quiz/bank/bank.ts';
import { normalizeQuestionText, parseExercise } from '../../src/quiz/bank/exercise.ts';

/** Words in the scripts questions come in. */
const word = fc.constantFrom(
  'what',
  'is',
  'a',
  'closure',
  'JWT',
  'token',
  'test',
  'mock',
  'CI',
  'SQL',
  'что',
  'такое',
  'замыкание',
  'τι',
  'είναι',
  'κλείσιμο',
  '什么是',
  '闭包',
  'ما',
  'هو',
  '🐍',
  '🦀',
  'naïve',
  'Ｗｅｂ',
);
const questionMark = fc.constantFrom('?', '？', '؟', '❓');
const question = fc
  .tuple(fc.array(word, { minLength: 1, maxLength: 8 }), questionMark)
  .map(([words, mark]) => `${words.join(' ')}${mark}`);
/** An answer line that cannot be read as a question: no question mark, no leading imperative. */
const answerLine = fc
  .array(fc.constantFrom('signed', 'claims', 'because', 'it', 'runs', 'the', 'scope', '—', 'x: "y"', '`id`'), {
    minLength: 1,
    maxLength: 6,
  })
  .map((words) => words.join(' '));
/** A student's answer lines (no metadata), a slug and reference answer, or a full rubric; each slug its own. */
const metadataKind = fc.constantFrom(0, 1, 2);
const metadata = (kind: number, index: number) =>
  [
    '',
    `  <!-- slug: q-${index} | topic: Topic -->\n  Reference answer: A reference.\n`,
    `  <!-- slug: q-${index} | topic: T -->\n  Reference answer: R.\n  Key points:\n  * \`signed\` Signed: "signed"\n  Correct when: signed\n`,
  ][kind]!;
const item = fc.tuple(question, fc.array(answerLine, { maxLength: 3 }), metadataKind);
const exerciseFile = fc
  .tuple(fc.option(fc.constant('# Week 1\n'), { nil: '' }), fc.array(item, { minLength: 1, maxLength: 12 }))
  .map(([title, items]) => ({
    questions: items.map(([text]) => text),
    markdown:
      title +
      items
        .map(
          ([text, lines, kind], index) =>
            `- ${text}\n${kind === 0 ? lines.map((line) => `  ${line}\n`).join('') : ''}${metadata(kind, index)}\n`,
        )
        .join(''),
  }));

/** Fragments that made regular expressions backtrack, and the characters the format gives meaning to. */
const hostile = fc.constantFrom(
  '<!-- slug: ',
  'slug: ',
  '-->',
  '<!--',
  '|',
  ':',
  '"',
  '`',
  '* `a`',
  '* [partial] ',
  ' ',
  '\t',
  '\n',
  '\r\n',
  '- ',
  '  ',
  'Key points:',
  'Misconceptions:',
  'Reference answer:',
  'Correct when: ',
  '?',
  '；',
  '❓',
  '\u2028',
  '\u0000',
);
const mutation = fc.tuple(fc.nat(), fc.array(hostile, { minLength: 1, maxLength: 6 }), fc.nat({ max: 3 }));
function mutate(markdown: string, mutations: [number, string[], number][]): string {
  let text = markdown;
  for (const [at, fragments, repeat] of mutations) {
    const position = at % (text.length + 1);
    text = text.slice(0, position) + fragments.join('').repeat(repeat + 1) + text.slice(position);
  }
  return text;
}

function expectWellFormed(markdown: string): void {
  const { items } = parseExercise(markdown);
  for (const { question: text } of items) {
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toMatch(/\n/);
    expect(text).toBe(text.replace(/\s+/g, ' ').trim());
  }
  const bank = parseBank(markdown);
  expect(bank.questions.length + bank.skipped.length).toBe(items.length);
  const slugs = bank.questions.map((q) => q.slug);
  expect(new Set(slugs).size).toBe(slugs.length);
  for (const slug of slugs) expect(slug.length).toBeGreaterThan(0);
  for (const slug of slugs) expect(slug.length).toBeLessThanOrEqual(64);
  const texts = bank.questions.map((q) => normalizeQuestionText(q.text));
  expect(new Set(texts).size).toBe(texts.length);
  expect(parseBank(markdown)).toEqual(bank);
}

/** Starts of lines that give the rest of the line a meaning: a question, a slug comment, a key point, a misconception. */
const lineStart = fc.constantFrom(
  '',
  '- ',
  '- What?\n  <!-- slug: ',
  '- Q?\n  <!-- slug: q -->\n  Key points:\n  * `a`',
  '- Q?\n  <!-- slug: q -->\n  Misconceptions:\n  * [partial]',
  '- Q?\n  <!-- slug: q -->\n  Correct when: ',
);

/** What a hostile line repeats: words a pattern looks for, and the spaces around them that it may take or leave. */
const repeated = fc.constantFrom('slug: ', 'slug:', ' ', '\t', ': ', ':', 'a', '`', '"', '|', '-', '<!--');

/** Repeats a text up to about `bytes` characters. */
const amplify = (text: string, bytes: number) => text.repeat(Math.max(1, Math.ceil(bytes / Math.max(1, text.length))));

describe('the exercise parser on generated files', () => {
  it('reads every generated question, in any script, with a distinct slug', () => {
    fc.assert(
      fc.property(exerciseFile, ({ questions, markdown }) => {
        expect(parseExercise(markdown).items.map((i) => i.question)).toEqual(questions);
        // Each distinct question once, whatever its script: the first of equal ones kept, the later ones skipped.
        const firsts = questions.filter(
          (text, index) =>
            questions.findIndex((other) => normalizeQuestionText(other) === normalizeQuestionText(text)) === index,
        );
        expect(parseBank(markdown).questions.map((q) => q.text)).toEqual(firsts);
        expectWellFormed(markdown);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps its invariants on mutated files, and never throws', () => {
    fc.assert(
      fc.property(exerciseFile, fc.array(mutation, { minLength: 1, maxLength: 5 }), ({ markdown }, mutations) => {
        expectWellFormed(mutate(markdown, mutations));
      }),
      { numRuns: 300 },
    );
  });

  // A guard against backtracking, not a speed target: a linear parse of 256 KB takes a few milliseconds, where
  // the quadratic patterns this replaced took minutes, so the ceiling is hundreds of times what is needed.
  it('finishes mutated files blown up to 256 KB, each far within a ceiling only backtracking could reach', () => {
    fc.assert(
      fc.property(fc.array(repeated, { minLength: 1, maxLength: 2 }), lineStart, (fragments, prefix) => {
        const markdown = prefix + amplify(fragments.join(''), 256 * 1024);
        const started = performance.now();
        parseBank(markdown);
        expect(performance.now() - started).toBeLessThan(10_000);
      }),
      { numRuns: 100, endOnFailure: true },
    );
  });
});

describe('hostile 1 MB exercise files', () => {
  const megabyte = 1024 * 1024;
  const files = {
    'an unclosed slug comment': `- What is a closure?\n  <!-- slug: ${amplify('slug: ', megabyte)}\n`,
    'a key point line of spaces': `- Q?\n  <!-- slug: q -->\n  Key points:\n  * \`a\`${' '.repeat(megabyte)}x\n`,
    'a misconception line of spaces': `- Q?\n  <!-- slug: q -->\n  Misconceptions:\n  * [partial]${' '.repeat(megabyte)}x: y\n`,
    'a million-character question': `- ${amplify('what ', megabyte)}?\n`,
    'every line a question': amplify('- Is it?\n', megabyte),
  };
  for (const [name, markdown] of Object.entries(files)) {
    // A ceiling, not a speed target: each takes milliseconds (printed), where the first took about ten minutes
    // before the fix. A synchronous parse cannot be interrupted by the test's timeout, so the test measures it.
    it(`parses ${name} (${Math.round(markdown.length / 1024)} KB)`, () => {
      const started = performance.now();
      const parsed = parseBank(markdown);
      const elapsed = performance.now() - started;
      process.stdout.write(`parse of ${name}, ${markdown.length} characters: ${elapsed.toFixed(0)} ms\n`);
      expect(parsed.questions.length + parsed.skipped.length).toBeGreaterThan(0);
      expect(elapsed).toBeLessThan(20_000);
    });
  }
});
