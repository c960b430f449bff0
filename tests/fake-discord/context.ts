import type { HttpInteractionDelivery } from './interactions/httpDelivery.ts';
import type { FakeStore } from './state/store.ts';
import type { JsonObject } from './state/model.ts';

export interface FakeOptions {
  ackDeadlineMs: number;
  tokenLifetimeMs: number;
  deferredEditTimeoutMs: number;
  /** More guilds than this on one shard's IDENTIFY: closed with 4011 Sharding Required (Discord: 2,500). */
  maxGuildsPerShard: number;
}

export interface Dispatcher {
  dispatch(event: string, data: JsonObject, options?: { intent?: number }): Date | null;
  connectedSessionCount(): number;
}

export interface FakeContext {
  store: FakeStore;
  token: string;
  options: FakeOptions;
  origin(): string;
  gateway: Dispatcher;
  /** Interactions go to the bot's HTTP endpoint instead of the gateway once its URL is set. */
  interactionsEndpoint: HttpInteractionDelivery;
}
