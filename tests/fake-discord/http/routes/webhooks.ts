import { InteractionResponseType, MessageType } from 'discord-api-types/v10';
import { discordErrors } from '../discordErrors.ts';
import { asObject } from '../../validation/fieldChecks.ts';
import { messagePayload } from '../../state/apiPayloads.ts';
import { EPHEMERAL_FLAG } from '../../validation/messageValidation.ts';
import { createMessage, editMessage, recordMessagePayload } from '../../state/messageWrites.ts';
import type { InteractionRecord } from '../../interactions/interactionRecord.ts';
import { json, noContent, type RouteDefinition, type RouteRequest } from '../router.ts';
import type { FakeContext } from '../../context.ts';
import type { FakeMessage, JsonObject } from '../../state/model.ts';

function interactionFor(context: FakeContext, request: RouteRequest): InteractionRecord {
  if (request.params.app !== context.store.applicationId) throw discordErrors.unknownWebhook();
  const record = [...context.store.interactions.values()].find((item) => item.token === request.params.token);
  if (!record) throw discordErrors.invalidWebhookToken();
  if (record.callbackType === null) throw discordErrors.unknownWebhook();
  if (Date.now() - record.dispatchedAt > context.options.tokenLifetimeMs) throw discordErrors.invalidWebhookToken();
  return record;
}

function messageFor(context: FakeContext, record: InteractionRecord, messageId: string | undefined): FakeMessage {
  const id = messageId === '@original' ? record.originalMessageId : messageId;
  const allowed =
    id !== null && id !== undefined && (id === record.originalMessageId || record.followUpIds.includes(id));
  const message = allowed ? context.store.messages.get(id) : undefined;
  if (!message || message.deleted) throw discordErrors.unknownMessage();
  return message;
}

function markOriginalEdited(record: InteractionRecord, message: FakeMessage): void {
  if (message.id !== record.originalMessageId || !record.awaitingDeferredEdit) return;
  record.awaitingDeferredEdit = false;
  record.events.emit('originalEdited');
}

function sendFollowUp(context: FakeContext, record: InteractionRecord, request: RouteRequest): FakeMessage {
  const body = asObject(request.body) ?? {};
  if (record.callbackType === InteractionResponseType.DeferredChannelMessageWithSource && record.awaitingDeferredEdit) {
    const original = messageFor(context, record, '@original');
    editMessage(context, original, body, request.files);
    recordMessagePayload(context, 'POST', request.path, original.id, body);
    markOriginalEdited(record, original);
    return original;
  }
  const ephemeral = ((typeof body.flags === 'number' ? body.flags : 0) & EPHEMERAL_FLAG) !== 0;
  const message = createMessage(
    context,
    {
      channelId: record.channelId,
      guildId: record.guildId,
      source: 'followUp',
      interactionId: record.id,
      ephemeral,
      visibleToUserId: ephemeral ? record.userId : null,
      type: MessageType.Default,
    },
    body,
    request.files,
  );
  recordMessagePayload(context, 'POST', request.path, message.id, body);
  record.followUpIds.push(message.id);
  record.events.emit('followUp', message);
  return message;
}

function messageResponse(context: FakeContext, message: FakeMessage): ReturnType<typeof json> {
  return json(messagePayload(context.store, message));
}

export const webhookRoutes: RouteDefinition[] = [
  {
    method: 'POST',
    template: '/webhooks/:app/:token',
    auth: 'none',
    handle: (context, request) => {
      const message = sendFollowUp(context, interactionFor(context, request), request);
      return request.query.get('wait') === 'false' ? noContent : messageResponse(context, message);
    },
  },
  {
    method: 'GET',
    template: '/webhooks/:app/:token/messages/:messageId',
    auth: 'none',
    handle: (context, request) => {
      const record = interactionFor(context, request);
      return messageResponse(context, messageFor(context, record, request.params.messageId));
    },
  },
  {
    method: 'PATCH',
    template: '/webhooks/:app/:token/messages/:messageId',
    auth: 'none',
    handle: (context, request) => {
      const record = interactionFor(context, request);
      const message = messageFor(context, record, request.params.messageId);
      const body: JsonObject = asObject(request.body) ?? {};
      editMessage(context, message, body, request.files);
      recordMessagePayload(context, 'PATCH', request.path, message.id, body);
      markOriginalEdited(record, message);
      record.events.emit('edit', message);
      return messageResponse(context, message);
    },
  },
  {
    method: 'DELETE',
    template: '/webhooks/:app/:token/messages/:messageId',
    auth: 'none',
    handle: (context, request) => {
      const record = interactionFor(context, request);
      const message = messageFor(context, record, request.params.messageId);
      message.deleted = true;
      record.events.emit('delete', message);
      return noContent;
    },
  },
];
