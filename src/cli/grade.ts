import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { findBankQuestion, loadShippedBank, type BankQuestion } from '../quiz/bank/bank.ts';
import { calibrate } from '../quiz/grading/calibrate.ts';
import { SHIPPED_CALIBRATION } from '../quiz/grading/calibration.ts';
import {
  crossValidate,
  measureAsShipped,
  type Budget,
  type Measured,
  type SheetAnswer,
} from '../quiz/grading/crossValidation.ts';
import { measureSuggestionSpeed, type Timing } from '../quiz/grading/speed.ts';
import { suggestGrade, type GradedExample } from '../quiz/grading/suggest.ts';
import { GRADES, type Grade } from '../quiz/types.ts';

interface Writer {
  write(text: string): unknown;
}

const USAGE = `usage:
  npm run grade -- suggest < answers.jsonl
      Reads JSON lines {"question": "<slug or text>", "answer": "...", "grade"?: "correct"|"partial"|"incorrect"}
      and writes each back, in order, with "suggested", "confident", "matched" and "missing" added. A line with
      "grade" is an instructor's grade: later lines of the same question learn from it ("suggested" on it is
      what was suggested before its grade was read).
  npm run grade -- eval FILE.jsonl [--folds N]
      Agreement, Cohen's kappa and confusion of suggestions against graded JSON lines. With --folds N (lines need
      a "sheet"), cross-validated by answer sheet: cold, and learning from 5, 10 and all graded answers per
      question of the other folds' sheets; with the coverage and precision of confident suggestions.
  npm run grade -- speed FILE.jsonl [--json]
      Time of one suggestion in the worst case: a 4000-character answer and 200 graded 4000-character answers,
      built from the file's answers to its question with the most rubric phrases: the first suggestion after
      start-up (readied as the bot does it), then with no analysis cached and cached. npm run bench -- suggest
      runs it in fresh processes.
  npm run grade -- calibrate FILE.jsonl
      Fits the calibration on graded JSON lines and prints it as TypeScript (src/quiz/grading/calibration.ts).
`;
const BUDGETS: Budget[] = [0, 5, 10, null];

/** `suggest`, `eval`, `calibrate` and `--help`. Returns the exit code. */
export async function runGradeCli(
  argv: string[],
  stdin: AsyncIterable<string | Uint8Array>,
  stdout: Writer,
  stderr: Writer,
  bank: readonly BankQuestion[] = loadShippedBank(),
): Promise<number> {
  const [command, file, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    stdout.write(USAGE);
    return 0;
  }
  if (command === 'suggest' && argv.length === 1) return suggestLines(stdin, stdout, bank);
  if (command === 'speed' && file && (rest.length === 0 || (rest.length === 1 && rest[0] === '--json'))) {
    const rows = await readGradedFile(file, stderr, bank);
    if (rows === null) return 1;
    return printSpeed(rows, rest.length === 1, stdout);
  }
  if ((command === 'eval' || command === 'calibrate') && file && !file.startsWith('--')) {
    const folds = command === 'eval' ? parseFolds(rest) : rest.length === 0 ? null : undefined;
    if (folds !== undefined) {
      const rows = await readGradedFile(file, stderr, bank);
      if (rows === null) return 1;
      if (command === 'calibrate') return printCalibration(rows, stdout);
      return folds === null ? evaluate(rows, stdout) : evaluateByFolds(rows, folds, stdout, stderr);
    }
  }
  stderr.write(USAGE);
  return 2;
}

/** null: no --folds; undefined: malformed. */
function parseFolds(rest: string[]): number | null | undefined {
  if (rest.length === 0) return null;
  const value = rest[0] === '--folds' && rest.length === 2 ? rest[1] : /^--folds=(\d+)$/.exec(rest[0] ?? '')?.[1];
  if (rest.length > 2 || value === undefined || !/^\d+$/.test(value) || Number(value) < 2) return undefined;
  return Number(value);
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

function findQuestion(record: Record<string, unknown>, bank: readonly BankQuestion[]): BankQuestion | string {
  if (typeof record.question !== 'string' || typeof record.answer !== 'string')
    return 'the line needs "question" and "answer" strings';
  return findBankQuestion(bank, record.question) ?? `unknown question: ${record.question}`;
}

const BAD_GRADE = '"grade" must be "correct", "partial" or "incorrect"';

/** The line's instructor grade: undefined when it has none, null when it is not one of the three. */
function gradeOf(record: Record<string, unknown>): Grade | undefined | null {
  if (record.grade === undefined) return undefined;
  return GRADES.includes(record.grade as Grade) ? (record.grade as Grade) : null;
}

/** One output line per input line, in order; graded lines teach the later lines of their question. */
async function suggestLines(stdin: AsyncIterable<string | Uint8Array>, stdout: Writer, bank: readonly BankQuestion[]) {
  const learned = new Map<string, GradedExample[]>();
  for await (const raw of lines(stdin)) {
    const line = raw.replace(/\r$/, '');
    const record = line.trim() === '' ? 'the line is empty' : parseLine(line);
    if (typeof record === 'string') {
      stdout.write(`${JSON.stringify({ line, error: record })}\n`);
      continue;
    }
    const question = findQuestion(record, bank);
    const grade = gradeOf(record);
    if (typeof question === 'string' || grade === null) {
      stdout.write(`${JSON.stringify({ ...record, error: typeof question === 'string' ? question : BAD_GRADE })}\n`);
      continue;
    }
    const graded = learned.get(question.slug) ?? [];
    const suggestion = suggestGrade(question, record.answer as string, graded);
    stdout.write(
      `${JSON.stringify({
        ...record,
        suggested: suggestion?.grade ?? null,
        confident: suggestion?.confident ?? false,
        matched: suggestion?.matched ?? [],
        missing: suggestion?.missing ?? [],
      })}\n`,
    );
    if (grade) learned.set(question.slug, [...graded, { answer: record.answer as string, grade }]);
  }
  return 0;
}

/** Graded lines of a file; null (after saying why) when the file cannot be read or is not JSON lines. */
async function readGradedFile(
  file: string,
  stderr: Writer,
  bank: readonly BankQuestion[],
): Promise<SheetAnswer[] | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    stderr.write(`cannot read ${file}: ${(error as Error).message}\n`);
    return null;
  }
  const rows: SheetAnswer[] = [];
  const all = text.split('\n');
  for (const [index, line] of all.entries()) {
    if (line.trim() === '') continue;
    const record = parseLine(line);
    if (typeof record === 'string') {
      stderr.write(
        `${file} is not a file of JSON lines: line ${index + 1}: ${record}. Each line must be {"question": ..., "answer": ..., "grade": ...}.\n`,
      );
      return null;
    }
    const question = findQuestion(record, bank);
    const grade = gradeOf(record);
    if (typeof question === 'string' || !grade) {
      stderr.write(`line ${index + 1} skipped: ${typeof question === 'string' ? question : 'no valid "grade"'}\n`);
      continue;
    }
    const sheet = typeof record.sheet === 'string' ? record.sheet : '';
    rows.push({ sheet, slug: question.slug, question, answer: record.answer as string, grade });
  }
  return rows;
}

function evaluate(rows: SheetAnswer[], stdout: Writer) {
  stdout.write(formatReport(measureAsShipped(rows, SHIPPED_CALIBRATION)));
  return 0;
}

function evaluateByFolds(rows: SheetAnswer[], folds: number, stdout: Writer, stderr: Writer) {
  const sheets = new Set(rows.map((row) => row.sheet));
  if (rows.some((row) => row.sheet === '')) {
    stderr.write('cross-validation by sheet needs a "sheet" string on every graded line\n');
    return 1;
  }
  if (folds > sheets.size) {
    stderr.write(`--folds ${folds} is more than the ${sheets.size} answer sheets in the file\n`);
    return 1;
  }
  const variants: [string, SheetAnswer[]][] = [
    ['rubric and reference answer', rows],
    [
      'reference answer only (rubric left out)',
      rows.map((row) => ({ ...row, question: { ...row.question, rubric: null } })),
    ],
  ];
  const out: string[] = [
    `cross-validated by answer sheet: ${sheets.size} sheets in ${folds} folds, ${rows.length} answers`,
  ];
  for (const [name, variantRows] of variants) {
    const results = crossValidate(variantRows, folds, BUDGETS);
    out.push('', `== ${name}`);
    for (const budget of BUDGETS) {
      const label =
        budget === 0 ? 'cold (no graded answers)' : `learning from ${budget ?? 'all'} graded answers per question`;
      out.push(`-- ${label}`, formatReport(results.get(budget)!).trimEnd());
    }
  }
  stdout.write(`${out.join('\n')}\n`);
  return 0;
}

/** `speed`: the worst case of a review card, in a fresh process (so its first suggestion is the first after a restart). */
function printSpeed(rows: SheetAnswer[], json: boolean, stdout: Writer) {
  const result = measureSuggestionSpeed(rows, 20);
  if (!result) {
    stdout.write('no graded answers to build from\n');
    return 1;
  }
  if (json) {
    stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  }
  const one = (timing: Timing) => `wall ${timing.wallMs.toFixed(1)} ms, CPU ${timing.cpuMs.toFixed(1)} ms`;
  const spread = (timings: Timing[], key: keyof Timing) => {
    const sorted = timings.map((timing) => timing[key]).sort((a, b) => a - b);
    return `median ${sorted[Math.floor((sorted.length - 1) / 2)]!.toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms`;
  };
  const later = (timings: Timing[]) => `wall ${spread(timings, 'wallMs')}; CPU ${spread(timings, 'cpuMs')}`;
  stdout.write(
    [
      `one suggestion for a ${result.length}-character answer learning from ${result.graded} graded ${result.length}-character answers (${result.slug}, the question with the most rubric phrases):`,
      `start-up (synonyms, shipped questions compiled, warm-up): ${one(result.startup)}`,
      `first suggestion after start-up: ${one(result.first)}`,
      `later, nothing cached (first card of a question): ${later(result.uncached)}`,
      `later, graded answers cached: ${later(result.cached)}`,
      '',
    ].join('\n'),
  );
  return 0;
}

function printCalibration(rows: SheetAnswer[], stdout: Writer) {
  const calibration = calibrate(rows);
  stdout.write(
    `import type { Calibration } from './learner.ts';\n\n` +
      `/** Generated by \`npm run grade -- calibrate\` on ${rows.length} graded answers (figures on them are in-sample). */\n` +
      `export const SHIPPED_CALIBRATION: Calibration = {\n` +
      `  reference: ${JSON.stringify(calibration.reference)},\n` +
      `  cells: {\n${Object.entries(calibration.cells)
        .map(([cell, counts]) => `    '${cell}': ${JSON.stringify(counts)},\n`)
        .join('')}  },\n};\n`,
  );
  return 0;
}

function formatReport(overall: Measured): string {
  const cell = (value: string | number) => String(value).padStart(10);
  const rows = GRADES.map(
    (expected) => `${expected.padEnd(10)}${GRADES.map((actual) => cell(overall.confusion[expected][actual])).join('')}`,
  );
  return [
    `n: ${overall.n}`,
    `agreement: ${(overall.agreement * 100).toFixed(1)}%`,
    `kappa: ${overall.kappa.toFixed(3)}`,
    `confident: ${overall.confidentN} (${(overall.confidentCoverage * 100).toFixed(1)}% of answers), precision ${(overall.confidentPrecision * 100).toFixed(1)}%`,
    'confusion (rows = instructor grade, columns = suggested):',
    `${''.padEnd(10)}${GRADES.map(cell).join('')}`,
    ...rows,
    'per question:',
    ...[...overall.perQuestion].map(
      ([slug, { agreed, n }]) =>
        `  ${slug.padEnd(24)} ${String(agreed).padStart(3)}/${n}  ${((agreed / n) * 100).toFixed(1)}%`,
    ),
    '',
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runGradeCli(process.argv.slice(2), process.stdin, process.stdout, process.stderr);
}
