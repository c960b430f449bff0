import { prepareDatabase } from '../startup.ts';
import { withDatabase } from './runCli.ts';

await withDatabase(async (database) => {
  const report = await prepareDatabase(database);
  process.stdout.write(
    `Database (${database.engine}) is up to date. Question bank: ${report.added.length} added, ` +
      `${report.updated.length} updated, ${report.retired.length} retired, ${report.unchanged.length} unchanged.\n`,
  );
});
