import { nextSnowflake } from './snowflakes.ts';
import { asArray, asObject } from '../validation/fieldChecks.ts';
import {
  emptyMessageError,
  validateMessageBody,
  LOADING_FLAG,
  EPHEMERAL_FLAG,
} from '../validation/messageValidation.ts';
import type { FakeContext } from '../context.ts';
import type { UploadedFile } from '../http/bodyParsing.ts';
import type { Path } from '../validation/fieldChecks.ts';
import type {
  AllowedMentions,
  FakeAttachment,
  FakeMessage,
  JsonObject,
  MessageSnapshot,
  MessageSource,
} from './model.ts';

export interface NewMessageTarget {
  channelId: string;
  guildId: string | null;
  source: MessageSource;
  interactionId: string | null;
  ephemeral: boolean;
  visibleToUserId: string | null;
  type: number;
}

function toAttachment(
  context: FakeContext,
  channelId: string,
  file: UploadedFile,
  description: string | undefined,
  filename: string | undefined,
): FakeAttachment {
  const id = nextSnowflake();
  const name = filename ?? file.filename;
  const url = `${context.origin()}/attachments/${channelId}/${id}/${encodeURIComponent(name)}`;
  context.store.attachmentBytes.set(id, file.bytes);
  const bytes = file.bytes;
  return {
    id,
    filename: name,
    size: bytes.length,
    url,
    proxy_url: url,
    content_type: file.contentType,
    description,
    bytes,
    text: () => bytes.toString('utf8'),
  };
}

function newAttachments(
  context: FakeContext,
  channelId: string,
  body: JsonObject,
  files: UploadedFile[],
  kept: FakeAttachment[],
): FakeAttachment[] {
  const declared = asArray(body.attachments).map((item) => asObject(item) ?? {});
  const result: FakeAttachment[] = [];
  files.forEach((file, index) => {
    const match = /^files\[(\d+)\]$/.exec(file.field);
    const declaredId = match ? Number(match[1]) : index;
    const declaration = declared.find((item) => String(item.id) === String(declaredId));
    result.push(
      toAttachment(
        context,
        channelId,
        file,
        declaration?.description as string | undefined,
        declaration?.filename as string | undefined,
      ),
    );
  });
  if (body.attachments === undefined) return [...kept, ...result];
  const keptIds = new Set(declared.map((item) => String(item.id)));
  return [...kept.filter((attachment) => keptIds.has(attachment.id)), ...result];
}

function allowedMentionsOf(body: JsonObject): AllowedMentions | undefined {
  return asObject(body.allowed_mentions) as AllowedMentions | undefined;
}

export function recordMessagePayload(
  context: FakeContext,
  method: string,
  route: string,
  messageId: string | null,
  body: JsonObject,
): void {
  context.store.messagePayloads.push({
    method,
    route,
    messageId,
    content: typeof body.content === 'string' ? body.content : undefined,
    allowedMentions: allowedMentionsOf(body),
    time: Date.now(),
  });
}

export function createMessage(
  context: FakeContext,
  target: NewMessageTarget,
  body: JsonObject,
  files: UploadedFile[],
  errorPrefix: Path = [],
): FakeMessage {
  const invalid = validateMessageBody(body, errorPrefix);
  if (invalid) throw invalid;
  const content = typeof body.content === 'string' ? body.content : '';
  const embeds = asArray(body.embeds) as JsonObject[];
  const components = asArray(body.components) as JsonObject[];
  const empty = emptyMessageError({ content, embeds, components, attachmentCount: files.length });
  if (empty) throw empty;
  const flags = typeof body.flags === 'number' ? body.flags : 0;
  const message = storeMessage(context, target, {
    content,
    embeds,
    components,
    attachments: [],
    flags: target.ephemeral ? flags | EPHEMERAL_FLAG : flags & ~EPHEMERAL_FLAG,
    allowedMentions: allowedMentionsOf(body),
    editedAt: null,
  });
  message.attachments = newAttachments(context, target.channelId, body, files, []);
  return message;
}

export function createDeferredOriginal(context: FakeContext, target: NewMessageTarget): FakeMessage {
  return storeMessage(context, target, {
    content: '',
    embeds: [],
    components: [],
    attachments: [],
    flags: LOADING_FLAG | (target.ephemeral ? EPHEMERAL_FLAG : 0),
    allowedMentions: undefined,
    editedAt: null,
  });
}

/** A new message from the bot in the store: who, where and when from the target, the rest as given. */
function storeMessage(context: FakeContext, target: NewMessageTarget, snapshot: MessageSnapshot): FakeMessage {
  const message: FakeMessage = {
    id: nextSnowflake(),
    channelId: target.channelId,
    guildId: target.guildId,
    authorId: context.store.botUser.id,
    type: target.type,
    createdAt: Date.now(),
    deleted: false,
    ephemeral: target.ephemeral,
    visibleToUserId: target.visibleToUserId,
    source: target.source,
    interactionId: target.interactionId,
    history: [],
    ...snapshot,
  };
  context.store.messages.set(message.id, message);
  return message;
}

function snapshot(message: FakeMessage): MessageSnapshot {
  return {
    content: message.content,
    embeds: message.embeds,
    components: message.components,
    attachments: message.attachments,
    flags: message.flags,
    allowedMentions: message.allowedMentions,
    editedAt: message.editedAt,
  };
}

export function editMessage(
  context: FakeContext,
  message: FakeMessage,
  body: JsonObject,
  files: UploadedFile[],
  errorPrefix: Path = [],
): FakeMessage {
  const invalid = validateMessageBody({ ...body, flags: body.flags ?? message.flags }, errorPrefix);
  if (invalid) throw invalid;
  const content = body.content === undefined ? message.content : typeof body.content === 'string' ? body.content : '';
  const embeds = body.embeds === undefined ? message.embeds : (asArray(body.embeds) as JsonObject[]);
  const components = body.components === undefined ? message.components : (asArray(body.components) as JsonObject[]);
  const attachments = newAttachments(context, message.channelId, body, files, message.attachments);
  const empty = emptyMessageError({ content, embeds, components, attachmentCount: attachments.length });
  if (empty) throw empty;
  message.history.push(snapshot(message));
  message.content = content;
  message.embeds = embeds;
  message.components = components;
  message.attachments = attachments;
  message.flags = message.flags & ~LOADING_FLAG;
  if (body.allowed_mentions !== undefined) message.allowedMentions = allowedMentionsOf(body);
  message.editedAt = Date.now();
  return message;
}
