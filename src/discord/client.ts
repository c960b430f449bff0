// From discord.js, not @discordjs/rest: importing the package itself would load its ESM build beside the CommonJS
// build discord.js uses, and errors from one would not be `instanceof` the other's DiscordAPIError.
import {
  Client,
  GatewayIntentBits,
  Options,
  REST,
  type InternalRequest,
  type RESTOptions,
  type ResponseLike,
} from 'discord.js';

/**
 * Discord does not count interaction endpoints against a bot's global limit of 50 requests a second, but
 * @discordjs/rest counts the follow-ups and edits of an interaction's reply (`/webhooks/:app/:token/...`)
 * against it: in a burst of answers, every edit after a defer queued behind that limit. Those routes go
 * through a second manager without the global limit; their own per-route limits are still obeyed.
 */
export class InteractionAwareREST extends REST {
  readonly #interactionReplies: REST;
  #answerOverHttp: CallbackInterceptor = () => null;

  constructor(options: Partial<RESTOptions> = {}) {
    super(options);
    this.#interactionReplies = new REST({ ...options, globalRequestsPerSecond: Number.POSITIVE_INFINITY });
  }

  override setToken(token: string): this {
    this.#interactionReplies.setToken(token);
    return super.setToken(token);
  }

  /** Hands the initial responses of interactions that arrived over HTTP to their pending HTTP replies. */
  interceptCallbacks(interceptor: CallbackInterceptor): void {
    this.#answerOverHttp = interceptor;
  }

  override async queueRequest(request: InternalRequest): Promise<ResponseLike> {
    const answered = this.#answerOverHttp(request);
    if (answered) return answered;
    if (isInteractionReplyRoute(request.fullRoute)) return this.#interactionReplies.queueRequest(request);
    return super.queueRequest(request);
  }

  override clearHashSweeper(): void {
    this.#interactionReplies.clearHashSweeper();
    super.clearHashSweeper();
  }

  override clearHandlerSweeper(): void {
    this.#interactionReplies.clearHandlerSweeper();
    super.clearHandlerSweeper();
  }
}

/**
 * A callback (`POST /interactions/:id/:token/callback`) that is answered without Discord, or null to send it to
 * Discord as usual.
 */
export type CallbackInterceptor = (request: InternalRequest) => Promise<ResponseLike> | null;

/** The bot uses webhooks only as Discord's interaction tokens: `/webhooks/<application id>/<interaction token>`. */
function isInteractionReplyRoute(route: string): boolean {
  return route.startsWith('/webhooks/');
}

/**
 * The discord.js client with only what the bot uses (and of the gateway, the shards of SHARD_IDS when set): the Guilds intent (channels and roles for /setup),
 * no message or member caches beyond what interactions bring, and mentions that can never ping.
 */
export function createDiscordClient(apiUrl: string, shards: { count: number; ids: number[] } | null = null): Client {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    // One process connects the shards it owns through discord.js's own WebSocketManager (@discordjs/ws).
    ...(shards ? { shards: shards.ids, shardCount: shards.count } : {}),
    rest: { api: apiUrl },
    allowedMentions: { parse: [], repliedUser: false },
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 0,
      GuildMemberManager: { maxSize: 200, keepOverLimit: (member) => member.id === member.client.user.id },
      UserManager: 200,
      PresenceManager: 0,
      ReactionManager: 0,
      GuildEmojiManager: 0,
      GuildStickerManager: 0,
      VoiceStateManager: 0,
      ThreadManager: 0,
    }),
  });
  client.rest = new InteractionAwareREST(client.options.rest);
  return client;
}
