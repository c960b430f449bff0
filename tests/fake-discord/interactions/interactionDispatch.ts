import { interactionToken, nextSnowflake } from '../state/snowflakes.ts';
import { newInteractionRecord } from './interactionRecord.ts';
import { interactionPayload } from './interactionPayloads.ts';
import { awaitInteractionResult, type InteractionResult } from './interactionResult.ts';
import type { FakeContext } from '../context.ts';
import type { JsonObject } from '../state/model.ts';

export interface InteractionTarget {
  type: number;
  userId: string;
  guildId: string | null;
  channelId: string;
  sourceMessageId: string | null;
  data: JsonObject;
  extra?: JsonObject;
  label: string;
}

export function dispatchInteraction(context: FakeContext, target: InteractionTarget): Promise<InteractionResult> {
  const id = nextSnowflake();
  const record = newInteractionRecord({
    id,
    token: interactionToken(id),
    type: target.type,
    userId: target.userId,
    guildId: target.guildId,
    channelId: target.channelId,
    sourceMessageId: target.sourceMessageId,
  });
  const payload = interactionPayload(context, record, target.data, target.extra);
  context.store.interactions.set(record.id, record);
  record.dispatchedAt = Date.now();
  if (context.interactionsEndpoint.active) {
    void context.interactionsEndpoint.deliver(context, record, payload);
    return awaitInteractionResult(context, record, target.label);
  }
  if (!context.gateway.dispatch('INTERACTION_CREATE', payload)) {
    context.store.interactions.delete(record.id);
    throw new Error(`${target.label}: no bot session is connected to the fake gateway`);
  }
  return awaitInteractionResult(context, record, target.label);
}
