import { GatewayCloseCodes } from 'discord-api-types/v10';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { commandPayload } from './http/routes/applicationCommands.ts';
import { FaultSwitches, type RestFault, type SlowFault } from './state/faults.ts';
import { FakeGateway, type GatewayStats, type ShardStats } from './gateway.ts';
import { Guild, type CreateGuildOptions } from './state/guild.ts';
import { createFakeHttpServer } from './http/httpServer.ts';
import { couldPing } from './validation/mentionSafety.ts';
import { fakeBotToken, nextSnowflake, snowflakeOnShard } from './state/snowflakes.ts';
import { FakeStore } from './state/store.ts';
import { HttpInteractionDelivery, type HttpDeliveryStats, type SignatureFault } from './interactions/httpDelivery.ts';
import { waitFor } from './waitFor.ts';
import type { FakeContext, FakeOptions } from './context.ts';
import type { Actor } from './interactions/actor.ts';
import type { FakeMessage, JsonObject, MessagePayloadRecord, RecordedError, RecordedRequest } from './state/model.ts';

export type { Actor, RunOptions, ForgeOptions } from './interactions/actor.ts';
export type { Guild, CreateGuildOptions } from './state/guild.ts';
export type { InteractionResult, InteractionResultKind } from './interactions/interactionResult.ts';
export type { AttachmentOption, OptionValue } from './interactions/commandOptions.ts';
export type { RestFault, SlowFault } from './state/faults.ts';
export type { HttpDeliveryStats, SignatureFault } from './interactions/httpDelivery.ts';
export { shardOfGuild, type ShardStats } from './gateway.ts';
export { Permission } from './state/permissions.ts';
/** Discord's rules for a message body, for checking a view without a running Discord: null when it is accepted. */
export { validateMessageBody } from './validation/messageValidation.ts';
export type {
  FakeMessage,
  JsonObject,
  FakeAttachment,
  FakeChannel,
  FakeRole,
  FakeUser,
  ShownModal,
  AutocompleteChoice,
  RecordedError,
  RecordedRequest,
  MessagePayloadRecord,
} from './state/model.ts';

export interface StartFakeDiscordOptions extends Partial<FakeOptions> {
  botName?: string;
}

export class FakeDiscord {
  readonly faults: {
    rest(fault: RestFault): void;
    slow(fault: SlowFault): void;
    /** The next `times` HTTP interaction deliveries carry no signature, or a wrong one. */
    signature(fault: SignatureFault, times?: number): void;
  };
  readonly guilds: Guild[] = [];

  private constructor(
    private readonly context: FakeContext,
    private readonly gateway: FakeGateway,
    private readonly server: Server,
    private readonly faultSwitches: FaultSwitches,
    private readonly internalErrors: unknown[],
  ) {
    this.faults = {
      rest: (fault) => this.faultSwitches.rest(fault),
      slow: (fault) => this.faultSwitches.slow(fault),
      signature: (fault, times) => this.context.interactionsEndpoint.signatureFault(fault, times),
    };
  }

  static async start(options: StartFakeDiscordOptions = {}): Promise<FakeDiscord> {
    const botUser = {
      id: nextSnowflake(),
      username: options.botName ?? 'Cohort Quiz Bot',
      globalName: options.botName ?? 'Cohort Quiz Bot',
      bot: true,
      dmsClosed: false,
    };
    const store = new FakeStore(botUser, botUser.id);
    let port = 0;
    const context: FakeContext = {
      store,
      token: fakeBotToken(botUser.id),
      options: {
        ackDeadlineMs: options.ackDeadlineMs ?? 3000,
        tokenLifetimeMs: options.tokenLifetimeMs ?? 15 * 60_000,
        deferredEditTimeoutMs: options.deferredEditTimeoutMs ?? 10_000,
        maxGuildsPerShard: options.maxGuildsPerShard ?? 2500,
      },
      origin: () => `http://127.0.0.1:${port}`,
      gateway: { dispatch: () => null, connectedSessionCount: () => 0 },
      interactionsEndpoint: new HttpInteractionDelivery(),
    };
    const gateway = new FakeGateway(context);
    context.gateway = gateway;
    const faults = new FaultSwitches();
    const internalErrors: unknown[] = [];
    const server = createFakeHttpServer(context, faults, (error) => internalErrors.push(error));
    server.on('upgrade', (request, socket, head: Buffer) => gateway.handleUpgrade(request, socket, head));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    return new FakeDiscord(context, gateway, server, faults, internalErrors);
  }

  get token(): string {
    return this.context.token;
  }

  get apiUrl(): string {
    return `${this.context.origin()}/api`;
  }

  get applicationId(): string {
    return this.context.store.applicationId;
  }

  get botUserId(): string {
    return this.context.store.botUser.id;
  }

  get requests(): RecordedRequest[] {
    return this.context.store.requests;
  }

  get errors(): RecordedError[] {
    return this.context.store.errors;
  }

  get unknownRoutes(): { method: string; route: string; time: number }[] {
    return this.context.store.unknownRoutes;
  }

  get messagePayloads(): MessagePayloadRecord[] {
    return this.context.store.messagePayloads;
  }

  /** The application's Public Key, as the Developer Portal shows it: 64 hex characters of the raw Ed25519 key. */
  get publicKey(): string {
    return this.context.interactionsEndpoint.publicKey;
  }

  /** Deliveries per URL, failed deliveries and endpoint checks of the interactions endpoint mode. */
  get interactionDeliveries(): HttpDeliveryStats {
    return this.context.interactionsEndpoint.stats;
  }

  /**
   * What saving the Interactions Endpoint URL in the Developer Portal does: each URL must refuse a badly signed PING
   * (401) and answer a signed one with a PONG, or this throws Discord's message. Then every interaction is a signed
   * POST, round robin over the URLs (a load balancer). `null` goes back to delivery over the gateway.
   */
  setInteractionsEndpoint(urls: string[] | null): Promise<void> {
    return this.context.interactionsEndpoint.setEndpoint(urls);
  }

  get gatewayStats(): GatewayStats {
    return this.gateway.stats;
  }

  get connectedSessions(): number {
    return this.gateway.connectedSessionCount();
  }

  /** Identifies, sessions and interactions received on one shard (sessions of any shard count). */
  shardStats(shardId: number): ShardStats {
    return this.gateway.shardStats(shardId);
  }

  connectedShardSessions(shardId: number): number {
    return this.gateway.connectedShardSessionCount(shardId);
  }

  get fakeInternalErrors(): unknown[] {
    return this.internalErrors;
  }

  configure(options: Partial<FakeOptions>): void {
    Object.assign(this.context.options, options);
  }

  createGuild(options: CreateGuildOptions = {}): Guild {
    const id = options.onShard ? snowflakeOnShard(...options.onShard) : nextSnowflake();
    const guild = new Guild(this.context, id, options.name ?? `Cohort ${this.guilds.length + 1}`, options);
    this.guilds.push(guild);
    guild.announce();
    return guild;
  }

  registeredCommands(guildId: string | null = null): JsonObject[] {
    return [...this.context.store.commands.values()]
      .filter((command) => command.guildId === guildId)
      .map(commandPayload);
  }

  message(messageId: string): FakeMessage | undefined {
    return this.context.store.messages.get(messageId);
  }

  channelMessages(channelId: string): FakeMessage[] {
    return this.context.store.channelMessages(channelId).filter((message) => !message.ephemeral);
  }

  lastChannelMessage(channelId: string): FakeMessage | undefined {
    return this.channelMessages(channelId).at(-1);
  }

  messagesThatCouldPing(): MessagePayloadRecord[] {
    return this.messagePayloads.filter((payload) => couldPing(payload.allowedMentions));
  }

  closeDms(user: string | Actor): void {
    this.setDms(user, true);
  }

  openDms(user: string | Actor): void {
    this.setDms(user, false);
  }

  dropGateway(): void {
    this.gateway.dropAll();
  }

  /**
   * What "Reset Token" in the Developer Portal does: the old token is refused from now on (REST 401,
   * IDENTIFY closed with 4004), and the connected sessions are closed with 4004.
   */
  resetToken(): void {
    this.context.token = fakeBotToken(this.botUserId);
    this.gateway.closeAll(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed');
  }

  clearFaults(): void {
    this.faultSwitches.clear();
  }

  waitFor<T>(
    predicate: () => T | undefined | null | false | Promise<T | undefined | null | false>,
    timeoutMs = 5000,
    description?: string,
  ): Promise<T> {
    return waitFor(predicate, timeoutMs, description);
  }

  async close(): Promise<void> {
    this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private setDms(user: string | Actor, closed: boolean): void {
    const id = typeof user === 'string' ? user : user.id;
    const record = this.context.store.users.get(id);
    if (!record) throw new Error(`unknown user ${id}`);
    record.dmsClosed = closed;
  }
}

export function startFakeDiscord(options: StartFakeDiscordOptions = {}): Promise<FakeDiscord> {
  return FakeDiscord.start(options);
}
