import { ALL_PERMISSIONS, Permission, hasPermission } from './permissions.ts';
import type { InteractionRecord } from '../interactions/interactionRecord.ts';
import type {
  FakeChannel,
  FakeCommand,
  FakeGuildState,
  FakeMember,
  FakeMessage,
  FakeRole,
  FakeUser,
  MessagePayloadRecord,
  RecordedError,
  RecordedRequest,
  ShownModal,
} from './model.ts';

export class FakeStore {
  readonly users = new Map<string, FakeUser>();
  readonly guilds = new Map<string, FakeGuildState>();
  readonly roles = new Map<string, FakeRole>();
  readonly channels = new Map<string, FakeChannel>();
  readonly members = new Map<string, FakeMember>();
  readonly messages = new Map<string, FakeMessage>();
  readonly commands = new Map<string, FakeCommand>();
  readonly interactions = new Map<string, InteractionRecord>();
  readonly dmChannelByUser = new Map<string, string>();
  readonly lastModalByUser = new Map<string, ShownModal>();
  readonly attachmentBytes = new Map<string, Buffer>();
  readonly requests: RecordedRequest[] = [];
  readonly errors: RecordedError[] = [];
  readonly unknownRoutes: { method: string; route: string; time: number }[] = [];
  readonly messagePayloads: MessagePayloadRecord[] = [];
  /** HTTP replies of interactions (by token) being received: edits and follow-ups of them wait for them. */
  readonly arrivingHttpReplies = new Map<string, Promise<void>>();

  constructor(
    readonly botUser: FakeUser,
    readonly applicationId: string,
  ) {
    this.users.set(botUser.id, botUser);
  }

  member(guildId: string, userId: string): FakeMember | undefined {
    return this.members.get(`${guildId}:${userId}`);
  }

  guildMembers(guildId: string): FakeMember[] {
    const guild = this.guilds.get(guildId);
    return (guild?.memberIds ?? []).flatMap((userId) => this.member(guildId, userId) ?? []);
  }

  guildRoles(guildId: string): FakeRole[] {
    const guild = this.guilds.get(guildId);
    return (guild?.roleIds ?? []).flatMap((id) => this.roles.get(id) ?? []);
  }

  guildChannels(guildId: string): FakeChannel[] {
    const guild = this.guilds.get(guildId);
    return (guild?.channelIds ?? []).flatMap((id) => this.channels.get(id) ?? []);
  }

  memberPermissions(guildId: string, userId: string): bigint {
    const guild = this.guilds.get(guildId);
    const member = this.member(guildId, userId);
    if (!guild || !member) return 0n;
    if (guild.ownerId === userId) return ALL_PERMISSIONS;
    let permissions = this.roles.get(guildId)?.permissions ?? 0n;
    for (const roleId of member.roleIds) permissions |= this.roles.get(roleId)?.permissions ?? 0n;
    return hasPermission(permissions, Permission.Administrator) ? ALL_PERMISSIONS : permissions;
  }

  botPermissionsIn(channel: FakeChannel): bigint {
    if (!channel.guildId) return Permission.ViewChannel | Permission.SendMessages | Permission.ReadMessageHistory;
    if (!channel.botHasAccess) return 0n;
    return this.memberPermissions(channel.guildId, this.botUser.id) & ~(channel.botDenied ?? 0n);
  }

  channelMessages(channelId: string): FakeMessage[] {
    return [...this.messages.values()].filter((message) => message.channelId === channelId && !message.deleted);
  }
}
