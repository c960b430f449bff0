import {
  addCohort,
  hasDailySchedule,
  serverCohort,
  type CohortChanges,
  type CohortRow,
} from '../../src/db/repo/cohorts.ts';
import { updateServerCohort } from './cohortRows.ts';
import { postDailyQuestion, type PostOutcome } from '../../src/jobs/dailyPosting.ts';
import { prepareDatabase } from '../../src/startup.ts';
import { FakeDiscord, type Guild } from '../fake-discord/index.ts';
import { openTestDatabase, type Engine, type TestDatabase } from './database.ts';
import { startJobContext, type JobContext } from './jobClient.ts';
import { CONDITION_TIMEOUT_MS } from './botProcess.ts';

export { startJobContext, type JobContext } from './jobClient.ts';

export interface JobWorld {
  fake: FakeDiscord;
  database: TestDatabase;
  ctx: JobContext;
  /** A new guild, seen by the client, with a daily schedule (09:00 UTC every day unless changed). */
  scheduledGuild(changes?: CohortChanges): Promise<Guild>;
  /** Another cohort of `guild` in a new text channel the client has seen, scheduled with `values`. */
  addCohort(guild: Guild, values: CohortChanges & { name: string }): Promise<{ cohort: CohortRow; channelId: string }>;
  /** Posts the guild's daily question for `localDate` at the context's time, as the scheduler would. */
  postDaily(guild: Guild, localDate: string): Promise<Extract<PostOutcome, { status: 'posted' }>>;
  close(): Promise<void>;
}

/** A local Discord, a fresh database with the bank, and a job context connected to both. */
export async function startJobWorld(engine: Engine = 'pglite'): Promise<JobWorld> {
  const fake = await FakeDiscord.start();
  const database = await openTestDatabase(engine);
  await prepareDatabase(database);
  const ctx = await startJobContext(database, fake);
  return {
    fake,
    database,
    ctx,
    async scheduledGuild(changes = {}) {
      const guild = fake.createGuild();
      await fake.waitFor(() => ctx.client.guilds.cache.has(guild.id), CONDITION_TIMEOUT_MS, 'the guild in the cache');
      await updateServerCohort(ctx.db, guild.id, {
        channelId: guild.cohortChannel.id,
        postTime: '09:00',
        timeZone: 'UTC',
        days: 'every',
        ...changes,
      });
      return guild;
    },
    async addCohort(guild, values) {
      const channel = guild.createTextChannel(values.name.toLowerCase().replace(/\W+/g, '-'));
      await fake.waitFor(
        () => ctx.client.channels.cache.has(channel.id),
        CONDITION_TIMEOUT_MS,
        'the channel in the cache',
      );
      const added = await addCohort(ctx.db, guild.id, { channelId: channel.id, ...values });
      if (added.status !== 'saved') throw new Error(`cohort not added: ${added.status}`);
      return { cohort: added.cohort, channelId: channel.id };
    },
    async postDaily(guild, localDate) {
      const cohort = await serverCohort(ctx.db, guild.id);
      if (!hasDailySchedule(cohort)) throw new Error('the guild has no daily schedule');
      const posted = await postDailyQuestion(ctx, cohort, localDate);
      if (posted.status !== 'posted') throw new Error(`not posted: ${posted.status}`);
      return posted;
    },
    async close() {
      await ctx.close();
      await fake.close();
      await database.destroy();
    },
  };
}
