import { json, type RouteDefinition } from '../router.ts';

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
        shards: 1,
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
