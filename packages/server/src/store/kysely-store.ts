import type { Message, PartyType } from '@parley/sdk/protocol';
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { ParleyError } from '../errors.js';
import { newId } from '../ids.js';
import type { ConversationsTable, Database, MessagesTable } from './schema.js';
import type {
  AgentRecord,
  AppendResult,
  AppRecord,
  ConversationQuery,
  NewMessage,
  Store,
  StoredConversation,
  VisitorRecord,
} from './types.js';

type Db = Kysely<Database> | Transaction<Database>;

interface ConversationRow extends Selectable<ConversationsTable> {
  v_user_id: string | null;
  v_email: string | null;
  v_name: string | null;
  m_id: string | null;
  m_seq: number | null;
  m_author_type: 'visitor' | 'agent' | null;
  m_author_id: string | null;
  m_author_name: string | null;
  m_client_id: string | null;
  m_text: string | null;
  m_created_at: string | null;
}

function toMessage(row: Selectable<MessagesTable>): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: Number(row.seq),
    clientId: row.client_id,
    author: { type: row.author_type, id: row.author_id, name: row.author_name },
    text: row.text,
    createdAt: row.created_at,
  };
}

function toConversation(row: ConversationRow): StoredConversation {
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
    lastMessage:
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
            created_at: row.m_created_at ?? '',
          }),
    visitor: {
      id: row.visitor_id,
      userId: row.v_user_id,
      email: row.v_email,
      name: row.v_name,
    },
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
    userId: row.user_id,
    email: row.email,
    name: row.name,
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
      'v.email as v_email',
      'v.name as v_name',
      'm.id as m_id',
      'm.seq as m_seq',
      'm.author_type as m_author_type',
      'm.author_id as m_author_id',
      'm.author_name as m_author_name',
      'm.client_id as m_client_id',
      'm.text as m_text',
      'm.created_at as m_created_at',
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
export class KyselyStore implements Store {
  constructor(
    readonly kind: 'sqlite' | 'postgres',
    private readonly db: Kysely<Database>,
  ) {}

  async close(): Promise<void> {
    await this.db.destroy();
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
    if (!row) return undefined;
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
        user_id: visitor.userId,
        email: visitor.email,
        name: visitor.name,
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
    profile: { email: string | null; name: string | null; lastSeenAt: string },
  ): Promise<void> {
    await this.db
      .updateTable('visitors')
      .set({ email: profile.email, name: profile.name, last_seen_at: profile.lastSeenAt })
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
      await trx.deleteFrom('visitors').where('app_id', '=', appId).where('id', '=', fromId).execute();
    });
  }

  // ---- messages ----

  async appendMessage(input: NewMessage): Promise<AppendResult> {
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
    const row = await db
      .selectFrom('messages')
      .selectAll()
      .where('app_id', '=', input.appId)
      .where('author_type', '=', input.author.type)
      .where('author_id', '=', input.author.id)
      .where('client_id', '=', input.clientId)
      .executeTakeFirst();
    if (!row) return undefined;
    const conversation = await this.conversationById(db, input.appId, row.conversation_id);
    if (!conversation) return undefined;
    return { message: toMessage(row), conversation, created: false, conversationCreated: false };
  }

  private async appendIn(trx: Transaction<Database>, input: NewMessage): Promise<AppendResult> {
    const existing = await this.findByClientId(trx, input);
    if (existing) return existing;

    let conversationId = input.conversationId;
    const conversationCreated = conversationId === undefined;
    if (conversationId === undefined) {
      if (input.author.type !== 'visitor' || !input.visitorId) {
        throw new ParleyError('invalid_payload', 'conversationId is required', {
          fields: { conversationId: 'required' },
        });
      }
      conversationId = newId('cnv');
      await trx
        .insertInto('conversations')
        .values({
          id: conversationId,
          app_id: input.appId,
          visitor_id: input.visitorId,
          status: 'open',
          created_at: input.now,
          updated_at: input.now,
          last_seq: 0,
          visitor_last_read_seq: 0,
          agent_last_read_seq: 0,
          visitor_unread: 0,
          agent_unread: 0,
        })
        .execute();
    }

    // Taking the next seq and bumping counters is one UPDATE: its row lock serialises
    // concurrent senders on PostgreSQL, and SQLite has one writer anyway. The author has
    // read everything up to their own message.
    const byVisitor = input.author.type === 'visitor';
    let update = trx
      .updateTable('conversations')
      .set((eb) => ({
        last_seq: eb('last_seq', '+', 1),
        updated_at: input.now,
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
      .where('id', '=', conversationId)
      .where('app_id', '=', input.appId);
    if (byVisitor) update = update.where('visitor_id', '=', input.visitorId ?? '');
    const updated = await update.returning('last_seq').executeTakeFirst();
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
      created_at: input.now,
    };
    await trx.insertInto('messages').values(row).execute();
    const conversation = await this.conversationById(trx, input.appId, conversationId);
    if (!conversation) throw new Error('conversation vanished inside its own transaction');
    return { message: toMessage(row), conversation, created: true, conversationCreated };
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
