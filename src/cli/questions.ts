import { readFile } from 'node:fs/promises';
import { importQuestions } from '../db/repo/importQuestions.ts';
import { listBankQuestions } from '../db/repo/questions.ts';
import { prepareDatabase } from '../startup.ts';
import { withDatabase } from './runCli.ts';

const USAGE = 'usage: npm run questions -- list\n       npm run questions -- import FILE.md\n';
const [command, file, ...rest] = process.argv.slice(2);

if (!(command === 'list' && !file) && !(command === 'import' && file && rest.length === 0)) {
  process.stderr.write(USAGE);
  process.exit(2);
}

await withDatabase(async (database) => {
  await prepareDatabase(database);
  if (command === 'import') {
    const markdown = await readFile(file!, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new Error(`Cannot read ${file}: ${error.code ?? error.message}`);
    });
    const report = await importQuestions(database.db, null, markdown);
    process.stdout.write(
      `${report.added.length} added, ${report.updated.length} updated, ${report.unchanged.length} unchanged, ${report.skipped.length} skipped\n`,
    );
    for (const skipped of report.skipped) process.stdout.write(`  skipped: ${skipped.question.slice(0, 80)} (${skipped.reason})\n`);
    return;
  }
  const rows = await listBankQuestions(database.db);
  const slugWidth = Math.max(...rows.map((row) => row.slug.length));
  const topicWidth = Math.max(...rows.map((row) => row.topic.length));
  for (const row of rows) {
    const flag = row.active ? '' : ' (retired)';
    process.stdout.write(`${row.slug.padEnd(slugWidth)}  ${row.topic.padEnd(topicWidth)}  ${row.text}${flag}\n`);
  }
  process.stdout.write(`${rows.length} questions\n`);
});
