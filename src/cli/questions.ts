import { readFile } from 'node:fs/promises';
import { importQuestions, type ImportReport } from '../db/repo/importQuestions.ts';
import { listBankQuestions } from '../db/repo/questions.ts';
import { UserError } from '../errors.ts';
import { prepareDatabase } from '../startup.ts';
import { exitWithUsage, wantsHelp, withDatabase, type CliTool } from './runCli.ts';

const TOOL: CliTool = {
  usage: [
    'usage: npm run questions -- list',
    '       npm run questions -- import FILE.md',
    '',
    'list: every question of the shipped bank (slug, topic, question).',
    'import: adds or updates the questions of an exercise file in the shipped bank; the format is in docs/questions.md.',
    '',
  ].join('\n'),
  whileBotRuns: 'or use /questions in Discord',
};

const MAX_FILE_BYTES = 1024 * 1024;

/** The file's text, or a UserError that says why it cannot be an exercise file (nothing is written then). */
async function readExercise(file: string): Promise<string> {
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new UserError(`Cannot read ${file}: ${error.code ?? error.message}`);
  });
  if (bytes.length > MAX_FILE_BYTES) throw new UserError(`${file} is larger than 1 MB. Nothing was imported.`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UserError(`${file} is not UTF-8 text. Nothing was imported.`);
  }
  if (text.includes('\u0000')) throw new UserError(`${file} is not UTF-8 text. Nothing was imported.`);
  if (text.trim() === '') throw new UserError(`${file} is empty. Nothing was imported.`);
  return text;
}

function printReport(report: ImportReport): void {
  process.stdout.write(
    `${report.added.length} added, ${report.updated.length} updated, ${report.unchanged.length} unchanged, ${report.skipped.length} skipped\n`,
  );
  for (const skipped of report.skipped)
    process.stdout.write(`  skipped: ${skipped.question.slice(0, 80)} (${skipped.reason})\n`);
}

const argv = process.argv.slice(2);
if (wantsHelp(argv)) exitWithUsage(TOOL, true);
const [command, file, ...rest] = argv;
if (!(command === 'list' && !file) && !(command === 'import' && file && rest.length === 0)) exitWithUsage(TOOL, false);

await withDatabase(TOOL, async (database) => {
  if (command === 'import') {
    const markdown = await readExercise(file!);
    await prepareDatabase(database);
    const report = await importQuestions(database.db, null, markdown);
    if (report.found === 0 && report.skipped.length === 0) {
      throw new UserError(
        `No questions found in ${file}: questions are top-level "- " bullets, as in the Conceptual Exercise (see docs/questions.md). Nothing was imported.`,
      );
    }
    printReport(report);
    if (report.added.length + report.updated.length + report.unchanged.length === 0) {
      throw new UserError(
        `None of the questions in ${file} could be used (see the reasons above). Nothing was imported.`,
      );
    }
    return;
  }
  await prepareDatabase(database);
  const rows = await listBankQuestions(database.db);
  const slugWidth = Math.max(...rows.map((row) => row.slug.length));
  const topicWidth = Math.max(...rows.map((row) => row.topic.length));
  for (const row of rows) {
    const flag = row.active ? '' : ' (retired)';
    process.stdout.write(`${row.slug.padEnd(slugWidth)}  ${row.topic.padEnd(topicWidth)}  ${row.text}${flag}\n`);
  }
  process.stdout.write(`${rows.length} questions\n`);
});
