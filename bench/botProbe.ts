/**
 * Bench-only: what the bot process measures of itself during a timed phase. The benchmark sends SIGUSR2 at the
 * start of the phase (the probe starts over) and again at the end (the probe writes BENCH_PROBE_FILE): the
 * event-loop delay of the bot's own thread and, for our bot, the interactions the responder saw late.
 */
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface ProbeReport {
  /** Event-loop delay of the bot's main thread, ms. */
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  /** Counters the bot keeps (src/discord/responder.ts), since the start of the phase. */
  counts: Record<string, number>;
}

export function installProbe(readCounts: () => Record<string, number> = () => ({})): void {
  const file = process.env.BENCH_PROBE_FILE;
  if (!file) return;
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  let since = { ...readCounts() };
  let started = false;
  process.on('SIGUSR2', () => {
    if (started) {
      const now = readCounts();
      const counts = Object.fromEntries(Object.entries(now).map(([key, value]) => [key, value - (since[key] ?? 0)]));
      const report: ProbeReport = {
        lagP50Ms: lag.percentile(50) / 1e6,
        lagP99Ms: lag.percentile(99) / 1e6,
        lagMaxMs: lag.max / 1e6,
        counts,
      };
      writeFileSync(file, JSON.stringify(report));
    }
    started = !started;
    since = { ...readCounts() };
    lag.reset();
  });
}
