import type { PGlite, QueryOptions, Results } from '@electric-sql/pglite';
import { Worker } from 'node:worker_threads';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };
type QueryClient = Pick<PGlite, 'query'>;

/** What the worker reports of a failed call: the message and the fields callers read (code, constraint...). */
type SerializedError = { name: string; message: string } & Record<string, unknown>;

/** A database error rebuilt on this thread, with the fields the worker sent (code, constraint, ...). */
function rebuildError(fields: SerializedError): Error {
  return Object.assign(new Error(fields.message), fields);
}

/**
 * PGlite in a worker thread (pgliteWorker.mjs), with the part of PGlite's interface Drizzle uses: `query`
 * and `transaction`. Transactions still run one at a time, and a query outside one waits for it, as in PGlite.
 * If the thread dies, every call in flight and every later one fails with code 57P01, which the bot
 * reports as "the database is unavailable".
 */
export class PgliteThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;
  #failure: Error | null = null;

  private constructor() {
    this.#worker = new Worker(new URL('./pgliteWorker.mjs', import.meta.url));
    this.#worker.on('message', ({ id, result, error }: { id: number; result?: unknown; error?: SerializedError }) => {
      const pending = this.#pending.get(id);
      this.#pending.delete(id);
      if (error) pending?.reject(rebuildError(error));
      else pending?.resolve(result);
    });
    this.#worker.on('messageerror', (error) => this.#stop(error));
    this.#worker.on('error', (error) => this.#stop(error));
    this.#worker.on('exit', (code) => this.#stop(new Error(`the embedded database thread exited (code ${code})`)));
  }

  static async open(dataDir: string): Promise<PgliteThread> {
    const thread = new PgliteThread();
    try {
      await thread.#call({ op: 'open', dataDir });
      return thread;
    } catch (error) {
      await thread.#worker.terminate();
      throw error;
    }
  }

  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    return this.#query<T>(sql, params, options);
  }

  async transaction<T>(fn: (tx: QueryClient) => Promise<T>): Promise<T> {
    const txId = ++this.#nextId;
    await this.#call({ op: 'begin', txId });
    let result: T;
    try {
      result = await fn({ query: (sql, params, options) => this.#query(sql, params, options, txId) } as QueryClient);
    } catch (error) {
      await this.#call({ op: 'end', txId, commit: false }).catch(() => undefined);
      throw error;
    }
    await this.#call({ op: 'end', txId, commit: true });
    return result;
  }

  async close(): Promise<void> {
    if (!this.#failure) await this.#call({ op: 'close' }).catch(() => undefined);
    await this.#worker.terminate();
  }

  #query<T>(sql: string, params: unknown[] | undefined, options: QueryOptions | undefined, txId?: number): Promise<Results<T>> {
    // Drizzle's parsers keep some types as text; functions cannot cross threads, so their type ids go instead.
    const textTypes = Object.keys(options?.parsers ?? {}).map(Number);
    return this.#call({ op: 'query', sql, params: params ?? [], rowMode: options?.rowMode, textTypes, txId }) as Promise<Results<T>>;
  }

  #call(message: Record<string, unknown>): Promise<unknown> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = ++this.#nextId;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      try {
        this.#worker.postMessage({ ...message, id });
      } catch (error) {
        // A value that cannot be copied to the thread (a function, say): this call fails, the thread goes on.
        this.#pending.delete(id);
        reject(error as Error);
      }
    });
  }

  #stop(cause: Error): void {
    if (this.#failure) return;
    this.#failure = Object.assign(new Error(`The embedded database stopped: ${cause.message}`, { cause }), { code: '57P01' });
    for (const pending of this.#pending.values()) pending.reject(this.#failure);
    this.#pending.clear();
  }
}
