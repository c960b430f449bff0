import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { exportAnswerBatches } from '../db/repo/exportAnswers.ts';
import { UserError } from '../errors.ts';
import { EXPORT_START, exportRecords } from '../export/answersCsv.ts';
import { exitWithUsage, wantsHelp, withDatabase, type CliTool } from './runCli.ts';

const TOOL: CliTool = {
  usage: [
    'usage: npm run export -- GUILD_ID --out answers.csv',
    '       npm run -s export -- GUILD_ID > answers.csv',
    '',
    'Writes the same CSV as /export (every answer of the server GUILD_ID with its grade and points), with no size limit.',
    'With --out the file appears only once complete. Without it the CSV goes to stdout: use `npm run -s` (silent),',
    "or npm's banner lines end up in the file.",
    '',
  ].join('\n'),
  whileBotRuns: 'or use /export in Discord',
};

function parseArgs(argv: string[]): { guildId: string; out: string | null } {
  if (wantsHelp(argv)) exitWithUsage(TOOL, true);
  const rest = [...argv];
  let out: string | null = null;
  const outAt = rest.findIndex((arg) => arg === '--out' || arg.startsWith('--out='));
  if (outAt >= 0) {
    const [flag] = rest.splice(outAt, 1);
    out = flag!.includes('=') ? flag!.slice('--out='.length) : (rest.splice(outAt, 1)[0] ?? '');
    if (!out) exitWithUsage(TOOL, false, '--out needs a file name.');
  }
  const [guildId, ...extra] = rest;
  if (!guildId || !/^\d{17,20}$/.test(guildId))
    exitWithUsage(TOOL, false, guildId ? `"${guildId}" is not a server id (17 to 20 digits).` : 'Give the server id.');
  if (extra.length > 0) exitWithUsage(TOOL, false, `Unexpected argument: ${extra[0]}`);
  return { guildId, out };
}

async function write(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

const { guildId, out } = parseArgs(process.argv.slice(2));
await withDatabase(TOOL, async (database) => {
  // A file is written under a temporary name and renamed when complete: a failed export leaves no half file.
  const partial = out ? `${out}.partial` : null;
  const stream: Writable = partial ? createWriteStream(partial, { flags: 'w' }) : process.stdout;
  let rows = 0;
  try {
    if (partial) {
      await once(stream, 'open').catch((error: NodeJS.ErrnoException) => {
        throw new UserError(`Cannot write ${out}: ${error.code ?? error.message}`);
      });
    }
    await write(stream, EXPORT_START);
    for await (const batch of exportAnswerBatches(database.db, guildId)) {
      rows += batch.length;
      await write(stream, exportRecords(batch));
    }
    if (partial) {
      stream.end();
      await once(stream, 'finish');
      renameSync(partial, out!);
      process.stderr.write(`Wrote ${rows} answers to ${out}.\n`);
    }
  } catch (error) {
    if (partial) {
      stream.destroy();
      rmSync(partial, { force: true });
    }
    throw error;
  }
});
