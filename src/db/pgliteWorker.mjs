/**
 * The embedded database's own thread: PGlite runs every query synchronously, so on the bot's thread a
 * burst of answers would hold up Discord's events and the acknowledgements. Here it runs beside them.
 * Plain JavaScript, so that it loads whatever runs the bot: tsx passes its TypeScript loader on to workers,
 * but vitest's module runner does not.
 * Driven by PgliteThread (pgliteThread.ts): arrays of messages { id, op, ... } in, arrays of { id, result } or { id, error } out.
 */
import { PGlite } from '@electric-sql/pglite';
import { fdatasyncSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { setFlagsFromString } from 'node:v8';

// PGlite is a WebAssembly build of PostgreSQL. V8 compiles WebAssembly first with its quick baseline compiler and
// optimizes only what runs hot; PGlite runs best fully optimized (measured: 3.1 ms instead of 3.6 ms of CPU per
// stored answer once warm). Set before PGlite compiles its module, which happens when it opens, below.
setFlagsFromString('--no-liftoff');

/** The fields of a database error that callers read (SQLSTATE code, constraint name and the like). */
const ERROR_FIELDS = ['code', 'constraint', 'detail', 'hint', 'severity', 'schema', 'table', 'column', 'dataType'];

function serializeError(error) {
  const fields = { name: error?.name ?? 'Error', message: error?.message ?? String(error) };
  for (const key of ERROR_FIELDS) if (error?.[key] !== undefined) fields[key] = error[key];
  return fields;
}

/** Drizzle asks for some types as text (timestamps, dates): it sends their type ids, as functions cannot cross threads. */
function queryOptions({ rowMode, textTypes }) {
  return { rowMode, parsers: Object.fromEntries(textTypes.map((typeId) => [typeId, (value) => value])) };
}

/** Replies ready in one turn of this thread's event loop go back together, in one message. */
let outbox = [];
function send(item) {
  outbox.push(item);
  if (outbox.length === 1) {
    setImmediate(() => {
      const batch = outbox;
      outbox = [];
      parentPort.postMessage(batch);
    });
  }
}
const reply = (id, result) => send({ id, result });
const fail = (id, error) => send({ id, error: serializeError(error) });

/** The rollback a caller asked for: thrown inside PGlite's transaction so that PGlite rolls it back. */
const ROLLBACK = Symbol('rollback');

/**
 * PGlite starts with fsync off (`-F`), and its file system layer ignores fdatasync: a commit could sit in the
 * OS cache when the power goes. So fsync is turned on, PostgreSQL syncs the WAL with fsync() (the one call
 * that reaches the file system layer), and that layer is taught to flush the file to disk.
 */
const DURABLE_START_PARAMS = [
  ...PGlite.defaultStartParams.filter((param) => param !== '-F'),
  '-c',
  'wal_sync_method=fsync',
];
/** How many times the database asked for its files to reach the disk (read by the durability test). */
let syncs = 0;

function syncToDisk(stream) {
  syncs += 1;
  try {
    fdatasyncSync(stream.nfd);
  } catch (error) {
    // Directories cannot be synced on every file system; a data file that cannot is a real failure.
    if (!['EINVAL', 'EISDIR', 'EBADF'].includes(error?.code)) throw error;
  }
  return 0;
}

async function open(dataDir) {
  db = await PGlite.create(dataDir, { startParams: DURABLE_START_PARAMS });
  db.mod.NODEFS.stream_ops.fsync = syncToDisk;
  // Files written before the sync was in place reach the disk now.
  await db.exec('checkpoint');
}

let db;
/** Open transactions by id: the client to query with, and how to end it. */
const transactions = new Map();

function begin({ id, txId }) {
  let endId;
  db.transaction(async (client) => {
    const ended = new Promise((resolve, reject) => {
      transactions.set(txId, {
        client,
        end: (message) => {
          endId = message.id;
          if (message.commit) resolve();
          else reject(ROLLBACK);
        },
      });
    });
    reply(id, null);
    await ended;
  })
    .then(() => reply(endId, null))
    .catch((error) => {
      if (endId === undefined) fail(id, error);
      else if (error === ROLLBACK) reply(endId, null);
      else fail(endId, error);
    })
    .finally(() => transactions.delete(txId));
}

// Calls arrive in batches (pgliteThread.ts posts those of one turn together): each runs as if sent alone.
parentPort.on('message', (messages) => {
  for (const message of messages) void handle(message);
});

async function handle(message) {
  try {
    switch (message.op) {
      case 'open':
        await open(message.dataDir);
        return reply(message.id, null);
      case 'syncs':
        return reply(message.id, syncs);
      case 'ping':
        return reply(message.id, null);
      case 'readOnly':
        // Below the free-space margin: PostgreSQL itself refuses every write (25006), so nothing is half-written.
        await db.exec(`set default_transaction_read_only = ${message.on ? 'on' : 'off'}`);
        return reply(message.id, null);
      case 'query': {
        const client = message.txId === undefined ? db : transactions.get(message.txId)?.client;
        if (!client) throw new Error(`transaction ${message.txId} is not open`);
        return reply(message.id, await client.query(message.sql, message.params, queryOptions(message)));
      }
      case 'begin':
        return begin(message);
      case 'end': {
        const transaction = transactions.get(message.txId);
        if (!transaction) throw new Error(`transaction ${message.txId} is not open`);
        return transaction.end(message);
      }
      case 'close':
        await db?.close();
        return reply(message.id, null);
      default:
        throw new Error(`unknown operation ${message.op}`);
    }
  } catch (error) {
    fail(message.id, error);
  }
}
