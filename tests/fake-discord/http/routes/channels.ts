import { ChannelType, MessageFlags, MessageType } from 'discord-api-types/v10';
import { discordErrors } from '../discordErrors.ts';
import { asObject } from '../../validation/fieldChecks.ts';
import { channelPayload, messagePayload } from '../../state/apiPayloads.ts';
import { createMessage, editMessage, recordMessagePayload } from '../../state/messageWrites.ts';
import { Permission, hasPermission } from '../../state/permissions.ts';
import { json, noContent, type RouteDefinition, type RouteRequest } from '../router.ts';
import type { FakeContext } from '../../context.ts';
import type { FakeChannel, FakeMessage } from '../../state/model.ts';

/** Discord's `enforce_nonce`: a repeated nonce in a channel returns the message already created for it. */
const messagesByNonce = new WeakMap<FakeContext, Map<string, string>>();

function nonceKey(channelId: string, body: Record<string, unknown>): string | null {
  return body.enforce_nonce === true && (typeof body.nonce === 'string' || typeof body.nonce === 'number')
    ? `${channelId}:${body.nonce}`
    : null;
}

function visibleChannel(context: FakeContext, request: RouteRequest): FakeChannel {
  const channel = context.store.channels.get(request.params.channelId ?? '');
  if (!channel) throw discordErrors.unknownChannel();
  if (channel.guildId && !context.store.member(channel.guildId, context.store.botUser.id))
    throw discordErrors.missingAccess();
  if (!hasPermission(context.store.botPermissionsIn(channel), Permission.ViewChannel))
    throw discordErrors.missingAccess();
  return channel;
}

function channelMessage(context: FakeContext, channel: FakeChannel, messageId: string | undefined): FakeMessage {
  const message = messageId ? context.store.messages.get(messageId) : undefined;
  if (!message || message.deleted || message.channelId !== channel.id || message.ephemeral)
    throw discordErrors.unknownMessage();
  return message;
}

function listMessages(context: FakeContext, channel: FakeChannel, query: URLSearchParams): FakeMessage[] {
  const limit = Math.min(Math.max(Number(query.get('limit') ?? 50), 1), 100);
  const all = context.store.channelMessages(channel.id).filter((message) => !message.ephemeral);
  const before = query.get('before');
  const after = query.get('after');
  if (after)
    return all
      .filter((message) => BigInt(message.id) > BigInt(after))
      .slice(0, limit)
      .reverse();
  const older = before ? all.filter((message) => BigInt(message.id) < BigInt(before)) : all;
  return older.slice(-limit).reverse();
}

export const channelRoutes: RouteDefinition[] = [
  {
    method: 'GET',
    template: '/channels/:channelId',
    auth: 'bot',
    handle: (context, request) => json(channelPayload(context.store, visibleChannel(context, request))),
  },
  {
    method: 'GET',
    template: '/channels/:channelId/messages',
    auth: 'bot',
    handle: (context, request) => {
      const channel = visibleChannel(context, request);
      return json(
        listMessages(context, channel, request.query).map((message) => messagePayload(context.store, message)),
      );
    },
  },
  {
    method: 'POST',
    template: '/channels/:channelId/messages',
    auth: 'bot',
    handle: (context, request) => {
      const channel = visibleChannel(context, request);
      // Discord: a channel the bot cannot see is Missing Access (50001), one it sees but may not write in Missing Permissions (50013).
      if (!hasPermission(context.store.botPermissionsIn(channel), Permission.SendMessages))
        throw discordErrors.missingPermissions();
      if (channel.type === ChannelType.DM) {
        const recipient = channel.recipientId ? context.store.users.get(channel.recipientId) : undefined;
        if (!recipient || recipient.dmsClosed) throw discordErrors.cannotMessageUser();
      }
      const body = asObject(request.body) ?? {};
      const key = nonceKey(channel.id, body);
      const nonces = messagesByNonce.get(context) ?? new Map<string, string>();
      messagesByNonce.set(context, nonces);
      const earlier = key ? context.store.messages.get(nonces.get(key) ?? '') : undefined;
      if (earlier) return json(messagePayload(context.store, earlier));
      const message = createMessage(
        context,
        {
          channelId: channel.id,
          guildId: channel.guildId,
          source: 'channel',
          interactionId: null,
          ephemeral: false,
          visibleToUserId: null,
          type: MessageType.Default,
        },
        { ...body, flags: typeof body.flags === 'number' ? body.flags & ~MessageFlags.Ephemeral : body.flags },
        request.files,
      );
      recordMessagePayload(context, 'POST', request.path, message.id, body);
      if (key) nonces.set(key, message.id);
      return json(messagePayload(context.store, message));
    },
  },
  {
    method: 'GET',
    template: '/channels/:channelId/messages/:messageId',
    auth: 'bot',
    handle: (context, request) => {
      const channel = visibleChannel(context, request);
      return json(messagePayload(context.store, channelMessage(context, channel, request.params.messageId)));
    },
  },
  {
    method: 'PATCH',
    template: '/channels/:channelId/messages/:messageId',
    auth: 'bot',
    handle: (context, request) => {
      const channel = visibleChannel(context, request);
      const message = channelMessage(context, channel, request.params.messageId);
      if (message.authorId !== context.store.botUser.id || message.source !== 'channel')
        throw discordErrors.cannotEditOthersMessage();
      const body = asObject(request.body) ?? {};
      editMessage(context, message, body, request.files);
      recordMessagePayload(context, 'PATCH', request.path, message.id, body);
      return json(messagePayload(context.store, message));
    },
  },
  {
    method: 'DELETE',
    template: '/channels/:channelId/messages/:messageId',
    auth: 'bot',
    handle: (context, request) => {
      const channel = visibleChannel(context, request);
      const message = channelMessage(context, channel, request.params.messageId);
      message.deleted = true;
      return noContent;
    },
  },
  {
    method: 'POST',
    template: '/channels/:channelId/typing',
    auth: 'bot',
    handle: (context, request) => {
      visibleChannel(context, request);
      return noContent;
    },
  },
];
