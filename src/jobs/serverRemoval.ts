import type { AppContext } from '../context.ts';
import { pauseServers, scheduledCohorts } from '../db/repo/cohorts.ts';

/** What the instructors of a server the bot was removed from see once it is back (/setup show, /setup, /daily). */
const REMOVED_REASON =
  'The bot was removed from this server, so its daily questions stopped. Now that it is back, check the settings and run /setup resume.';

/**
 * The bot was removed from these servers (kicked, or the server deleted): their daily schedules are paused, so no
 * job keeps knocking on a server that is gone (Discord answers Unknown Guild), and the operator's log says so once
 * per server. Instructors of a server that adds the bot back see the reason and resume with /setup resume.
 */
export async function pauseRemovedServers(ctx: AppContext, guildIds: readonly string[]): Promise<void> {
  for (const [guildId, cohorts] of await pauseServers(ctx.db, guildIds, REMOVED_REASON))
    ctx.logger.info({ guildId, cohorts }, 'removed from a server: its daily questions are paused');
}

/**
 * Servers with a running daily schedule that Discord did not list for this process's shards when it connected:
 * the bot was removed while it was not connected (Discord lists every server of a shard on connecting, outages included).
 */
export async function serversLeftWhileAway(
  ctx: AppContext,
  present: ReadonlySet<string>,
  ownsGuild: (guildId: string) => boolean,
): Promise<string[]> {
  const guildIds = new Set((await scheduledCohorts(ctx.db)).map((cohort) => cohort.guildId));
  return [...guildIds].filter((guildId) => ownsGuild(guildId) && !present.has(guildId));
}
