import { prepareDatabase } from '../startup.ts';
import { exitWithUsage, wantsHelp, withDatabase, type CliTool } from './runCli.ts';

const TOOL: CliTool = {
  usage:
    'usage: npm run db:migrate\n\nApplies pending migrations and syncs the shipped question bank, without starting the bot.\n',
  whileBotRuns: 'or leave it: the bot applies migrations itself each time it starts',
};

const argv = process.argv.slice(2);
if (argv.length > 0)
  exitWithUsage(TOOL, wantsHelp(argv), wantsHelp(argv) ? undefined : `Unexpected argument: ${argv[0]}`);
await withDatabase(TOOL, async (database) => {
  const report = await prepareDatabase(database);
  process.stdout.write(
    `Database (${database.engine}) is up to date. Question bank: ${report.added.length} added, ` +
      `${report.updated.length} updated, ${report.retired.length} retired, ${report.unchanged.length} unchanged.\n`,
  );
});
