import type { Attachment, Message, MessagePage } from '@parley/sdk/protocol';
import type { CompiledQuery, Kysely, QueryResult, Selectable, Transaction } from 'kysely';
import { ParleyError } from '../../errors.js';
import { newId } from '../../ids.js';
import { compileOnce, templateOf } from '../compiled-query.js';
import { holdsSealedText, type KeyRing } from '../crypto.js';
import type { ConversationsTable, Database, MessagesTable } from '../schema/index.js';
import type { ReviewState } from '../schema/messages.js';
import type { SqliteWorker, WorkerAppend, WorkerAppendResult } from '../sqlite-worker.js';
import type { AppendResult, MessageStore, NewMessage, TxStore } from '../types.js';
import { type Db, isUniqueViolation } from './db.js';
import { markResponded } from './incidents-rows.js';
import { attachmentPath, conversationById, type MessageRow, toMessage, toState } from './rows.js';

interface BumpArgs {
  id: string;
  appId: string;
  now: string;
  visitorId?: string;
  [key: string]: unknown;
}

type NewMessageRow = MessageRow & { review_state: ReviewState | null };

/** Every column of a conversation, in the order the SQLite thread answers its row (fromWorker). */
const CONVERSATION_COLUMNS = Object.keys({
  id: true,
  app_id: true,
  visitor_id: true,
  status: true,
  created_at: true,
  updated_at: true,
  last_seq: true,
  visitor_last_read_seq: true,
  agent_last_read_seq: true,
  visitor_unread: true,
  agent_unread: true,
  attributes: true,
  assignee_id: true,
  flagged: true,
} satisfies Record<keyof ConversationsTable, true>) as (keyof ConversationsTable)[];

/** The conversation's row from the thread's answer: its values in CONVERSATION_COLUMNS' order. */
function conversationOf(values: unknown[]): Selectable<ConversationsTable> {
  const row: Record<string, unknown> = {};
  for (let i = 0; i < CONVERSATION_COLUMNS.length; i++) row[CONVERSATION_COLUMNS[i]!] = values[i];
  return row as unknown as Selectable<ConversationsTable>;
}

/** The message path's queries, built once (see compiled-query.ts). */
function hotQueries(db: Kysely<Database>) {
  /**
   * Takes the conversation's next seq and moves its counters; the author has read everything
   * up to their own message, and a visitor may only write to their own conversation. Answers
   * the row as it now is (PostgreSQL: one round trip). The SQLite thread's fast path does the
   * same with the values worked out from the row it read (setCounters, sqlite-worker.ts).
   */
  const bump = (byVisitor: boolean) =>
    compileOnce<BumpArgs, Selectable<ConversationsTable>>((arg) => {
      let update = db
        .updateTable('conversations')
        .set((eb) => ({
          last_seq: eb('last_seq', '+', 1),
          updated_at: arg('now'),
          ...(byVisitor
            ? {
                // A visitor writing reopens the conversation, whatever its status.
                status: 'open' as const,
                visitor_last_read_seq: eb('last_seq', '+', 1),
                visitor_unread: 0,
                agent_unread: eb('agent_unread', '+', 1),
              }
            : {
                agent_last_read_seq: eb('last_seq', '+', 1),
                agent_unread: 0,
                visitor_unread: eb('visitor_unread', '+', 1),
              }),
        }))
        .where('id', '=', arg('id'))
        .where('app_id', '=', arg('appId'));
      if (byVisitor) update = update.where('visitor_id', '=', arg('visitorId') as string);
      return update.returningAll();
    });
  const insertMessage = (arg: <K extends keyof NewMessageRow & string>(name: K) => NewMessageRow[K]) =>
    db.insertInto('messages').values({
      id: arg('id'),
      app_id: arg('app_id'),
      conversation_id: arg('conversation_id'),
      seq: arg('seq'),
      author_type: arg('author_type'),
      author_id: arg('author_id'),
      author_name: arg('author_name'),
      client_id: arg('client_id'),
      text: arg('text'),
      attachments: arg('attachments'),
      created_at: arg('created_at'),
      screening: arg('screening'),
      review_state: arg('review_state'),
    });
  return {
    bumpByVisitor: bump(true),
    bumpByAgent: bump(false),
    /** The SQLite thread reads it as an array: its columns are named, in CONVERSATION_COLUMNS' order. */
    conversationRow: compileOnce<{ id: string }, Selectable<ConversationsTable>>((arg) =>
      db.selectFrom('conversations').select(CONVERSATION_COLUMNS).where('id', '=', arg('id')),
    ),
    /** The SQLite thread's bump (sqlite-worker.ts): it works the values out from the row it read. */
    setCounters: compileOnce<Selectable<ConversationsTable>, never>((arg) =>
      db
        .updateTable('conversations')
        .set({
          last_seq: arg('last_seq'),
          updated_at: arg('updated_at'),
          status: arg('status'),
          visitor_last_read_seq: arg('visitor_last_read_seq'),
          agent_last_read_seq: arg('agent_last_read_seq'),
          visitor_unread: arg('visitor_unread'),
          agent_unread: arg('agent_unread'),
          flagged: arg('flagged'),
        })
        .where('id', '=', arg('id')),
    ),
    insertConversation: compileOnce<{ id: string; appId: string; visitorId: string; now: string }, never>((arg) =>
      db.insertInto('conversations').values({
        id: arg('id'),
        app_id: arg('appId'),
        visitor_id: arg('visitorId'),
        status: 'open',
        created_at: arg('now'),
        updated_at: arg('now'),
        last_seq: 0,
        visitor_last_read_seq: 0,
        agent_last_read_seq: 0,
        visitor_unread: 0,
        agent_unread: 0,
        attributes: '{}',
        assignee_id: null,
        flagged: 0,
      }),
    ),
    insertMessage: compileOnce<NewMessageRow, never>((arg) => insertMessage(arg)),
    /** The SQLite thread's insert: nothing when the author's clientId is taken (a repeat). */
    insertMessageOnce: compileOnce<NewMessageRow, never>((arg) =>
      insertMessage(arg).onConflict((oc) => oc.columns(['client_id', 'author_id']).doNothing()),
    ),
    messageByClientId: compileOnce<
      { appId: string; authorType: string; authorId: string; clientId: string },
      Selectable<MessagesTable>
    >((arg) =>
      db
        .selectFrom('messages')
        .selectAll()
        .where('app_id', '=', arg('appId'))
        .where('author_type', '=', arg('authorType') as 'visitor')
        .where('author_id', '=', arg('authorId'))
        .where('client_id', '=', arg('clientId')),
    ),
  };
}

interface PendingAppend {
  input: NewMessage;
  resolve: (result: AppendResult) => void;
  reject: (err: unknown) => void;
}

/** A message for the connection thread, with its text and author's name as they are stored. */
interface FastAppend extends PendingAppend {
  text: string;
  name: string | null;
}

/** Answers a waiting append: with its result, or with the refusal the store gave it. */
function settle(item: PendingAppend, outcome: AppendResult | ParleyError): void {
  if (outcome instanceof ParleyError) item.reject(outcome);
  else item.resolve(outcome);
}

/** At most this many appends share one commit. */
const GROUP_COMMIT_MAX = 256;

export class MessageQueries implements MessageStore {
  private readonly q: ReturnType<typeof hotQueries>;
  private readonly pending: PendingAppend[] = [];
  private committing = false;
  private readonly fastPending: FastAppend[] = [];
  private fastScheduled = false;
  /** Whether a batch is on the connection thread now (flushFast). */
  private fastInFlight = false;

  private readonly groupCommit: boolean;
  private readonly worker: SqliteWorker | undefined;

  /**
   * `groupCommit` (SQLite): appends that arrive while a commit is running wait and then share
   * the next one. SQLite has one writer and a commit costs far more than a row, so under load
   * this multiplies throughput; each sender is still acknowledged only after its commit.
   * PostgreSQL commits concurrently over its pool instead.
   */
  constructor(
    private readonly db: Kysely<Database>,
    options: { groupCommit: boolean; worker?: SqliteWorker | undefined; ring?: KeyRing | undefined },
    /** The areas a callback may write to inside an append's transaction (the outbox). */
    private readonly bind: (trx: Transaction<Database>) => TxStore,
  ) {
    this.q = hotQueries(db);
    this.groupCommit = options.groupCommit;
    this.worker = options.worker;
    this.ring = options.ring;
  }

  private readonly ring: KeyRing | undefined;
  /** Conversation → its contact, for sealing what the team writes there (never changes but by merge, whose keys follow). */
  private readonly owners = new Map<string, string>();

  /**
   * The message with its text sealed with the key of the conversation's contact (store/crypto.ts):
   * the author's own for a visitor, the conversation's for the team. Unchanged without
   * encryption, or when there is no such conversation (the append then refuses it).
   */
  async seal(input: NewMessage): Promise<NewMessage> {
    if (!this.ring || input.plainText !== undefined) return input;
    const owner =
      input.author.type === 'visitor' && input.visitorId
        ? input.visitorId
        : await this.ownerOf(input.appId, input.conversationId);
    // No such conversation: left as it is (the append refuses it), marked as looked at.
    if (!owner) return Object.assign({}, input, { plainText: input.text });
    // The key is known now (sealText loaded it): the name seals at once.
    return this.sealedWith(input, await this.ring.sealText(owner, input.text), owner) ?? input;
  }

  /**
   * With its sealed text, and a visitor's name (a copy of their profile) sealed too; what
   * was written is kept beside for the answer.
   */
  private sealedWith(input: NewMessage, text: string, owner: string): NewMessage | undefined {
    const name = this.sealedName(input, owner);
    if (name === undefined) return undefined;
    // Copied with Object.assign: on this V8 a literal that starts with a spread (`{ ...input }`)
    // takes 0.4-0.8 µs, five times as long, and this runs for every message not on the thread.
    if (name === input.author.name) return Object.assign({}, input, { text, plainText: input.text });
    return Object.assign({}, input, {
      text,
      plainText: input.text,
      plainAuthorName: input.author.name!,
      author: { type: input.author.type, id: input.author.id, name },
    });
  }

  /**
   * The author's name as stored: a visitor's sealed (a copy of their profile), the team's as it
   * is (not the contact's). Undefined when the key is not loaded.
   */
  private sealedName(input: NewMessage, owner: string): string | null | undefined {
    const name = input.author.name;
    return input.author.type === 'visitor' && name !== null ? this.ring!.sealTextNow(owner, name) : name;
  }

  /**
   * Whose key seals the message, when that is known without a query: the visitor's own, or
   * the contact of the conversation the team writes in.
   */
  private knownOwner(input: NewMessage): string | undefined {
    return input.author.type === 'visitor' && input.visitorId
      ? input.visitorId
      : this.owners.get(input.conversationId ?? '');
  }

  private async ownerOf(appId: string, conversationId: string | undefined): Promise<string | undefined> {
    if (conversationId === undefined) return undefined;
    const known = this.owners.get(conversationId);
    if (known) return known;
    const row = await this.db
      .selectFrom('conversations')
      .select('visitor_id')
      .where('app_id', '=', appId)
      .where('id', '=', conversationId)
      .executeTakeFirst();
    if (!row) return undefined;
    if (this.owners.size >= 100_000) this.owners.delete(this.owners.keys().next().value as string);
    this.owners.set(conversationId, row.visitor_id);
    return row.visitor_id;
  }

  /** A stored message as written: its text before sealing. */
  private plain(input: NewMessage, message: Message): Message {
    if (input.plainText !== undefined) message.text = input.plainText;
    if (input.plainAuthorName !== undefined) {
      message.author = { type: message.author.type, id: message.author.id, name: input.plainAuthorName };
    }
    return message;
  }

  private run<R>(db: Db, query: CompiledQuery<R>): Promise<QueryResult<R>> {
    return db.executeQuery(query);
  }

  /** SQLite: hands the message path's statements to the connection thread (sqlite-worker.ts). */
  async prepareWorker(): Promise<void> {
    const q = this.q;
    await this.worker?.prepareHot({
      byClientId: templateOf(q.messageByClientId),
      insertConversation: templateOf(q.insertConversation),
      conversationRow: templateOf(q.conversationRow),
      insertMessage: templateOf(q.insertMessageOnce),
      setCounters: templateOf(q.setCounters),
    });
  }

  append(input: NewMessage): Promise<AppendResult> {
    if (this.groupCommit && this.worker && !input.onStored && this.fits(input)) return this.appendFast(input);
    if (this.ring && input.plainText === undefined) {
      // Sealed at once when the key is known (nearly always), without a turn of the event loop.
      const owner = this.knownOwner(input);
      const text = owner === undefined ? undefined : this.ring.sealTextNow(owner, input.text);
      const sealed = text === undefined ? undefined : this.sealedWith(input, text, owner!);
      if (sealed === undefined) return this.seal(input).then((s) => this.append(s));
      input = sealed;
    }
    if (!this.groupCommit) return this.appendAlone(input);
    return new Promise((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      if (this.committing) return;
      this.committing = true;
      // The queries of a batch never yield to I/O (better-sqlite3 is synchronous), so start it
      // after this turn's I/O callbacks: every send that arrived with this one joins its batch.
      setImmediate(() => void this.commitPending());
    });
  }

  /**
   * The connection thread's message: sealed here as it is queued, when the contact's key is known
   * (nearly always), into the entry beside the input rather than a copy of it. What the answer
   * carries is then the input's own text and name.
   */
  private appendFast(input: NewMessage): Promise<AppendResult> {
    let text = input.text;
    let name = input.author.name;
    if (this.ring && input.plainText === undefined) {
      const owner = this.knownOwner(input);
      const sealedText = owner === undefined ? undefined : this.ring.sealTextNow(owner, text);
      const sealedName = sealedText === undefined ? undefined : this.sealedName(input, owner!);
      // The key is not loaded yet (or there is no such conversation): sealed the long way first.
      if (sealedText === undefined || sealedName === undefined) return this.seal(input).then((s) => this.append(s));
      text = sealedText;
      name = sealedName;
    }
    return new Promise((resolve, reject) => {
      this.fastPending.push({ input, text, name, resolve, reject });
      if (!this.fastScheduled) {
        this.fastScheduled = true;
        setImmediate(() => this.flushFast());
      }
    });
  }

  private async commitPending(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, GROUP_COMMIT_MAX);
        // Each append either fully succeeds or throws before it writes anything (a ParleyError:
        // not found, bad input), so one refused append does not spoil its neighbours. Anything
        // else aborts the whole batch, which rolls back as one and fails every append in it.
        let outcomes: (AppendResult | ParleyError)[];
        try {
          outcomes = await this.db.transaction().execute(async (trx) => {
            const results: (AppendResult | ParleyError | undefined)[] = await this.appendOnWorker(trx, batch);
            for (const [i, { input }] of batch.entries()) {
              if (results[i] !== undefined) continue;
              try {
                results[i] = (await this.findByClientId(trx, input)) ?? (await this.appendIn(trx, input));
              } catch (err) {
                if (!(err instanceof ParleyError)) throw err;
                results[i] = err;
              }
            }
            return results as (AppendResult | ParleyError)[];
          });
        } catch (err) {
          for (const item of batch) item.reject(err);
          continue;
        }
        batch.forEach((item, i) => {
          const outcome = outcomes[i]!;
          if (outcome instanceof ParleyError) item.reject(outcome);
          else item.resolve(outcome);
        });
      }
    } finally {
      this.committing = false;
    }
  }

  /** A message the connection thread can store alone: no files, not an agent's (see below). */
  private fits(input: NewMessage): boolean {
    return (
      (input.attachmentIds?.length ?? 0) === 0 &&
      input.author.type !== 'agent' &&
      (input.conversationId !== undefined || (input.author.type === 'visitor' && Boolean(input.visitorId)))
    );
  }

  /** `text` and `name` as they are stored: sealed, with encryption at rest. */
  private toWorker(input: NewMessage, text = input.text, name = input.author.name): WorkerAppend {
    return {
      appId: input.appId,
      conversationId: input.conversationId,
      newConversationId: input.conversationId === undefined ? newId('cnv') : undefined,
      visitorId: input.visitorId ?? '',
      byVisitor: input.author.type === 'visitor',
      messageId: newId('msg'),
      authorType: input.author.type,
      authorId: input.author.id,
      authorName: name,
      clientId: input.clientId,
      text,
      now: input.now,
      screening: input.screening ? JSON.stringify(input.screening) : null,
      flag: input.screening?.action === 'flag',
    };
  }

  /**
   * The thread's answer for one message. A stored message is answered at once, with no turn of
   * the event loop; a repeat, or a conversation whose attributes are sealed, is read first.
   */
  private fromWorker(
    db: Db,
    input: NewMessage,
    sent: WorkerAppend,
    answer: WorkerAppendResult,
  ): AppendResult | ParleyError | Promise<AppendResult | ParleyError> {
    if (!Array.isArray(answer)) {
      if ('refused' in answer) return new ParleyError('not_found', answer.refused);
      return this.repeatFromWorker(db, input, answer.repeat);
    }
    const conversation = conversationOf(answer);
    // Read on the thread, not through the store's opening of sealed values: its attributes may
    // be sealed.
    if (this.ring && holdsSealedText(conversation)) {
      return this.ring.openRow(conversation).then(() => this.storedOnWorker(input, sent, conversation));
    }
    return this.storedOnWorker(input, sent, conversation);
  }

  private async repeatFromWorker(db: Db, input: NewMessage, repeat: Record<string, unknown>) {
    // Straight from the connection thread: not through the store's opening of sealed values.
    await this.ring?.openRow(repeat);
    const row = repeat as unknown as MessageRow;
    return (await this.repeatOf(db, input, row)) ?? new ParleyError('not_found', 'conversation not found');
  }

  /**
   * The thread answers only what it worked out: the message is what was sent, with its seq
   * (the conversation's last now), and with the text and name as they were written (the
   * input's, before any sealing).
   */
  private storedOnWorker(
    input: NewMessage,
    sent: WorkerAppend,
    conversation: Selectable<ConversationsTable>,
  ): AppendResult {
    // Made here, not from a row through toMessage: the verdict is the input's own, not its JSON
    // parsed back, and a stored message has no files on this path.
    const message: Message = {
      id: sent.messageId,
      conversationId: conversation.id,
      seq: conversation.last_seq,
      clientId: sent.clientId,
      author: { type: input.author.type, id: sent.authorId, name: input.plainAuthorName ?? input.author.name },
      text: input.plainText ?? input.text,
      attachments: [],
      createdAt: sent.now,
    };
    if (input.screening) message.screening = input.screening;
    return {
      message,
      conversation: toState(conversation, message),
      created: true,
      conversationCreated: input.conversationId === undefined,
      respondedIncidentIds: [],
    };
  }

  /**
   * SQLite, the common case: messages with nothing to write beside them (no files, no outbox,
   * not an agent's reply, which may stop an incident's clock) go to the connection thread as
   * one transaction per batch. One batch is on the thread at a time: what arrives meanwhile
   * waits and goes as the next, so a busy server commits fewer, larger batches (a commit's
   * cost is its pages, and messages of one batch share some).
   */
  private flushFast(): void {
    this.fastScheduled = false;
    if (this.fastInFlight || this.fastPending.length === 0) return;
    this.fastInFlight = true;
    const worker = this.worker!;
    const batch = this.fastPending.splice(0, GROUP_COMMIT_MAX);
    const sent = batch.map(({ input, text, name }) => this.toWorker(input, text, name));
    worker.appendInTransaction(sent).then(
      (answers) => {
        this.fastInFlight = false;
        this.flushFast();
        for (let i = 0; i < batch.length; i++) {
          const item = batch[i]!;
          try {
            const outcome = this.fromWorker(this.db, item.input, sent[i]!, answers[i]!);
            if (outcome instanceof Promise) outcome.then((o) => settle(item, o), item.reject);
            else settle(item, outcome);
          } catch (err) {
            item.reject(err);
          }
        }
      },
      (err: unknown) => {
        this.fastInFlight = false;
        this.flushFast();
        for (const item of batch) item.reject(err);
      },
    );
  }

  /**
   * SQLite, inside a batch's transaction: its plain messages on the connection thread in one
   * round trip, then each one's `onStored`. Answers one entry per message, undefined for those
   * left to the caller (files, agents' replies).
   */
  private async appendOnWorker(
    trx: Transaction<Database>,
    batch: PendingAppend[],
  ): Promise<(AppendResult | ParleyError | undefined)[]> {
    const results: (AppendResult | ParleyError | undefined)[] = new Array(batch.length).fill(undefined);
    if (!this.worker) return results;
    const fast = batch.flatMap(({ input }, i) => (this.fits(input) ? [i] : []));
    if (fast.length === 0) return results;
    const sent = fast.map((i) => this.toWorker(batch[i]!.input));
    const answers = await this.worker.append(sent);
    for (const [k, i] of fast.entries()) {
      const input = batch[i]!.input;
      const result = await this.fromWorker(trx, input, sent[k]!, answers[k]!);
      if (!(result instanceof ParleyError) && result.created && input.onStored) {
        await input.onStored(this.bind(trx), result);
      }
      results[i] = result;
    }
    return results;
  }

  private async appendAlone(input: NewMessage): Promise<AppendResult> {
    try {
      return await this.db.transaction().execute((trx) => this.appendIn(trx, input));
    } catch (err) {
      // Two concurrent sends of one clientId: the loser finds the winner's row.
      if (isUniqueViolation(err)) {
        const existing = await this.findByClientId(this.db, input);
        if (existing) return existing;
      }
      throw err;
    }
  }

  /** The message this author already stored under this clientId, as an append's answer. */
  async findByClientId(db: Db, input: NewMessage): Promise<AppendResult | undefined> {
    const { rows } = await this.run(
      db,
      this.q.messageByClientId({
        appId: input.appId,
        authorType: input.author.type,
        authorId: input.author.id,
        clientId: input.clientId,
      }),
    );
    const row = rows[0];
    return row ? this.repeatOf(db, input, row) : undefined;
  }

  /** The answer to a repeated clientId: the message stored the first time. */
  private async repeatOf(db: Db, input: NewMessage, row: MessageRow): Promise<AppendResult | undefined> {
    const conversation = await conversationById(db, input.appId, row.conversation_id);
    if (!conversation) return undefined;
    return {
      message: toMessage(row),
      conversation,
      created: false,
      conversationCreated: false,
      respondedIncidentIds: [],
    };
  }

  /**
   * Optimistic on idempotency: the happy path is one UPDATE and one INSERT. A repeated
   * clientId fails the unique index, the transaction rolls back whole (no seq is spent), and
   * append answers with the stored message instead. Runs inside the caller's transaction
   * (incidents store their first message this way).
   */
  async appendIn(trx: Transaction<Database>, input: NewMessage): Promise<AppendResult> {
    // Every check that can refuse the append runs before its first write (see commitPending).
    const attachments = await this.unsentAttachments(trx, input);
    let conversationId = input.conversationId;
    const conversationCreated = conversationId === undefined;
    if (conversationId === undefined) {
      if (input.author.type !== 'visitor' || !input.visitorId) {
        throw new ParleyError('invalid_payload', 'conversationId is required', {
          fields: { conversationId: 'required' },
        });
      }
      conversationId = newId('cnv');
      await this.run(
        trx,
        this.q.insertConversation({
          id: conversationId,
          appId: input.appId,
          visitorId: input.visitorId,
          now: input.now,
        }),
      );
    }

    // Taking the next seq and bumping counters is one UPDATE: its row lock serialises
    // concurrent senders on PostgreSQL, and SQLite has one writer anyway.
    const updated = await this.bump(trx, input, conversationId);
    if (!updated) throw new ParleyError('not_found', `conversation ${conversationId} not found`);

    const row = {
      id: newId('msg'),
      app_id: input.appId,
      conversation_id: conversationId,
      seq: Number(updated.last_seq),
      author_type: input.author.type,
      author_id: input.author.id,
      author_name: input.author.name,
      client_id: input.clientId,
      text: input.text,
      attachments: JSON.stringify(attachments),
      created_at: input.now,
      screening: input.screening ? JSON.stringify(input.screening) : null,
      // A flagged message waits in the review queue until an admin clears or confirms it.
      review_state: input.screening?.action === 'flag' ? ('pending' as const) : null,
    };
    await this.run(trx, this.q.insertMessage(row));
    if (attachments.length > 0 && this.ring) await this.sealTeamFiles(trx, attachments, updated.visitor_id);
    if (attachments.length > 0) {
      await trx
        .updateTable('attachments')
        .set({ message_id: row.id })
        .where(
          'id',
          'in',
          attachments.map((a) => a.id),
        )
        .execute();
    }
    if (input.screening?.action === 'flag') {
      await trx.updateTable('conversations').set({ flagged: 1 }).where('id', '=', conversationId).execute();
      updated.flagged = 1;
    }
    // A person's reply stops an incident's clock; a bot's automatic one does not.
    const respondedIncidentIds =
      input.author.type === 'agent' ? await markResponded(trx, conversationId, input.now) : [];
    const message = this.plain(input, toMessage(row));
    const result: AppendResult = {
      message,
      conversation: toState(updated, message),
      created: true,
      conversationCreated,
      respondedIncidentIds,
    };
    if (input.onStored) await input.onStored(this.bind(trx), result);
    return result;
  }

  /** The team's files, in the clear until sent, sealed with the key of the contact they go to. */
  private async sealTeamFiles(trx: Transaction<Database>, attachments: Attachment[], owner: string): Promise<void> {
    const rows = await trx
      .selectFrom('attachments')
      .select(['id', 'data'])
      .where(
        'id',
        'in',
        attachments.map((a) => a.id),
      )
      .where('uploader_type', '!=', 'visitor')
      .execute();
    for (const r of rows) {
      await trx
        .updateTable('attachments')
        .set({ data: await this.ring!.sealBytes(owner, r.data) })
        .where('id', '=', r.id)
        .execute();
    }
  }

  /** Bumps the conversation (see hotQueries) and answers its row, or undefined if not theirs. */
  private async bump(
    trx: Transaction<Database>,
    input: NewMessage,
    conversationId: string,
  ): Promise<Selectable<ConversationsTable> | undefined> {
    const { rows } = await this.run(
      trx,
      input.author.type === 'visitor'
        ? this.q.bumpByVisitor({
            id: conversationId,
            appId: input.appId,
            now: input.now,
            visitorId: input.visitorId ?? '',
          })
        : this.q.bumpByAgent({ id: conversationId, appId: input.appId, now: input.now }),
    );
    return rows[0];
  }

  private async unsentAttachments(trx: Transaction<Database>, input: NewMessage): Promise<Attachment[]> {
    const ids = [...new Set(input.attachmentIds ?? [])];
    if (ids.length === 0) return [];
    const rows = await trx
      .selectFrom('attachments')
      .select(['id', 'name', 'content_type', 'size'])
      .where('app_id', '=', input.appId)
      .where('uploader_type', '=', input.author.type)
      .where('uploader_id', '=', input.author.id)
      .where('message_id', 'is', null)
      .where('id', 'in', ids)
      .execute();
    if (rows.length !== ids.length) {
      throw new ParleyError('invalid_payload', 'attachments must be files you uploaded and have not sent yet', {
        fields: { attachmentIds: 'unknown or already sent' },
      });
    }
    return ids.map((id) => {
      const r = rows.find((x) => x.id === id)!;
      return { id, name: r.name, contentType: r.content_type, size: Number(r.size), path: attachmentPath(id, r.name) };
    });
  }

  async before(conversationId: string, beforeSeq: number | undefined, limit: number): Promise<MessagePage> {
    let q = this.db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId);
    if (beforeSeq !== undefined) q = q.where('seq', '<', beforeSeq);
    const rows = await q
      .orderBy('seq', 'desc')
      .limit(limit + 1)
      .execute();
    const hasMore = rows.length > limit;
    return { messages: rows.slice(0, limit).reverse().map(toMessage), hasMore };
  }

  async after(conversationId: string, afterSeq: number, limit: number): Promise<MessagePage> {
    const rows = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('seq', '>', afterSeq)
      .orderBy('seq', 'asc')
      .limit(limit + 1)
      .execute();
    const hasMore = rows.length > limit;
    return { messages: rows.slice(0, limit).map(toMessage), hasMore };
  }
}
