import { createPublicKey, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InteractionResponseType, InteractionType, MessageFlags, RESTJSONErrorCodes } from 'discord-api-types/v10';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type Actor, type FakeDiscord } from './index.ts';

/** A minimal interactions endpoint of the test's own (not the bot's), with switches for what it does wrong. */
interface TestEndpoint {
  url: string;
  received: { signed: boolean; body: Record<string, unknown> }[];
  behaviour: {
    checkSignature: boolean;
    reply: (interaction: Record<string, unknown>, response: ServerResponse) => void;
  };
  close(): Promise<void>;
}

const reply = (body: unknown) => (_: unknown, response: ServerResponse) =>
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));

async function startEndpoint(publicKeyHex: string): Promise<TestEndpoint> {
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKeyHex, 'hex').toString('base64url') },
    format: 'jwk',
  });
  const endpoint: Omit<TestEndpoint, 'url' | 'close'> = {
    received: [],
    behaviour: {
      checkSignature: true,
      reply: reply({ type: InteractionResponseType.ChannelMessageWithSource, data: { content: 'hi' } }),
    },
  };
  const server: Server = createServer(async (request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const signature = String(request.headers['x-signature-ed25519'] ?? '');
    const timestamp = String(request.headers['x-signature-timestamp'] ?? '');
    const signed =
      signature.length === 128 &&
      verify(null, Buffer.concat([Buffer.from(timestamp), raw]), key, Buffer.from(signature, 'hex'));
    if (endpoint.behaviour.checkSignature && !signed) return void response.writeHead(401).end();
    const body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    if (body.type === InteractionType.Ping) return reply({ type: InteractionResponseType.Pong })(null, response);
    endpoint.received.push({ signed, body });
    endpoint.behaviour.reply(body, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    ...endpoint,
    get received() {
      return endpoint.received;
    },
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/interactions`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

let fake: FakeDiscord;
let ada: Actor;
let first: TestEndpoint;
let second: TestEndpoint;

beforeAll(async () => {
  fake = await startFakeDiscord();
  const guild = fake.createGuild();
  ada = guild.addStudent('Ada');
  const registered = await fetch(`${fake.apiUrl}/v10/applications/${fake.applicationId}/commands`, {
    method: 'PUT',
    headers: { authorization: `Bot ${fake.token}`, 'content-type': 'application/json' },
    body: JSON.stringify([{ name: 'ping', description: 'Ping' }]),
  });
  expect(registered.status).toBe(200);
  first = await startEndpoint(fake.publicKey);
  second = await startEndpoint(fake.publicKey);
});

afterEach(async () => {
  await fake.setInteractionsEndpoint(null);
  first.behaviour.checkSignature = second.behaviour.checkSignature = true;
  first.behaviour.reply = second.behaviour.reply = reply({
    type: InteractionResponseType.ChannelMessageWithSource,
    data: { content: 'hi' },
  });
});

afterAll(async () => {
  await first?.close();
  await second?.close();
  await fake?.close();
});

describe('the local Discord delivers interactions to an HTTP endpoint', () => {
  it('the public key is the raw 32-byte Ed25519 key in hex', () => {
    expect(fake.publicKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses to save an endpoint that accepts a bad signature, with Discord wording', async () => {
    first.behaviour.checkSignature = false;
    const checks = fake.interactionDeliveries.signatureChecks;
    await expect(fake.setInteractionsEndpoint([first.url])).rejects.toThrow(
      'interactions_endpoint_url: The specified interactions endpoint url could not be verified.',
    );
    expect(fake.interactionDeliveries.signatureChecks).toBe(checks + 1);
    await expect(ada.run('ping')).rejects.toThrow(/no bot session is connected/);
  });

  it('refuses an endpoint that does not answer the signed PING with a PONG', async () => {
    await expect(fake.setInteractionsEndpoint(['http://127.0.0.1:1/nothing'])).rejects.toThrow(/could not be verified/);
  });

  it('posts a signed interaction, and the JSON response body is the initial response', async () => {
    await fake.setInteractionsEndpoint([first.url]);
    const before = first.received.length;
    const result = await ada.run('ping');
    expect(result.kind).toBe('message');
    expect(result.message?.content).toBe('hi');
    expect(first.received.slice(before).map((r) => r.signed)).toEqual([true]);
    expect(first.received.at(-1)?.body.type).toBe(InteractionType.ApplicationCommand);
  });

  it('a multipart response with files[0] and payload_json attaches the file', async () => {
    first.behaviour.reply = (_, response) => {
      const form = new FormData();
      form.append(
        'payload_json',
        JSON.stringify({
          type: InteractionResponseType.ChannelMessageWithSource,
          data: { content: 'file', flags: MessageFlags.Ephemeral },
        }),
      );
      form.append('files[0]', new Blob(['a,b\n1,2\n'], { type: 'text/csv' }), 'answers.csv');
      const encoded = new Response(form);
      void encoded
        .arrayBuffer()
        .then((bytes) =>
          response.writeHead(200, { 'content-type': encoded.headers.get('content-type')! }).end(Buffer.from(bytes)),
        );
    };
    await fake.setInteractionsEndpoint([first.url]);
    const result = await ada.run('ping');
    expect(result.ephemeral).toBe(true);
    expect(result.message?.attachments.map((a) => [a.filename, a.text()])).toEqual([['answers.csv', 'a,b\n1,2\n']]);
  });

  it('several URLs are served round robin, and one that refuses connections is skipped', async () => {
    const refusing = 'http://127.0.0.1:1/interactions';
    // The check runs against each URL at save time, so the refusing one is only added after it.
    await fake.setInteractionsEndpoint([first.url, second.url]);
    const counts = { ...fake.interactionDeliveries.deliveries };
    for (let i = 0; i < 4; i += 1) await ada.run('ping');
    const delivered = fake.interactionDeliveries.deliveries;
    expect((delivered[first.url] ?? 0) - (counts[first.url] ?? 0)).toBe(2);
    expect((delivered[second.url] ?? 0) - (counts[second.url] ?? 0)).toBe(2);
    await expect(fake.setInteractionsEndpoint([refusing, first.url])).rejects.toThrow(/could not be verified/);
    // A copy that stops after the URL was saved: its turn goes to the next URL, and nothing fails.
    const stopping = await startEndpoint(fake.publicKey);
    await fake.setInteractionsEndpoint([stopping.url, first.url]);
    await stopping.close();
    const failures = fake.interactionDeliveries.failures;
    const before = first.received.length;
    for (let i = 0; i < 2; i += 1) expect((await ada.run('ping')).message?.content).toBe('hi');
    expect(first.received.length - before).toBe(2);
    expect(fake.interactionDeliveries.deliveries[stopping.url]).toBeUndefined();
    expect(fake.interactionDeliveries.failures).toBe(failures);
  });

  it('a non-2xx answer fails the interaction, as an unanswered one does', async () => {
    fake.configure({ ackDeadlineMs: 500 });
    try {
      first.behaviour.reply = (_, response) => void response.writeHead(500).end();
      await fake.setInteractionsEndpoint([first.url]);
      const failures = fake.interactionDeliveries.failures;
      await expect(ada.run('ping')).rejects.toThrow(
        /did not acknowledge[\s\S]*HTTP delivery failed: the endpoint answered HTTP 500/,
      );
      expect(fake.interactionDeliveries.failures).toBe(failures + 1);
    } finally {
      fake.configure({ ackDeadlineMs: 3000 });
    }
  });

  it('a reply read but refused (an invalid response body) is one delivery, and fails the interaction', async () => {
    fake.configure({ ackDeadlineMs: 500 });
    try {
      first.behaviour.reply = reply({ type: 99 });
      await fake.setInteractionsEndpoint([first.url]);
      const before = fake.interactionDeliveries.deliveries[first.url] ?? 0;
      await expect(ada.run('ping')).rejects.toThrow(/did not acknowledge/);
      expect(fake.interactionDeliveries.deliveries[first.url]).toBe(before + 1);
    } finally {
      fake.configure({ ackDeadlineMs: 3000 });
    }
  });

  it('a REST callback after the HTTP reply acknowledged it is refused with 40060', async () => {
    let callback: Promise<Response> | undefined;
    first.behaviour.reply = (interaction, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ type: InteractionResponseType.ChannelMessageWithSource, data: { content: 'first' } }),
        () => {
          callback = new Promise((resolve) => setTimeout(resolve, 100)).then(() =>
            fetch(`${fake.apiUrl}/v10/interactions/${String(interaction.id)}/${String(interaction.token)}/callback`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({
                type: InteractionResponseType.ChannelMessageWithSource,
                data: { content: 'second' },
              }),
            }),
          );
        },
      );
    };
    await fake.setInteractionsEndpoint([first.url]);
    const result = await ada.run('ping');
    expect(result.message?.content).toBe('first');
    const refused = await fake.waitFor(() => callback);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { code: number }).code).toBe(
      RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged,
    );
  });

  it('a signature fault sends the next interaction unsigned or badly signed', async () => {
    await fake.setInteractionsEndpoint([first.url]);
    fake.configure({ ackDeadlineMs: 500 });
    try {
      fake.faults.signature('missing');
      await expect(ada.run('ping')).rejects.toThrow(/HTTP 401/);
      fake.faults.signature('wrong');
      await expect(ada.run('ping')).rejects.toThrow(/HTTP 401/);
      first.behaviour.checkSignature = false;
      fake.faults.signature('wrong');
      await ada.run('ping');
      expect(first.received.at(-1)?.signed).toBe(false);
    } finally {
      fake.configure({ ackDeadlineMs: 3000 });
    }
  });

  it('a signature fault is spent by the delivery that reaches an endpoint, not by a URL that refuses', async () => {
    const stopping = await startEndpoint(fake.publicKey);
    await fake.setInteractionsEndpoint([stopping.url, first.url]);
    await stopping.close();
    fake.configure({ ackDeadlineMs: 500 });
    try {
      fake.faults.signature('missing');
      await expect(ada.run('ping')).rejects.toThrow(/HTTP 401/);
      expect((await ada.run('ping')).message?.content).toBe('hi');
    } finally {
      fake.configure({ ackDeadlineMs: 3000 });
    }
  });
});
