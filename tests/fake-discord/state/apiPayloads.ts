import { ChannelType, OverwriteType } from 'discord-api-types/v10';
import { Permission } from './permissions.ts';
import type { FakeStore } from './store.ts';
import type { FakeAttachment, FakeChannel, FakeMember, FakeMessage, FakeRole, FakeUser, JsonObject } from './model.ts';

export function userPayload(user: FakeUser): JsonObject {
  return {
    id: user.id,
    username: user.username,
    global_name: user.bot ? null : user.globalName,
    discriminator: user.bot ? '0427' : '0',
    avatar: null,
    bot: user.bot,
    system: false,
    public_flags: 0,
    flags: 0,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
  };
}

export function rolePayload(role: FakeRole): JsonObject {
  return {
    id: role.id,
    name: role.name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: role.position,
    permissions: role.permissions.toString(),
    managed: role.managedByBotId !== null,
    mentionable: false,
    flags: 0,
    ...(role.managedByBotId ? { tags: { bot_id: role.managedByBotId } } : {}),
  };
}

/** What revokeBotAccess and denyBot take from the bot, as the member overwrite Discord would carry for it. */
function botOverwrites(store: FakeStore, channel: FakeChannel): JsonObject[] {
  const denied = (channel.botHasAccess ? 0n : Permission.ViewChannel) | (channel.botDenied ?? 0n);
  if (denied === 0n) return [];
  return [{ id: store.botUser.id, type: OverwriteType.Member, allow: '0', deny: String(denied) }];
}

export function channelPayload(store: FakeStore, channel: FakeChannel): JsonObject {
  if (channel.type === ChannelType.DM) {
    const recipient = channel.recipientId ? store.users.get(channel.recipientId) : undefined;
    return {
      id: channel.id,
      type: ChannelType.DM,
      last_message_id: lastMessageId(store, channel.id),
      flags: 0,
      recipients: recipient ? [userPayload(recipient)] : [],
    };
  }
  return {
    id: channel.id,
    type: channel.type,
    guild_id: channel.guildId,
    name: channel.name,
    position: channel.position,
    permission_overwrites: botOverwrites(store, channel),
    parent_id: null,
    topic: null,
    nsfw: false,
    rate_limit_per_user: 0,
    last_message_id: lastMessageId(store, channel.id),
    flags: 0,
  };
}

function lastMessageId(store: FakeStore, channelId: string): string | null {
  const messages = store.channelMessages(channelId).filter((message) => !message.ephemeral);
  return messages.at(-1)?.id ?? null;
}

export function memberPayload(store: FakeStore, member: FakeMember): JsonObject {
  const user = store.users.get(member.userId);
  return {
    user: user ? userPayload(user) : undefined,
    nick: member.nick,
    avatar: null,
    banner: null,
    roles: member.roleIds,
    joined_at: member.joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
  };
}

export function guildPayload(store: FakeStore, guildId: string): JsonObject {
  const guild = store.guilds.get(guildId);
  if (!guild) throw new Error(`unknown guild ${guildId}`);
  const textChannel = store.guildChannels(guildId).find((channel) => channel.type === ChannelType.GuildText);
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    verification_level: 0,
    default_message_notifications: 1,
    explicit_content_filter: 0,
    roles: store.guildRoles(guildId).map(rolePayload),
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: textChannel?.id ?? null,
    system_channel_flags: 0,
    rules_channel_id: null,
    max_members: 500000,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: 'en-US',
    public_updates_channel_id: null,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    safety_alerts_channel_id: null,
  };
}

export function guildCreatePayload(store: FakeStore, guildId: string): JsonObject {
  const guild = store.guilds.get(guildId);
  if (!guild) throw new Error(`unknown guild ${guildId}`);
  const members = store.guildMembers(guildId);
  const botMember = store.member(guildId, store.botUser.id);
  return {
    ...guildPayload(store, guildId),
    joined_at: botMember?.joinedAt ?? guild.createdAt,
    large: false,
    unavailable: false,
    member_count: members.length,
    voice_states: [],
    members: members.map((member) => memberPayload(store, member)),
    channels: store.guildChannels(guildId).map((channel) => channelPayload(store, channel)),
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

function attachmentPayload(attachment: FakeAttachment): JsonObject {
  return {
    id: attachment.id,
    filename: attachment.filename,
    size: attachment.size,
    url: attachment.url,
    proxy_url: attachment.proxy_url,
    ...(attachment.content_type ? { content_type: attachment.content_type } : {}),
    ...(attachment.description ? { description: attachment.description } : {}),
  };
}

export function messagePayload(store: FakeStore, message: FakeMessage): JsonObject {
  const author = store.users.get(message.authorId);
  const interaction = message.interactionId ? store.interactions.get(message.interactionId) : undefined;
  const interactionUser = interaction ? store.users.get(interaction.userId) : undefined;
  return {
    id: message.id,
    type: message.type,
    channel_id: message.channelId,
    ...(message.guildId && !message.ephemeral ? { guild_id: message.guildId } : {}),
    author: author ? userPayload(author) : undefined,
    content: message.content,
    timestamp: new Date(message.createdAt).toISOString(),
    edited_timestamp: message.editedAt === null ? null : new Date(message.editedAt).toISOString(),
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: message.attachments.map(attachmentPayload),
    embeds: message.embeds,
    components: message.components,
    pinned: false,
    flags: message.flags,
    ...(message.source === 'channel' ? {} : { webhook_id: store.applicationId, application_id: store.applicationId }),
    ...(interaction && interactionUser
      ? {
          interaction_metadata: {
            id: interaction.id,
            type: interaction.type,
            user: userPayload(interactionUser),
            authorizing_integration_owners: { '0': interaction.guildId },
          },
        }
      : {}),
  };
}
