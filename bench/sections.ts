/** Turns the benchmarks' figures into the tables of results.md, with the targets of issue 8. */
import type { BurstRun } from './burst.ts';
import type { LeaderboardResult, TimedCase } from './leaderboard.ts';
import { mib } from './processStats.ts';
import { targetCell, type Section } from './report.ts';
import type { ReviewResult } from './reviewQueue.ts';
import type { StartupCase } from './startup.ts';
import { ms, summarize } from './stats.ts';

export const TARGETS = {
  burstP99PostgresMs: 250,
  burstBaselineRatio: 3,
  leaderboardP99Ms: 50,
  reviewP99Ms: 30,
};

const ENGINE_NAMES: Record<string, string> = { pglite: 'our bot, PGlite', postgres: 'our bot, PostgreSQL', baseline: 'baseline bot (no database)' };
const pct = (value: number | null) => (value === null ? 'n/a' : `${Math.round(value * 100)}%`);

export function burstSections(runs: BurstRun[], options: { skipPostgres: string | null; profiled: boolean }): [Section, Section] {
  const baseline = runs.find((run) => run.target === 'baseline');
  const ours = runs.filter((run) => run.target !== 'baseline');
  const first = runs[0];
  const intro = first
    ? `${first.students} students answer one daily question: each opens the Answer modal first (untimed), then the ${first.students} submits are sent ` +
      `evenly over ${first.spreadMs / 1000} s without waiting for each other (${Math.round((first.students * 1000) / first.spreadMs)}/s). ` +
      'The bot is the real process (`src/main.ts`) on the local fake Discord; latency is the fake\'s, from dispatching the interaction to the ' +
      "bot's first callback (a reply, or a defer). \"Outcome\" is until the student sees the result (the reply, or the edit after a defer)."
    : undefined;
  const rows = runs.map((run) => {
    const saved = run.replies.saved ?? 0;
    const lost = run.stored === null ? 'n/a' : String(Math.max(0, saved - run.stored));
    const unconfirmed = run.stored === null ? 'n/a' : String(Math.max(0, run.stored - saved));
    return [
      ENGINE_NAMES[run.target] ?? run.target,
      ms(run.latency.p50),
      ms(run.latency.p95),
      ms(run.latency.p99),
      ms(run.latency.max),
      String(run.over3s),
      String(run.deferred),
      `${ms(run.outcome.p50)} / ${ms(run.outcome.p99)}`,
      `${saved}`,
      run.stored === null ? 'n/a' : String(run.stored),
      lost,
      unconfirmed,
      run.botCpuMsPerAnswer === null ? 'n/a' : ms(run.botCpuMsPerAnswer),
      pct(run.machineBusy),
    ];
  });
  const targetRows: string[][] = [];
  const postgres = ours.find((run) => run.target === 'postgres');
  if (postgres) targetRows.push([`p99 first response < ${TARGETS.burstP99PostgresMs} ms (PostgreSQL)`, ms(postgres.latency.p99), targetCell(postgres.latency.p99 < TARGETS.burstP99PostgresMs)]);
  for (const run of ours) {
    const saved = run.replies.saved ?? 0;
    targetRows.push([`0 not answered within 3 s (${ENGINE_NAMES[run.target]})`, String(run.over3s), targetCell(run.over3s === 0)]);
    if (run.stored !== null) targetRows.push([`0 lost: stored ≥ acknowledged as saved (${ENGINE_NAMES[run.target]})`, `${run.stored} stored, ${saved} acknowledged`, targetCell(run.stored >= saved)]);
    if (baseline && run.latency.n > 0) {
      const ratio = run.latency.p99 / Math.max(baseline.latency.p99, 1);
      targetRows.push([`p99 within ${TARGETS.burstBaselineRatio}x the baseline's (${ENGINE_NAMES[run.target]})`, `${ratio.toFixed(1)}x (${ms(run.latency.p99)} vs ${ms(baseline.latency.p99)})`, targetCell(ratio <= TARGETS.burstBaselineRatio)]);
    }
  }
  const notes: string[] = [];
  if (options.skipPostgres) notes.push(options.skipPostgres);
  for (const run of runs) {
    const replies = Object.entries(run.replies).map(([kind, n]) => `${n} ${kind}`).join(', ');
    const errors = Object.entries(run.discordErrors).map(([error, n]) => `${n}× ${error}`).join('; ');
    notes.push(
      `${ENGINE_NAMES[run.target]}: replies ${replies || 'none'}; modals pre-opened in ${ms(run.preopenMs)}; timed phase ${ms(run.timedPhaseMs)}; ` +
        `p99 by second of the timed phase ${run.p99BySecond.map(ms).join(', ')}; ` +
        `event-loop delay p99 of the benchmark process (the fake Discord) ${ms(run.driverLagP99Ms)}` +
        (errors ? `; errors the fake Discord returned: ${errors}` : '') +
        (run.botErrors.length > 0 ? `; bot error lines: ${run.botErrors.length} (first: \`${run.botErrors[0]!.slice(0, 160)}\`)` : ''),
    );
  }
  notes.push('"Lost" counts answers acknowledged as saved but missing from the database; "stored, not confirmed" counts answers stored although the student was not told (no response in time, or a response that never came).');
  if (options.profiled) notes.push('Run with --profile: the bot ran under the CPU profiler, which slows it; do not compare these latencies with unprofiled runs.');
  const burst: Section = {
    name: 'burst',
    title: 'Burst: answers to one daily question',
    intro,
    tables: [
      {
        header: ['bot', 'p50', 'p95', 'p99', 'max', 'over 3 s', 'deferred', 'outcome p50 / p99', 'acknowledged saved', 'stored', 'lost', 'stored, not confirmed', 'bot CPU per answer', 'machine CPU busy'],
        rows,
      },
      { caption: 'Targets:', header: ['target', 'measured', 'result'], rows: targetRows },
    ],
    notes,
  };
  const memory: Section = {
    name: 'memory',
    title: 'Memory: resident size of the bot process',
    intro: 'VmRSS from /proc/<pid>/status right after the ready line and right after the burst above (peak = VmHWM).',
    tables: [
      {
        header: ['bot', 'after ready', 'after the burst', 'peak'],
        rows: runs.map((run) => [ENGINE_NAMES[run.target] ?? run.target, mib(run.memory.ready?.rssMiB), mib(run.memory.afterBurst?.rssMiB), mib(run.memory.afterBurst?.peakMiB)]),
      },
    ],
    notes: options.skipPostgres ? [options.skipPostgres] : [],
  };
  return [burst, memory];
}

function timedTable(cases: TimedCase[], targetMs: number) {
  return {
    header: ['what', 'runs', 'p50', 'p99', 'max', `target p99 < ${targetMs} ms`],
    rows: cases.map((item) => [item.name, String(item.summary.n), ms(item.summary.p50), ms(item.summary.p99), ms(item.summary.max), targetCell(item.summary.p99 < targetMs)]),
  };
}

export function leaderboardSection(result: LeaderboardResult | null, skipPostgres: string | null): Section {
  return {
    name: 'leaderboard',
    title: '/leaderboard and /me on a big guild (PostgreSQL)',
    intro: result
      ? `One guild with 10,000 students and ${result.counts.points_ledger?.toLocaleString('en')} points_ledger rows over 90 days (inserted with generate_series, so the ledger trigger ` +
        `fills score_totals as it would), 90 daily posts, ${result.counts.answers?.toLocaleString('en')} graded answers of 2,000 active students and their study cards; ` +
        `then \`VACUUM ANALYZE\`. Seeding took ${Math.round(result.seedMs / 1000)} s. Each figure is the repository call the command makes before replying, ` +
        'run one after another through the bot\'s own connection pool (postgres.js, max 10); the caller is ranked mid-table, so their own row is looked up too.'
      : undefined,
    tables: result ? [timedTable(result.cases, 50)] : [],
    notes: skipPostgres ? [skipPostgres] : ['The real functions of src/db/repo/leaderboard.ts and src/db/repo/progress.ts are timed (no stand-in SQL).'],
  };
}

export function reviewSection(result: ReviewResult | null, skipPostgres: string | null): Section {
  return {
    name: 'review',
    title: '/review on a big queue (PostgreSQL)',
    intro: result
      ? `${result.ungraded.toLocaleString('en')} ungraded answers in one guild (50,000 to 90 daily posts, 50,000 practice answers each with its prompt, interleaved in time order, ` +
        `2,000 students, the shipped bank from \`prepareDatabase\`), then \`VACUUM ANALYZE\`; seeding took ${Math.round(result.seedMs / 1000)} s. ` +
        '`nextForReview` starts from positions spread over the whole queue (so some wrap around to the start); the student is one with a median number of answers, ' +
        'the question the one with the most answers. Grade clicks walk the queue like an instructor: each grades the next answer (`gradeAnswer`), then loads the next card and the count, as the Correct button does.'
      : undefined,
    tables: result ? [timedTable(result.cases, 30)] : [],
    notes: skipPostgres ? [skipPostgres] : [],
  };
}

export function startupSection(cases: StartupCase[], skipPostgres: string | null): Section {
  return {
    name: 'startup',
    title: 'Start-up: process start to the ready line',
    intro:
      'Spawning `src/main.ts` (through tsx, as `npm start` does) until its "ready" log line: migrations, the bank sync, the gateway login and the ' +
      'command registration against the local Discord. Fresh = empty DATA_DIR or empty database; existing = the same one again right after.',
    tables: [
      {
        header: ['case', 'runs', 'median', 'min', 'max', 'RSS at ready (median)'],
        rows: cases.map((item) => {
          const rss = summarize(item.rssMiB);
          return [item.name, String(item.summary.n), ms(item.summary.p50), ms(item.summary.min), ms(item.summary.max), mib(rss.p50)];
        }),
      },
    ],
    notes: skipPostgres ? [skipPostgres] : [],
  };
}

