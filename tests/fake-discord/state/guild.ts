import { ChannelType } from 'discord-api-types/v10';
import { channelPayload, guildCreatePayload, memberPayload, rolePayload, userPayload } from './apiPayloads.ts';
import { Actor } from '../interactions/actor.ts';
import { BOT_ROLE_PERMISSIONS, EVERYONE_PERMISSIONS, Permission } from './permissions.ts';
import { nextSnowflake } from './snowflakes.ts';
import type { FakeContext } from '../context.ts';
import type { FakeChannel, FakeRole, FakeUser } from './model.ts';

const GatewayIntent = { Guilds: 1 << 0, GuildMembers: 1 << 1 } as const;

export interface CreateGuildOptions {
  name?: string;
  channelName?: string;
  /** `[shard_id, num_shards]`: an id whose events go to that shard. */
  onShard?: [number, number];
}

export class Guild {
  readonly cohortChannel: FakeChannel;
  readonly everyoneRole: FakeRole;
  readonly instructorRole: FakeRole;
  readonly owner: Actor;
  private readonly actors = new Map<string, Actor>();
  private constructed = false;

  constructor(
    private readonly context: FakeContext,
    readonly id: string,
    readonly name: string,
    options: CreateGuildOptions,
  ) {
    const store = context.store;
    const ownerUser = this.newUser('Cohort Owner');
    store.guilds.set(id, {
      id,
      name,
      ownerId: ownerUser.id,
      createdAt: new Date().toISOString(),
      roleIds: [],
      channelIds: [],
      memberIds: [],
    });
    this.everyoneRole = this.addRole({
      id,
      name: '@everyone',
      permissions: EVERYONE_PERMISSIONS,
      managedByBotId: null,
    });
    this.instructorRole = this.addRole({
      id: nextSnowflake(),
      name: 'Instructor',
      permissions: EVERYONE_PERMISSIONS | Permission.ManageGuild,
      managedByBotId: null,
    });
    const botRole = this.addRole({
      id: nextSnowflake(),
      name: store.botUser.username,
      permissions: BOT_ROLE_PERMISSIONS,
      managedByBotId: store.botUser.id,
    });
    this.cohortChannel = this.addChannel(options.channelName ?? 'cohort');
    this.owner = this.addMember(ownerUser, []);
    this.addMemberRecord(store.botUser, [botRole.id]);
    this.constructed = true;
  }

  get channels(): FakeChannel[] {
    return this.context.store.guildChannels(this.id);
  }

  get members(): Actor[] {
    return [...this.actors.values()];
  }

  actor(userId: string): Actor | undefined {
    return this.actors.get(userId);
  }

  addInstructor(name: string): Actor {
    return this.addMember(this.newUser(name), [this.instructorRole.id]);
  }

  addStudent(name: string): Actor {
    return this.addMember(this.newUser(name), []);
  }

  createRole(name: string, permissions: bigint = 0n): FakeRole {
    const role = this.addRole({ id: nextSnowflake(), name, permissions, managedByBotId: null });
    this.context.gateway.dispatch(
      'GUILD_ROLE_CREATE',
      { guild_id: this.id, role: rolePayload(role) },
      { intent: GatewayIntent.Guilds },
    );
    return role;
  }

  createTextChannel(name: string): FakeChannel {
    const channel = this.addChannel(name);
    this.context.gateway.dispatch('CHANNEL_CREATE', channelPayload(this.context.store, channel), {
      intent: GatewayIntent.Guilds,
    });
    return channel;
  }

  revokeBotAccess(channelId: string): void {
    const channel = this.context.store.channels.get(channelId);
    if (!channel) return;
    channel.botHasAccess = false;
    this.announceChannel(channel);
  }

  /** A channel overwrite that takes `permissions` from the bot in one channel (it may still see it). */
  denyBot(channelId: string, permissions: bigint): void {
    const channel = this.context.store.channels.get(channelId);
    if (!channel) return;
    channel.botDenied = (channel.botDenied ?? 0n) | permissions;
    this.announceChannel(channel);
  }

  /** A changed overwrite reaches the bot's cache as Discord sends it: CHANNEL_UPDATE with the channel's overwrites. */
  private announceChannel(channel: FakeChannel): void {
    this.context.gateway.dispatch('CHANNEL_UPDATE', channelPayload(this.context.store, channel), {
      intent: GatewayIntent.Guilds,
    });
  }

  /** Deletes a channel, as an admin would: gone from the API (10003) and announced on the gateway. */
  deleteChannel(channelId: string): void {
    const channel = this.context.store.channels.get(channelId);
    if (!channel) return;
    const payload = channelPayload(this.context.store, channel);
    this.context.store.channels.delete(channelId);
    const guild = this.context.store.guilds.get(this.id);
    if (guild) guild.channelIds = guild.channelIds.filter((id) => id !== channelId);
    this.context.gateway.dispatch('CHANNEL_DELETE', payload, { intent: GatewayIntent.Guilds });
  }

  /**
   * The bot removed from the server (kicked, or the server deleted): GUILD_DELETE without `unavailable` on the
   * gateway, the server left out of READY from then on, and its API answering Unknown Guild.
   */
  removeBot(): void {
    const store = this.context.store;
    const botId = store.botUser.id;
    store.members.delete(`${this.id}:${botId}`);
    const guild = store.guilds.get(this.id);
    if (guild) guild.memberIds = guild.memberIds.filter((id) => id !== botId);
    this.context.gateway.dispatch('GUILD_DELETE', { id: this.id }, { intent: GatewayIntent.Guilds });
  }

  /** The bot invited back after removeBot: a member again, with its role, and GUILD_CREATE on the gateway. */
  addBotBack(): void {
    const store = this.context.store;
    const role = store.guildRoles(this.id).find((candidate) => candidate.managedByBotId === store.botUser.id);
    this.addMemberRecord(store.botUser, role ? [role.id] : []);
    this.announce();
  }

  announce(): void {
    this.context.gateway.dispatch('GUILD_CREATE', guildCreatePayload(this.context.store, this.id), {
      intent: GatewayIntent.Guilds,
    });
  }

  private newUser(name: string): FakeUser {
    const user: FakeUser = {
      id: nextSnowflake(),
      username:
        name
          .toLowerCase()
          .replace(/[^a-z0-9_.]/g, '_')
          .slice(0, 32) || 'user',
      globalName: name,
      bot: false,
      dmsClosed: false,
    };
    this.context.store.users.set(user.id, user);
    return user;
  }

  private addRole(fields: Omit<FakeRole, 'guildId' | 'position'>): FakeRole {
    const guild = this.context.store.guilds.get(this.id);
    const role: FakeRole = { ...fields, guildId: this.id, position: guild?.roleIds.length ?? 0 };
    this.context.store.roles.set(role.id, role);
    guild?.roleIds.push(role.id);
    return role;
  }

  private addChannel(name: string): FakeChannel {
    const guild = this.context.store.guilds.get(this.id);
    const channel: FakeChannel = {
      id: nextSnowflake(),
      type: ChannelType.GuildText,
      guildId: this.id,
      name,
      position: guild?.channelIds.length ?? 0,
      recipientId: null,
      botHasAccess: true,
    };
    this.context.store.channels.set(channel.id, channel);
    guild?.channelIds.push(channel.id);
    return channel;
  }

  private addMemberRecord(user: FakeUser, roleIds: string[]): void {
    this.context.store.members.set(`${this.id}:${user.id}`, {
      userId: user.id,
      guildId: this.id,
      roleIds,
      nick: null,
      joinedAt: new Date().toISOString(),
    });
    this.context.store.guilds.get(this.id)?.memberIds.push(user.id);
  }

  private addMember(user: FakeUser, roleIds: string[]): Actor {
    this.addMemberRecord(user, roleIds);
    const actor = new Actor(
      this.context,
      user,
      this.id,
      () => this.cohortChannel.id,
      (changed) => this.memberUpdated(changed),
    );
    this.actors.set(user.id, actor);
    const member = this.context.store.member(this.id, user.id);
    if (member && this.constructed) {
      this.context.gateway.dispatch(
        'GUILD_MEMBER_ADD',
        { guild_id: this.id, ...memberPayload(this.context.store, member) },
        { intent: GatewayIntent.GuildMembers },
      );
    }
    return actor;
  }

  private memberUpdated(actor: Actor): void {
    const member = this.context.store.member(this.id, actor.id);
    if (!member) return;
    this.context.gateway.dispatch(
      'GUILD_MEMBER_UPDATE',
      { guild_id: this.id, ...memberPayload(this.context.store, member), user: userPayload(actor.user) },
      { intent: GatewayIntent.GuildMembers },
    );
  }
}
