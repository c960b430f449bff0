/**
 * `npm run bench` runs every benchmark; `npm run bench -- burst review` runs some (see USAGE). Writes the results
 * to bench/results/latest.md (untracked), or to the committed bench/results.md with --update-results.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBurst, type BurstRun, type BurstTarget } from './burst.ts';
import { runCharts } from './charts.ts';
import { postgresVersion, serverLabel } from './databases.ts';
import { runLeaderboard } from './leaderboard.ts';
import { summarizeProfile } from './profileSummary.ts';
import { machineCpu } from './processStats.ts';
import { LATEST_FILE, machineLine, renderSection, RESULTS_FILE, writeResults, type Section } from './report.ts';
import { runReview } from './reviewQueue.ts';
import { runScale, type ScaleRun } from './scale.ts';
import { runStartup } from './startup.ts';
import { runSuggest } from './suggest.ts';
import {
  burstSections,
  chartsSection,
  leaderboardSection,
  reviewSection,
  scaleSection,
  startupSection,
  suggestSection,
} from './sections.ts';

const NAMES = ['burst', 'memory', 'scale', 'leaderboard', 'review', 'startup', 'charts', 'suggest'] as const;
type Name = (typeof NAMES)[number];

const USAGE = `usage: npm run bench [-- NAME...] [options]

Benchmarks the bot on this machine (about 5 minutes for all; scale alone about 2.5). NAME: ${NAMES.join(', ')} (default: all).
  --students N        burst: students answering (default 1000)
  --spread-ms MS      burst: over how long (default 5000)
  --background-load N burst: also run it while a separate process keeps N cores busy
  --processes N       scale: the burst (--students, --spread-ms) through 1 to N HTTP-endpoint processes (default 3)
  --runs N            leaderboard, review: timed runs (default 200)
  --renders N         charts: timed renders per chart (default 20)
  --repeats N         startup: starts per case; suggest: fresh processes (default 3)
  --profile           burst: write the bot's CPU profile to bench/profiles/ and summarize it
  --out FILE          write the results there (default bench/results/latest.md, not committed)
  --update-results    write them to the committed bench/results.md instead (for the README's figures)
Only the sections run are replaced in the results file. The PostgreSQL parts run on the server of
BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test; each part creates and drops its own
database there) and are skipped when it cannot be reached.
`;

class UsageError extends Error {}

function parseArgs(argv: string[]) {
  const names: Name[] = [];
  const numbers: Record<string, number> = {
    students: 1000,
    'spread-ms': 5000,
    runs: 200,
    renders: 20,
    repeats: 3,
    'background-load': 0,
    processes: 3,
  };
  let profile = false;
  let out = LATEST_FILE;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else if (arg === '--profile') profile = true;
    else if (arg === '--update-results') out = RESULTS_FILE;
    else if (arg === '--out' || arg.startsWith('--out=')) {
      const file = arg.includes('=') ? arg.slice('--out='.length) : argv[++i];
      if (!file) throw new UsageError('--out needs a file name');
      out = path.resolve(file);
    } else if (arg.startsWith('--')) {
      const [key, inline] = arg.slice(2).split('=');
      const value = Number(inline ?? argv[++i]);
      if (!(key! in numbers) || !Number.isFinite(value) || value <= 0) throw new UsageError(`bad option ${arg}`);
      numbers[key!] = value;
    } else if ((NAMES as readonly string[]).includes(arg)) names.push(arg as Name);
    else throw new UsageError(`unknown benchmark "${arg}"`);
  }
  return { names: names.length > 0 ? names : [...NAMES], numbers, profile, out };
}

function parseArgsOrExit(argv: string[]): ReturnType<typeof parseArgs> {
  try {
    return parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n${USAGE}`);
    process.exit(2);
  }
}

const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const { names, numbers, profile, out } = parseArgsOrExit(process.argv.slice(2));
  const started = performance.now();
  const idle = machineCpu();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const background = idle.stop();
  const pgVersion = await postgresVersion();
  const machine = machineLine(pgVersion);
  const backgroundNote =
    background === null
      ? null
      : `Machine CPU busy in the 2 s before the run, from other work: ${Math.round(background * 100)}% of all cores.`;
  log(`bench: ${names.join(', ')} · ${machine}`);
  if (backgroundNote) log(`bench: ${backgroundNote}`);
  const skipPostgres =
    pgVersion === null
      ? `PostgreSQL at ${serverLabel} is not reachable: its parts were skipped (set BENCH_DATABASE_URL).`
      : null;
  if (skipPostgres) log(`bench: ${skipPostgres}`);
  const sections: Section[] = [];
  const raw: Record<string, unknown> = {};

  if (names.includes('burst') || names.includes('memory')) {
    const profileDir = profile ? path.resolve(import.meta.dirname, 'profiles') : undefined;
    if (profileDir) mkdirSync(profileDir, { recursive: true });
    const runs: BurstRun[] = [];
    const targets: BurstTarget[] = pgVersion === null ? ['pglite', 'baseline'] : ['pglite', 'postgres', 'baseline'];
    for (const backgroundLoad of numbers['background-load'] ? [0, numbers['background-load']] : [0])
      for (const target of targets) {
        log(
          `burst: ${target}, ${numbers.students} students over ${numbers['spread-ms']} ms, ${backgroundLoad} cores kept busy`,
        );
        const before = new Set(profileDir ? readdirSync(profileDir) : []);
        runs.push(
          await runBurst(
            target,
            {
              students: numbers.students!,
              spreadMs: numbers['spread-ms']!,
              profileDir: target === 'baseline' ? undefined : profileDir,
              backgroundLoad,
            },
            log,
          ),
        );
        if (profileDir) {
          for (const file of readdirSync(profileDir).filter((name) => !before.has(name))) {
            log(summarizeProfile(path.join(profileDir, file), { lastMs: runs.at(-1)!.timedPhaseMs + 2000, top: 15 }));
          }
        }
      }
    const [burst, memory] = burstSections(runs, { skipPostgres, profiled: profile });
    if (names.includes('burst')) sections.push(burst);
    if (names.includes('memory')) sections.push(memory);
    raw.burst = runs;
  }
  if (names.includes('scale')) {
    const options = { students: numbers.students!, spreadMs: numbers['spread-ms']! };
    let baseline: BurstRun | null = null;
    const runs: ScaleRun[] = [];
    if (pgVersion !== null) {
      log(`scale: baseline bot, ${options.students} students over ${options.spreadMs} ms`);
      baseline = await runBurst('baseline', options, log);
      for (let processes = 1; processes <= numbers.processes!; processes++) {
        log(
          `scale: ${processes} http process(es) on PostgreSQL, ${options.students} students over ${options.spreadMs} ms`,
        );
        runs.push(await runScale(processes, options, log));
      }
    }
    sections.push(scaleSection(runs, baseline, { skipPostgres, cores: os.cpus().length }));
    raw.scale = { baseline, runs };
  }
  if (names.includes('leaderboard')) {
    log('leaderboard: seeding 10,000 students and 1,000,000 ledger rows');
    const result = pgVersion === null ? null : await runLeaderboard(log, { runs: numbers.runs!, budgetMs: 30_000 });
    sections.push(leaderboardSection(result, skipPostgres));
    raw.leaderboard = result;
  }
  if (names.includes('review')) {
    log('review: seeding 100,000 ungraded answers');
    const result = pgVersion === null ? null : await runReview(log, { runs: numbers.runs!, budgetMs: 30_000 });
    sections.push(reviewSection(result, skipPostgres));
    raw.review = result;
  }
  if (names.includes('startup')) {
    log('startup: fresh and existing databases');
    const cases = await runStartup(log, { repeats: numbers.repeats!, postgres: pgVersion !== null });
    sections.push(startupSection(cases, skipPostgres));
    raw.startup = cases;
  }

  if (names.includes('charts')) {
    const cases = await runCharts(log, { runs: numbers.renders! });
    sections.push(chartsSection(cases));
    raw.charts = cases;
  }

  if (names.includes('suggest')) {
    const loadAverage = os.loadavg();
    log('suggest: the worst case of a suggestion, in fresh processes');
    const results = await runSuggest(log, { processes: numbers.repeats! });
    sections.push(suggestSection(results, loadAverage));
    raw.suggest = results;
  }

  for (const section of sections) if (backgroundNote) section.notes.push(backgroundNote);
  const rendered = new Map(sections.map((section) => [section.name, renderSection(section, machine)]));
  writeResults(rendered, raw, out);
  process.stdout.write(`${[...rendered.values()].join('\n\n')}\n`);
  log(
    `bench: done in ${Math.round((performance.now() - started) / 1000)} s; wrote ${path.relative(process.cwd(), out)}`,
  );
}

await main();
