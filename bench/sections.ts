/** Turns the benchmarks' figures into the tables of results.md, with the targets of issue 8. */
import type { BurstRun } from './burst.ts';
import type { ChartCase } from './charts.ts';
import type { LeaderboardResult, TimedCase } from './leaderboard.ts';
import { mib } from './processStats.ts';
import { targetCell, type Section } from './report.ts';
import type { ReviewResult } from './reviewQueue.ts';
import type { ScaleRun } from './scale.ts';
import type { StartupCase } from './startup.ts';
import type { SpeedResult, Timing } from '../src/quiz/grading/speed.ts';
import { ms, summarize } from './stats.ts';

const TARGETS = {
  burstP99PostgresMs: 250,
  burstBaselineRatio: 3,
  /** Issue 18: with other work on the machine. */
  burstLoadedBaselineRatio: 10,
  burstLoadedP99PgliteMs: 1000,
  burstIdleP99PgliteMs: 250,
  burstCpuBaselineRatio: 2,
  burstCpuPgliteMs: 5,
  leaderboardP99Ms: 50,
  reviewP99Ms: 30,
  /** Issue 16: a suggestion never holds up an interaction, the first after a restart included. */
  suggestWorstMs: 50,
};

const ENGINE_NAMES: Record<string, string> = {
  pglite: 'our bot, PGlite',
  postgres: 'our bot, PostgreSQL',
  baseline: 'baseline bot (no database)',
};
const pct = (value: number | null) => (value === null ? 'n/a' : `${Math.round(value * 100)}%`);

function conditionName(run: BurstRun): string {
  return run.backgroundLoad ? `${run.backgroundLoad} core${run.backgroundLoad > 1 ? 's' : ''} kept busy` : 'as it was';
}

/** The targets of issues 8 and 18 for the runs of one condition (the machine as it was, or kept busy). */
function burstTargets(runs: BurstRun[]): string[][] {
  const baseline = runs.find((run) => run.target === 'baseline');
  const loaded = (runs[0]?.backgroundLoad ?? 0) > 0;
  const where = (run: BurstRun) => `${ENGINE_NAMES[run.target]}, ${conditionName(run)}`;
  const rows: string[][] = [];
  for (const run of runs.filter((item) => item.target !== 'baseline')) {
    const saved = run.replies.saved ?? 0;
    rows.push([`0 not answered within 3 s (${where(run)})`, String(run.over3s), targetCell(run.over3s === 0)]);
    if (run.stored !== null) {
      rows.push([
        `0 lost: stored ≥ acknowledged as saved (${where(run)})`,
        `${run.stored} stored, ${saved} acknowledged`,
        targetCell(run.stored >= saved),
      ]);
      rows.push([
        `every stored answer confirmed (${where(run)})`,
        `${Math.max(0, run.stored - saved)} not confirmed`,
        targetCell(run.stored <= saved),
      ]);
    }
    const p99Limit =
      run.target === 'postgres'
        ? TARGETS.burstP99PostgresMs
        : loaded
          ? TARGETS.burstLoadedP99PgliteMs
          : TARGETS.burstIdleP99PgliteMs;
    if (run.target === 'pglite' || loaded)
      rows.push([`p99 < ${p99Limit} ms (${where(run)})`, ms(run.latency.p99), targetCell(run.latency.p99 < p99Limit)]);
    if (baseline && run.latency.n > 0 && run.target === 'postgres') {
      const limit = loaded ? TARGETS.burstLoadedBaselineRatio : TARGETS.burstBaselineRatio;
      const ratio = run.latency.p99 / Math.max(baseline.latency.p99, 1);
      rows.push([
        `p99 within ${limit}x the baseline's (${where(run)})`,
        `${ratio.toFixed(1)}x (${ms(run.latency.p99)} vs ${ms(baseline.latency.p99)})`,
        targetCell(ratio <= limit),
      ]);
    }
    if (run.botCpuMsPerAnswer !== null && run.target === 'postgres' && baseline?.botCpuMsPerAnswer) {
      const ratio = run.botCpuMsPerAnswer / baseline.botCpuMsPerAnswer;
      rows.push([
        `bot CPU per answer within ${TARGETS.burstCpuBaselineRatio}x the baseline's (${where(run)})`,
        `${ratio.toFixed(1)}x (${ms(run.botCpuMsPerAnswer)} vs ${ms(baseline.botCpuMsPerAnswer)})`,
        targetCell(ratio <= TARGETS.burstCpuBaselineRatio),
      ]);
    }
    if (run.botCpuMsPerAnswer !== null && run.target === 'pglite') {
      rows.push([
        `bot CPU per answer < ${TARGETS.burstCpuPgliteMs} ms (${where(run)})`,
        ms(run.botCpuMsPerAnswer),
        targetCell(run.botCpuMsPerAnswer < TARGETS.burstCpuPgliteMs),
      ]);
    }
  }
  return rows;
}

export function burstSections(
  runs: BurstRun[],
  options: { skipPostgres: string | null; profiled: boolean },
): [Section, Section] {
  const first = runs[0];
  const intro = first
    ? `${first.students} students answer one daily question: each opens the Answer modal first (untimed), then the ${first.students} submits are sent ` +
      `evenly over ${first.spreadMs / 1000} s without waiting for each other (${Math.round((first.students * 1000) / first.spreadMs)}/s). ` +
      "The bot is the real process (`src/main.ts`) on the local fake Discord; latency is the fake's, from dispatching the interaction to the " +
      'bot\'s first callback (a reply, or a defer). "Outcome" is until the student sees the result (the reply, or the edit after a defer).'
    : undefined;
  const rows = runs.map((run) => {
    const lag = run.botProbe ? `${ms(run.botProbe.lagP99Ms)} / ${ms(run.botProbe.lagMaxMs)}` : 'n/a';
    const saved = run.replies.saved ?? 0;
    const lost = run.stored === null ? 'n/a' : String(Math.max(0, saved - run.stored));
    const unconfirmed = run.stored === null ? 'n/a' : String(Math.max(0, run.stored - saved));
    return [
      ENGINE_NAMES[run.target] ?? run.target,
      conditionName(run),
      run.loadAverage,
      ms(run.latency.p50),
      ms(run.latency.p95),
      ms(run.latency.p99),
      ms(run.latency.max),
      String(run.over3s),
      String(run.deferred),
      run.botProbe?.counts.late === undefined ? 'n/a' : String(run.botProbe.counts.late),
      `${ms(run.outcome.p50)} / ${ms(run.outcome.p99)}`,
      `${saved}`,
      run.stored === null ? 'n/a' : String(run.stored),
      lost,
      unconfirmed,
      run.botCpuMsPerAnswer === null ? 'n/a' : ms(run.botCpuMsPerAnswer),
      pct(run.machineBusy),
      lag,
    ];
  });
  const targetRows: string[][] = [];
  for (const load of new Set(runs.map((run) => run.backgroundLoad)))
    targetRows.push(...burstTargets(runs.filter((run) => run.backgroundLoad === load)));
  const notes: string[] = [];
  if (options.skipPostgres) notes.push(options.skipPostgres);
  for (const run of runs) {
    const replies = Object.entries(run.replies)
      .map(([kind, n]) => `${n} ${kind}`)
      .join(', ');
    const errors = Object.entries(run.discordErrors)
      .map(([error, n]) => `${n}× ${error}`)
      .join('; ');
    notes.push(
      `${ENGINE_NAMES[run.target]}, ${conditionName(run)}: replies ${replies || 'none'}; modals pre-opened in ${ms(run.preopenMs)}; timed phase ${ms(run.timedPhaseMs)}; ` +
        `p99 by second of the timed phase ${run.p99BySecond.map(ms).join(', ')}; ` +
        `event-loop delay p99 of the benchmark process (the fake Discord) ${ms(run.driverLagP99Ms)}` +
        (errors ? `; errors the fake Discord returned: ${errors}` : '') +
        (run.botErrors.length > 0
          ? `; bot error lines: ${run.botErrors.length} (first: \`${run.botErrors[0]!.slice(0, 160)}\`)`
          : ''),
    );
  }
  notes.push(
    '"Seen past 3 s" counts interactions the bot received after their deadline and so left unanswered (no work that nobody can see); "bot\'s event-loop delay" is measured inside the bot process during the timed phase.',
  );
  notes.push(
    '"Lost" counts answers acknowledged as saved but missing from the database; "stored, not confirmed" counts answers stored although the student was not told (no response in time, or a response that never came).',
  );
  if (options.profiled)
    notes.push(
      'Run with --profile: the bot ran under the CPU profiler, which slows it; do not compare these latencies with unprofiled runs.',
    );
  const burst: Section = {
    name: 'burst',
    title: 'Burst: answers to one daily question',
    intro,
    tables: [
      {
        header: [
          'bot',
          'machine',
          'load average at start',
          'p50',
          'p95',
          'p99',
          'max',
          'over 3 s',
          'deferred',
          'seen past 3 s',
          'outcome p50 / p99',
          'acknowledged saved',
          'stored',
          'lost',
          'stored, not confirmed',
          'bot CPU per answer',
          'machine CPU busy',
          "bot's event-loop delay p99 / max",
        ],
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
        rows: runs.map((run) => [
          `${ENGINE_NAMES[run.target] ?? run.target}, ${conditionName(run)}`,
          mib(run.memory.ready?.rssMiB),
          mib(run.memory.afterBurst?.rssMiB),
          mib(run.memory.afterBurst?.peakMiB),
        ]),
      },
    ],
    notes: options.skipPostgres ? [options.skipPostgres] : [],
  };
  return [burst, memory];
}

function timedTable(cases: TimedCase[], targetMs: number) {
  return {
    header: ['what', 'runs', 'p50', 'p99', 'max', `target p99 < ${targetMs} ms`],
    rows: cases.map((item) => [
      item.name,
      String(item.summary.n),
      ms(item.summary.p50),
      ms(item.summary.p99),
      ms(item.summary.max),
      targetCell(item.summary.p99 < targetMs),
    ]),
  };
}

export function leaderboardSection(result: LeaderboardResult | null, skipPostgres: string | null): Section {
  return {
    name: 'leaderboard',
    title: '/leaderboard and /me on a big guild (PostgreSQL)',
    intro: result
      ? `One guild with 20 cohorts, 10,000 students (each in one cohort) and ${result.counts.points_ledger?.toLocaleString('en')} points_ledger rows over 90 days (inserted with generate_series, so the ledger trigger ` +
        `fills score_totals as it would), ${result.counts.prompts?.toLocaleString('en')} daily posts (90 per cohort), ${result.counts.answers?.toLocaleString('en')} graded answers of 2,000 active students and their study cards; ` +
        `then \`VACUUM ANALYZE\`. Seeding took ${Math.round(result.seedMs / 1000)} s. Each figure is the repository call the command makes before replying, ` +
        "run one after another through the bot's own connection pool (postgres.js, max 10); the caller is ranked mid-table, so their own row is looked up too."
      : undefined,
    tables: result ? [timedTable(result.cases, 50)] : [],
    notes: skipPostgres
      ? [skipPostgres]
      : ['The real functions of src/db/repo/leaderboard.ts and src/db/repo/progress.ts are timed (no stand-in SQL).'],
  };
}

export function reviewSection(result: ReviewResult | null, skipPostgres: string | null): Section {
  return {
    name: 'review',
    title: '/review on a big queue (PostgreSQL)',
    intro: result
      ? `${result.ungraded.toLocaleString('en')} ungraded answers in one guild of 20 cohorts (50,000 to 90 daily posts per cohort, 50,000 practice answers each with its prompt, interleaved in time order, ` +
        `2,000 students, the shipped bank from \`prepareDatabase\`; 200 more answers graded, each with a regrade request open), then \`VACUUM ANALYZE\`; seeding took ${Math.round(result.seedMs / 1000)} s. ` +
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
          return [
            item.name,
            String(item.summary.n),
            ms(item.summary.p50),
            ms(item.summary.min),
            ms(item.summary.max),
            mib(rss.p50),
          ];
        }),
      },
    ],
    notes: skipPostgres ? [skipPostgres] : [],
  };
}

const CHART_TARGET_MS = 300;

export function chartsSection(cases: ChartCase[]): Section {
  return {
    name: 'charts',
    title: 'Charts of /stats and /me: rendering',
    intro:
      "Data in, PNG out, in the bot's process: ECharts lays the chart out as SVG, resvg rasterizes it on libuv's thread pool. " +
      'The database query is not included (it is /stats\'s and /me\'s own). "first" is the first render after the modules are loaded; the others are the timed renders after it.',
    tables: [
      {
        header: ['chart', 'renders', 'median', 'worst', 'first', 'PNG size', `target worst < ${CHART_TARGET_MS} ms`],
        rows: cases.map((item) => [
          item.name,
          String(item.summary.n),
          ms(item.summary.p50),
          ms(item.summary.max),
          ms(item.firstMs),
          `${Math.round(item.pngBytes / 1024)} KiB`,
          targetCell(Math.max(item.summary.max, item.firstMs) < CHART_TARGET_MS),
        ]),
      },
    ],
    notes: [],
  };
}

/** Suggested grades, worst case, in fresh processes (bench/suggest.ts). */
export function suggestSection(results: SpeedResult[], loadAverage: number[]): Section {
  const row = (name: string, timings: Timing[]) => {
    const wall = summarize(timings.map((timing) => timing.wallMs));
    const cpu = summarize(timings.map((timing) => timing.cpuMs));
    return [name, String(wall.n), ms(wall.p50), ms(wall.max), ms(cpu.p50), ms(cpu.max)];
  };
  const suggestions = results.flatMap((result) => [result.first, ...result.uncached]);
  const worst = Math.max(...suggestions.map((timing) => timing.wallMs));
  const first = results[0];
  return {
    name: 'suggest',
    title: 'Suggested grades: the worst case of a review card',
    intro:
      `One suggestion for a ${first?.length ?? 4000}-character answer learning from ${first?.graded ?? 200} graded answers of the same length ` +
      `(\`${first?.slug ?? '?'}\`, the question with the most rubric phrases), built from eval-dev's answers to it. Each process is a restart: ` +
      'start-up readies the suggester as the bot does before connecting to Discord (synonyms, rubrics compiled, one warm-up suggestion); ' +
      '"first" is its first suggestion, "nothing cached" the next 19 with no analysis cached (the first card of a question), "cached" with the graded answers already analysed. ' +
      "CPU time is what a suggestion costs; wall time adds the wait for a busy machine's cores.",
    tables: [
      {
        header: ['', 'runs', 'wall median', 'wall max', 'CPU median', 'CPU max'],
        rows: [
          row(
            'start-up (before connecting)',
            results.map((result) => result.startup),
          ),
          row(
            'first suggestion after start-up',
            results.map((result) => result.first),
          ),
          row(
            'later, nothing cached',
            results.flatMap((result) => result.uncached),
          ),
          row(
            'later, graded answers cached',
            results.flatMap((result) => result.cached),
          ),
        ],
      },
      {
        header: ['target', 'measured', 'met'],
        rows: [
          [
            `worst suggestion < ${TARGETS.suggestWorstMs} ms, the first after a restart included (wall)`,
            ms(worst),
            targetCell(worst < TARGETS.suggestWorstMs),
          ],
        ],
      },
    ],
    notes: [`Load average at the start (1, 5, 15 min): ${loadAverage.map((value) => value.toFixed(2)).join(', ')}.`],
  };
}

const coreShare = (cpuMs: number | null, phaseMs: number) =>
  cpuMs === null ? 'n/a' : `${Math.round((cpuMs / phaseMs) * 100)}%`;
const perAnswer = (cpuMs: number | null, answers: number) => (cpuMs === null ? 'n/a' : ms(cpuMs / answers));
const coreSeconds = (cpuMs: number) => `${(cpuMs / 1000).toFixed(1)} s`;

/** Where the machine's CPU went in a timed phase, in core-seconds: the bots, PostgreSQL, the fake Discord, the rest. */
function cpuAccount(
  run: { timedPhaseMs: number; machineBusy: number | null; driverCpuMs: number },
  bots: number | null,
  postgres: number | null,
  cores: number,
) {
  const capacity = run.timedPhaseMs * cores;
  const busy = run.machineBusy === null ? null : run.machineBusy * capacity;
  const rest = busy === null ? null : busy - (bots ?? 0) - (postgres ?? 0) - run.driverCpuMs;
  return [
    coreSeconds(capacity),
    bots === null ? 'n/a' : coreSeconds(bots),
    postgres === null ? 'n/a' : coreSeconds(postgres),
    coreSeconds(run.driverCpuMs),
    rest === null ? 'n/a' : coreSeconds(Math.max(0, rest)),
    busy === null ? 'n/a' : coreSeconds(Math.max(0, capacity - busy)),
  ];
}

/** What the figures say limits the scaling: the machine's cores, the fake Discord, PostgreSQL or the bots. */
function scaleReading(runs: ScaleRun[], baseline: BurstRun | null, cores: number): string[] {
  const first = runs[0];
  const last = runs.at(-1);
  if (!first || !last) return [];
  const busy = runs.map((run) => pct(run.machineBusy)).join(' → ');
  const cpu = runs.map((run) => perAnswer(run.botCpuMs, run.students)).join(' → ');
  const pg = runs.map((run) => perAnswer(run.postgresCpuMs.server, run.students)).join(' → ');
  const p99 = runs.map((run) => ms(run.latency.p99)).join(' → ');
  const driver = runs.map((run) => coreShare(run.driverCpuMs, run.timedPhaseMs)).join(' → ');
  const lines = [
    `From ${first.processes} to ${last.processes} http process${last.processes > 1 ? 'es' : ''}: p99 ${p99}; bot CPU per answer (all processes) ${cpu}; ` +
      `PostgreSQL server CPU per answer ${pg}; the fake Discord used ${driver} of one core; the machine (${cores} cores) was busy ${busy}` +
      (baseline
        ? ` (the baseline bot's run: ${pct(baseline.machineBusy)}, p99 ${ms(baseline.latency.p99)}, ${baseline.botCpuMsPerAnswer === null ? 'n/a' : ms(baseline.botCpuMsPerAnswer)} CPU per answer).`
        : '.'),
  ];
  if (last.machineBusy !== null && last.machineBusy >= 0.9)
    lines.push(
      `With ${last.processes} processes the machine's cores were ${pct(last.machineBusy)} busy: every process, PostgreSQL and the fake Discord share ${cores} cores, so another process adds no CPU to share out, only more processes to schedule; on this machine the limit is the machine.`,
    );
  else if (last.machineBusy !== null)
    lines.push(
      `The machine was not saturated (${pct(last.machineBusy)} busy with ${last.processes} processes): at ${Math.round((last.students * 1000) / last.spreadMs)} answers a second each process is mostly idle, so more processes cannot lower latency much here; what is left is each answer's own path (the HTTP round trip and two round trips to PostgreSQL).`,
    );
  return lines;
}

export function scaleSection(
  runs: ScaleRun[],
  baseline: BurstRun | null,
  options: { skipPostgres: string | null; cores: number },
): Section {
  const first = runs[0];
  const intro = first
    ? `The burst above (${first.students} students answer one daily question, the ${first.students} submits spread evenly over ${first.spreadMs / 1000} s after every Answer modal was opened, untimed) ` +
      `on one PostgreSQL database through 1 to ${runs.at(-1)!.processes} HTTP-endpoint processes (\`PROCESS_ROLE=http\`, \`src/main.ts\`), each interaction a signed POST from the local Discord, ` +
      "which spreads them round robin over the processes' URLs like a load balancer (one connection per delivery). The commands are registered by `src/cli/deployCommands.ts` " +
      'and the question is posted by `/daily post` through the endpoint; no gateway process runs (it would receive none of these interactions). ' +
      'Latency is from the local Discord sending the POST to its reading the reply (the first callback). The baseline is the no-database bot (`bench/baselineBot.ts`) over the gateway, in the same run. ' +
      "CPU is read from /proc: each bot process, the PostgreSQL backends of the bots' connections and the whole server (its processes and the connections that ended, anyone's work on it included), the benchmark process itself (the fake Discord and the students) and the machine."
    : undefined;
  const rows = runs.map((run) => {
    const saved = run.replies.saved ?? 0;
    return [
      `${run.processes} http process${run.processes > 1 ? 'es' : ''}`,
      run.loadAverage,
      ms(run.latency.p50),
      ms(run.latency.p99),
      ms(run.latency.max),
      String(run.over3s),
      String(saved),
      String(run.stored),
      String(Math.max(0, saved - run.stored)),
      String(Math.max(0, run.stored - saved)),
      perAnswer(run.botCpuMs, run.students),
      run.cpuMsByProcess.map((cpu) => coreShare(cpu, run.timedPhaseMs)).join(', '),
      `${perAnswer(run.postgresCpuMs.backends, run.students)} / ${perAnswer(run.postgresCpuMs.server, run.students)}`,
      `${coreShare(run.driverCpuMs, run.timedPhaseMs)}, ${ms(run.driverLagP99Ms)}`,
      pct(run.machineBusy),
      run.botLagP99Ms.map((lag) => (lag === null ? 'n/a' : ms(lag))).join(', '),
    ];
  });
  if (baseline)
    rows.unshift([
      'baseline bot (no database, gateway)',
      baseline.loadAverage,
      ms(baseline.latency.p50),
      ms(baseline.latency.p99),
      ms(baseline.latency.max),
      String(baseline.over3s),
      String(baseline.replies.saved ?? 0),
      'n/a',
      'n/a',
      'n/a',
      baseline.botCpuMsPerAnswer === null ? 'n/a' : ms(baseline.botCpuMsPerAnswer),
      baseline.botCpuMsPerAnswer === null
        ? 'n/a'
        : coreShare(baseline.botCpuMsPerAnswer * baseline.students, baseline.timedPhaseMs),
      'n/a',
      `n/a, ${ms(baseline.driverLagP99Ms)}`,
      pct(baseline.machineBusy),
      baseline.botProbe ? ms(baseline.botProbe.lagP99Ms) : 'n/a',
    ]);
  const account = runs.map((run) => [
    `${run.processes} http process${run.processes > 1 ? 'es' : ''}`,
    ...cpuAccount(run, run.botCpuMs, run.postgresCpuMs.server, options.cores),
  ]);
  const notes: string[] = [];
  if (options.skipPostgres) notes.push(options.skipPostgres);
  notes.push(...scaleReading(runs, baseline, options.cores));
  for (const run of runs) {
    const replies = Object.entries(run.replies)
      .map(([kind, n]) => `${n} ${kind}`)
      .join(', ');
    const errors = Object.entries(run.discordErrors)
      .map(([error, n]) => `${n}× ${error}`)
      .join('; ');
    notes.push(
      `${run.processes} http: replies ${replies || 'none'}; deliveries per process as the local Discord counts them ${run.deliveriesByProcess.join(' / ')}, ${run.deliveryFailures} failed; ` +
        `${run.deferred} deferred; ${run.seenLate ?? 'n/a'} seen past 3 s; outcome p50 / p99 ${ms(run.outcome.p50)} / ${ms(run.outcome.p99)}; ` +
        `modals pre-opened in ${ms(run.preopenMs)}; timed phase ${ms(run.timedPhaseMs)}; p99 by second ${run.p99BySecond.map(ms).join(', ')}` +
        (errors ? `; errors the fake Discord returned: ${errors}` : '') +
        (run.botErrors.length > 0
          ? `; bot error lines: ${run.botErrors.length} (first: \`${run.botErrors[0]!.slice(0, 160)}\`)`
          : ''),
    );
  }
  notes.push(
    '"Lost" counts answers acknowledged as saved but missing from the database; "stored, not confirmed" counts answers stored although the student was not told. ' +
      '"CPU of each process" is the share of one core each http process used over the timed phase; PostgreSQL\'s whole-server figure includes any other work on the server.',
  );
  return {
    name: 'scale',
    title: 'Scale-out: the burst through several HTTP-endpoint processes (PostgreSQL)',
    intro,
    tables: runs.length
      ? [
          {
            header: [
              'bot',
              'load average at start',
              'p50',
              'p99',
              'max',
              'over 3 s',
              'acknowledged saved',
              'stored',
              'lost',
              'stored, not confirmed',
              'bot CPU per answer (all processes)',
              'CPU of each process (share of a core)',
              'PostgreSQL CPU per answer: bot connections / whole server',
              'fake Discord: CPU (share of a core), event-loop delay p99',
              'machine CPU busy',
              "bots' event-loop delay p99",
            ],
            rows,
          },
          {
            caption: `Where the machine's CPU went during each timed phase (core-seconds; ${options.cores} cores × the phase):`,
            header: [
              'bot',
              'available',
              'bot processes',
              'PostgreSQL server',
              'fake Discord (benchmark process)',
              'everything else',
              'idle',
            ],
            rows: account,
          },
        ]
      : [],
    notes,
  };
}
