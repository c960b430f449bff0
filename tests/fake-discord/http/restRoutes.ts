import { applicationCommandRoutes } from './routes/applicationCommands.ts';
import { channelRoutes } from './routes/channels.ts';
import { gatewayInfoRoutes } from './routes/gatewayInfo.ts';
import { interactionCallbackRoutes } from './routes/interactionCallbacks.ts';
import { guildRoutes, userRoutes } from './routes/usersAndGuilds.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import type { RouteDefinition } from './router.ts';

export const restRoutes: RouteDefinition[] = [
  ...gatewayInfoRoutes,
  ...applicationCommandRoutes,
  ...interactionCallbackRoutes,
  ...webhookRoutes,
  ...channelRoutes,
  ...userRoutes,
  ...guildRoutes,
];
