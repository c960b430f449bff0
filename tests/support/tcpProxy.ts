import net from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { openPostgres, type Database } from '../../src/db/client.ts';
import { openTestPostgres, type TestDatabase } from './database.ts';

/**
 * A TCP proxy a test puts between the bot and PostgreSQL, to cut the database off and bring it back, and to see which
 * statements the clients asked the server to parse.
 */
export class TcpProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  /** The text of every statement a client asked the server to parse (PostgreSQL's Parse message), in order. */
  readonly parsed: string[] = [];

  private constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const proxy = new TcpProxy(port, target);
    await proxy.resume();
    return proxy;
  }

  /** A proxy in front of the server of a connection URL, and the same URL through the proxy. */
  static async inFrontOf(serverUrl: string): Promise<{ proxy: TcpProxy; url: string }> {
    const url = new URL(serverUrl);
    const proxy = await TcpProxy.start({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${proxy.port}`;
    return { proxy, url: url.toString() };
  }

  /** Accepts connections again and forwards them. */
  async resume(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      const parses = parsedStatements((text) => this.parsed.push(text));
      client.on('data', parses);
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.server = server;
  }

  /** Drops every open connection and refuses new ones, like a database that went down. */
  async cut(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async close(): Promise<void> {
    await this.cut();
  }
}

/**
 * Reads a client's side of a PostgreSQL connection (its startup message, then typed messages: a type byte and a
 * length) and calls `onParse` with the statement text of each Parse message ('P': name, then text, both ended by 0).
 */
function parsedStatements(onParse: (text: string) => void): (chunk: Buffer) => void {
  let pending = Buffer.alloc(0);
  let started = false;
  return (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      const headerSize = started ? 5 : 4;
      if (pending.length < headerSize) return;
      const size = pending.readInt32BE(headerSize - 4) + headerSize - 4;
      if (pending.length < size) return;
      const message = pending.subarray(0, size);
      pending = pending.subarray(size);
      if (!started) {
        // An SSL request (code 80877103) comes before the startup message; the startup message has no type.
        started = message.readInt32BE(4) !== 80877103;
        continue;
      }
      if (message[0] !== 0x50) continue;
      const nameEnd = message.indexOf(0, 5);
      onParse(message.toString('utf8', nameEnd + 1, message.indexOf(0, nameEnd + 1)));
    }
  };
}

/**
 * A fresh test database on the PostgreSQL server at `serverUrl` and the bot's connection pool to it through a proxy,
 * opened before the suite's tests and closed after them: call it inside a describe.
 */
export function useProxiedTestPostgres(serverUrl: string | undefined): () => { proxy: TcpProxy; database: Database } {
  let server: TestDatabase | undefined;
  let proxy: TcpProxy | undefined;
  let database: Database | undefined;
  beforeAll(async () => {
    const opened = await openTestPostgres(serverUrl!);
    server = opened;
    const proxied = await TcpProxy.inFrontOf(opened.url);
    proxy = proxied.proxy;
    database = await openPostgres(proxied.url);
  });
  afterAll(async () => {
    await database?.close();
    await proxy?.close();
    await server?.destroy();
  });
  return () => ({ proxy: proxy!, database: database! });
}
