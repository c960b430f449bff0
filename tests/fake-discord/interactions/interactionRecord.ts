import { EventEmitter } from 'node:events';
import type { AutocompleteChoice, ShownModal } from '../state/model.ts';

export interface InteractionRecord {
  id: string;
  token: string;
  type: number;
  userId: string;
  /** Null for an interaction in a direct message with the bot. */
  guildId: string | null;
  channelId: string;
  dispatchedAt: number;
  sourceMessageId: string | null;
  callbackType: number | null;
  callbackAt: number | null;
  missedDeadline: boolean;
  originalMessageId: string | null;
  awaitingDeferredEdit: boolean;
  followUpIds: string[];
  modal: ShownModal | null;
  choices: AutocompleteChoice[] | null;
  /** Why its HTTP delivery failed (interactions endpoint mode), as Discord's "interaction failed". */
  deliveryFailure: string | null;
  events: EventEmitter;
}

export function newInteractionRecord(
  fields: Pick<InteractionRecord, 'id' | 'token' | 'type' | 'userId' | 'guildId' | 'channelId' | 'sourceMessageId'>,
): InteractionRecord {
  return {
    ...fields,
    dispatchedAt: 0,
    callbackType: null,
    callbackAt: null,
    missedDeadline: false,
    originalMessageId: null,
    awaitingDeferredEdit: false,
    followUpIds: [],
    modal: null,
    choices: null,
    deliveryFailure: null,
    events: new EventEmitter(),
  };
}
