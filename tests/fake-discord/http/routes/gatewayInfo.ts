import type { FakeContext } from '../../context.ts';
import { json, type RouteDefinition } from '../router.ts';

/** Discord's recommendation: enough shards that none carries more guilds than it allows. */
function recommendedShards(context: FakeContext): number {
  const store = context.store;
  const guilds = [...store.guilds.keys()].filter((guildId) => store.member(guildId, store.botUser.id)).length;
  return Math.max(1, Math.ceil(guilds / context.options.maxGuildsPerShard));
}

function gatewayUrl(origin: string): string {
  return `${origin.replace(/^http/, 'ws')}/gateway`;
}

export const gatewayInfoRoutes: RouteDefinition[] = [
  {
    method: 'GET',
    template: '/gateway/bot',
    auth: 'bot',
    handle: (context) =>
      json({
        url: gatewayUrl(context.origin()),
        shards: recommendedShards(context),
        session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
      }),
  },
  {
    method: 'GET',
    template: '/gateway',
    auth: 'none',
    handle: (context) => json({ url: gatewayUrl(context.origin()) }),
  },
];
