import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { agreement, type Agreement } from '../quiz/agreement.ts';
import { findBankQuestion, loadShippedBank, type BankQuestion } from '../quiz/bank.ts';
import { suggestGrade } from '../quiz/suggest.ts';
import { GRADES, type Grade } from '../quiz/types.ts';

interface Writer {
  write(text: string): unknown;
}

const USAGE = 'usage: npm run grade -- suggest < answers.jsonl\n       npm run grade -- eval FILE.jsonl\n';

/** `suggest` annotates JSON lines from stdin; `eval` measures suggestions against graded lines. Returns the exit code. */
export async function runGradeCli(
  argv: string[],
  stdin: AsyncIterable<string | Uint8Array>,
  stdout: Writer,
  stderr: Writer,
  bank: readonly BankQuestion[] = loadShippedBank(),
): Promise<number> {
  const [command, file] = argv;
  if (command === 'suggest' && argv.length === 1) return suggestLines(stdin, stdout, bank);
  if (command === 'eval' && file && argv.length === 2) return evaluateFile(file, stdout, stderr, bank);
  stderr.write(USAGE);
  return 2;
}

async function* lines(stdin: AsyncIterable<string | Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = '';
  for await (const chunk of stdin) {
    pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    const complete = pending.split('\n');
    pending = complete.pop() ?? '';
    yield* complete;
  }
  if (pending !== '') yield pending;
}

function parseLine(line: string): Record<string, unknown> | string {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    return 'the line is not a JSON object';
  } catch {
    return 'the line is not valid JSON';
  }
}

function gradable(record: Record<string, unknown>, bank: readonly BankQuestion[]) {
  if (typeof record.question !== 'string' || typeof record.answer !== 'string') {
    return 'the line needs "question" and "answer" strings';
  }
  const question = findBankQuestion(bank, record.question);
  if (!question) return `unknown question: ${record.question}`;
  if (!question.rubric) return `the question "${question.slug}" has no rubric`;
  return suggestGrade(question.rubric, record.answer);
}

async function suggestLines(stdin: AsyncIterable<string | Uint8Array>, stdout: Writer, bank: readonly BankQuestion[]) {
  for await (const line of lines(stdin)) {
    if (line.trim() === '') continue;
    const record = parseLine(line);
    if (typeof record === 'string') {
      stdout.write(`${JSON.stringify({ line, error: record })}\n`);
      continue;
    }
    const suggestion = gradable(record, bank);
    const annotated = typeof suggestion === 'string'
      ? { ...record, error: suggestion }
      : { ...record, suggested: suggestion.grade, matched: suggestion.matched, missing: suggestion.missing };
    stdout.write(`${JSON.stringify(annotated)}\n`);
  }
  return 0;
}

async function evaluateFile(file: string, stdout: Writer, stderr: Writer, bank: readonly BankQuestion[]) {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    stderr.write(`cannot read ${file}: ${(error as Error).message}\n`);
    return 1;
  }
  const pairs: { slug: string; expected: Grade; actual: Grade }[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const record = parseLine(line);
    const suggestion = typeof record === 'string' ? record : gradable(record, bank);
    const expected = typeof record === 'string' ? undefined : record.grade;
    if (typeof suggestion === 'string' || typeof record === 'string' || !GRADES.includes(expected as Grade)) {
      stderr.write(`line ${index + 1} skipped: ${typeof suggestion === 'string' ? suggestion : 'no valid "grade"'}\n`);
      return;
    }
    const slug = findBankQuestion(bank, record.question as string)!.slug;
    pairs.push({ slug, expected: expected as Grade, actual: suggestion.grade });
  });
  stdout.write(formatReport(agreement(pairs), pairs));
  return 0;
}

function formatReport(overall: Agreement, pairs: { slug: string; expected: Grade; actual: Grade }[]): string {
  const cell = (value: string | number) => String(value).padStart(10);
  const rows = GRADES.map((expected) => `${expected.padEnd(10)}${GRADES.map((actual) => cell(overall.confusion[expected][actual])).join('')}`);
  const slugs = [...new Set(pairs.map((pair) => pair.slug))];
  const perQuestion = slugs.map((slug) => {
    const own = agreement(pairs.filter((pair) => pair.slug === slug));
    return `  ${slug.padEnd(24)} ${String(Math.round(own.agreement * own.n)).padStart(3)}/${own.n}  ${(own.agreement * 100).toFixed(1)}%`;
  });
  return [
    `n: ${overall.n}`,
    `agreement: ${(overall.agreement * 100).toFixed(1)}%`,
    `kappa: ${overall.kappa.toFixed(3)}`,
    'confusion (rows = instructor grade, columns = suggested):',
    `${''.padEnd(10)}${GRADES.map(cell).join('')}`,
    ...rows,
    'per question:',
    ...perQuestion,
    '',
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runGradeCli(process.argv.slice(2), process.stdin, process.stdout, process.stderr);
}
