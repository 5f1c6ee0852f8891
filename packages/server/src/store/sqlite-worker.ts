import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** One message for the connection thread's fast path: plain text, stored with no attachments. */
export interface WorkerAppend {
  appId: string;
  conversationId?: string;
  /** The id of the conversation it starts, when it has no conversationId. */
  newConversationId?: string;
  visitorId?: string;
  byVisitor: boolean;
  messageId: string;
  authorType: string;
  authorId: string;
  authorName: string | null;
  clientId: string;
  text: string;
  now: string;
  screening: string | null;
  flag: boolean;
}

/** The order in which a message's fields travel to the thread (packAppends). Every field. */
const APPEND_ORDER = Object.keys({
  appId: true,
  conversationId: true,
  newConversationId: true,
  visitorId: true,
  byVisitor: true,
  messageId: true,
  authorType: true,
  authorId: true,
  authorName: true,
  clientId: true,
  text: true,
  now: true,
  screening: true,
  flag: true,
} satisfies Record<keyof WorkerAppend, true>) as (keyof WorkerAppend)[];

/**
 * The embedded store's connection lives on its own thread: better-sqlite3 is synchronous, so
 * on the event loop every statement, commit and checkpoint (their write system calls, a third of
 * the message path's time) stalled everything else. The event loop now only sends statements
 * and receives rows. Messages are handled in the order they are sent, so a transaction that
 * Kysely runs (begin, statements, commit, under its connection lock) stays one transaction.
 *
 * The source is a string so that it survives bundling (dist/ is one file per entry) and runs
 * the same under the tests' TypeScript loader.
 */
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
// Deleted content is overwritten with zeros, so an erased contact leaves nothing in free pages.
db.pragma('secure_delete = ON');
db.pragma('busy_timeout = 5000');
// 16 MiB of pages: the message path's working set with room to spare, and no more, because every
// commit can cost SQLite a walk over the whole cache. When an insert splits a B-tree page,
// balance_nonroot reorders the new pages through a temporary page number past the end of any
// real file (the pending-byte page, at 1 GiB); the cache then counts that as its largest page,
// and the truncation at the end of each write transaction scans every slot of its hash table
// instead of the few past the end. With 64 MiB that scan was 7% of the thread's time.
db.pragma('cache_size = -16384');
// Above the log's restart mark (16,384 pages of 4 KiB and a frame header: 67.5 MB), so a log
// that starts over keeps its file and the next commits write over it (sqlite-checkpointer.ts).
db.pragma('journal_size_limit = ' + 96 * 1024 * 1024);
const cache = new Map();
function prepare(sql) {
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    if (cache.size >= 500) cache.delete(cache.keys().next().value);
    cache.set(sql, statement);
  }
  return statement;
}
// Structured clone turns Buffers into plain Uint8Arrays; better-sqlite3 binds Buffers.
function bind(params) {
  for (let i = 0; i < params.length; i++) {
    const v = params[i];
    if (v instanceof Uint8Array && !Buffer.isBuffer(v)) params[i] = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  }
  return params;
}
function run(sql, params) {
  const statement = prepare(sql);
  // Anything but a plain read may change a conversation behind the rows kept below (BEGIN and
  // ROLLBACK too: a rollback undoes what the message path wrote inside the transaction).
  if (!(statement.reader && statement.readonly)) conversations.clear();
  if (statement.reader) return { rows: statement.all(bind(params)) };
  return { rows: [], changes: statement.run(bind(params)).changes };
}
// The conversation's row on the message path, as an array (no object per read, and a small
// reply), and each of its columns' index in it.
let conversationRow;
let col;
// The rows of the conversations the message path wrote last, as they are stored: a message
// then reads its conversation from here instead of from the database (a quarter of a batch's
// statements). Only this connection writes them unseen: what else writes is forgotten at once
// (run, a failed batch, another process's commit, seen by data_version), and a stale row
// could not do harm unnoticed either, since its seq would collide in the (conversation, seq)
// unique index and fail its batch.
const conversations = new Map();
const CONVERSATIONS_KEPT = 20000;
let dataVersion;
let seenVersion;
function conversationOf(id) {
  const kept = conversations.get(id);
  // A copy: the batch's answer for each message is the row as that message left it.
  if (kept !== undefined) return kept.slice();
  return conversationRow.get(parametersOf.conversationRow({ id }));
}
function keep(id, row) {
  // The oldest kept goes first when there are too many (a row's place is where it came in).
  if (conversations.size >= CONVERSATIONS_KEPT && !conversations.has(id)) {
    conversations.delete(conversations.keys().next().value);
  }
  conversations.set(id, row);
}
// At the start of each batch's transaction (IMMEDIATE: no one else can commit until it ends).
function forgetOthersWrites() {
  const version = dataVersion.get();
  if (version !== seenVersion) conversations.clear();
  seenVersion = version;
}
// The message path's statements, prepared once, and for each the function that lays out its
// parameters for one message: each slot's value read from an object by name (or from a row
// array at its column's index), or its fixed value. Written as code when the statements arrive,
// so a message's parameters are one array literal, not a lookup and a call per slot.
let statements;
let parametersOf;
function compiled(template, indexOf) {
  const values = template.slots.map((s, i) =>
    s.name === undefined ? 'fixed[' + i + ']' : indexOf ? 'a[' + indexOf[s.name] + ']' : 'a[' + JSON.stringify(s.name) + ']');
  return new Function('fixed', 'return (a) => [' + values.join(', ') + '];')(template.slots.map((s) => s.value));
}
// One message of the message path. The conversation is read first (a visitor writes only to
// their own); the message goes in unless its author stored this clientId before, in which case
// the stored one answers; then the conversation's counters move. A refusal writes nothing, so
// it does not spoil the batch. Stored, it answers the conversation's row as it now is.
function append(m) {
  const conversationId = m.conversationId === undefined ? m.newConversationId : m.conversationId;
  if (m.conversationId === undefined) {
    // A resend of a first message finds the stored one before it starts another conversation.
    const existing = statements.byClientId.get(parametersOf.byClientId(m));
    if (existing) return { repeat: existing };
    statements.insertConversation.run(
      parametersOf.insertConversation({ id: conversationId, appId: m.appId, visitorId: m.visitorId, now: m.now }),
    );
  }
  const c = conversationOf(conversationId);
  if (!c || c[col.app_id] !== m.appId || (m.byVisitor && c[col.visitor_id] !== m.visitorId)) {
    const existing = statements.byClientId.get(parametersOf.byClientId(m));
    return existing ? { repeat: existing } : { refused: 'conversation ' + conversationId + ' not found' };
  }
  const seq = c[col.last_seq] + 1;
  const row = {
    id: m.messageId, app_id: m.appId, conversation_id: conversationId, seq,
    author_type: m.authorType, author_id: m.authorId, author_name: m.authorName, client_id: m.clientId,
    text: m.text, attachments: '[]', created_at: m.now, screening: m.screening,
    review_state: m.flag ? 'pending' : null,
  };
  // Nothing inserted: the author's clientId is taken, by the message this one repeats.
  if (statements.insertMessage.run(parametersOf.insertMessage(row)).changes === 0) {
    return { repeat: statements.byClientId.get(parametersOf.byClientId(m)) };
  }
  // The counters as the message path's bump moves them (kysely/messages.ts): the author has
  // read up to their own message, and a visitor writing reopens the conversation.
  c[col.last_seq] = seq;
  c[col.updated_at] = m.now;
  if (m.byVisitor) {
    c[col.status] = 'open';
    c[col.visitor_last_read_seq] = seq;
    c[col.visitor_unread] = 0;
    c[col.agent_unread] += 1;
  } else {
    c[col.agent_last_read_seq] = seq;
    c[col.agent_unread] = 0;
    c[col.visitor_unread] += 1;
  }
  if (m.flag) c[col.flagged] = 1;
  statements.setCounters.run(parametersOf.setCounters(c));
  keep(conversationId, c);
  return c;
}
// The messages of a batch come as one flat array, APPEND_FIELDS values each: one array to
// clone instead of an object per message, whose keys the clone would write out every time.
const APPEND_FIELDS = ${APPEND_ORDER.length};
const unpack = (f, i) => ({ ${APPEND_ORDER.map((field, j) => `${field}: f[i + ${j}]`).join(', ')} });
// A batch in a transaction of its own (set with the hot statements).
let unit;
function appendAll(flat) {
  const results = [];
  for (let i = 0; i < flat.length; i += APPEND_FIELDS) results.push(append(unpack(flat, i)));
  return results;
}
// A second, read-only connection for reads that must not wait for the writer's transaction
// (the encryption keys, looked up while a transaction holds the connection). Its own snapshot.
let reader;
function read(sql, params) {
  if (!reader) reader = workerData.file === ':memory:' ? db : new Database(workerData.file, { readonly: true });
  return { rows: reader.prepare(sql).all(bind(params)) };
}
parentPort.on('message', (m) => {
  try {
    if (m.t === 'q') parentPort.postMessage({ id: m.id, ...run(m.sql, m.p) });
    else if (m.t === 'r') parentPort.postMessage({ id: m.id, ...read(m.sql, m.p) });
    else if (m.t === 'append') parentPort.postMessage({ id: m.id, results: appendAll(m.items) });
    else if (m.t === 'unit') parentPort.postMessage({ id: m.id, results: unit(m.items) });
    else if (m.t === 'hot') {
      const hot = m.sql;
      conversations.clear();
      dataVersion = db.prepare('pragma data_version').pluck();
      seenVersion = dataVersion.get();
      unit = db.transaction((items) => {
        forgetOthersWrites();
        return appendAll(items);
      }).immediate;
      conversationRow = db.prepare(hot.conversationRow.sql).raw(true);
      col = {};
      conversationRow.columns().forEach((c, i) => { col[c.name] = i; });
      statements = {
        byClientId: db.prepare(hot.byClientId.sql),
        insertConversation: db.prepare(hot.insertConversation.sql),
        insertMessage: db.prepare(hot.insertMessage.sql),
        setCounters: db.prepare(hot.setCounters.sql),
      };
      parametersOf = {
        byClientId: compiled(hot.byClientId),
        insertConversation: compiled(hot.insertConversation),
        conversationRow: compiled(hot.conversationRow),
        insertMessage: compiled(hot.insertMessage),
        // From the conversation's row as an array: its columns' indexes.
        setCounters: compiled(hot.setCounters, col),
      };
      parentPort.postMessage({ id: m.id });
    }
    else if (m.t === 'close') { if (reader && reader !== db) reader.close(); db.close(); parentPort.postMessage({ id: m.id }); parentPort.close(); }
  } catch (err) {
    // Rolled back, or left to its caller's transaction to roll back: what it wrote is not kept.
    conversations.clear();
    parentPort.postMessage({ id: m.id, error: { message: String(err && err.message), code: err && err.code } });
  }
});
`;

/** A statement compiled once: its SQL, and per parameter a fixed value or an argument's name. */
export interface StatementTemplate {
  sql: string;
  slots: ({ name: string } | { value: unknown })[];
}

/** The message path's statements (messages.ts builds them), for the worker's fast path. */
export interface HotStatements {
  byClientId: StatementTemplate;
  insertConversation: StatementTemplate;
  conversationRow: StatementTemplate;
  /** Inserts nothing when the author's clientId is taken. */
  insertMessage: StatementTemplate;
  /** Sets a conversation's counters, status and flag to the values given. */
  setCounters: StatementTemplate;
}

export type WorkerAppendResult =
  | { repeat: Record<string, unknown> }
  | { refused: string }
  /**
   * Stored: the conversation's row as it now is, its values in the order of the SELECT of
   * HotStatements.conversationRow (the message's seq is its last_seq; the rest of the message
   * is what was sent).
   */
  | unknown[];

type Reply = {
  id: number;
  rows?: Record<string, unknown>[];
  changes?: number;
  results?: WorkerAppendResult[];
  error?: { message: string; code?: string };
};

/** An error from SQLite, with its code (SQLITE_CONSTRAINT_UNIQUE, …) as better-sqlite3 gives it. */
class SqliteError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'SqliteError';
  }
}

/**
 * A first-come-first-served lock. Kysely's own SQLite mutex wakes every waiter on each unlock
 * and lets them race again, which costs O(waiters) per query: with hundreds of concurrent
 * requests that turned one store call into milliseconds. This one wakes exactly the next.
 */
class FifoMutex {
  private locked = false;
  private readonly waiters: (() => void)[] = [];
  private head = 0;

  lock(): Promise<void> {
    if (!this.locked) {
      this.locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  unlock(): void {
    if (this.head < this.waiters.length) {
      const next = this.waiters[this.head]!;
      this.waiters[this.head] = undefined as never;
      this.head += 1;
      if (this.head > 1024 && this.head * 2 > this.waiters.length) {
        this.waiters.splice(0, this.head);
        this.head = 0;
      }
      next();
    } else {
      this.locked = false;
    }
  }
}

/** The event loop's side of the connection thread. */
export class SqliteWorker {
  /** Held by a Kysely transaction (or single query) from its first statement to its last. */
  readonly connection = new FifoMutex();
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  private next = 0;
  private failed: Error | undefined;

  constructor(file: string) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file },
    });
    // Alive only while it has work: an idle store never keeps the process (a CLI run) open.
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => this.settle(reply));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => this.fail(new Error(`the SQLite thread exited (${code})`)));
  }

  private settle(reply: Reply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if (reply.error) waiting.reject(new SqliteError(reply.error.message, reply.error.code));
    else waiting.resolve(reply);
  }

  private fail(err: Error): void {
    this.failed ??= err;
    for (const waiting of this.pending.values()) waiting.reject(err);
    this.pending.clear();
  }

  /** Posts `message` (a new object each time: its id is set here) and waits for the reply. */
  private send(message: Record<string, unknown>): Promise<Reply> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.next++;
    if (this.pending.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      message.id = id;
      this.worker.postMessage(message);
    });
  }

  /** Runs one statement: the rows of a reader, the count of changed rows of a writer. */
  async query(
    sql: string,
    parameters: readonly unknown[],
  ): Promise<{ rows: Record<string, unknown>[]; changes?: number }> {
    const reply = await this.send({ t: 'q', sql, p: parameters });
    return {
      rows: (reply.rows ?? []).map(buffers),
      ...(reply.changes !== undefined ? { changes: reply.changes } : {}),
    };
  }

  /**
   * A read on the thread's second, read-only connection: it sees what is committed and never
   * waits for the transaction that may hold the main one.
   */
  async read(sql: string, parameters: readonly unknown[]): Promise<Record<string, unknown>[]> {
    return ((await this.send({ t: 'r', sql, p: parameters })).rows ?? []).map(buffers);
  }

  async prepareHot(statements: HotStatements): Promise<void> {
    await this.send({ t: 'hot', sql: statements });
  }

  /** Runs the message path for each message, inside the transaction the caller holds. */
  async append(items: WorkerAppend[]): Promise<WorkerAppendResult[]> {
    return (await this.send({ t: 'append', items: packAppends(items) })).results ?? [];
  }

  /**
   * Runs the message path for each message in a transaction of its own, as one message to the
   * thread. The connection is held only to post it (so it cannot land inside another
   * transaction): the next batch may go while this one runs, and the thread takes them in order.
   */
  async appendInTransaction(items: WorkerAppend[]): Promise<WorkerAppendResult[]> {
    await this.connection.lock();
    let reply: Promise<Reply>;
    try {
      reply = this.send({ t: 'unit', items: packAppends(items) });
    } finally {
      this.connection.unlock();
    }
    return (await reply).results ?? [];
  }

  private readonly closing: (() => void)[] = [];

  /** Runs `listener` as the store closes (before the connection does). */
  onClose(listener: () => void): void {
    this.closing.push(listener);
  }

  async close(): Promise<void> {
    for (const listener of this.closing.splice(0)) listener();
    if (this.failed) return;
    await this.send({ t: 'close' });
  }
}

/**
 * A batch's messages as one flat array, in APPEND_ORDER: the thread unpacks it (appendAll).
 * Grown by push, not made at its length: V8 writes an array made with holes element by element
 * with its index (the sparse form), which took twice as long to post.
 */
function packAppends(items: WorkerAppend[]): unknown[] {
  const flat: unknown[] = [];
  for (const item of items) for (const field of APPEND_ORDER) flat.push(item[field]);
  return flat;
}

/** Blobs come back as Uint8Arrays: Buffers again, as better-sqlite3 answers on one thread. */
function buffers(row: Record<string, unknown>): Record<string, unknown> {
  for (const key in row) {
    const v = row[key];
    if (v instanceof Uint8Array && !Buffer.isBuffer(v)) row[key] = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  }
  return row;
}
