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
  const code = await runGradeCli(argv, stdin(), { write: (text: string) => (stdout += text) }, { write: (text: string) => (stderr += text) });
  return { code, stdout, stderr, lines: stdout.trim().split('\n') };
}

describe('grade suggest', () => {
  it('adds the suggested grade and key points to each line', async () => {
    const { code, lines } = await run(['suggest'], ['{"question":"jwt-intercepted","answer":"Yes, it is only encoded."}\n']);
    expect(code).toBe(0);
    expect(JSON.parse(lines[0]!)).toEqual({
      question: 'jwt-intercepted',
      answer: 'Yes, it is only encoded.',
      suggested: 'correct',
      matched: ['yes, anyone can read the payload'],
      missing: [],
    });
  });

  it('finds the question by its text without backticks', async () => {
    const { lines } = await run(['suggest'], ['{"question":"What does RETURNING do in SQL?","answer":"nothing"}\n']);
    expect(JSON.parse(lines[0]!).suggested).toBe('incorrect');
  });

  it('reads lines split across chunks', async () => {
    const { lines } = await run(['suggest'], ['{"question":"mock","ans', 'wer":"A practice exam"}\n{"question":"mock","answer":""}']);
    expect(lines.map((line) => JSON.parse(line).suggested)).toEqual(['incorrect', 'incorrect']);
  });

  it('answers an unknown question and a malformed line with an error, and keeps going', async () => {
    const { code, lines } = await run(['suggest'], [
      '{"question":"What is Kubernetes?","answer":"x"}\nnot json\n{"question":"tdd","answer":"Tests first; fewer bugs but slower."}\n',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(lines[0]!)).toMatchObject({ question: 'What is Kubernetes?', error: 'unknown question: What is Kubernetes?' });
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
    writeFileSync(file, [
      '{"question":"jwt-intercepted","answer":"Yes","grade":"correct"}',
      '{"question":"jwt-intercepted","answer":"No","grade":"partial"}',
      '{"question":"unknown?","answer":"x","grade":"correct"}',
    ].join('\n'));
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

  it('prints usage and exits 2 without a known subcommand', async () => {
    const { code, stderr } = await run(['grade-everything']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/usage/);
  });
});
