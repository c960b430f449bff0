/**
 * Scale-out: the burst (bench/burstDriver.ts) on PostgreSQL through 1, 2, 3... HTTP-endpoint processes
 * (PROCESS_ROLE=http) behind the local Discord's round robin, as behind a load balancer. The commands are
 * registered by the deploy tool (src/cli/deployCommands.ts) and the daily question is posted by `/daily post`
 * through the endpoint: no gateway process runs, since in production one would receive none of these interactions.
 */
import { freePort } from '../tests/support/freePort.ts';
import os from 'node:os';
import path from 'node:path';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { runScript, startBot, type BotProcess } from '../tests/support/botProcess.ts';
import type { ProbeReport } from './botProbe.ts';
import { PROFILED_ENTRY } from './burst.ts';
import {
  answerFigures,
  countDailyAnswers,
  discordErrorsSince,
  openBurstWorld,
  postDaily,
  preopenModals,
  probeBot,
  runTimedSubmits,
  type AnswerFigures,
} from './burstDriver.ts';
import { createScratchDatabase, postgresProcesses } from './databases.ts';
import { processCpuMs, processTreeCpuMs } from './processStats.ts';

const DEPLOY = fileURLToPath(new URL('../src/cli/deployCommands.ts', import.meta.url));

export interface ScaleOptions {
  students: number;
  spreadMs: number;
}

export interface ScaleRun extends Omit<AnswerFigures, 'otherFailures'> {
  /** HTTP-endpoint processes behind the round robin. */
  processes: number;
  students: number;
  spreadMs: number;
  /** /proc/loadavg (1, 5, 15 minutes) when the timed phase started. */
  loadAverage: string;
  stored: number;
  /** CPU time of all the http processes during the timed phase, ms (null: one was unreadable). */
  botCpuMs: number | null;
  /** CPU time of each http process during the timed phase, ms (null: unreadable). */
  cpuMsByProcess: (number | null)[];
  /** Interactions each process received during the timed phase (the round robin's split). */
  deliveriesByProcess: number[];
  /** Deliveries that failed after being sent (reset, no answer, non-2xx). */
  deliveryFailures: number;
  /** Each process's own event-loop delay p99 during the timed phase (bench/botProbe.ts), ms. */
  botLagP99Ms: (number | null)[];
  /** Interactions the processes saw already past 3 s (left unanswered), summed. */
  seenLate: number | null;
  /** PostgreSQL CPU during the timed phase, ms: the bot's connections, and the whole server (anyone's work). */
  postgresCpuMs: { backends: number | null; server: number | null };
  driverLagP99Ms: number;
  /** CPU time of the benchmark process (the fake Discord) during the timed phase, ms. */
  driverCpuMs: number;
  machineBusy: number | null;
  preopenMs: number;
  timedPhaseMs: number;
  botErrors: string[];
  discordErrors: Record<string, number>;
}

function sumOrNull(values: (number | null)[]): number | null {
  return values.some((value) => value === null) ? null : values.reduce<number>((sum, value) => sum + value!, 0);
}

/** CPU readings of every process that serves the burst, taken at the start and at the end of the timed phase. */
function cpuSnapshot(bots: BotProcess[], postgresPids: { backends: number[]; postmaster: number | null }) {
  return {
    bots: bots.map((bot) => processCpuMs(bot.pid)),
    backends: postgresPids.postmaster === null ? null : sumOrNull(postgresPids.backends.map(processCpuMs)),
    server: postgresPids.postmaster === null ? null : processTreeCpuMs(postgresPids.postmaster),
  };
}

const minus = (after: number | null, before: number | null) =>
  after === null || before === null ? null : after - before;

export async function runScale(
  processes: number,
  options: ScaleOptions,
  log: (line: string) => void,
): Promise<ScaleRun> {
  const { fake, guild, instructor, students, channelId } = await openBurstWorld(options.students);
  const scratch = await createScratchDatabase('scale');
  const bots: BotProcess[] = [];
  const probeFiles = Array.from({ length: processes }, (_, i) =>
    path.join(os.tmpdir(), `bench-probe-${process.pid}-http-${i}.json`),
  );
  try {
    const env = {
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_GUILD_ID: guild.id,
      DATABASE_URL: scratch.url,
      LOG_LEVEL: 'info',
    };
    const deployed = await runScript(DEPLOY, [], env);
    if (deployed.code !== 0) throw new Error(`deploy-commands failed: ${deployed.output}`);
    const urls: string[] = [];
    // One after another: the first migrates the new database, the others find it migrated.
    for (const probeFile of probeFiles) {
      const port = await freePort();
      bots.push(
        await startBot({
          env: {
            ...env,
            PROCESS_ROLE: 'http',
            INTERACTIONS_PORT: String(port),
            DISCORD_PUBLIC_KEY: fake.publicKey,
            BENCH_PROBE_FILE: probeFile,
          },
          entry: PROFILED_ENTRY,
          readyTimeoutMs: 60_000,
        }),
      );
      urls.push(`http://127.0.0.1:${port}/interactions`);
    }
    await fake.setInteractionsEndpoint(urls);
    const post = await postDaily(fake, instructor, channelId);
    const preopenMs = await preopenModals(students, post);
    log(
      `  ${processes} http: ${students.length} modals open in ${Math.round(preopenMs)} ms; submitting over ${options.spreadMs} ms`,
    );
    await sleep(500);

    // The bots open their pooled connections at start, so the backends are all there before the phase.
    const postgresPids = postgresProcesses(scratch.url);
    const errorsBefore = fake.errors.length;
    const deliveriesBefore = urls.map((url) => fake.interactionDeliveries.deliveries[url] ?? 0);
    const failuresBefore = fake.interactionDeliveries.failures;
    const before = cpuSnapshot(bots, postgresPids);
    for (const [i, bot] of bots.entries()) await probeBot(bot.pid, probeFiles[i]!, false);
    const phase = await runTimedSubmits(students, options.spreadMs);
    const after = cpuSnapshot(bots, postgresPids);
    const probes: (ProbeReport | null)[] = [];
    for (const [i, bot] of bots.entries()) probes.push(await probeBot(bot.pid, probeFiles[i]!, true));

    // Counted with the bots stopped (every submit has had its outcome): their connections are given back first.
    await Promise.all(bots.map((bot) => bot.stop()));
    const stored = await countDailyAnswers(scratch.url);
    const cpuMsByProcess = bots.map((_, i) => minus(after.bots[i]!, before.bots[i]!));
    const { otherFailures, ...figures } = answerFigures(phase.outcomes);
    if (otherFailures.length > 0)
      log(
        `  ${processes} http: ${otherFailures.length} submits failed otherwise, e.g. ${otherFailures[0]!.slice(0, 300)}`,
      );
    return {
      ...figures,
      processes,
      students: options.students,
      spreadMs: options.spreadMs,
      loadAverage: phase.loadAverage,
      stored,
      botCpuMs: sumOrNull(cpuMsByProcess),
      cpuMsByProcess,
      deliveriesByProcess: urls.map(
        (url, i) => (fake.interactionDeliveries.deliveries[url] ?? 0) - deliveriesBefore[i]!,
      ),
      deliveryFailures: fake.interactionDeliveries.failures - failuresBefore,
      botLagP99Ms: probes.map((probe) => probe?.lagP99Ms ?? null),
      seenLate: sumOrNull(probes.map((probe) => probe?.counts.late ?? null)),
      postgresCpuMs: { backends: minus(after.backends, before.backends), server: minus(after.server, before.server) },
      driverLagP99Ms: phase.driverLagP99Ms,
      driverCpuMs: phase.driverCpuMs,
      machineBusy: phase.machineBusy,
      preopenMs,
      timedPhaseMs: phase.timedPhaseMs,
      botErrors: bots.flatMap((bot) => bot.unhandledErrors()).slice(0, 5),
      discordErrors: discordErrorsSince(fake, errorsBefore),
    };
  } finally {
    for (const file of probeFiles) rmSync(file, { force: true });
    await Promise.all(bots.map((bot) => bot.stop()));
    await fake.close();
    await scratch.drop();
  }
}
