export type JsonObject = Record<string, unknown>;

export interface FakeUser {
  id: string;
  username: string;
  globalName: string;
  bot: boolean;
  dmsClosed: boolean;
}

export interface FakeRole {
  id: string;
  guildId: string;
  name: string;
  permissions: bigint;
  position: number;
  managedByBotId: string | null;
}

export interface FakeChannel {
  id: string;
  type: number;
  guildId: string | null;
  name: string | null;
  position: number;
  recipientId: string | null;
  botHasAccess: boolean;
  /** Permissions a channel overwrite takes from the bot here. */
  botDenied?: bigint;
}

export interface FakeMember {
  userId: string;
  guildId: string;
  roleIds: string[];
  nick: string | null;
  joinedAt: string;
}

export interface FakeGuildState {
  id: string;
  name: string;
  ownerId: string;
  createdAt: string;
  roleIds: string[];
  channelIds: string[];
  memberIds: string[];
}

export interface FakeAttachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type: string | undefined;
  description: string | undefined;
  bytes: Buffer;
  text(): string;
}

export interface AllowedMentions {
  parse?: string[];
  users?: string[];
  roles?: string[];
  replied_user?: boolean;
}

export interface MessageSnapshot {
  content: string;
  embeds: JsonObject[];
  components: JsonObject[];
  attachments: FakeAttachment[];
  flags: number;
  allowedMentions: AllowedMentions | undefined;
  editedAt: number | null;
}

export type MessageSource = 'channel' | 'interactionResponse' | 'followUp';

export interface FakeMessage extends MessageSnapshot {
  id: string;
  channelId: string;
  guildId: string | null;
  authorId: string;
  type: number;
  createdAt: number;
  deleted: boolean;
  ephemeral: boolean;
  visibleToUserId: string | null;
  source: MessageSource;
  interactionId: string | null;
  history: MessageSnapshot[];
}

export interface FakeCommand {
  id: string;
  applicationId: string;
  guildId: string | null;
  version: string;
  definition: JsonObject;
}

export interface ModalInput {
  customId: string;
  label: string;
  style: number;
  minLength: number;
  maxLength: number;
  required: boolean;
  wrappedInLabel: boolean;
}

export interface ShownModal {
  customId: string;
  title: string;
  inputs: ModalInput[];
  raw: JsonObject;
  shownAt: number;
  sourceMessageId: string | null;
  guildId: string | null;
  channelId: string;
}

export interface AutocompleteChoice {
  name: string;
  value: string | number;
}

export interface RecordedRequest {
  method: string;
  route: string;
  template: string | null;
  query: Record<string, string>;
  body: unknown;
  files: { field: string; filename: string; size: number }[];
  status: number;
  time: number;
  /** An interaction's initial response that came as the body of its HTTP reply (interactions endpoint mode). */
  viaHttpReply?: boolean;
}

export interface RecordedError {
  method: string;
  route: string;
  status: number;
  code: number;
  message: string;
  errors: Record<string, unknown> | undefined;
  time: number;
}

export interface MessagePayloadRecord {
  method: string;
  route: string;
  messageId: string | null;
  content: string | undefined;
  allowedMentions: AllowedMentions | undefined;
  time: number;
}
