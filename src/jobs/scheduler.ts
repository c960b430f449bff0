import cron from 'node-cron';
import type { AppContext } from '../context.ts';

export interface Scheduler {
  stop(): Promise<void>;
}

/** A tick every minute; each job asks the database what is due, so missed ticks and restarts catch up. */
export function startScheduler(ctx: AppContext, jobs: ((ctx: AppContext) => Promise<void>)[] = []): Scheduler {
  const tick = async () => {
    for (const job of jobs) {
      try {
        await job(ctx);
      } catch (error) {
        ctx.logger.error({ err: error, job: job.name }, 'scheduled job failed');
      }
    }
  };
  const task = cron.schedule('* * * * *', tick, { name: 'daily-tick', noOverlap: true });
  void tick();
  return {
    async stop() {
      await task.stop();
    },
  };
}
