/** Times the chart renderers of /stats and /me (data in, PNG out: ECharts' SVG, then resvg), 20 renders per case. */
import type { ProgressChartData, StatsChartData } from '../src/db/repo/charts.ts';
import { renderProgressChart, renderStatsChart } from '../src/discord/render/charts/index.ts';
import type { TimedCase } from './leaderboard.ts';
import { summarize, timeRuns } from './stats.ts';

export interface ChartCase extends TimedCase {
  /** The first render of the process, before the timed ones: what the first /stats after a start waits. */
  firstMs: number;
  pngBytes: number;
}

const outcomes = (i: number, scale: number) => ({
  slug: `question-${i}-slug`,
  correct: (i % 7) * scale,
  partial: (i % 3) * scale,
  incorrect: (i % 5) * scale,
  ungraded: (i % 2) * scale,
});
const days = (scale: number) =>
  Array.from({ length: 14 }, (_, i) => ({
    localDate: `2026-11-${String(i + 10).padStart(2, '0')}`,
    slug: `question-${i}-slug`,
    answers: (20 + (i % 9)) * scale,
  }));

const CASES: { name: string; render: () => Promise<{ png: Buffer }> }[] = [
  {
    name: '/stats: 14 questions, 14 daily posts',
    render: () =>
      renderStatsChart({
        questions: Array.from({ length: 14 }, (_, i) => outcomes(i, 1)),
        daily: days(1),
      } satisfies StatsChartData),
  },
  {
    name: '/stats: 50 questions, counts in the millions',
    render: () =>
      renderStatsChart({
        questions: Array.from({ length: 50 }, (_, i) => outcomes(i, 1_000_003)),
        daily: days(1_000_003),
      }),
  },
  {
    name: '/me: 8 weeks, 10 topics',
    render: () =>
      renderProgressChart({
        weeks: Array.from({ length: 8 }, (_, i) => ({
          weekStart: `2026-10-${String(i + 5).padStart(2, '0')}`,
          points: i * 4,
        })),
        topics: Array.from({ length: 10 }, (_, i) => ({ topic: `Topic ${i}`, points: 20 - i })),
      } satisfies ProgressChartData),
  },
];

export async function runCharts(log: (line: string) => void, options: { runs: number }): Promise<ChartCase[]> {
  const cases: ChartCase[] = [];
  for (const item of CASES) {
    const start = performance.now();
    const { png } = await item.render();
    const firstMs = performance.now() - start;
    const samples = await timeRuns(() => item.render(), { runs: options.runs, warmup: 0 });
    cases.push({ name: item.name, summary: summarize(samples), firstMs, pngBytes: png.length });
    log(`charts: ${item.name}: median ${summarize(samples).p50.toFixed(1)} ms`);
  }
  return cases;
}
