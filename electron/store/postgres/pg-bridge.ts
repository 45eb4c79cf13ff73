/**
 * A synchronous door to PostgreSQL. The store's API is synchronous (better-sqlite3's model, used by
 * the engine, the server and the CLI alike), and `pg` is asynchronous; so a worker thread owns the
 * connection pool, and the calling thread posts each request and blocks on `Atomics.wait` until the
 * worker has the answer (the pattern of `synckit`). A round trip costs the query plus a few tens of
 * microseconds of thread hand-off; the caller blocks exactly as it does on an SQLite statement.
 *
 * A transaction holds one client of the pool from BEGIN to COMMIT or ROLLBACK; everything else takes
 * any client. The worker runs requests one at a time in the order they were posted. BEGIN and
 * savepoints ride along with the next statement rather than costing a round trip each: joined with it
 * into one simple query when it takes no parameters (a COPY, a COMMIT), else sent just before it.
 *
 * One request may be left running while the caller goes on: a COMMIT, with the COPYs that were kept
 * for it (`endAsync`). Its answer comes back as a promise; any request posted meanwhile runs after it.
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { createRequire } from 'node:module';

/** The worker's code: plain CommonJS, so it runs the same under Node, tsx, Vitest and Electron. */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { port, signal, url, applicationName } = workerData;
// Whatever fails while starting is every request's answer: the caller must never wait forever.
let pool = null;
let fatal = null;
try {
  const pg = require(workerData.module);
  // BIGINT (epoch ms, counts) and NUMERIC (sums) as numbers: epoch milliseconds fit a double exactly.
  pg.types.setTypeParser(20, (v) => Number(v));
  pg.types.setTypeParser(1700, (v) => Number(v));
  pool = new pg.Pool({ connectionString: url, max: 2, idleTimeoutMillis: 30000, connectionTimeoutMillis: 10000, keepAlive: true, application_name: applicationName });
  pool.on('error', () => undefined); // an idle client that dies is replaced on the next checkout
} catch (err) {
  fatal = err;
}
let held = null;
function reply(id, message) {
  message.id = id;
  port.postMessage(message);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}
function failure(err) {
  return { error: { message: String(err && err.message || err), code: err && err.code || null, errno: err && err.errno || null } };
}
// Statements waiting to run before a request (BEGIN, savepoints) and the request itself, when it
// takes no parameters, go to the server as one simple query: one round trip for all of them.
async function begin(pending) {
  if (!pending || !pending.length || !pending[0].begin) return;
  held = await pool.connect();
}
function joined(pending, sql) {
  return [...(pending || []).map((p) => p.sql), ...(sql ? [sql] : [])].join('; ');
}
async function runPending(pending) {
  if (!pending || !pending.length) return;
  await begin(pending);
  await (held || pool).query(joined(pending));
}
// COPY … FROM STDIN as a query object the client runs in its queue: the text may hold several
// COPYs, each fed the next of \`inputs\` when the server asks for it; answers with the rows copied once
// the server is ready again.
function copyIn(client, text, inputs) {
  return new Promise((resolve, reject) => {
    let rows = 0;
    let next = 0;
    let failed = null;
    client.query({
      submit: (connection) => connection.query(text),
      // Runs inside the socket's data handler, where a throw would leave the request unanswered: a
      // failure here fails the COPY on the server instead, which answers with an error as usual.
      handleCopyInResponse: (connection) => {
        try {
          const input = inputs[next++];
          if (input === undefined) throw new Error('COPY ' + next + ' of the request was given no input');
          for (const data of Array.isArray(input) ? input : [input])
            connection.sendCopyFromChunk(typeof data === 'string' ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength));
          connection.endCopyFrom();
        } catch (err) {
          failed = err;
          connection.sendCopyFail(String(err && err.message || err));
        }
      },
      // The COPYs' own counts, not those of statements sent with them (SAVEPOINT, RELEASE).
      handleCommandComplete: (msg) => {
        const copied = /^COPY (\\d+)$/.exec(msg.text || '');
        if (copied) rows += Number(copied[1]);
      },
      // The client forgets a query once it fails (no ready-for-query follows for it): answer now.
      handleError: (err) => reject(failed || err),
      handleReadyForQuery: () => resolve(rows),
      handleEmptyQuery: () => undefined,
      handleRowDescription: () => undefined,
      handleDataRow: () => undefined,
    });
  });
}
async function handle(m) {
  if (fatal) throw fatal;
  if (m.op === 'end') {
    await begin(m.pending);
    const client = held;
    held = null;
    if (!client) return {};
    try {
      const text = joined(m.pending, [...(m.copies || []).map((c) => c.sql), m.sql].join('; '));
      if (m.copies && m.copies.length) await copyIn(client, text, m.copies.map((c) => c.data));
      else await client.query(text);
      client.release();
    } catch (err) {
      client.release(true);
      // A ROLLBACK that fails leaves nothing to undo (the server ends a transaction whose connection
      // is gone); the error that caused the rollback is the one to report.
      if (m.sql !== 'ROLLBACK') throw err;
    }
    return {};
  }
  if (m.op === 'close') {
    if (held) { held.release(true); held = null; }
    await pool.end();
    return {};
  }
  if (m.op === 'copy') {
    await begin(m.pending);
    const text = joined(m.pending, m.sql);
    if (held) return { rows: [], rowCount: await copyIn(held, text, m.inputs) };
    const client = await pool.connect();
    try { return { rows: [], rowCount: await copyIn(client, text, m.inputs) }; } finally { client.release(); }
  }
  const simple = !m.params.length && !m.arrays;
  if (simple) await begin(m.pending);
  else await runPending(m.pending);
  const target = held || pool;
  const text = simple ? joined(m.pending, m.sql) : m.sql;
  const result = await target.query({ text, values: m.params, rowMode: m.arrays ? 'array' : undefined });
  const last = Array.isArray(result) ? result[result.length - 1] : result;
  return { rows: last.rows || [], rowCount: last.rowCount || 0 };
}
let queue = Promise.resolve();
const waiting = new Set();
function answer(id, message) {
  if (waiting.delete(id)) reply(id, message);
}
port.on('message', (m) => {
  waiting.add(m.id);
  queue = queue.then(() => handle(m).then((r) => answer(m.id, r), (err) => answer(m.id, failure(err))));
});
// Anything else that throws outside a request's promise (in a connection's event handlers) would
// leave that request unanswered and every later one queued behind it. Instead each gets the error,
// now and from then on: the connections' state is unknown, and reopening the store is the way back.
process.on('uncaughtException', (err) => {
  fatal = new Error('the PostgreSQL connection thread failed: ' + String(err && err.message || err));
  for (const id of waiting) reply(id, failure(fatal));
  waiting.clear();
  queue = Promise.resolve();
});
`;

/** Longer than any statement Candlekeep sends (a chunk of `migrate`, a count over years of candles). */
const ANSWER_TIMEOUT_MS = 10 * 60_000;

export interface BridgeQuery {
  sql: string;
  params?: unknown[];
  /** Rows as arrays (for `raw()` statements). */
  arrays?: boolean;
}

export interface BridgeResult {
  rows: unknown[];
  rowCount: number;
}

/** An error PostgreSQL (or the connection to it) raised, with its SQLSTATE or errno code. */
export class PgError extends Error {
  override name = 'PgError';
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
  }
}

/** A COPY and its input (several segments are sent one after another as one stream). */
export interface KeptCopy {
  sql: string;
  data: CopyInput;
}

export type CopyInput = string | Uint8Array | Uint8Array[];

type Answer = BridgeResult & { id: number; error?: { message: string; code: string | null; errno: string | null } };

function settled(answer: Answer): BridgeResult {
  if (answer.error) throw new PgError(answer.error.message, answer.error.code ?? answer.error.errno);
  return answer;
}

export class PgBridge {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private closed = false;
  /** Why requests fail at once, once the worker has stopped by itself. */
  private lostReason: string | null = null;
  private pending: Array<{ sql: string; begin?: boolean }> = [];
  private nextId = 1;
  /** Requests left running (`endAsync`), by id, with their promise's settlers. */
  private readonly running = new Map<number, { resolve: (r: BridgeResult) => void; reject: (e: unknown) => void }>();

  constructor(url: string) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const module = createRequire(import.meta.url).resolve('pg');
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { port: port2, signal: this.signal, url, module, applicationName: 'candlekeep' },
      transferList: [port2],
    });
    // The answer to a request left running arrives as an event, unless a blocking call takes it first.
    this.port.on('message', (answer: Answer) => this.settle(answer));
    // A worker that stops (killed, out of memory) answers nothing more: what is left running fails now,
    // and what is posted after fails at once, rather than waiting on it.
    this.worker.on('error', (err) => this.lost(err));
    this.worker.on('exit', () => this.lost(null));
    // The worker never keeps a process alive by itself: a store left open must not hang the CLI.
    // (Unref'd after the listener, which refs the port again.) A request left running refs it while it runs.
    this.worker.unref();
    this.port.unref();
  }

  /** Hand an answer to the promise of the request left running that it belongs to. */
  private settle(answer: Answer): void {
    const waiter = this.running.get(answer.id);
    if (!waiter) return;
    this.running.delete(answer.id);
    if (!this.running.size) this.port.unref();
    try {
      waiter.resolve(settled(answer));
    } catch (err) {
      waiter.reject(err);
    }
  }

  /** The worker has stopped: fail every request left running, and every later one. */
  private lost(err: Error | null): void {
    if (this.closed) return;
    this.closed = true;
    this.lostReason = `the PostgreSQL connection thread stopped${err ? `: ${err.message}` : ''}; reopen the store`;
    const waiters = [...this.running.values()];
    this.running.clear();
    this.port.unref();
    for (const waiter of waiters) waiter.reject(new PgError(this.lostReason, null));
  }

  private post(message: Record<string, unknown>, transfer: ArrayBuffer[]): number {
    if (this.closed) throw new PgError(this.lostReason ?? 'the PostgreSQL connection is closed', null);
    const id = this.nextId++;
    this.port.postMessage({ ...message, id }, transfer);
    return id;
  }

  /**
   * Run one request and wait for its answer; a PostgreSQL error is thrown as a PgError. Answers to
   * requests left running that arrive first (they were posted first) are handed to their promises.
   */
  private call(message: Record<string, unknown>, transfer: ArrayBuffer[] = []): BridgeResult {
    const id = this.post(message, transfer);
    const deadline = Date.now() + ANSWER_TIMEOUT_MS;
    for (;;) {
      // Reset before looking: an answer posted after the look sets the signal, so the wait below returns.
      Atomics.store(this.signal, 0, 0);
      const received = receiveMessageOnPort(this.port);
      if (received) {
        const answer = received.message as Answer;
        if (answer.id === id) return settled(answer);
        this.settle(answer);
        continue;
      }
      // Bounded, so that a worker that died (it cannot say so while this thread waits) never hangs the process.
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.wait(this.signal, 0, 0, left) === 'timed-out')
        throw new PgError(`no answer from PostgreSQL in ${ANSWER_TIMEOUT_MS / 60_000} minutes`, 'ETIMEDOUT');
    }
  }

  query(q: BridgeQuery): BridgeResult {
    return this.call({
      op: 'query',
      pending: this.takePending(),
      sql: q.sql,
      params: q.params ?? [],
      arrays: q.arrays ?? false,
    });
  }

  /**
   * Run `sql`, which holds one `COPY … FROM STDIN` per input (and may hold other statements around
   * them), feeding each COPY its input in turn; returns the rows copied. Bytes are handed over, not copied.
   */
  copy(sql: string, inputs: CopyInput[]): number {
    return this.call({ op: 'copy', pending: this.takePending(), sql, inputs }, buffersOf(inputs)).rowCount;
  }

  /**
   * Start a transaction on a client of the pool, held until `end`. Like `defer`, BEGIN travels with
   * the transaction's first statement: a round trip saved, and none at all for a transaction that
   * ends up running nothing.
   */
  begin(sql = 'BEGIN'): void {
    this.pending.push({ sql, begin: true });
  }

  /** Run `sql` (a SAVEPOINT, a RELEASE) just before the next statement, in the same round trip. */
  defer(sql: string): void {
    this.pending.push({ sql });
  }

  /** Take back the last deferred statement if it is `sql` and has not been sent (an empty savepoint). */
  retract(sql: string): boolean {
    if (this.pending[this.pending.length - 1]?.sql !== sql) return false;
    this.pending.pop();
    return true;
  }

  /** Run COMMIT or ROLLBACK on the held client and give it back. */
  end(sql: 'COMMIT' | 'ROLLBACK'): void {
    const pending = this.takePending();
    // BEGIN never left: no statement ran in this transaction, so there is nothing to end.
    if (pending.some((p) => p.begin)) return;
    this.call({ op: 'end', pending: sql === 'COMMIT' ? pending : [], sql });
  }

  /**
   * COMMIT, after running `copies` in the same round trip, without waiting: the promise settles
   * with the server's answer. Requests posted meanwhile run after it. On an error the transaction is
   * rolled back (its client is dropped, which ends it on the server).
   */
  endAsync(copies: KeptCopy[]): Promise<void> {
    const pending = this.takePending();
    if (!copies.length && pending.some((p) => p.begin)) return Promise.resolve();
    const id = this.post({ op: 'end', pending, sql: 'COMMIT', copies }, buffersOf(copies.map((c) => c.data)));
    if (!this.running.size) this.port.ref();
    return new Promise<void>((resolve, reject) => this.running.set(id, { resolve: () => resolve(), reject }));
  }

  private takePending(): Array<{ sql: string; begin?: boolean }> {
    const pending = this.pending;
    this.pending = [];
    return pending;
  }

  close(): void {
    if (this.closed) return;
    try {
      this.call({ op: 'close' });
    } finally {
      this.closed = true;
      void this.worker.terminate();
    }
  }
}

/** The buffers under COPY inputs, each once (a transfer list may not name one twice, and inputs share buffers). */
function buffersOf(inputs: CopyInput[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const input of inputs)
    for (const part of typeof input === 'string' ? [] : Array.isArray(input) ? input : [input])
      buffers.add(part.buffer as ArrayBuffer);
  return [...buffers];
}
