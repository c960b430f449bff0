import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGradeCli } from '../../src/cli/grade.ts';

async function run(argv: string[], input: string[] = []) {
  let stdout = '';
  let stderr = '';
  async function* stdin() {
    yield* input;
  }
  const code = await runGradeCli(
    argv,
    stdin(),
    { write: (text: string) => (stdout += text) },
    { write: (text: string) => (stderr += text) },
  );
  return { code, stdout, stderr, lines: stdout.trim().split('\n') };
}

describe('grade suggest', () => {
  it('adds the suggested grade and key points to each line', async () => {
    const { code, lines } = await run(
      ['suggest'],
      ['{"question":"jwt-intercepted","answer":"Yes, it is only encoded."}\n'],
    );
    expect(code).toBe(0);
    expect(JSON.parse(lines[0]!)).toEqual({
      question: 'jwt-intercepted',
      answer: 'Yes, it is only encoded.',
      suggested: 'correct',
      // A bare "yes" is correct under the rubric; instructors graded every such answer of eval-dev correct.
      confident: true,
      matched: ['yes, anyone can read the payload'],
      missing: [],
    });
  });

  it('learns from graded lines for the later lines of the same question only, one output line per input line', async () => {
    const harsh = 'Developers merge their changes into the main branch several times a day.';
    const graded = [
      'Developers merge changes into the main branch many times a day.',
      'Everyone merges changes into the main branch often, several times a day.',
      'Merging changes into the main branch a few times a day.',
    ];
    const input = [
      JSON.stringify({ question: 'continuous-integration', answer: harsh }),
      ...graded.map((answer) => JSON.stringify({ question: 'continuous-integration', answer, grade: 'correct' })),
      JSON.stringify({ question: 'continuous-integration', answer: harsh }),
      '',
      JSON.stringify({ question: 'tdd', answer: harsh, grade: 'nearly' }),
    ];
    const { code, lines } = await run(['suggest'], [`${input.join('\n')}\n`]);
    expect(code).toBe(0);
    expect(lines).toHaveLength(input.length);
    const out = lines.map((line) => JSON.parse(line));
    expect(out[0].suggested).toBe('partial');
    // A graded line's suggestion is what was suggested before its grade was read.
    expect(out[1]).toMatchObject({ grade: 'correct', suggested: 'partial' });
    expect(out[4].suggested).toBe('correct');
    expect(out[5]).toEqual({ line: '', error: 'the line is empty' });
    expect(out[6].error).toMatch(/"grade" must be/);
    const again = await run(['suggest'], [`${input.join('\n')}\n`]);
    expect(again.stdout).toBe(lines.join('\n') + '\n');
  });

  it('finds the question by its text without backticks', async () => {
    const { lines } = await run(['suggest'], ['{"question":"What does RETURNING do in SQL?","answer":"nothing"}\n']);
    expect(JSON.parse(lines[0]!).suggested).toBe('incorrect');
  });

  it('reads lines split across chunks', async () => {
    const { lines } = await run(
      ['suggest'],
      ['{"question":"mock","ans', 'wer":"A practice exam"}\n{"question":"mock","answer":""}'],
    );
    expect(lines.map((line) => JSON.parse(line).suggested)).toEqual(['incorrect', 'incorrect']);
  });

  it('answers an unknown question and a malformed line with an error, and keeps going', async () => {
    const { code, lines } = await run(
      ['suggest'],
      [
        '{"question":"What is Kubernetes?","answer":"x"}\nnot json\n{"question":"tdd","answer":"Tests first; fewer bugs but slower."}\n',
      ],
    );
    expect(code).toBe(0);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      question: 'What is Kubernetes?',
      error: 'unknown question: What is Kubernetes?',
    });
    expect(JSON.parse(lines[1]!)).toEqual({ line: 'not json', error: 'the line is not valid JSON' });
    expect(JSON.parse(lines[2]!).suggested).toBe('correct');
  });
});

describe('grade eval', () => {
  it('prints n, agreement, kappa, the confusion matrix and per-question agreement', async () => {
    const { code, stdout } = await run(['eval', 'tests/fixtures/eval-dev/answers.jsonl']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^n: 167$/m);
    expect(stdout).toMatch(/^agreement: \d+\.\d%$/m);
    expect(stdout).toMatch(/^kappa: 0\.\d{3}$/m);
    expect(stdout).toMatch(/rows = instructor grade, columns = suggested/);
    expect(stdout).toMatch(/^\s+correct\s+partial\s+incorrect$/m);
    expect(stdout).toMatch(/^\s+flask-vs-express\s+\d+\/12\s+\d+\.\d%$/m);
  });

  it('counts a small file exactly and reports skipped lines', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'grade-')), 'small.jsonl');
    writeFileSync(
      file,
      [
        '{"question":"jwt-intercepted","answer":"Yes","grade":"correct"}',
        '{"question":"jwt-intercepted","answer":"No","grade":"partial"}',
        '{"question":"unknown?","answer":"x","grade":"correct"}',
      ].join('\n'),
    );
    const { code, stdout, stderr } = await run(['eval', file]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^n: 2$/m);
    expect(stdout).toMatch(/^agreement: 50\.0%$/m);
    expect(stdout).toMatch(/^partial\s+0\s+0\s+1$/m);
    expect(stderr).toMatch(/line 3 skipped: unknown question/);
  });

  it('exits non-zero on an unreadable file', async () => {
    const { code, stderr } = await run(['eval', '/no/such/file.jsonl']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/cannot read \/no\/such\/file\.jsonl/);
  });

  it('fails on a file that is not JSON lines, saying so', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'grade-')), 'answers.csv');
    writeFileSync(file, 'question,answer,grade\njwt-what,a token,correct\n');
    const { code, stdout, stderr } = await run(['eval', file]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/is not a file of JSON lines: line 1: the line is not valid JSON/);
  });

  it('cross-validates by sheet with --folds', async () => {
    const { code, stdout } = await run(['eval', 'tests/fixtures/seed-grades.jsonl', '--folds', '2']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^cross-validated by answer sheet: 2 sheets in 2 folds, 27 answers$/m);
    for (const section of [
      'cold (no graded answers)',
      'learning from 5 graded answers per question',
      'learning from all graded answers per question',
    ]) {
      expect(stdout).toContain(`-- ${section}`);
    }
    expect(stdout).toMatch(/== reference answer only \(rubric left out\)/);
    expect(stdout.match(/^n: 27$/gm)).toHaveLength(8);
    expect(stdout).toMatch(/^confident: \d+ \(\d+\.\d% of answers\), precision \d+\.\d%$/m);
    expect(stdout.match(/^per question:$/gm)).toHaveLength(8);
    expect(stdout).toMatch(/^ {2}jwt-what +\d+\/\d+ +\d+\.\d%$/m);
  });

  it('refuses more folds than sheets and malformed --folds', async () => {
    const more = await run(['eval', 'tests/fixtures/seed-grades.jsonl', '--folds', '3']);
    expect(more.code).toBe(1);
    expect(more.stderr).toMatch(/more than the 2 answer sheets/);
    expect((await run(['eval', 'tests/fixtures/seed-grades.jsonl', '--folds', 'x'])).code).toBe(2);
  });

  it('prints usage and exits 0 for --help', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/usage:[\s\S]*suggest[\s\S]*eval FILE\.jsonl \[--folds N\]/);
  });

  it('prints usage and exits 2 without a known subcommand', async () => {
    const { code, stderr } = await run(['grade-everything']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/usage/);
  });
});
