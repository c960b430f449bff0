/**
 * Burst: N students answer ONE daily question within a few seconds, against the real bot process (or the
 * baseline bot) on the local fake Discord. Latency is the fake's: from dispatching INTERACTION_CREATE to the
 * bot's first callback (a reply, or a defer).
 */
import { count, eq } from 'drizzle-orm';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { openPglite } from '../src/db/client.ts';
import { answers } from '../src/db/schema.ts';
import { startBot, type BotProcess } from '../tests/support/botProcess.ts';
import type { Actor, FakeDiscord, FakeMessage } from '../tests/fake-discord/index.ts';
import { startBackgroundLoad, type BackgroundLoad } from './backgroundLoad.ts';
import type { ProbeReport } from './botProbe.ts';
import {
  answerFigures,
  countDailyAnswers,
  openBurstWorld,
  postDaily,
  preopenModals,
  probeBot,
  runTimedSubmits,
  discordErrorsSince,
  type AnswerFigures,
} from './burstDriver.ts';
import { createDataDir, createScratchDatabase } from './databases.ts';
import { processCpuMs, processMemory, type ProcessMemory } from './processStats.ts';

export type BurstTarget = 'pglite' | 'postgres' | 'baseline';

export interface BurstOptions {
  students: number;
  spreadMs: number;
  /** When set, the bot process writes a V8 CPU profile (node --cpu-prof) into this directory when it stops. */
  profileDir?: string;
  /** Cores kept busy by a separate process during the timed phase (bench/backgroundLoad.ts); 0 = none. */
  backgroundLoad?: number;
}

export interface BurstRun extends Omit<AnswerFigures, 'otherFailures'> {
  target: BurstTarget;
  /** Cores kept busy by other work during the timed phase (0: the machine as it was). */
  backgroundLoad: number;
  /** /proc/loadavg (1, 5, 15 minutes) when the timed phase started. */
  loadAverage: string;
  /** The bot's own event-loop delay and deadline counters during the timed phase (bench/botProbe.ts). */
  botProbe: ProbeReport | null;
  students: number;
  spreadMs: number;
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
export const PROFILED_ENTRY = fileURLToPath(new URL('./profiledMain.ts', import.meta.url));

interface Target {
  env: Record<string, string>;
  entry?: string;
  /** Makes the post with the Answer button; returns it. */
  post(fake: FakeDiscord, instructor: Actor, channelId: string): Promise<FakeMessage>;
  /** Answer rows stored; may stop the bot first. */
  countStored(bot: BotProcess): Promise<number | null>;
  cleanup(): Promise<void>;
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
    countStored: () => countDailyAnswers(scratch.url),
    cleanup: () => scratch.drop(),
  };
}

export async function runBurst(
  kind: BurstTarget,
  options: BurstOptions,
  log: (line: string) => void,
): Promise<BurstRun> {
  const { fake, guild, instructor, students, channelId } = await openBurstWorld(options.students);
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
    const preopenMs = await preopenModals(students, post);
    log(
      `  ${kind}: ${students.length} modals open in ${Math.round(preopenMs)} ms; submitting over ${options.spreadMs} ms`,
    );
    if (options.backgroundLoad) load = await startBackgroundLoad(options.backgroundLoad);
    await sleep(500);

    const errorsBefore = fake.errors.length;
    const cpuBefore = processCpuMs(bot.pid);
    await probeBot(bot.pid, probeFile, false);
    const phase = await runTimedSubmits(students, options.spreadMs);
    const cpuAfter = processCpuMs(bot.pid);
    const botProbe = await probeBot(bot.pid, probeFile, true);
    await load?.stop();
    const afterMemory = processMemory(bot.pid);

    const { otherFailures, ...figures } = answerFigures(phase.outcomes);
    if (otherFailures.length > 0)
      log(`  ${kind}: ${otherFailures.length} submits failed otherwise, e.g. ${otherFailures[0]!.slice(0, 300)}`);
    const botErrors = bot.unhandledErrors();
    const stored = await target.countStored(bot);
    return {
      ...figures,
      target: kind,
      backgroundLoad: options.backgroundLoad ?? 0,
      loadAverage: phase.loadAverage,
      botProbe,
      students: options.students,
      spreadMs: options.spreadMs,
      stored,
      memory: { ready: readyMemory, afterBurst: afterMemory },
      botCpuMsPerAnswer: cpuBefore !== null && cpuAfter !== null ? (cpuAfter - cpuBefore) / options.students : null,
      driverLagP99Ms: phase.driverLagP99Ms,
      machineBusy: phase.machineBusy,
      preopenMs,
      timedPhaseMs: phase.timedPhaseMs,
      botErrors: botErrors.slice(0, 5),
      discordErrors: discordErrorsSince(fake, errorsBefore),
    };
  } finally {
    await load?.stop();
    rmSync(probeFile, { force: true });
    await bot?.stop();
    await fake.close();
    await target.cleanup();
  }
}
