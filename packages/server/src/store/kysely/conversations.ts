import type { Attributes, ConversationStatus, PartyType } from '@parley/sdk/protocol';
import { type Kysely, sql } from 'kysely';
import type { KeyRing } from '../crypto.js';
import type { Database } from '../schema/index.js';
import type { ConversationFilter, ConversationQuery, ConversationStore, StoredConversation } from '../types.js';
import { transact } from './db.js';
import { type ConversationRow, conversationById, conversationSelect, toConversation } from './rows.js';

export class ConversationQueries implements ConversationStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly ring?: KeyRing,
  ) {}

  get(appId: string, id: string): Promise<StoredConversation | undefined> {
    return conversationById(this.db, appId, id);
  }

  async listForVisitor(appId: string, visitorId: string, query: ConversationQuery): Promise<StoredConversation[]> {
    let q = conversationSelect(this.db).where('c.app_id', '=', appId).where('c.visitor_id', '=', visitorId);
    if (query.status) q = q.where('c.status', '=', query.status);
    if (query.before) q = q.where('c.updated_at', '<', query.before);
    const rows = await q.orderBy('c.updated_at', 'desc').orderBy('c.id').limit(query.limit).execute();
    return rows.map((r) => toConversation(r as ConversationRow));
  }

  async listForApp(appId: string, query: ConversationQuery): Promise<StoredConversation[]> {
    let q = conversationSelect(this.db).where('c.app_id', '=', appId);
    if (query.status) q = q.where('c.status', '=', query.status);
    if (query.before) q = q.where('c.updated_at', '<', query.before);
    const rows = await q.orderBy('c.updated_at', 'desc').orderBy('c.id').limit(query.limit).execute();
    return rows.map((r) => toConversation(r as ConversationRow));
  }

  async filter(appId: string, f: ConversationFilter): Promise<StoredConversation[]> {
    let q = conversationSelect(this.db).where('c.app_id', '=', appId);
    if (f.status?.length) q = q.where('c.status', 'in', f.status);
    if (f.assigneeId !== undefined) {
      q = f.assigneeId === null ? q.where('c.assignee_id', 'is', null) : q.where('c.assignee_id', '=', f.assigneeId);
    }
    if (f.priority) q = q.where('i.priority', '=', f.priority).where('i.status', '=', 'open');
    if (f.flagged !== undefined) q = q.where('c.flagged', '=', f.flagged ? 1 : 0);
    if (f.unread !== undefined) q = q.where('c.agent_unread', f.unread ? '>' : '=', 0);
    if (f.updatedSince) q = q.where('c.updated_at', '>=', f.updatedSince);
    if (f.visitorId) q = q.where('c.visitor_id', '=', f.visitorId);
    if (f.after) {
      const { updatedAt, id } = f.after;
      q = q.where((eb) =>
        eb.or([eb('c.updated_at', '<', updatedAt), eb.and([eb('c.updated_at', '=', updatedAt), eb('c.id', '>', id)])]),
      );
    }
    const rows = await q.orderBy('c.updated_at', 'desc').orderBy('c.id').limit(f.limit).execute();
    return rows.map((r) => toConversation(r as ConversationRow));
  }

  async setAttributes(appId: string, id: string, attributes: Attributes): Promise<void> {
    const json = JSON.stringify(attributes);
    // Sealed with the key of the conversation's contact: what the host says about them.
    const owner =
      this.ring &&
      (
        await this.db
          .selectFrom('conversations')
          .select('visitor_id')
          .where('app_id', '=', appId)
          .where('id', '=', id)
          .executeTakeFirst()
      )?.visitor_id;
    await this.db
      .updateTable('conversations')
      .set({ attributes: owner && this.ring ? await this.ring.sealText(owner, json) : json })
      .where('app_id', '=', appId)
      .where('id', '=', id)
      .execute();
  }

  async update(
    appId: string,
    id: string,
    change: { status?: ConversationStatus; assigneeId?: string | null; now: string },
  ): Promise<StoredConversation | undefined> {
    const set: { status?: ConversationStatus; assignee_id?: string | null; updated_at?: string } = {};
    if (change.status !== undefined) set.status = change.status;
    if (change.assigneeId !== undefined) set.assignee_id = change.assigneeId;
    if (Object.keys(set).length > 0) {
      set.updated_at = change.now;
      await this.db.updateTable('conversations').set(set).where('app_id', '=', appId).where('id', '=', id).execute();
    }
    return conversationById(this.db, appId, id);
  }

  async markFlagged(appId: string, id: string): Promise<void> {
    await this.db
      .updateTable('conversations')
      .set({ flagged: 1 })
      .where('app_id', '=', appId)
      .where('id', '=', id)
      .execute();
  }

  async markRead(
    appId: string,
    conversationId: string,
    party: PartyType,
    seq: number,
  ): Promise<StoredConversation | undefined> {
    return transact(this.db, async (trx) => {
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
      return conversationById(trx, appId, conversationId);
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
