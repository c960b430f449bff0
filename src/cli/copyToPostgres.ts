import { openPostgres } from '../db/client.ts';
import { copyDatabase } from '../db/copyDatabase.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { exitWithUsage, wantsHelp, withDatabase, type CliTool } from './runCli.ts';

/**
 * `npm run -s db:copy-to-postgres -- postgres://...`: moves the embedded database of DATA_DIR into an empty
 * PostgreSQL database, which DATABASE_URL can then name. The bot must be stopped (the DATA_DIR lock says so).
 */
const TOOL: CliTool = {
  usage:
    'usage: npm run -s db:copy-to-postgres -- postgres://user:password@host:5432/database\n\n' +
    'Copies the embedded database of DATA_DIR into an empty PostgreSQL database, in one transaction, then checks the points.\n',
  whileBotRuns: 'the copy needs the bot stopped, so that nothing changes while it runs',
};

const argv = process.argv.slice(2);
const [url] = argv;
if (argv.length !== 1 || !url || !/^postgres(ql)?:\/\//.test(url)) exitWithUsage(TOOL, wantsHelp(argv));

await withDatabase(TOOL, async (source, config) => {
  if (source.engine !== 'pglite')
    throw new Error('DATABASE_URL is set: unset it, so that the embedded database in DATA_DIR is the one copied.');
  const target = await openPostgres(url, config.database);
  try {
    await migrateDatabase(source);
    await migrateDatabase(target);
    const report = await copyDatabase(source.db, target.db);
    for (const [table, rows] of Object.entries(report.rows)) process.stdout.write(`${table}: ${rows} rows\n`);
    const { source: before, target: after } = report.totalPoints;
    if (before !== after)
      throw new Error(`Points differ after the copy (${before} in DATA_DIR, ${after} in PostgreSQL).`);
    process.stdout.write(
      `Copied. Points: ${after} on both sides. Set DATABASE_URL to this database and start the bot.\n`,
    );
  } finally {
    await target.close();
  }
});
