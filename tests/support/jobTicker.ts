/**
 * A process that runs the scheduler's jobs at the instants the test gives it, as a `gateway` process of the bot
 * would at each minute: its own PostgreSQL connection (JOB_DATABASE_URL), its own discord.js client logged in to
 * the local Discord by address and token (DISCORD_API_URL, DISCORD_TOKEN). Reads `tick <ISO instant>` lines,
 * answers `done <instant>` once the tick is over; prints `ready` once connected. Warnings go to stderr.
 */
import { createInterface } from 'node:readline';
import { pino } from 'pino';
import { openPostgres } from '../../src/db/client.ts';
import { closeDueDailyQuestions } from '../../src/jobs/dailyClosing.ts';
import { postDueDailyQuestions } from '../../src/jobs/dailyPosting.ts';
import { sendDueReminders } from '../../src/jobs/dailyReminders.ts';
import { runJobs } from '../../src/jobs/scheduler.ts';
import { startJobContext } from './jobClient.ts';

/** The scheduler's jobs, in the order src/main.ts gives them. */
const JOBS = [closeDueDailyQuestions, postDueDailyQuestions, sendDueReminders];

const { JOB_DATABASE_URL, DISCORD_API_URL, DISCORD_TOKEN } = process.env;
if (!JOB_DATABASE_URL || !DISCORD_API_URL || !DISCORD_TOKEN)
  throw new Error('JOB_DATABASE_URL, DISCORD_API_URL and DISCORD_TOKEN are needed');
const database = await openPostgres(JOB_DATABASE_URL);
const ctx = await startJobContext(database, { token: DISCORD_TOKEN, apiUrl: DISCORD_API_URL });
ctx.logger = pino({ level: 'warn' }, pino.destination(2));
process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  const [command, instant] = line.split(' ');
  if (command !== 'tick' || !instant) continue;
  ctx.setNow(new Date(instant));
  await runJobs(ctx, JOBS);
  process.stdout.write(`done ${instant}\n`);
}
await ctx.close();
await database.close();
