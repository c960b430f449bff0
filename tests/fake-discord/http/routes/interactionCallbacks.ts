import { InteractionResponseType, InteractionType, MessageType } from 'discord-api-types/v10';
import { discordErrors, invalidFormBody } from '../discordErrors.ts';
import { asObject } from '../../validation/fieldChecks.ts';
import { messagePayload } from '../../state/apiPayloads.ts';
import { validateAutocompleteChoices } from '../../validation/commandValidation.ts';
import { validateModal, modalTextInputs } from '../../validation/modalValidation.ts';
import { EPHEMERAL_FLAG } from '../../validation/messageValidation.ts';
import {
  createDeferredOriginal,
  createMessage,
  editMessage,
  recordMessagePayload,
  type NewMessageTarget,
} from '../../state/messageWrites.ts';
import type { InteractionRecord } from '../../interactions/interactionRecord.ts';
import { json, noContent, type RouteDefinition, type RouteRequest } from '../router.ts';
import type { FakeContext } from '../../context.ts';
import type { FakeMessage, JsonObject } from '../../state/model.ts';

const ALLOWED_CALLBACKS: Record<number, number[]> = {
  [InteractionType.ApplicationCommand]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.Modal,
  ],
  [InteractionType.MessageComponent]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
    InteractionResponseType.Modal,
  ],
  [InteractionType.ApplicationCommandAutocomplete]: [InteractionResponseType.ApplicationCommandAutocompleteResult],
  [InteractionType.ModalSubmit]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
  ],
};

function invalidCallbackType(type: unknown) {
  return invalidFormBody([
    {
      path: ['type'],
      code: 'INTERACTION_RESPONSE_TYPE_INVALID',
      message: `Interaction response type ${String(type)} is not valid for this interaction`,
    },
  ]);
}

function replyTarget(record: InteractionRecord, ephemeral: boolean): NewMessageTarget {
  return {
    channelId: record.channelId,
    guildId: record.guildId,
    source: 'interactionResponse',
    interactionId: record.id,
    ephemeral,
    visibleToUserId: ephemeral ? record.userId : null,
    type: record.type === InteractionType.ApplicationCommand ? MessageType.ChatInputCommand : MessageType.Reply,
  };
}

function sourceMessage(context: FakeContext, record: InteractionRecord): FakeMessage {
  const message = record.sourceMessageId ? context.store.messages.get(record.sourceMessageId) : undefined;
  if (!message || message.deleted) throw discordErrors.unknownMessage();
  return message;
}

function applyCallback(
  context: FakeContext,
  record: InteractionRecord,
  request: RouteRequest,
  type: number,
  data: JsonObject,
): FakeMessage | null {
  const route = request.path;
  switch (type) {
    case InteractionResponseType.ChannelMessageWithSource: {
      const ephemeral = ((typeof data.flags === 'number' ? data.flags : 0) & EPHEMERAL_FLAG) !== 0;
      const message = createMessage(context, replyTarget(record, ephemeral), data, request.files, ['data']);
      recordMessagePayload(context, 'POST', route, message.id, data);
      record.originalMessageId = message.id;
      return message;
    }
    case InteractionResponseType.DeferredChannelMessageWithSource: {
      const ephemeral = ((typeof data.flags === 'number' ? data.flags : 0) & EPHEMERAL_FLAG) !== 0;
      const message = createDeferredOriginal(context, replyTarget(record, ephemeral));
      record.originalMessageId = message.id;
      record.awaitingDeferredEdit = true;
      return message;
    }
    case InteractionResponseType.DeferredMessageUpdate: {
      const message = sourceMessage(context, record);
      record.originalMessageId = message.id;
      record.awaitingDeferredEdit = true;
      return message;
    }
    case InteractionResponseType.UpdateMessage: {
      const message = editMessage(context, sourceMessage(context, record), data, request.files, ['data']);
      recordMessagePayload(context, 'POST', route, message.id, data);
      record.originalMessageId = message.id;
      return message;
    }
    case InteractionResponseType.ApplicationCommandAutocompleteResult: {
      const { error, choices } = validateAutocompleteChoices(data);
      if (error) throw error;
      record.choices = choices;
      return null;
    }
    case InteractionResponseType.Modal: {
      const errors = validateModal(data);
      if (errors.length > 0) throw invalidFormBody(errors, ['data']);
      const modal = {
        customId: String(data.custom_id),
        title: String(data.title),
        inputs: modalTextInputs(data),
        raw: data,
        shownAt: Date.now(),
        sourceMessageId: record.type === InteractionType.MessageComponent ? record.sourceMessageId : null,
        guildId: record.guildId,
        channelId: record.channelId,
      };
      record.modal = modal;
      context.store.lastModalByUser.set(record.userId, modal);
      return null;
    }
    default:
      throw invalidCallbackType(type);
  }
}

export const interactionCallbackRoutes: RouteDefinition[] = [
  {
    method: 'POST',
    template: '/interactions/:id/:token/callback',
    auth: 'none',
    handle: (context, request) => {
      const record = context.store.interactions.get(request.params.id ?? '');
      if (!record || record.token !== request.params.token) throw discordErrors.unknownInteraction();
      if (record.callbackType !== null) throw discordErrors.alreadyAcknowledged();
      if (Date.now() - record.dispatchedAt > context.options.ackDeadlineMs) {
        record.missedDeadline = true;
        throw discordErrors.unknownInteraction();
      }
      const body = asObject(request.body) ?? {};
      const type = body.type;
      if (typeof type !== 'number' || !(ALLOWED_CALLBACKS[record.type] ?? []).includes(type))
        throw invalidCallbackType(type);
      if (
        (type === InteractionResponseType.DeferredMessageUpdate || type === InteractionResponseType.UpdateMessage) &&
        record.sourceMessageId === null
      )
        throw invalidCallbackType(type);
      const message = applyCallback(context, record, request, type, asObject(body.data) ?? {});
      record.callbackType = type;
      record.callbackAt = Date.now();
      record.events.emit('callback');
      if (request.query.get('with_response') !== 'true') return noContent;
      return json({
        interaction: {
          id: record.id,
          type: record.type,
          response_message_id: message?.id,
          response_message_loading:
            type === InteractionResponseType.DeferredChannelMessageWithSource ||
            type === InteractionResponseType.DeferredMessageUpdate,
          response_message_ephemeral: message?.ephemeral ?? false,
        },
        resource: { type, ...(message ? { message: messagePayload(context.store, message) } : {}) },
      });
    },
  },
];
