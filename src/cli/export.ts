import { EXPORT_HEADER, exportRecord } from '../../commands/export.ts';
import { exportAnswerBatches } from '../db/repo/exportAnswers.ts';
import { CSV_BOM, csvRow } from '../quiz/csv.ts';
import { withDatabase } from './runCli.ts';

/** `npm run export -- GUILD_ID > answers.csv`: the same CSV as /export, streamed, with no size limit. */
const [guildId, ...rest] = process.argv.slice(2);
if (!guildId || !/^\d{17,20}$/.test(guildId) || rest.length > 0) {
  process.stderr.write('usage: npm run -s export -- GUILD_ID > answers.csv\n');
  process.exit(2);
}

await withDatabase(async (database) => {
  process.stdout.write(CSV_BOM + csvRow(EXPORT_HEADER));
  for await (const batch of exportAnswerBatches(database.db, guildId)) {
    const ok = process.stdout.write(batch.map((row) => csvRow(exportRecord(row))).join(''));
    if (!ok) await new Promise((resolve) => process.stdout.once('drain', resolve));
  }
});
