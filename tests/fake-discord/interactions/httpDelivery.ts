import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { InteractionResponseType, InteractionType } from 'discord-api-types/v10';
import { parseRawBody } from '../http/bodyParsing.ts';
import { runRoute } from '../http/httpServer.ts';
import { interactionCallbackRoutes } from '../http/routes/interactionCallbacks.ts';
import { nextSnowflake } from '../state/snowflakes.ts';
import type { FakeContext } from '../context.ts';
import type { InteractionRecord } from './interactionRecord.ts';
import type { JsonObject, RecordedRequest } from '../state/model.ts';

/** What the next deliveries do wrong on purpose: no signature headers, or a signature that does not verify. */
export type SignatureFault = 'missing' | 'wrong';

export interface HttpDeliveryStats {
  /** Interactions posted to each URL (PINGs of the endpoint check not counted). */
  deliveries: Record<string, number>;
  /** Interactions whose HTTP delivery failed after it was sent: reset, no answer, non-2xx, invalid body. */
  failures: number;
  /** Endpoint checks made (a PING with a bad signature, then a signed one), one per URL each time it is set. */
  signatureChecks: number;
}

interface PostResult {
  status: number;
  contentType: string;
  body: Buffer;
}

const NOT_VERIFIED = 'interactions_endpoint_url: The specified interactions endpoint url could not be verified.';
/** How long past the ack deadline a reply is still read (then counted as not responded, as Discord would). */
const READ_GRACE_MS = 1_000;

class ConnectionRefused extends Error {}

/**
 * Discord's "Interactions Endpoint URL" mode: a key pair of the application, the check Discord makes when the URL is
 * saved, and interactions delivered as signed POSTs whose response body is the initial response (applied by the
 * callback route's own code). Several URLs stand for a load balancer: round robin, skipping one that refuses.
 */
export class HttpInteractionDelivery {
  readonly publicKey: string;
  readonly stats: HttpDeliveryStats = { deliveries: {}, failures: 0, signatureChecks: 0 };
  readonly #privateKey: KeyObject;
  #urls: string[] | null = null;
  #next = 0;
  #faults: SignatureFault[] = [];

  constructor() {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const jwk = publicKey.export({ format: 'jwk' });
    this.publicKey = Buffer.from(jwk.x ?? '', 'base64url').toString('hex');
    this.#privateKey = privateKey;
  }

  get active(): boolean {
    return this.#urls !== null;
  }

  /** The next `times` deliveries carry this signature fault. */
  signatureFault(fault: SignatureFault, times = 1): void {
    for (let i = 0; i < times; i += 1) this.#faults.push(fault);
  }

  async setEndpoint(urls: string[] | null): Promise<void> {
    if (urls === null) {
      this.#urls = null;
      return;
    }
    if (urls.length === 0) throw new Error('setInteractionsEndpoint: give at least one URL, or null');
    for (const url of urls) await this.#check(url);
    this.#urls = [...urls];
    this.#next = 0;
  }

  /** Delivers the interaction; its record gets the callback (or `deliveryFailure`) as with the gateway. */
  async deliver(context: FakeContext, record: InteractionRecord, payload: JsonObject): Promise<void> {
    const urls = this.#urls ?? [];
    const body = Buffer.from(JSON.stringify(payload));
    const limitMs = context.options.ackDeadlineMs + READ_GRACE_MS;
    for (let attempt = 0; attempt < urls.length; attempt += 1) {
      const url = urls[this.#next++ % urls.length]!;
      let settle: () => void = () => undefined;
      let delivered = false;
      // A fault is spent by a delivery that reached an endpoint, not by a URL that refused the connection.
      const fault = this.#faults.shift() ?? null;
      try {
        const reply = await this.#post(url, body, fault, limitMs, () => {
          context.store.arrivingHttpReplies.set(record.token, new Promise<void>((resolve) => (settle = resolve)));
        });
        delivered = true;
        this.stats.deliveries[url] = (this.stats.deliveries[url] ?? 0) + 1;
        await this.#apply(context, record, reply);
        return;
      } catch (error) {
        if (error instanceof ConnectionRefused) {
          if (fault) this.#faults.unshift(fault);
          continue;
        }
        // A reply read but refused (past the deadline, invalid) was counted already: one POST, one delivery.
        if (!delivered) this.stats.deliveries[url] = (this.stats.deliveries[url] ?? 0) + 1;
        this.#fail(record, String(error instanceof Error ? error.message : error));
        return;
      } finally {
        context.store.arrivingHttpReplies.delete(record.token);
        settle();
      }
    }
    this.#fail(record, `every endpoint URL refused the connection (${urls.join(', ')})`);
  }

  #fail(record: InteractionRecord, reason: string): void {
    this.stats.failures += 1;
    record.deliveryFailure = reason;
  }

  async #apply(context: FakeContext, record: InteractionRecord, reply: PostResult): Promise<void> {
    if (reply.status < 200 || reply.status > 299) throw new Error(`the endpoint answered HTTP ${reply.status}`);
    const { body, files } = await parseRawBody(reply.body, reply.contentType);
    if (typeof body !== 'object' || body === null) throw new Error('the endpoint answered a body that is not JSON');
    const route = interactionCallbackRoutes[0]!;
    const path = `/interactions/${record.id}/${record.token}/callback`;
    const recorded: RecordedRequest = {
      method: 'POST',
      route: path,
      template: route.template,
      query: {},
      body,
      files: files.map((file) => ({ field: file.field, filename: file.filename, size: file.bytes.length })),
      status: 0,
      time: Date.now(),
      viaHttpReply: true,
    };
    context.store.requests.push(recorded);
    const params = { id: record.id, token: record.token };
    const result = await runRoute(context, { route, params }, recorded, { query: new URLSearchParams(), files });
    if (result.status >= 300) throw new Error(`the reply was refused: ${JSON.stringify(result.body)}`);
  }

  /** What the Developer Portal does when the URL is saved: a bad signature must get 401, a signed PING a PONG. */
  async #check(url: string): Promise<void> {
    this.stats.signatureChecks += 1;
    const ping = Buffer.from(
      JSON.stringify({ id: nextSnowflake(), type: InteractionType.Ping, application_id: '0', token: 'ping' }),
    );
    try {
      const forged = await this.#post(url, ping, 'wrong', 5_000);
      if (forged.status !== 401) throw new Error(NOT_VERIFIED);
      const signed = await this.#post(url, ping, null, 5_000);
      const pong = signed.status === 200 ? (JSON.parse(signed.body.toString('utf8')) as { type?: unknown }) : null;
      if (pong?.type !== InteractionResponseType.Pong) throw new Error(NOT_VERIFIED);
    } catch (error) {
      throw new Error(NOT_VERIFIED, { cause: error });
    }
  }

  #headers(body: Buffer, fault: SignatureFault | null): Record<string, string> {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'content-length': String(body.length),
    };
    if (fault === 'missing') return headers;
    const signed = Buffer.concat([Buffer.from(timestamp), body]);
    const signature = sign(null, signed, this.#privateKey);
    // A wrong signature: a valid one of other bytes, so only the check against the body can refuse it.
    if (fault === 'wrong') signature.set(sign(null, Buffer.concat([signed, Buffer.from(' ')]), this.#privateKey));
    headers['x-signature-ed25519'] = signature.toString('hex');
    headers['x-signature-timestamp'] = timestamp;
    return headers;
  }

  #post(
    url: string,
    body: Buffer,
    fault: SignatureFault | null,
    limitMs: number,
    onResponse: () => void = () => undefined,
  ): Promise<PostResult> {
    // A connection per delivery (no keep-alive): "refused" then always means the copy behind the URL is gone.
    return new Promise((resolve, reject) => {
      let sent = false;
      const request = httpRequest(
        url,
        { method: 'POST', headers: this.#headers(body, fault), agent: false },
        (response) => {
          onResponse();
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              contentType: response.headers['content-type'] ?? '',
              body: Buffer.concat(chunks),
            }),
          );
        },
      );
      request.on('socket', (socket) => socket.once('connect', () => (sent = true)));
      request.setTimeout(limitMs, () => request.destroy(new Error(`no answer within ${limitMs} ms`)));
      request.on('error', (error: NodeJS.ErrnoException) =>
        reject(!sent && error.code === 'ECONNREFUSED' ? new ConnectionRefused(url) : error),
      );
      request.end(body);
    });
  }
}
