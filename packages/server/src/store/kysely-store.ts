import type { Attachment, Attributes, Message, MessageScreening, PartyType } from '@parley/sdk/protocol';
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { ParleyError } from '../errors.js';
import { newId } from '../ids.js';
import { compileOnce } from './compiled-query.js';
import { incidentRow, markResponded, selectIncident, selectIncidents } from './incident-rows.js';
import { MIGRATION_NAMES } from './migrations.js';
import type { ConversationsTable, Database, MessagesTable } from './schema.js';
import type {
  AgentRecord,
  AppendResult,
  AppRecord,
  ConversationQuery,
  ConversationState,
  IncidentQuery,
  IncidentRecord,
  NewAttachment,
  NewIncident,
  NewMessage,
  Store,
  StoredConversation,
  VerdictRecord,
  VisitorRecord,
} from './types.js';
import { type JoinedVisitor, joinedVisitor } from './visitor-row.js';

type Db = Kysely<Database> | Transaction<Database>;

interface ConversationRow extends Selectable<ConversationsTable>, JoinedVisitor {
  m_id: string | null;
  m_seq: number | null;
  m_author_type: 'visitor' | 'agent' | null;
  m_author_id: string | null;
  m_author_name: string | null;
  m_client_id: string | null;
  m_text: string | null;
  m_attachments: string | null;
  m_created_at: string | null;
  m_screening: string | null;
}

function toMessage(row: Selectable<MessagesTable>): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: Number(row.seq),
    clientId: row.client_id,
    author: { type: row.author_type, id: row.author_id, name: row.author_name },
    text: row.text,
    attachments: JSON.parse(row.attachments) as Attachment[],
    createdAt: row.created_at,
    ...(row.screening ? { screening: JSON.parse(row.screening) as MessageScreening } : {}),
  };
}

export function attachmentPath(id: string, name: string): string {
  return `/v1/attachments/${id}/${encodeURIComponent(name)}`;
}

function toState(row: Selectable<ConversationsTable>, lastMessage: Message | null): ConversationState {
  return {
    id: row.id,
    appId: row.app_id,
    visitorId: row.visitor_id,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastSeq: Number(row.last_seq),
    visitorLastReadSeq: Number(row.visitor_last_read_seq),
    agentLastReadSeq: Number(row.agent_last_read_seq),
    visitorUnread: Number(row.visitor_unread),
    agentUnread: Number(row.agent_unread),
    lastMessage,
    attributes: JSON.parse(row.attributes) as Attributes,
  };
}

function toConversation(row: ConversationRow): StoredConversation {
  const lastMessage =
    row.m_id === null
      ? null
      : toMessage({
          id: row.m_id,
          app_id: row.app_id,
          conversation_id: row.id,
          seq: Number(row.m_seq),
          author_type: row.m_author_type ?? 'visitor',
          author_id: row.m_author_id ?? '',
          author_name: row.m_author_name,
          client_id: row.m_client_id,
          text: row.m_text ?? '',
          attachments: row.m_attachments ?? '[]',
          created_at: row.m_created_at ?? '',
          screening: row.m_screening,
        });
  return {
    ...toState(row, lastMessage),
    visitor: joinedVisitor(row),
  };
}

function toApp(row: Selectable<Database['apps']>): AppRecord {
  return {
    id: row.id,
    name: row.name,
    allowedOrigins: JSON.parse(row.allowed_origins) as string[],
    identityVerification: Number(row.identity_verification) === 1,
    identitySecretEnc: row.identity_secret_enc,
    settings: JSON.parse(row.settings) as Record<string, unknown>,
    createdAt: row.created_at,
  };
}

function toAgent(row: Selectable<Database['agents']>): AgentRecord {
  return {
    id: row.id,
    appId: row.app_id,
    email: row.email,
    name: row.name,
    role: row.role,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
  };
}

function toVisitor(row: Selectable<Database['visitors']>): VisitorRecord {
  return {
    id: row.id,
    appId: row.app_id,
    userId: row.user_id ?? row.declared_user_id,
    verified: row.user_id !== null,
    email: row.email,
    name: row.name,
    attributes: JSON.parse(row.attributes) as Attributes,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
  };
}

/** Conversations joined with their visitor and their last message. */
function conversationSelect(db: Db) {
  return db
    .selectFrom('conversations as c')
    .innerJoin('visitors as v', 'v.id', 'c.visitor_id')
    .leftJoin('messages as m', (join) => join.onRef('m.conversation_id', '=', 'c.id').onRef('m.seq', '=', 'c.last_seq'))
    .selectAll('c')
    .select([
      'v.user_id as v_user_id',
      'v.declared_user_id as v_declared_user_id',
      'v.email as v_email',
      'v.name as v_name',
      'v.attributes as v_attributes',
      'm.id as m_id',
      'm.seq as m_seq',
      'm.author_type as m_author_type',
      'm.author_id as m_author_id',
      'm.author_name as m_author_name',
      'm.client_id as m_client_id',
      'm.text as m_text',
      'm.attachments as m_attachments',
      'm.created_at as m_created_at',
      'm.screening as m_screening',
    ]);
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string };
  // SQLite (better-sqlite3) and PostgreSQL (23505) spell it differently.
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e?.code === '23505';
}

/**
 * The Store over Kysely. Every query here is written once and runs unchanged on SQLite and
 * PostgreSQL; the two factories in sqlite.ts and postgres.ts only supply the dialect.
 */
/** The message path's queries, built once (see compiled-query.ts). */
function hotQueries(db: Kysely<Database>) {
  const bump = (byVisitor: boolean) =>
    compileOnce<{ id: string; appId: string; now: string; visitorId?: string }, Selectable<ConversationsTable>>(
      (arg) => {
        let update = db
          .updateTable('conversations')
          .set((eb) => ({
            last_seq: eb('last_seq', '+', 1),
            updated_at: arg('now'),
            status: 'open',
            ...(byVisitor
              ? {
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
      },
    );
  return {
    bumpByVisitor: bump(true),
    bumpByAgent: bump(false),
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
      }),
    ),
    insertMessage: compileOnce<Selectable<MessagesTable>, never>((arg) =>
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
      }),
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

/** At most this many appends share one commit. */
const GROUP_COMMIT_MAX = 256;

export class KyselyStore implements Store {
  private readonly groupCommit: boolean;
  private readonly pending: PendingAppend[] = [];
  private committing = false;

  /**
   * `groupCommit` (SQLite): appends that arrive while a commit is running wait and then share
   * the next one. SQLite has one writer and a commit costs far more than a row, so under load
   * this multiplies throughput; each sender is still acknowledged only after its commit.
   * PostgreSQL commits concurrently over its pool instead.
   */
  constructor(
    readonly kind: 'sqlite' | 'postgres',
    private readonly db: Kysely<Database>,
    options: { groupCommit: boolean },
  ) {
    this.groupCommit = options.groupCommit;
    this.q = hotQueries(db);
  }

  private readonly q: ReturnType<typeof hotQueries>;

  async close(): Promise<void> {
    await this.db.destroy();
  }

  async notReadyReason(): Promise<string | undefined> {
    try {
      const { rows } = await sql<{ n: string | number }>`select count(*) as n from parley_migrations`.execute(this.db);
      const applied = Number(rows[0]?.n ?? 0);
      if (applied < MIGRATION_NAMES.length) {
        return `database migrations pending (${applied} of ${MIGRATION_NAMES.length} applied)`;
      }
      return undefined;
    } catch (err) {
      return `database unreachable: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  // ---- apps ----

  async createApp(app: AppRecord): Promise<void> {
    await this.db
      .insertInto('apps')
      .values({
        id: app.id,
        name: app.name,
        allowed_origins: JSON.stringify(app.allowedOrigins),
        identity_verification: app.identityVerification ? 1 : 0,
        identity_secret_enc: app.identitySecretEnc,
        settings: JSON.stringify(app.settings),
        created_at: app.createdAt,
      })
      .execute();
  }

  async getApp(id: string): Promise<AppRecord | undefined> {
    const row = await this.db.selectFrom('apps').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toApp(row);
  }

  async listApps(): Promise<AppRecord[]> {
    return (await this.db.selectFrom('apps').selectAll().orderBy('created_at').execute()).map(toApp);
  }

  async updateApp(
    id: string,
    change: Partial<Pick<AppRecord, 'allowedOrigins' | 'identityVerification' | 'settings'>>,
  ): Promise<void> {
    await this.db
      .updateTable('apps')
      .set({
        ...(change.allowedOrigins ? { allowed_origins: JSON.stringify(change.allowedOrigins) } : {}),
        ...(change.identityVerification !== undefined
          ? { identity_verification: change.identityVerification ? 1 : 0 }
          : {}),
        ...(change.settings ? { settings: JSON.stringify(change.settings) } : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  async countApps(): Promise<number> {
    const row = await this.db
      .selectFrom('apps')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  // ---- agents ----

  async createAgent(agent: AgentRecord): Promise<void> {
    try {
      await this.db
        .insertInto('agents')
        .values({
          id: agent.id,
          app_id: agent.appId,
          email: agent.email,
          name: agent.name,
          role: agent.role,
          password_hash: agent.passwordHash,
          created_at: agent.createdAt,
        })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new ParleyError('conflict', `an agent with email ${agent.email} already exists`);
      }
      throw err;
    }
  }

  async getAgentByEmail(email: string): Promise<AgentRecord | undefined> {
    const row = await this.db.selectFrom('agents').selectAll().where('email', '=', email).executeTakeFirst();
    return row && toAgent(row);
  }

  async addAgentToken(tokenHash: string, agentId: string, now: string): Promise<void> {
    await this.db
      .insertInto('agent_tokens')
      .values({ token_hash: tokenHash, agent_id: agentId, created_at: now })
      .execute();
  }

  async getAgentByTokenHash(tokenHash: string): Promise<AgentRecord | undefined> {
    const row = await this.db
      .selectFrom('agent_tokens as t')
      .innerJoin('agents as a', 'a.id', 't.agent_id')
      .selectAll('a')
      .where('t.token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row && toAgent(row);
  }

  // ---- visitors ----

  async createVisitor(visitor: VisitorRecord): Promise<void> {
    await this.db
      .insertInto('visitors')
      .values({
        id: visitor.id,
        app_id: visitor.appId,
        user_id: visitor.verified ? visitor.userId : null,
        declared_user_id: visitor.verified ? null : visitor.userId,
        email: visitor.email,
        name: visitor.name,
        attributes: JSON.stringify(visitor.attributes),
        created_at: visitor.createdAt,
        last_seen_at: visitor.lastSeenAt,
      })
      .execute();
  }

  async getVisitor(appId: string, id: string): Promise<VisitorRecord | undefined> {
    const row = await this.db
      .selectFrom('visitors')
      .selectAll()
      .where('app_id', '=', appId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toVisitor(row);
  }

  async getVisitorByUserId(appId: string, userId: string): Promise<VisitorRecord | undefined> {
    const row = await this.db
      .selectFrom('visitors')
      .selectAll()
      .where('app_id', '=', appId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row && toVisitor(row);
  }

  async updateVisitorProfile(
    appId: string,
    id: string,
    profile: {
      email: string | null;
      name: string | null;
      lastSeenAt: string;
      attributes?: Attributes;
      declaredUserId?: string;
    },
  ): Promise<void> {
    await this.db
      .updateTable('visitors')
      .set({
        email: profile.email,
        name: profile.name,
        last_seen_at: profile.lastSeenAt,
        ...(profile.declaredUserId !== undefined ? { declared_user_id: profile.declaredUserId } : {}),
        ...(profile.attributes ? { attributes: JSON.stringify(profile.attributes) } : {}),
      })
      .where('app_id', '=', appId)
      .where('id', '=', id)
      .execute();
  }

  async setConversationAttributes(appId: string, id: string, attributes: Attributes): Promise<void> {
    await this.db
      .updateTable('conversations')
      .set({ attributes: JSON.stringify(attributes) })
      .where('app_id', '=', appId)
      .where('id', '=', id)
      .execute();
  }

  async mergeVisitor(appId: string, fromId: string, toId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('conversations')
        .set({ visitor_id: toId })
        .where('app_id', '=', appId)
        .where('visitor_id', '=', fromId)
        .execute();
      // Their messages keep their text; the author becomes the identified visitor.
      await trx
        .updateTable('messages')
        .set({ author_id: toId })
        .where('app_id', '=', appId)
        .where('author_type', '=', 'visitor')
        .where('author_id', '=', fromId)
        .execute();
      // Files they uploaded but had not sent yet stay theirs to send.
      await trx
        .updateTable('attachments')
        .set({ uploader_id: toId })
        .where('app_id', '=', appId)
        .where('uploader_type', '=', 'visitor')
        .where('uploader_id', '=', fromId)
        .execute();
      // Their incidents follow their conversations.
      await trx
        .updateTable('incidents')
        .set({ visitor_id: toId })
        .where('app_id', '=', appId)
        .where('visitor_id', '=', fromId)
        .execute();
      await trx.deleteFrom('visitors').where('app_id', '=', appId).where('id', '=', fromId).execute();
    });
  }

  // ---- messages ----

  appendMessage(input: NewMessage): Promise<AppendResult> {
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
            const results: (AppendResult | ParleyError)[] = [];
            for (const { input } of batch) {
              try {
                results.push((await this.findByClientId(trx, input)) ?? (await this.appendIn(trx, input)));
              } catch (err) {
                if (!(err instanceof ParleyError)) throw err;
                results.push(err);
              }
            }
            return results;
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

  private async findByClientId(db: Db, input: NewMessage): Promise<AppendResult | undefined> {
    const { rows } = await db.executeQuery(
      this.q.messageByClientId({
        appId: input.appId,
        authorType: input.author.type,
        authorId: input.author.id,
        clientId: input.clientId,
      }),
    );
    const row = rows[0];
    if (!row) return undefined;
    const conversation = await this.conversationById(db, input.appId, row.conversation_id);
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
   * appendMessage answers with the stored message instead.
   */
  private async appendIn(trx: Transaction<Database>, input: NewMessage): Promise<AppendResult> {
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
      await trx.executeQuery(
        this.q.insertConversation({
          id: conversationId,
          appId: input.appId,
          visitorId: input.visitorId,
          now: input.now,
        }),
      );
    }

    // Taking the next seq and bumping counters is one UPDATE: its row lock serialises
    // concurrent senders on PostgreSQL, and SQLite has one writer anyway. The author has
    // read everything up to their own message. A visitor may only write to their own.
    const args = { id: conversationId, appId: input.appId, now: input.now };
    const { rows } = await trx.executeQuery(
      input.author.type === 'visitor'
        ? this.q.bumpByVisitor({ ...args, visitorId: input.visitorId ?? '' })
        : this.q.bumpByAgent(args),
    );
    const updated = rows[0];
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
    };
    await trx.executeQuery(this.q.insertMessage(row));
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
    const respondedIncidentIds =
      input.author.type === 'agent' ? await markResponded(trx, conversationId, input.now) : [];
    const message = toMessage(row);
    return {
      message,
      conversation: toState(updated, message),
      created: true,
      conversationCreated,
      respondedIncidentIds,
    };
  }

  // ---- incidents ----

  async createIncident(
    input: NewIncident,
  ): Promise<{ incident: IncidentRecord; append: AppendResult; created: boolean }> {
    const message: NewMessage = {
      appId: input.appId,
      visitorId: input.visitor.id,
      author: { type: 'visitor', id: input.visitor.id, name: input.visitor.name },
      clientId: input.report.clientId,
      text: input.messageText,
      ...(input.screening ? { screening: input.screening } : {}),
      ...(input.report.attachmentIds ? { attachmentIds: input.report.attachmentIds } : {}),
      now: input.now,
    };
    const repeat = async () => {
      const append = await this.findByClientId(this.db, message);
      const incident =
        append &&
        (await this.db
          .selectFrom('incidents')
          .select('id')
          .where('conversation_id', '=', append.conversation.id)
          .executeTakeFirst());
      const stored = incident && (await selectIncident(this.db, input.appId, incident.id));
      return append && stored ? { incident: stored, append, created: false } : undefined;
    };
    const earlier = await repeat();
    if (earlier) return earlier;
    try {
      return await this.db.transaction().execute(async (trx) => {
        // The conversation, its first message (with the files) and the incident: all or nothing.
        const append = await this.appendIn(trx, message);
        await trx
          .insertInto('incidents')
          .values(incidentRow(input, append.conversation.id, append.message.attachments))
          .execute();
        const incident = await selectIncident(trx, input.appId, input.id);
        if (!incident) throw new Error(`incident ${input.id} vanished inside its own transaction`);
        return { incident, append, created: true };
      });
    } catch (err) {
      // The same report sent twice at once: the loser returns the winner's incident.
      const winner = isUniqueViolation(err) ? await repeat() : undefined;
      if (winner) return winner;
      throw err;
    }
  }

  getIncident(appId: string, id: string): Promise<IncidentRecord | undefined> {
    return selectIncident(this.db, appId, id);
  }

  listIncidents(appId: string, query: IncidentQuery): Promise<IncidentRecord[]> {
    return selectIncidents(this.db, appId, query);
  }

  async updateIncident(
    appId: string,
    id: string,
    change: { priority?: IncidentRecord['priority']; responseDueAt?: string; status?: IncidentRecord['status'] },
  ): Promise<IncidentRecord | undefined> {
    const set: { priority?: IncidentRecord['priority']; response_due_at?: string; status?: IncidentRecord['status'] } =
      {};
    if (change.priority) set.priority = change.priority;
    if (change.responseDueAt) set.response_due_at = change.responseDueAt;
    if (change.status) set.status = change.status;
    if (Object.keys(set).length > 0) {
      await this.db.updateTable('incidents').set(set).where('app_id', '=', appId).where('id', '=', id).execute();
    }
    return selectIncident(this.db, appId, id);
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

  // ---- screening ----

  async getScreeningPolicy(appId: string): Promise<unknown | undefined> {
    const row = await this.db
      .selectFrom('screening_policies')
      .select('document')
      .where('app_id', '=', appId)
      .executeTakeFirst();
    return row ? (JSON.parse(row.document) as unknown) : undefined;
  }

  async setScreeningPolicy(appId: string, document: unknown | null, now: string): Promise<void> {
    if (document === null) {
      await this.db.deleteFrom('screening_policies').where('app_id', '=', appId).execute();
      return;
    }
    const values = { app_id: appId, document: JSON.stringify(document), updated_at: now };
    await this.db
      .insertInto('screening_policies')
      .values(values)
      .onConflict((oc) => oc.column('app_id').doUpdateSet({ document: values.document, updated_at: now }))
      .execute();
  }

  async recordVerdict(v: VerdictRecord): Promise<void> {
    await this.db
      .insertInto('screening_verdicts')
      .values({
        id: v.id,
        app_id: v.appId,
        surface: v.surface,
        sender_type: v.sender.type,
        sender_id: v.sender.id,
        action: v.action,
        categories: JSON.stringify(v.categories),
        rules: JSON.stringify(v.rules),
        content_hash: v.contentHash,
        created_at: v.createdAt,
      })
      .execute();
  }

  async listVerdicts(appId: string, query: { before?: string; limit: number }): Promise<VerdictRecord[]> {
    let q = this.db.selectFrom('screening_verdicts').selectAll().where('app_id', '=', appId);
    if (query.before) q = q.where('created_at', '<', query.before);
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
    return rows.map((r) => ({
      id: r.id,
      appId: r.app_id,
      surface: r.surface as VerdictRecord['surface'],
      sender: { type: r.sender_type, id: r.sender_id },
      action: r.action,
      categories: JSON.parse(r.categories) as string[],
      rules: JSON.parse(r.rules) as string[],
      contentHash: r.content_hash,
      createdAt: r.created_at,
    }));
  }

  async createAttachment(a: NewAttachment): Promise<Attachment> {
    await this.db
      .insertInto('attachments')
      .values({
        id: a.id,
        app_id: a.appId,
        uploader_type: a.uploader.type,
        uploader_id: a.uploader.id,
        message_id: null,
        name: a.name,
        content_type: a.contentType,
        size: a.data.length,
        data: a.data,
        created_at: a.now,
      })
      .execute();
    return {
      id: a.id,
      name: a.name,
      contentType: a.contentType,
      size: a.data.length,
      path: attachmentPath(a.id, a.name),
    };
  }

  async getAttachmentData(id: string): Promise<{ attachment: Attachment; data: Buffer } | undefined> {
    const r = await this.db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) return undefined;
    return {
      attachment: {
        id: r.id,
        name: r.name,
        contentType: r.content_type,
        size: Number(r.size),
        path: attachmentPath(r.id, r.name),
      },
      data: Buffer.from(r.data),
    };
  }

  private async conversationById(db: Db, appId: string, id: string): Promise<StoredConversation | undefined> {
    const row = await conversationSelect(db).where('c.app_id', '=', appId).where('c.id', '=', id).executeTakeFirst();
    return row && toConversation(row as ConversationRow);
  }

  getConversation(appId: string, id: string): Promise<StoredConversation | undefined> {
    return this.conversationById(this.db, appId, id);
  }

  async listVisitorConversations(
    appId: string,
    visitorId: string,
    query: ConversationQuery,
  ): Promise<StoredConversation[]> {
    let q = conversationSelect(this.db).where('c.app_id', '=', appId).where('c.visitor_id', '=', visitorId);
    if (query.status) q = q.where('c.status', '=', query.status);
    if (query.before) q = q.where('c.updated_at', '<', query.before);
    const rows = await q.orderBy('c.updated_at', 'desc').orderBy('c.id').limit(query.limit).execute();
    return rows.map((r) => toConversation(r as ConversationRow));
  }

  async listAppConversations(appId: string, query: ConversationQuery): Promise<StoredConversation[]> {
    let q = conversationSelect(this.db).where('c.app_id', '=', appId);
    if (query.status) q = q.where('c.status', '=', query.status);
    if (query.before) q = q.where('c.updated_at', '<', query.before);
    const rows = await q.orderBy('c.updated_at', 'desc').orderBy('c.id').limit(query.limit).execute();
    return rows.map((r) => toConversation(r as ConversationRow));
  }

  async messagesBefore(conversationId: string, beforeSeq: number | undefined, limit: number) {
    let q = this.db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId);
    if (beforeSeq !== undefined) q = q.where('seq', '<', beforeSeq);
    const rows = await q
      .orderBy('seq', 'desc')
      .limit(limit + 1)
      .execute();
    const hasMore = rows.length > limit;
    return { messages: rows.slice(0, limit).reverse().map(toMessage), hasMore };
  }

  async messagesAfter(conversationId: string, afterSeq: number, limit: number) {
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

  async markRead(
    appId: string,
    conversationId: string,
    party: PartyType,
    seq: number,
  ): Promise<StoredConversation | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const current = await trx
        .selectFrom('conversations')
        .select(['last_seq', 'visitor_last_read_seq', 'agent_last_read_seq'])
        .where('app_id', '=', appId)
        .where('id', '=', conversationId)
        .executeTakeFirst();
      if (!current) return undefined;
      const readColumn = party === 'visitor' ? 'visitor_last_read_seq' : 'agent_last_read_seq';
      const unreadColumn = party === 'visitor' ? 'visitor_unread' : 'agent_unread';
      // Never backwards, never past the end.
      const next = Math.min(Math.max(Number(current[readColumn]), seq), Number(current.last_seq));
      const other = party === 'visitor' ? 'agent' : 'visitor';
      const unread = await trx
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('conversation_id', '=', conversationId)
        .where('author_type', '=', other)
        .where('seq', '>', next)
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('conversations')
        .set({ [readColumn]: next, [unreadColumn]: Number(unread.n) })
        .where('id', '=', conversationId)
        .execute();
      return this.conversationById(trx, appId, conversationId);
    });
  }

  async totalVisitorUnread(appId: string, visitorId: string): Promise<number> {
    const row = await this.db
      .selectFrom('conversations')
      .select(sql<string | number>`coalesce(sum(visitor_unread), 0)`.as('n'))
      .where('app_id', '=', appId)
      .where('visitor_id', '=', visitorId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
