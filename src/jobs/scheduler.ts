import cron from 'node-cron';
import type { AppContext } from '../context.ts';

type Job = (ctx: AppContext) => Promise<void>;

export interface Scheduler {
  /** Stops the ticks and waits for a tick in progress, so shutdown never cuts a post in half. */
  stop(): Promise<void>;
}

/**
 * One tick: every job in turn, a failing one logged and the next still run. Every process that runs the
 * scheduler ticks at the same minutes: each job's effect is claimed in the database, so it happens once.
 */
export async function runJobs(ctx: AppContext, jobs: Job[]): Promise<void> {
  for (const job of jobs) {
    try {
      await job(ctx);
    } catch (error) {
      ctx.logger.error({ err: error, job: job.name }, 'scheduled job failed');
    }
  }
}

/** A tick every minute; each job asks the database what is due, so missed ticks and restarts catch up. */
export function startScheduler(ctx: AppContext, jobs: Job[]): Scheduler {
  let running: Promise<void> | null = null;
  // One tick at a time, whether started by cron or at start-up.
  const tick = () => (running ??= runJobs(ctx, jobs).finally(() => (running = null)));
  const task = cron.schedule('* * * * *', tick, { name: 'daily-tick', noOverlap: true });
  void tick();
  return {
    async stop() {
      await task.stop();
      await running;
    },
  };
}
