/**
 * Burst: N students answer ONE daily question within a few seconds, against the real bot process (or the
 * baseline bot) on the local fake Discord. Latency is the fake's: from dispatching INTERACTION_CREATE to the
 * bot's first callback (a reply, or a defer).
 */
import { count, eq } from 'drizzle-orm';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { openPglite, openPostgres } from '../src/db/client.ts';
import { answers } from '../src/db/schema.ts';
import { startBot, type BotProcess } from '../tests/support/botProcess.ts';
import { FakeDiscord, type Actor, type FakeMessage, type InteractionResult } from '../tests/fake-discord/index.ts';
import { startBackgroundLoad, type BackgroundLoad } from './backgroundLoad.ts';
import type { ProbeReport } from './botProbe.ts';
import { createDataDir, createScratchDatabase } from './databases.ts';
import { machineCpu, processCpuMs, processMemory, type ProcessMemory } from './processStats.ts';
import { summarize, type Summary } from './stats.ts';

export type BurstTarget = 'pglite' | 'postgres' | 'baseline';

export interface BurstOptions {
  students: number;
  spreadMs: number;
  /** When set, the bot process writes a V8 CPU profile (node --cpu-prof) into this directory when it stops. */
  profileDir?: string;
  /** Cores kept busy by a separate process during the timed phase (bench/backgroundLoad.ts); 0 = none. */
  backgroundLoad?: number;
}

export interface BurstRun {
  target: BurstTarget;
  /** Cores kept busy by other work during the timed phase (0: the machine as it was). */
  backgroundLoad: number;
  /** /proc/loadavg (1, 5, 15 minutes) when the timed phase started. */
  loadAverage: string;
  /** The bot's own event-loop delay and deadline counters during the timed phase (bench/botProbe.ts). */
  botProbe: ProbeReport | null;
  students: number;
  spreadMs: number;
  /** Dispatch to first callback, over the interactions that got one in time. */
  latency: Summary;
  /** No callback within 3 s: Discord shows "The application did not respond". */
  over3s: number;
  /** From sending the submit to the student seeing the outcome (the reply, or the edit after a defer). */
  outcome: Summary;
  /** p99 latency of the submits sent in each second of the timed phase: shows a slow start (warm-up) or a growing backlog. */
  p99BySecond: number[];
  /** First responses that were defers (the handler took over 1.5 s). */
  deferred: number;
  /** Replies by kind: saved, duplicate, closed, not saved (database), other. */
  replies: Record<string, number>;
  /** Answer rows in the database afterwards (null for the baseline). */
  stored: number | null;
  memory: { ready: ProcessMemory | null; afterBurst: ProcessMemory | null };
  /** Bot CPU time during the timed phase, per answer. */
  botCpuMsPerAnswer: number | null;
  /** Event-loop delay of the benchmark process (the fake Discord) during the timed phase: if high, latencies are inflated. */
  driverLagP99Ms: number;
  /** Share of the whole machine's CPU busy during the timed phase (bot, fake, database and anyone else's work). */
  machineBusy: number | null;
  preopenMs: number;
  timedPhaseMs: number;
  botErrors: string[];
  discordErrors: Record<string, number>;
}

const BASELINE_ENTRY = fileURLToPath(new URL('./baselineBot.ts', import.meta.url));
const PROFILED_ENTRY = fileURLToPath(new URL('./profiledMain.ts', import.meta.url));

/** Short, real-looking answers of several lengths (the suggestion runs on each). */
const ANSWERS = [
  'A JWT is a signed token with a header, a payload of claims and a signature, so the server can check it was not changed.',
  'json web token',
  'It is a way to send data between the client and the server. The payload is only base64 encoded, not encrypted, so anyone can read it, but the signature means nobody can change it without the secret key. We use it for auth after login.',
  'RETURNING gives back the rows an INSERT, UPDATE or DELETE changed, so you do not need a second SELECT.',
  'Test the parts that are most likely to break and the ones where a bug would cost the most, like payments or login. Also edge cases and anything with complicated logic.',
  'not sure, something about security?',
];

function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return os
      .loadavg()
      .map((value) => value.toFixed(2))
      .join(' ');
  }
}

/** Asks the bot's probe to start over (first signal) or to report (second); the report is read from its file. */
async function probe(bot: BotProcess, file: string, report: boolean): Promise<ProbeReport | null> {
  if (bot.pid === undefined) return null;
  rmSync(file, { force: true });
  process.kill(bot.pid, 'SIGUSR2');
  if (!report) return null;
  for (let waited = 0; waited < 10_000; waited += 50) {
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as ProbeReport;
    await sleep(50);
  }
  return null;
}

async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = Array.from({ length: items.length });
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function replyKind(result: InteractionResult): string {
  const message = result.message;
  const title = String((message?.embeds[0] as { title?: string } | undefined)?.title ?? '');
  const text = `${message?.content ?? ''} ${title} ${String((message?.embeds[0] as { description?: string } | undefined)?.description ?? '')}`;
  if (title.startsWith('Saved')) return 'saved';
  if (/already received/.test(text)) return 'duplicate';
  if (/closed/i.test(text)) return 'closed';
  if (/NOT saved|database is unavailable/.test(text)) return 'not saved';
  return 'other';
}

function tally(items: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[item] = (counts[item] ?? 0) + 1;
  return counts;
}

function p99BySecond(outcomes: { result: InteractionResult | null; sentAt: number }[]): number[] {
  const bySecond: number[][] = [];
  for (const { result, sentAt } of outcomes) {
    if (result) (bySecond[Math.floor(sentAt / 1000)] ??= []).push(result.latencyMs);
  }
  return Array.from(bySecond, (latencies) => summarize(latencies ?? []).p99);
}

interface Target {
  env: Record<string, string>;
  entry?: string;
  /** Makes the post with the Answer button; returns it. */
  post(fake: FakeDiscord, instructor: Actor, channelId: string): Promise<FakeMessage>;
  /** Answer rows stored; may stop the bot first. */
  countStored(bot: BotProcess): Promise<number | null>;
  cleanup(): Promise<void>;
}

async function postDaily(fake: FakeDiscord, instructor: Actor, channelId: string): Promise<FakeMessage> {
  const setup = await instructor.run('setup daily', {
    channel: { id: channelId },
    time: '09:00',
    timezone: 'UTC',
    window_hours: 72,
  });
  if (!setup.message) throw new Error('/setup daily gave no reply');
  const posted = await instructor.run('daily post');
  const post = fake.lastChannelMessage(channelId);
  if (!post) throw new Error(`/daily post did not post: ${JSON.stringify(posted.message?.content)}`);
  return post;
}

async function prepareTarget(kind: BurstTarget): Promise<Target> {
  if (kind === 'baseline') {
    return {
      env: {},
      entry: BASELINE_ENTRY,
      post: async (fake, _instructor, channelId) =>
        fake.waitFor(() => fake.lastChannelMessage(channelId), 10_000, 'the baseline post'),
      countStored: async () => null,
      cleanup: async () => undefined,
    };
  }
  if (kind === 'pglite') {
    // A copy of the migrated template, as in the e2e tests: start-up cost is measured by bench/startup.ts.
    const dataDir = await createDataDir({ migrated: true });
    return {
      env: { DATA_DIR: dataDir.dir },
      post: postDaily,
      async countStored(bot) {
        await bot.stop();
        const database = await openPglite(dataDir.dir);
        try {
          const [row] = await database.db.select({ n: count() }).from(answers).where(eq(answers.kind, 'daily'));
          return row?.n ?? 0;
        } finally {
          await database.close();
        }
      },
      cleanup: async () => dataDir.remove(),
    };
  }
  const scratch = await createScratchDatabase('burst');
  return {
    env: { DATABASE_URL: scratch.url },
    post: postDaily,
    async countStored() {
      const database = await openPostgres(scratch.url);
      try {
        const [row] = await database.db.select({ n: count() }).from(answers).where(eq(answers.kind, 'daily'));
        return row?.n ?? 0;
      } finally {
        await database.close();
      }
    },
    cleanup: () => scratch.drop(),
  };
}

export async function runBurst(
  kind: BurstTarget,
  options: BurstOptions,
  log: (line: string) => void,
): Promise<BurstRun> {
  // A deferred reply may be edited long after: wait up to a minute so the outcome time is measured, not cut.
  const fake = await FakeDiscord.start({ deferredEditTimeoutMs: 60_000 });
  const guild = fake.createGuild({ name: 'Bench Cohort' });
  const instructor = guild.addInstructor('Instructor');
  const students = Array.from({ length: options.students }, (_, i) => guild.addStudent(`Student ${i + 1}`));
  const channelId = guild.cohortChannel.id;
  const target = await prepareTarget(kind);
  const probeFile = path.join(os.tmpdir(), `bench-probe-${process.pid}-${kind}.json`);
  let bot: BotProcess | undefined;
  let load: BackgroundLoad | undefined;
  try {
    bot = await startBot({
      env: {
        DISCORD_TOKEN: fake.token,
        DISCORD_API_URL: fake.apiUrl,
        DISCORD_GUILD_ID: guild.id,
        BENCH_CHANNEL_ID: channelId,
        LOG_LEVEL: 'info',
        BENCH_PROBE_FILE: probeFile,
        ...target.env,
        ...(options.profileDir ? { BENCH_PROFILE_DIR: options.profileDir } : {}),
      },
      entry: target.entry ?? PROFILED_ENTRY,
      readyTimeoutMs: 60_000,
    });
    const readyMemory = processMemory(bot.pid);
    const post = await target.post(fake, instructor, channelId);

    // Untimed: every student opens the Answer modal (the bot answers with the modal, no database).
    const preopenStart = performance.now();
    // On a busy machine a click can miss its 3 s: untimed, so it is simply clicked again.
    const opened = await mapLimit(students, 25, async (student) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await student.click(post, 'Answer');
        } catch (error) {
          if (attempt >= 3 || !String(error).includes('did not acknowledge')) throw error;
        }
      }
    });
    const preopenMs = performance.now() - preopenStart;
    const notOpened = opened.filter((result) => result.kind !== 'modal').length;
    if (notOpened > 0) throw new Error(`${notOpened} Answer clicks did not open the modal`);
    log(
      `  ${kind}: ${students.length} modals open in ${Math.round(preopenMs)} ms; submitting over ${options.spreadMs} ms`,
    );
    if (options.backgroundLoad) load = await startBackgroundLoad(options.backgroundLoad);
    await sleep(500);

    // Timed: the submits, spread evenly over spreadMs, each sent without waiting for earlier ones.
    const lag = monitorEventLoopDelay({ resolution: 5 });
    const errorsBefore = fake.errors.length;
    const cpuBefore = processCpuMs(bot.pid);
    const machine = machineCpu();
    const loadAtStart = loadAverage();
    await probe(bot, probeFile, false);
    lag.enable();
    const start = performance.now();
    const outcomes = await Promise.all(
      students.map(async (student, i) => {
        await sleep(Math.max(0, start + (i * options.spreadMs) / students.length - performance.now()));
        const sent = performance.now();
        try {
          const result = await student.submitModal(ANSWERS[i % ANSWERS.length]!);
          return { result, error: null, outcomeMs: performance.now() - sent, sentAt: sent - start };
        } catch (error) {
          return { result: null, error: String(error), outcomeMs: null, sentAt: sent - start };
        }
      }),
    );
    const timedPhaseMs = performance.now() - start;
    lag.disable();
    const machineBusy = machine.stop();
    const cpuAfter = processCpuMs(bot.pid);
    const botProbe = await probe(bot, probeFile, true);
    await load?.stop();
    const afterMemory = processMemory(bot.pid);

    const answered = outcomes.flatMap((outcome) => (outcome.result ? [outcome.result] : []));
    const notAcknowledged = outcomes.filter((outcome) => outcome.error?.includes('did not acknowledge')).length;
    const otherFailures = outcomes.filter((outcome) => outcome.error && !outcome.error.includes('did not acknowledge'));
    if (otherFailures.length > 0)
      log(
        `  ${kind}: ${otherFailures.length} submits failed otherwise, e.g. ${otherFailures[0]!.error!.slice(0, 300)}`,
      );
    const replies = tally([...answered.map(replyKind), ...otherFailures.map(() => 'deferred, never edited')]);
    const botErrors = bot.unhandledErrors();
    const stored = await target.countStored(bot);
    return {
      target: kind,
      backgroundLoad: options.backgroundLoad ?? 0,
      loadAverage: loadAtStart,
      botProbe,
      students: options.students,
      spreadMs: options.spreadMs,
      latency: summarize(answered.map((result) => result.latencyMs)),
      outcome: summarize(outcomes.flatMap((outcome) => (outcome.outcomeMs === null ? [] : [outcome.outcomeMs]))),
      p99BySecond: p99BySecond(outcomes),
      over3s: notAcknowledged,
      deferred: answered.filter((result) => result.kind === 'deferred').length,
      replies,
      stored,
      memory: { ready: readyMemory, afterBurst: afterMemory },
      botCpuMsPerAnswer: cpuBefore !== null && cpuAfter !== null ? (cpuAfter - cpuBefore) / options.students : null,
      driverLagP99Ms: lag.percentile(99) / 1e6,
      machineBusy,
      preopenMs,
      timedPhaseMs,
      botErrors: botErrors.slice(0, 5),
      discordErrors: tally(
        fake.errors.slice(errorsBefore).map((error) => `${error.status} ${error.code} ${error.message}`),
      ),
    };
  } finally {
    await load?.stop();
    rmSync(probeFile, { force: true });
    await bot?.stop();
    await fake.close();
    await target.cleanup();
  }
}
