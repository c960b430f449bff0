import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InteractionResponseType, InteractionType, type APIInteraction } from 'discord-api-types/v10';
import type { Client } from 'discord.js';
import type { Logger } from '../logger.ts';
import type { InteractionAwareREST } from './client.ts';
import { PendingHttpReplies } from './httpInteractionReplies.ts';
import type { InteractionInbox } from './interactionInbox.ts';
import { interactionPublicKey, isSignedByDiscord } from './interactionSignature.ts';

/** Far above any interaction Discord sends (a 4000-character modal answer with its resolved data is a few kB). */
export const MAX_INTERACTION_BYTES = 256 * 1024;
/** Discord stops waiting for the HTTP reply after 3 s: past that the socket is closed, not left hanging. */
const REPLY_LIMIT_MS = 3_000;

export interface InteractionsEndpoint {
  readonly port: number;
  /** Stops accepting; requests in progress finish (the interactions drain step waits for their handlers). */
  close(): void;
}

interface EndpointOptions {
  port: number;
  publicKey: string;
  client: Client;
  inbox: InteractionInbox;
  logger: Logger;
  host?: string;
}

class TooLarge extends Error {}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  if (Number(request.headers['content-length'] ?? 0) > MAX_INTERACTION_BYTES) throw new TooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_INTERACTION_BYTES) throw new TooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return;
  response
    .writeHead(status, { 'content-type': 'application/json', ...(status === 413 ? { connection: 'close' } : {}) })
    .end(JSON.stringify(body));
}

/** Emits the interaction as the gateway's INTERACTION_CREATE does: discord.js has no public way to build one. */
function emitInteraction(client: Client, data: APIInteraction): void {
  const { actions } = client as unknown as { actions: { InteractionCreate: { handle(data: unknown): void } } };
  actions.InteractionCreate.handle(data);
}

/**
 * Discord's "Interactions Endpoint URL" mode: each interaction is a signed POST whose response body is the initial
 * response. The signature is checked before anything else is done with the body; the interaction then goes to the
 * same inbox as the gateway's, and the handler's first reply, defer, modal or autocomplete answer (sent by
 * discord.js as a callback) becomes the HTTP response. Follow-ups and edits go over REST as usual.
 */
export async function startInteractionsEndpoint(options: EndpointOptions): Promise<InteractionsEndpoint> {
  const { client, inbox, logger } = options;
  const key = interactionPublicKey(options.publicKey);
  const pending = new PendingHttpReplies();
  (client.rest as InteractionAwareREST).interceptCallbacks((request) => pending.intercept(request));

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'POST') {
      response.setHeader('allow', 'POST');
      return answer(response, 405, { message: 'Only POST' });
    }
    let body: Buffer;
    try {
      body = await readBody(request);
    } catch (error) {
      if (error instanceof TooLarge) return answer(response, 413, { message: 'Request body too large' });
      throw error;
    }
    const headers = request.headers;
    if (!isSignedByDiscord(key, headers['x-signature-ed25519'], headers['x-signature-timestamp'], body)) {
      return answer(response, 401, { message: 'Bad request signature' });
    }
    let data: APIInteraction;
    try {
      data = JSON.parse(body.toString('utf8')) as APIInteraction;
    } catch {
      return answer(response, 400, { message: 'The body is not JSON' });
    }
    if (data.type === InteractionType.Ping) return answer(response, 200, { type: InteractionResponseType.Pong });
    pending.open(data.id, response);
    emitInteraction(client, data);
    const handled = inbox.handling(data.id);
    if (!handled) {
      logger.warn({ interactionType: data.type }, 'an interaction over HTTP that discord.js does not handle');
      return answer(response, 400, { message: 'Unsupported interaction' });
    }
    const limit = setTimeout(() => {
      if (pending.isOpen(data.id)) response.destroy();
    }, REPLY_LIMIT_MS);
    await handled.finally(() => clearTimeout(limit));
    // The router's "late" path or a handler that answered nothing: the socket is closed, not left open.
    if (pending.isOpen(data.id)) answer(response, 500, { message: 'The interaction was not answered' });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      logger.error({ err: error }, 'the interactions endpoint failed on a request');
      answer(response, 500, { message: 'Internal error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => {
      server.close();
      server.closeIdleConnections();
    },
  };
}
