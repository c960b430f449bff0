import type { ServerResponse } from 'node:http';
import { finished } from 'node:stream/promises';
import type { InternalRequest, ResponseLike } from 'discord.js';

const CALLBACK_ROUTE = /^\/interactions\/(\d+)\/[^/]+\/callback$/;

/** The body Discord's callback route would have received: JSON, or multipart with `payload_json` and `files[n]`. */
async function initialResponseBody(request: InternalRequest): Promise<{ contentType: string; bytes: Buffer }> {
  if (!request.files?.length) {
    return { contentType: 'application/json', bytes: Buffer.from(JSON.stringify(request.body ?? {})) };
  }
  const form = new FormData();
  for (const [index, file] of request.files.entries()) {
    const data = typeof file.data === 'object' ? Uint8Array.from(file.data) : String(file.data);
    const blob = new Blob([data], file.contentType ? { type: file.contentType } : {});
    form.append(file.key ?? `files[${index}]`, blob, file.name);
  }
  form.append('payload_json', JSON.stringify(request.body ?? {}));
  // The web Response encodes the form with its boundary, as fetch would.
  const encoded = new Response(form);
  return {
    contentType: encoded.headers.get('content-type') ?? 'multipart/form-data',
    bytes: Buffer.from(await encoded.arrayBuffer()),
  };
}

/**
 * The open HTTP requests of interactions that arrived over HTTP, by interaction id, each waiting for its initial
 * response. Each lives only as long as its request: another copy of the bot never needs one.
 */
export class PendingHttpReplies {
  readonly #open = new Map<string, ServerResponse>();

  /** Waits for this interaction's initial response; gone once answered or once the request is closed. */
  open(interactionId: string, response: ServerResponse): void {
    this.#open.set(interactionId, response);
    response.once('close', () => {
      if (this.#open.get(interactionId) === response) this.#open.delete(interactionId);
    });
  }

  /** Whether the interaction was answered (or its request closed) already. */
  isOpen(interactionId: string): boolean {
    return this.#open.has(interactionId);
  }

  /**
   * For the REST layer: a callback of an interaction whose HTTP request is open becomes that request's response,
   * and discord.js is answered as Discord answers the callback route (204). Anything else goes to Discord; a second
   * acknowledgement there gets Discord's own 40060.
   */
  intercept(request: InternalRequest): Promise<ResponseLike> | null {
    if (request.method !== 'POST') return null;
    const interactionId = CALLBACK_ROUTE.exec(request.fullRoute)?.[1];
    const response = interactionId ? this.#open.get(interactionId) : undefined;
    if (!interactionId || !response) return null;
    this.#open.delete(interactionId);
    return this.#answer(request, response);
  }

  async #answer(request: InternalRequest, response: ServerResponse): Promise<ResponseLike> {
    if (request.query?.get('with_response') === 'true')
      throw new Error('withResponse is not available for an interaction answered in its HTTP reply');
    const { contentType, bytes } = await initialResponseBody(request);
    // Written out before discord.js goes on, so an edit of a deferred reply cannot overtake the reply itself.
    response.writeHead(200, { 'content-type': contentType, 'content-length': String(bytes.length) }).end(bytes);
    await finished(response);
    return new Response(null, { status: 204 });
  }
}
