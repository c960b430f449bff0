import cron from 'node-cron';
import type { AppContext } from '../context.ts';

export interface Scheduler {
  /** Stops the ticks and waits for a tick in progress, so shutdown never cuts a post in half. */
  stop(): Promise<void>;
}

/** A tick every minute; each job asks the database what is due, so missed ticks and restarts catch up. */
export function startScheduler(ctx: AppContext, jobs: ((ctx: AppContext) => Promise<void>)[]): Scheduler {
  let running: Promise<void> | null = null;
  const runJobs = async () => {
    for (const job of jobs) {
      try {
        await job(ctx);
      } catch (error) {
        ctx.logger.error({ err: error, job: job.name }, 'scheduled job failed');
      }
    }
  };
  // One tick at a time, whether started by cron or at start-up.
  const tick = () => (running ??= runJobs().finally(() => (running = null)));
  const task = cron.schedule('* * * * *', tick, { name: 'daily-tick', noOverlap: true });
  void tick();
  return {
    async stop() {
      await task.stop();
      await running;
    },
  };
}
