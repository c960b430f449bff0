import type { PGlite, QueryOptions, Results } from '@electric-sql/pglite';
import { statfsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

type Pending = {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  sentAt: number;
  timer?: NodeJS.Timeout;
};
/** A call waiting to be posted to the thread with the others of the same turn of the event loop. */
type Outgoing = { message: Record<string, unknown>; failed: (error: Error) => void };
type Reply = { id: number; result?: unknown; error?: SerializedError };
type QueryClient = Pick<PGlite, 'query'>;

/** What the worker reports of a failed call: the message and the fields callers read (code, constraint...). */
type SerializedError = { name: string; message: string } & Record<string, unknown>;

/** What the thread reports to the operator's log; each is a change of state, reported once. */
export type PgliteThreadEvent =
  | { kind: 'stuck'; timeoutMs: number }
  | { kind: 'reopened' }
  | { kind: 'reopenFailed'; error: Error; retryInMs: number }
  | { kind: 'lowDisk'; freeBytes: number; minFreeBytes: number }
  | { kind: 'diskOk'; freeBytes: number };

export interface PgliteThreadOptions {
  /**
   * Once guarded, a call waiting longer than this makes the thread prove it is alive; a thread that cannot
   * answer then (stuck in one statement) fails every call as "database unavailable" and is replaced.
   */
  timeoutMs: number;
  /** Below this much free space on the data directory's file system, writes are refused (PostgreSQL's 25006). */
  minFreeBytes: number;
  onEvent?: (event: PgliteThreadEvent) => void;
}

/** Opening a data directory runs initdb the first time: tens of seconds on a busy machine. */
const OPEN_TIMEOUT_MS = 180_000;
const SPACE_CHECK_INTERVAL_MS = 5_000;
const WATCH_INTERVAL_MS = 1_000;
/** A thread that is only busy answers a ping between two statements; one that spins never does. */
const PING_TIMEOUT_MS = 5_000;
const REOPEN_DELAYS_MS = [1_000, 5_000, 15_000, 60_000];

/** A database error rebuilt on this thread, with the fields the worker sent (code, constraint, ...). */
function rebuildError(fields: SerializedError): Error {
  return Object.assign(new Error(fields.message), fields);
}

/** The error every caller gets while the database cannot answer: the bot reports it as "unavailable". */
function unavailable(message: string, cause?: unknown): Error {
  return Object.assign(new Error(message, { cause }), { code: '57P01' });
}

/** Free bytes for an unprivileged writer on the file system that holds `dir`. */
export function freeBytes(dir: string): number {
  const stats = statfsSync(dir);
  return stats.bavail * stats.bsize;
}

/**
 * PGlite in a worker thread (pgliteWorker.mjs), with the part of PGlite's interface Drizzle uses: `query`
 * and `transaction`. Transactions still run one at a time, and a query outside one waits for it, as in PGlite.
 *
 * Once guarded (`startGuards()`, after migrations), the thread is watched: PGlite can spin forever (a full disk
 * that refused a WAL segment leaves the next query looping). When a call has waited longer than the bound, the
 * thread is pinged; a busy thread answers between two statements, and its callers keep waiting, but one that
 * cannot answer is stuck: every call fails with code 57P01 ("the database is unavailable") and a fresh thread
 * opens the same data directory. While free space is below the margin, the database refuses writes, so a full
 * disk is met before it hangs.
 */
export class PgliteThread {
  #worker!: Worker;
  readonly #pending = new Map<number, Pending>();
  /** Calls made in this turn of the event loop: posted together, one message for all (see #flush). */
  #outbox: Outgoing[] = [];
  #nextId = 0;
  /** Why calls fail now: the thread is being replaced, or was closed. */
  #failure: Error | null = null;
  #closed = false;
  #readOnly = false;
  #pinging = false;
  /** When the thread last proved it was alive (a ping answered): waits are counted from then. */
  #aliveAt = 0;
  readonly #timers: NodeJS.Timeout[] = [];

  private constructor(
    private readonly dataDir: string,
    private readonly options: PgliteThreadOptions,
  ) {}

  static async open(dataDir: string, options: PgliteThreadOptions): Promise<PgliteThread> {
    const thread = new PgliteThread(dataDir, options);
    try {
      await thread.#start();
      return thread;
    } catch (error) {
      await thread.close();
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

  /** Starts the watch on stuck calls and on free space (after migrations, which may be long and must write). */
  startGuards(): void {
    if (this.#timers.length > 0) return;
    this.#timers.push(setInterval(() => this.#watch(), WATCH_INTERVAL_MS).unref());
    this.#timers.push(setInterval(() => void this.#checkSpace(), SPACE_CHECK_INTERVAL_MS).unref());
    void this.#checkSpace();
  }

  /** How many times the database has flushed a file to disk (each commit does once). */
  syncCount(): Promise<number> {
    return this.#call({ op: 'syncs' }) as Promise<number>;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers) clearInterval(timer);
    if (!this.#failure) await this.#call({ op: 'close' }).catch(() => undefined);
    this.#fail(unavailable('The embedded database is closed.'));
    await this.#worker?.terminate();
  }

  /** A fresh worker on the data directory, re-applying the read-only state of a low disk. */
  async #start(): Promise<void> {
    const worker = new Worker(new URL('./pgliteWorker.mjs', import.meta.url));
    this.#worker = worker;
    // The worker answers in batches too: every reply ready in one of its turns, in one message.
    worker.on('message', (replies: Reply[]) => {
      for (const { id, result, error } of replies) {
        const pending = this.#pending.get(id);
        if (!pending) continue;
        this.#pending.delete(id);
        clearTimeout(pending.timer);
        if (error) pending.reject(rebuildError(error));
        else pending.resolve(result);
      }
    });
    const died = (cause: Error) => {
      if (this.#worker === worker && !this.#closed)
        void this.#replace(unavailable(`The embedded database thread stopped: ${cause.message}`, cause));
    };
    worker.on('messageerror', died);
    worker.on('error', died);
    worker.on('exit', (code) => died(new Error(`exit code ${code}`)));
    // Calls keep failing until the database is open: the worker cannot take a query before then.
    await this.#send({ op: 'open', dataDir: this.dataDir }, OPEN_TIMEOUT_MS);
    if (this.#readOnly) await this.#send({ op: 'readOnly', on: true }, PING_TIMEOUT_MS);
    this.#aliveAt = Date.now();
    this.#failure = null;
  }

  /** Fails every call in flight, terminates the worker and opens a fresh one, retrying with a growing delay. */
  async #replace(cause: Error): Promise<void> {
    if (this.#failure || this.#closed) return;
    this.#fail(cause);
    const stuck = this.#worker;
    await stuck.terminate().catch(() => undefined);
    for (let attempt = 0; !this.#closed; attempt += 1) {
      try {
        await this.#start();
        this.options.onEvent?.({ kind: 'reopened' });
        return;
      } catch (error) {
        if (this.#worker !== stuck) await this.#worker.terminate().catch(() => undefined);
        if (this.#closed) return;
        const retryInMs = REOPEN_DELAYS_MS[Math.min(attempt, REOPEN_DELAYS_MS.length - 1)]!;
        this.options.onEvent?.({ kind: 'reopenFailed', error: error as Error, retryInMs });
        await new Promise((resolve) => setTimeout(resolve, retryInMs).unref());
      }
    }
  }

  #fail(error: Error): void {
    this.#failure = error;
    // Not yet posted: never posted, so nothing runs after its caller was told it failed.
    this.#outbox = [];
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.#pending.clear();
  }

  /** When a call has waited longer than the bound since the thread last proved alive, asks it to prove it again. */
  #watch(): void {
    if (this.#failure || this.#closed || this.#pinging) return;
    let oldest = Number.POSITIVE_INFINITY;
    for (const pending of this.#pending.values()) oldest = Math.min(oldest, pending.sentAt);
    if (Date.now() - Math.max(oldest, this.#aliveAt) < this.options.timeoutMs) return;
    this.#pinging = true;
    this.#send({ op: 'ping' }, PING_TIMEOUT_MS).then(
      () => {
        this.#aliveAt = Date.now();
        this.#pinging = false;
      },
      () => {
        this.#pinging = false;
        if (this.#failure || this.#closed) return;
        this.options.onEvent?.({ kind: 'stuck', timeoutMs: this.options.timeoutMs + PING_TIMEOUT_MS });
        void this.#replace(
          unavailable(
            `The embedded database did not answer within ${(this.options.timeoutMs + PING_TIMEOUT_MS) / 1000} s.`,
          ),
        );
      },
    );
  }

  async #checkSpace(): Promise<void> {
    if (this.#closed) return;
    let free: number;
    try {
      free = freeBytes(this.dataDir);
    } catch {
      return;
    }
    const low = free < this.options.minFreeBytes;
    if (low === this.#readOnly) return;
    this.#readOnly = low;
    this.options.onEvent?.(
      low
        ? { kind: 'lowDisk', freeBytes: free, minFreeBytes: this.options.minFreeBytes }
        : { kind: 'diskOk', freeBytes: free },
    );
    if (!this.#failure) await this.#call({ op: 'readOnly', on: low }).catch(() => undefined);
  }

  #query<T>(
    sql: string,
    params: unknown[] | undefined,
    options: QueryOptions | undefined,
    txId?: number,
  ): Promise<Results<T>> {
    // Drizzle's parsers keep some types as text; functions cannot cross threads, so their type ids go instead.
    const textTypes = Object.keys(options?.parsers ?? {}).map(Number);
    return this.#call({
      op: 'query',
      sql,
      params: params ?? [],
      rowMode: options?.rowMode,
      textTypes,
      txId,
    }) as Promise<Results<T>>;
  }

  #call(message: Record<string, unknown>): Promise<unknown> {
    if (this.#failure) return Promise.reject(this.#failure);
    return this.#send(message);
  }

  /** Posts one call; with `timeoutMs` (opening, pinging) the call itself fails when no answer comes in time. */
  #send(message: Record<string, unknown>, timeoutMs?: number): Promise<unknown> {
    const id = ++this.#nextId;
    return new Promise((resolve, reject) => {
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              this.#pending.delete(id);
              reject(unavailable(`The embedded database did not answer within ${timeoutMs / 1000} s.`));
            }, timeoutMs);
      this.#pending.set(id, { resolve, reject, sentAt: Date.now(), timer });
      const failed = (error: Error) => {
        if (timer) clearTimeout(timer);
        this.#pending.delete(id);
        reject(error);
      };
      this.#outbox.push({ message: { ...message, id }, failed });
      if (this.#outbox.length === 1) setImmediate(() => this.#flush());
    });
  }

  /**
   * Posts the calls made in one turn of the event loop as one message: a burst of answers reads and writes
   * through one message each way rather than one per query. The worker runs them in order, as if sent apart.
   */
  #flush(): void {
    const batch = this.#outbox;
    this.#outbox = [];
    if (batch.length === 0) return;
    try {
      this.#worker.postMessage(batch.map((item) => item.message));
    } catch {
      // A value that cannot be copied to the thread (a function, say): that call fails, the others go on.
      for (const item of batch) {
        try {
          this.#worker.postMessage([item.message]);
        } catch (error) {
          item.failed(error as Error);
        }
      }
    }
  }
}
