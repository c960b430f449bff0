import postgres from 'postgres';

/** An advisory lock's key: one number, or a pair (PostgreSQL keeps pairs in a space of their own). */
export type AdvisoryLockKey = number | readonly [number, number];

export interface AdvisoryLockOptions {
  /** Shared: any number of holders at once, but never beside an exclusive holder. */
  shared?: boolean;
}

/** Who else holds an advisory lock now. */
export type AdvisoryLockHolders = 'exclusive' | 'shared' | null;

const CHECK_INTERVAL_MS = 2_000;
/** A check that gets no answer in this time counts as a lost connection (a cut that no packet announced). */
const CHECK_TIMEOUT_MS = 10_000;

function lockFunction(action: 'try' | 'unlock', options: AdvisoryLockOptions): string {
  const name = action === 'try' ? 'pg_try_advisory_lock' : 'pg_advisory_unlock';
  return options.shared ? `${name}_shared` : name;
}

function lockArguments(key: AdvisoryLockKey): { args: string; params: number[] } {
  return typeof key === 'number'
    ? { args: '$1::bigint', params: [key] }
    : { args: '$1::int, $2::int', params: [key[0], key[1]] };
}

/** pg_locks shows a one-number key split into its high and low 32 bits (objsubid 1), a pair as is (objsubid 2). */
function lockRow(key: AdvisoryLockKey): { classid: number; objid: number; objsubid: number } {
  if (typeof key !== 'number') return { classid: key[0] >>> 0, objid: key[1] >>> 0, objsubid: 2 };
  const big = BigInt.asUintN(64, BigInt(key));
  return { classid: Number(big >> 32n), objid: Number(big & 0xffffffffn), objsubid: 1 };
}

function sameKey(a: AdvisoryLockKey, b: AdvisoryLockKey): boolean {
  return typeof a === 'number' || typeof b === 'number' ? a === b : a[0] === b[0] && a[1] === b[1];
}

/**
 * Session-level advisory locks held for a process's life on one PostgreSQL connection of their own (outside the
 * pool, never recycled): they all end when it does, and then another process may take them, so the loss is
 * reported at once (the connection closed) or at the next check (it stopped answering, or a new one replaced it).
 */
export class HeldLocks {
  readonly #sql: postgres.Sql;
  readonly #held: { key: AdvisoryLockKey; shared: boolean }[] = [];
  #onLost = new Set<(reason: string) => void>();
  #backendPid: Promise<number> | undefined;
  #lost: string | null = null;
  #closing = false;

  constructor(url: string) {
    this.#sql = postgres(url, {
      onnotice: () => {},
      connect_timeout: 10,
      max: 1,
      max_lifetime: null,
      idle_timeout: 0,
      onclose: () => {
        if (!this.#closing && this.#held.length > 0) this.#markLost('the connection that held the locks was closed');
      },
    });
  }

  async hold(key: AdvisoryLockKey, options: AdvisoryLockOptions = {}): Promise<boolean> {
    if (this.#lost) throw new Error(`the database connection of the held locks was lost: ${this.#lost}`);
    this.#backendPid ??= this.#sql<{ pid: number }[]>`select pg_backend_pid() as pid`.then(([row]) => row!.pid);
    await this.#backendPid;
    const { args, params } = lockArguments(key);
    const [row] = await this.#sql.unsafe<{ locked: boolean }[]>(
      `select ${lockFunction('try', options)}(${args}) as locked`,
      params,
    );
    if (row?.locked) this.#held.push({ key, shared: options.shared === true });
    return row?.locked === true;
  }

  async release(key: AdvisoryLockKey, options: AdvisoryLockOptions = {}): Promise<void> {
    const index = this.#held.findIndex((lock) => sameKey(lock.key, key) && lock.shared === (options.shared === true));
    if (index < 0) return;
    this.#held.splice(index, 1);
    const { args, params } = lockArguments(key);
    await this.#sql.unsafe(`select ${lockFunction('unlock', options)}(${args})`, params);
  }

  async holders(key: AdvisoryLockKey): Promise<AdvisoryLockHolders> {
    const { classid, objid, objsubid } = lockRow(key);
    const rows = await this.#sql<{ mode: string }[]>`
      select mode from pg_locks
      where locktype = 'advisory' and granted and pid <> pg_backend_pid()
        and database = (select oid from pg_database where datname = current_database())
        and classid::bigint = ${classid} and objid::bigint = ${objid} and objsubid = ${objsubid}`;
    if (rows.some((row) => row.mode === 'ExclusiveLock')) return 'exclusive';
    return rows.length > 0 ? 'shared' : null;
  }

  watch(onLost: (reason: string) => void, intervalMs = CHECK_INTERVAL_MS): () => void {
    if (this.#lost) {
      onLost(this.#lost);
      return () => undefined;
    }
    this.#onLost.add(onLost);
    let checking = false;
    const timer = setInterval(() => {
      if (checking) return;
      checking = true;
      void this.#check()
        .then((problem) => problem && this.#markLost(problem))
        .catch((error: unknown) => this.#markLost(`the check failed: ${(error as Error).message}`))
        .finally(() => (checking = false));
    }, intervalMs);
    timer.unref();
    const stop = () => {
      clearInterval(timer);
      this.#onLost.delete(onLost);
    };
    this.#onLost.add(stop);
    return stop;
  }

  async close(): Promise<void> {
    this.#closing = true;
    this.#held.splice(0);
    await this.#sql.end({ timeout: 5 });
  }

  /** What is wrong with the locks' connection, or null when it is the one that took them and holds them all. */
  async #check(): Promise<string | null> {
    if (!this.#backendPid || this.#held.length === 0) return null;
    const expectedPid = await this.#backendPid;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${CHECK_TIMEOUT_MS / 1000} s`)), CHECK_TIMEOUT_MS);
    });
    try {
      const [row] = await Promise.race([
        this.#sql<{ pid: number; held: number }[]>`
          select pg_backend_pid() as pid, (select count(*)::int from pg_locks
            where locktype = 'advisory' and granted and pid = pg_backend_pid()) as held`,
        timeout,
      ]);
      if (row?.pid !== expectedPid) return 'the connection that held the locks was replaced by a new one';
      if ((row?.held ?? 0) < this.#held.length)
        return `the connection holds ${row?.held ?? 0} of its ${this.#held.length} locks`;
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  #markLost(reason: string): void {
    if (this.#lost) return;
    this.#lost = reason;
    const listeners = this.#onLost;
    this.#onLost = new Set();
    for (const listener of listeners) listener(reason);
  }
}
