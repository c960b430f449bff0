/**
 * The students' side of a burst, shared by the burst (bench/burst.ts) and the scale-out benchmark
 * (bench/scale.ts): a guild of N students on the local Discord, the daily post, every Answer modal opened
 * (untimed), then the timed submits spread evenly over S ms, and what the students saw.
 */
import { count, eq } from 'drizzle-orm';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { openPostgres } from '../src/db/client.ts';
import { answers } from '../src/db/schema.ts';
import {
  FakeDiscord,
  type Actor,
  type FakeMessage,
  type Guild,
  type InteractionResult,
} from '../tests/fake-discord/index.ts';
import type { ProbeReport } from './botProbe.ts';
import { machineCpu } from './processStats.ts';
import { summarize, type Summary } from './stats.ts';

/** Short, real-looking answers of several lengths (the suggestion runs on each). */
const ANSWERS = [
  'A JWT is a signed token with a header, a payload of claims and a signature, so the server can check it was not changed.',
  'json web token',
  'It is a way to send data between the client and the server. The payload is only base64 encoded, not encrypted, so anyone can read it, but the signature means nobody can change it without the secret key. We use it for auth after login.',
  'RETURNING gives back the rows an INSERT, UPDATE or DELETE changed, so you do not need a second SELECT.',
  'Test the parts that are most likely to break and the ones where a bug would cost the most, like payments or login. Also edge cases and anything with complicated logic.',
  'not sure, something about security?',
];

export interface BurstWorld {
  fake: FakeDiscord;
  guild: Guild;
  instructor: Actor;
  students: Actor[];
  channelId: string;
}

/** The local Discord with one guild: an instructor and `students` students. */
export async function openBurstWorld(students: number): Promise<BurstWorld> {
  // A deferred reply may be edited long after: wait up to a minute so the outcome time is measured, not cut.
  const fake = await FakeDiscord.start({ deferredEditTimeoutMs: 60_000 });
  const guild = fake.createGuild({ name: 'Bench Cohort' });
  const instructor = guild.addInstructor('Instructor');
  return {
    fake,
    guild,
    instructor,
    students: Array.from({ length: students }, (_, i) => guild.addStudent(`Student ${i + 1}`)),
    channelId: guild.cohortChannel.id,
  };
}

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

/** `/setup daily` in the cohort channel: a daily question at 09:00 UTC, open for 72 hours. */
async function setupDaily(instructor: Actor, channelId: string): Promise<void> {
  const setup = await instructor.run('setup daily', {
    channel: { id: channelId },
    time: '09:00',
    timezone: 'UTC',
    window_hours: 72,
  });
  if (!setup.message) throw new Error('/setup daily gave no reply');
}

/** `/setup daily`, then `/daily post`; returns the post with its Answer button. */
export async function postDaily(fake: FakeDiscord, instructor: Actor, channelId: string): Promise<FakeMessage> {
  await setupDaily(instructor, channelId);
  const posted = await instructor.run('daily post');
  const post = fake.lastChannelMessage(channelId);
  if (!post) throw new Error(`/daily post did not post: ${JSON.stringify(posted.message?.content)}`);
  return post;
}

/** Untimed: every student opens the Answer modal (the bot answers with the modal, no database). Returns the ms it took. */
export async function preopenModals(students: Actor[], post: FakeMessage): Promise<number> {
  const started = performance.now();
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
  const notOpened = opened.filter((result) => result.kind !== 'modal').length;
  if (notOpened > 0) throw new Error(`${notOpened} Answer clicks did not open the modal`);
  return performance.now() - started;
}

interface SubmitOutcome {
  result: InteractionResult | null;
  error: string | null;
  outcomeMs: number | null;
  /** When it was sent, from the start of the timed phase. */
  sentAt: number;
}

export interface TimedPhase {
  outcomes: SubmitOutcome[];
  timedPhaseMs: number;
  /** /proc/loadavg (1, 5, 15 minutes) when the timed phase started. */
  loadAverage: string;
  /** Event-loop delay of the benchmark process (the fake Discord): if high, latencies are inflated. */
  driverLagP99Ms: number;
  /** CPU time of the benchmark process (the fake Discord and the students) during the phase, ms. */
  driverCpuMs: number;
  /** Share of the whole machine's CPU busy during the phase (bot, fake, database and anyone else's work). */
  machineBusy: number | null;
}

/** Timed: the submits, spread evenly over spreadMs, each sent without waiting for earlier ones. */
export async function runTimedSubmits(students: Actor[], spreadMs: number): Promise<TimedPhase> {
  const lag = monitorEventLoopDelay({ resolution: 5 });
  const machine = machineCpu();
  const loadAtStart = loadAverage();
  const driverCpu = process.cpuUsage();
  lag.enable();
  const start = performance.now();
  const outcomes = await Promise.all(
    students.map(async (student, i): Promise<SubmitOutcome> => {
      await sleep(Math.max(0, start + (i * spreadMs) / students.length - performance.now()));
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
  const { user, system } = process.cpuUsage(driverCpu);
  return {
    outcomes,
    timedPhaseMs,
    loadAverage: loadAtStart,
    driverLagP99Ms: lag.percentile(99) / 1e6,
    driverCpuMs: (user + system) / 1000,
    machineBusy: machine.stop(),
  };
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

function p99BySecond(outcomes: SubmitOutcome[]): number[] {
  const bySecond: number[][] = [];
  for (const { result, sentAt } of outcomes) {
    if (result) (bySecond[Math.floor(sentAt / 1000)] ??= []).push(result.latencyMs);
  }
  return Array.from(bySecond, (latencies) => summarize(latencies ?? []).p99);
}

export interface AnswerFigures {
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
  /** Submits that failed other than by missing the 3 s: the first few errors. */
  otherFailures: string[];
}

export function answerFigures(outcomes: SubmitOutcome[]): AnswerFigures {
  const answered = outcomes.flatMap((outcome) => (outcome.result ? [outcome.result] : []));
  const otherFailures = outcomes.flatMap((outcome) =>
    outcome.error && !outcome.error.includes('did not acknowledge') ? [outcome.error] : [],
  );
  return {
    latency: summarize(answered.map((result) => result.latencyMs)),
    outcome: summarize(outcomes.flatMap((outcome) => (outcome.outcomeMs === null ? [] : [outcome.outcomeMs]))),
    p99BySecond: p99BySecond(outcomes),
    over3s: outcomes.filter((outcome) => outcome.error?.includes('did not acknowledge')).length,
    deferred: answered.filter((result) => result.kind === 'deferred').length,
    replies: tally([...answered.map(replyKind), ...otherFailures.map(() => 'deferred, never edited')]),
    otherFailures,
  };
}

/** Daily answers stored in the PostgreSQL database at `url`. */
export async function countDailyAnswers(url: string): Promise<number> {
  const database = await openPostgres(url);
  try {
    const [row] = await database.db.select({ n: count() }).from(answers).where(eq(answers.kind, 'daily'));
    return row?.n ?? 0;
  } finally {
    await database.close();
  }
}

/**
 * Asks a bot's probe (bench/botProbe.ts) to start over (`report` false) or to report (true); the report is read
 * from its BENCH_PROBE_FILE.
 */
export async function probeBot(pid: number | undefined, file: string, report: boolean): Promise<ProbeReport | null> {
  if (pid === undefined) return null;
  rmSync(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  if (!report) return null;
  for (let waited = 0; waited < 10_000; waited += 50) {
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as ProbeReport;
    await sleep(50);
  }
  return null;
}

/** Errors the local Discord returned to the bot since `from` (an index into `fake.errors`), by kind. */
export function discordErrorsSince(fake: FakeDiscord, from: number): Record<string, number> {
  return tally(fake.errors.slice(from).map((error) => `${error.status} ${error.code} ${error.message}`));
}
