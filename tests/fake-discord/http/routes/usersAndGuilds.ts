import { ChannelType } from 'discord-api-types/v10';
import { discordErrors, invalidFormBody } from '../discordErrors.ts';
import { asObject } from '../../validation/fieldChecks.ts';
import { channelPayload, guildPayload, memberPayload, rolePayload, userPayload } from '../../state/apiPayloads.ts';
import { nextSnowflake } from '../../state/snowflakes.ts';
import { json, type RouteDefinition, type RouteRequest } from '../router.ts';
import type { FakeContext } from '../../context.ts';
import type { FakeChannel } from '../../state/model.ts';

function botGuild(context: FakeContext, request: RouteRequest): string {
  const guildId = request.params.guildId ?? '';
  // A server the bot is not in answers as one that does not exist (Discord since 2023: discord-api-docs#5840).
  if (!context.store.guilds.has(guildId) || !context.store.member(guildId, context.store.botUser.id))
    throw discordErrors.unknownGuild();
  return guildId;
}

function openDm(context: FakeContext, recipientId: string): FakeChannel {
  const existing = context.store.dmChannelByUser.get(recipientId);
  const existingChannel = existing ? context.store.channels.get(existing) : undefined;
  if (existingChannel) return existingChannel;
  const channel: FakeChannel = {
    id: nextSnowflake(),
    type: ChannelType.DM,
    guildId: null,
    name: null,
    position: 0,
    recipientId,
    botHasAccess: true,
  };
  context.store.channels.set(channel.id, channel);
  context.store.dmChannelByUser.set(recipientId, channel.id);
  return channel;
}

export const userRoutes: RouteDefinition[] = [
  {
    method: 'GET',
    template: '/applications/@me',
    auth: 'bot',
    handle: (context) =>
      json({
        id: context.store.applicationId,
        name: context.store.botUser.username,
        bot: userPayload(context.store.botUser),
      }),
  },
  {
    method: 'GET',
    template: '/users/@me',
    auth: 'bot',
    handle: (context) => json({ ...userPayload(context.store.botUser), verified: true, mfa_enabled: false }),
  },
  {
    method: 'POST',
    template: '/users/@me/channels',
    auth: 'bot',
    handle: (context, request) => {
      const recipientId = asObject(request.body)?.recipient_id;
      if (typeof recipientId !== 'string') {
        throw invalidFormBody([
          { path: ['recipient_id'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' },
        ]);
      }
      if (!context.store.users.has(recipientId)) throw discordErrors.unknownUser();
      return json(channelPayload(context.store, openDm(context, recipientId)));
    },
  },
  {
    method: 'GET',
    template: '/users/:userId',
    auth: 'bot',
    handle: (context, request) => {
      const user = context.store.users.get(request.params.userId ?? '');
      if (!user) throw discordErrors.unknownUser();
      return json(userPayload(user));
    },
  },
];

export const guildRoutes: RouteDefinition[] = [
  {
    method: 'GET',
    template: '/guilds/:guildId',
    auth: 'bot',
    handle: (context, request) => json(guildPayload(context.store, botGuild(context, request))),
  },
  {
    method: 'GET',
    template: '/guilds/:guildId/roles',
    auth: 'bot',
    handle: (context, request) => json(context.store.guildRoles(botGuild(context, request)).map(rolePayload)),
  },
  {
    method: 'GET',
    template: '/guilds/:guildId/channels',
    auth: 'bot',
    handle: (context, request) =>
      json(
        context.store
          .guildChannels(botGuild(context, request))
          .map((channel) => channelPayload(context.store, channel)),
      ),
  },
  {
    method: 'GET',
    template: '/guilds/:guildId/members',
    auth: 'bot',
    handle: (context, request) => {
      const guildId = botGuild(context, request);
      const limit = Math.min(Math.max(Number(request.query.get('limit') ?? 1), 1), 1000);
      const after = request.query.get('after') ?? '0';
      const members = context.store
        .guildMembers(guildId)
        .filter((member) => BigInt(member.userId) > BigInt(after))
        .sort((a, b) => (BigInt(a.userId) < BigInt(b.userId) ? -1 : 1))
        .slice(0, limit);
      return json(members.map((member) => memberPayload(context.store, member)));
    },
  },
  {
    method: 'GET',
    template: '/guilds/:guildId/members/:userId',
    auth: 'bot',
    handle: (context, request) => {
      const guildId = botGuild(context, request);
      const member = context.store.member(guildId, request.params.userId ?? '');
      if (!member) throw discordErrors.unknownMember();
      return json(memberPayload(context.store, member));
    },
  },
];
