/** Percentiles by the nearest-rank method: p99 of 1000 samples is the 990th smallest. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1]!;
}

export interface Summary {
  n: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, x) => sum + x, 0) / (sorted.length || 1);
  return {
    n: sorted.length,
    min: sorted[0] ?? Number.NaN,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    mean,
  };
}

/** Milliseconds for a table: integers from 10 ms up, one decimal below. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value >= 10 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`;
}

/** Runs `fn` `runs` times (after `warmup` untimed runs) or until `budgetMs` is spent, whichever comes first. */
export async function timeRuns(
  fn: (i: number) => Promise<unknown>,
  options: { runs: number; warmup?: number; budgetMs?: number; minRuns?: number },
): Promise<number[]> {
  for (let i = 0; i < (options.warmup ?? 5); i++) await fn(i);
  const samples: number[] = [];
  const deadline = performance.now() + (options.budgetMs ?? Infinity);
  for (let i = 0; i < options.runs; i++) {
    const start = performance.now();
    await fn(i);
    samples.push(performance.now() - start);
    if (performance.now() > deadline && samples.length >= (options.minRuns ?? 30)) break;
  }
  return samples;
}
