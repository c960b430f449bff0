import { InteractionResponseType } from 'discord-api-types/v10';
import { once } from 'node:events';
import type { InteractionRecord } from './interactionRecord.ts';
import type { FakeContext } from '../context.ts';
import type { AutocompleteChoice, FakeMessage, ShownModal } from '../state/model.ts';

export type InteractionResultKind = 'message' | 'deferred' | 'update' | 'deferredUpdate' | 'modal' | 'autocomplete';

export interface InteractionResult {
  readonly interactionId: string;
  readonly kind: InteractionResultKind;
  readonly ephemeral: boolean;
  readonly message: FakeMessage | undefined;
  readonly modal: ShownModal | undefined;
  readonly choices: AutocompleteChoice[] | undefined;
  readonly latencyMs: number;
  readonly followUps: FakeMessage[];
  waitForFollowUps(count?: number, timeoutMs?: number): Promise<FakeMessage[]>;
}

const KIND_BY_CALLBACK: Record<number, InteractionResultKind> = {
  [InteractionResponseType.ChannelMessageWithSource]: 'message',
  [InteractionResponseType.DeferredChannelMessageWithSource]: 'deferred',
  [InteractionResponseType.DeferredMessageUpdate]: 'deferredUpdate',
  [InteractionResponseType.UpdateMessage]: 'update',
  [InteractionResponseType.ApplicationCommandAutocompleteResult]: 'autocomplete',
  [InteractionResponseType.Modal]: 'modal',
};

const ACK_GRACE_MS = 250;

async function waitForEvent(record: InteractionRecord, events: string[], timeoutMs: number): Promise<boolean> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    await Promise.race(events.map((event) => once(record.events, event, { signal: controller.signal })));
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

function describe(context: FakeContext, record: InteractionRecord): string {
  const late = context.store.errors.filter((error) => error.route.includes(`/interactions/${record.id}/`));
  const lateText =
    late.length > 0
      ? `; rejected callbacks: ${late.map((error) => `${error.status} ${error.code} ${error.message}`).join(', ')}`
      : '';
  const delivery = record.deliveryFailure ? `; HTTP delivery failed: ${record.deliveryFailure}` : '';
  return `interaction ${record.id}${lateText}${delivery}`;
}

export async function awaitInteractionResult(
  context: FakeContext,
  record: InteractionRecord,
  label: string,
): Promise<InteractionResult> {
  const remaining = record.dispatchedAt + context.options.ackDeadlineMs + ACK_GRACE_MS - Date.now();
  if (record.callbackType === null && !(await waitForEvent(record, ['callback'], Math.max(remaining, 0)))) {
    throw new Error(
      `${label}: the bot did not acknowledge within ${context.options.ackDeadlineMs} ms ` +
        `(Discord shows "The application did not respond"), ${describe(context, record)}`,
    );
  }
  const callbackType = record.callbackType ?? 0;
  const deferredTimeout = context.options.deferredEditTimeoutMs;
  if (callbackType === InteractionResponseType.DeferredChannelMessageWithSource && record.awaitingDeferredEdit) {
    if (!(await waitForEvent(record, ['originalEdited', 'delete'], deferredTimeout))) {
      throw new Error(
        `${label}: the bot deferred but did not edit its reply within ${deferredTimeout} ms (${describe(context, record)})`,
      );
    }
  }
  if (callbackType === InteractionResponseType.DeferredMessageUpdate && record.awaitingDeferredEdit) {
    await waitForEvent(record, ['originalEdited', 'followUp', 'delete'], deferredTimeout);
  }
  const message = record.originalMessageId ? context.store.messages.get(record.originalMessageId) : undefined;
  const followUps = (): FakeMessage[] => record.followUpIds.flatMap((id) => context.store.messages.get(id) ?? []);
  return {
    interactionId: record.id,
    kind: KIND_BY_CALLBACK[callbackType] ?? 'message',
    ephemeral: message?.ephemeral ?? false,
    message,
    modal: record.modal ?? undefined,
    choices: record.choices ?? undefined,
    latencyMs: (record.callbackAt ?? Date.now()) - record.dispatchedAt,
    get followUps() {
      return followUps();
    },
    async waitForFollowUps(count = 1, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (followUps().length < count) {
        if (Date.now() > deadline)
          throw new Error(`${label}: expected ${count} follow-up(s), got ${followUps().length}`);
        await waitForEvent(record, ['followUp'], Math.max(deadline - Date.now(), 1));
      }
      return followUps();
    },
  };
}
