import { InteractionContextType } from 'discord-api-types/v10';
import { channelPayload, memberPayload, userPayload } from '../state/apiPayloads.ts';
import type { FakeContext } from '../context.ts';
import type { InteractionRecord } from './interactionRecord.ts';
import type { JsonObject } from '../state/model.ts';

export function interactionPayload(
  context: FakeContext,
  record: InteractionRecord,
  data: JsonObject,
  extra: JsonObject = {},
): JsonObject {
  if (record.guildId === null) return directMessagePayload(context, record, data, extra);
  const store = context.store;
  const member = store.member(record.guildId, record.userId);
  const user = store.users.get(record.userId);
  const channel = store.channels.get(record.channelId);
  if (!member || !user || !channel)
    throw new Error(`interaction from ${record.userId} in ${record.channelId}: unknown member or channel`);
  const permissions = store.memberPermissions(record.guildId, record.userId).toString();
  return {
    id: record.id,
    application_id: store.applicationId,
    type: record.type,
    data,
    guild: { id: record.guildId, locale: 'en-US', features: [] },
    guild_id: record.guildId,
    guild_locale: 'en-US',
    channel: { ...channelPayload(store, channel), permissions },
    channel_id: channel.id,
    member: { ...memberPayload(store, member), user: userPayload(user), permissions },
    token: record.token,
    version: 1,
    app_permissions: store.botPermissionsIn(channel).toString(),
    locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': record.guildId },
    context: InteractionContextType.Guild,
    attachment_size_limit: 10_485_760,
    ...extra,
  };
}

/** An interaction in the user's direct messages with the bot: a user instead of a member, no guild, context BotDM. */
function directMessagePayload(
  context: FakeContext,
  record: InteractionRecord,
  data: JsonObject,
  extra: JsonObject,
): JsonObject {
  const store = context.store;
  const user = store.users.get(record.userId);
  const channel = store.channels.get(record.channelId);
  if (!user || !channel)
    throw new Error(`interaction from ${record.userId} in ${record.channelId}: unknown user or channel`);
  return {
    id: record.id,
    application_id: store.applicationId,
    type: record.type,
    data,
    channel: channelPayload(store, channel),
    channel_id: channel.id,
    user: userPayload(user),
    token: record.token,
    version: 1,
    app_permissions: '0',
    locale: 'en-US',
    entitlements: [],
    // A guild-installed app in a bot DM: Discord names the guild install with "0".
    authorizing_integration_owners: { '0': '0' },
    context: InteractionContextType.BotDM,
    attachment_size_limit: 10_485_760,
    ...extra,
  };
}
