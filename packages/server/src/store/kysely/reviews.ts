import type { Kysely } from 'kysely';
import { ParleyError } from '../../errors.js';
import type { Database } from '../schema/index.js';
import type { ReviewDecision, ReviewItem, ReviewStore } from '../types.js';
import { toMessage } from './rows.js';

/**
 * The review queue: messages screening flagged, oldest first, until an admin clears or
 * confirms each. The conversation keeps its flagged mark while any of its messages waits.
 */
export class ReviewQueries implements ReviewStore {
  constructor(private readonly db: Kysely<Database>) {}

  async pending(
    appId: string,
    query: { after?: { createdAt: string; id: string }; limit: number },
  ): Promise<ReviewItem[]> {
    let q = this.db
      .selectFrom('messages as m')
      .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
      .innerJoin('visitors as v', 'v.id', 'c.visitor_id')
      .selectAll('m')
      .select([
        'v.id as v_id',
        'v.name as v_name',
        'v.email as v_email',
        'v.user_id as v_user_id',
        'v.declared_user_id as v_declared_user_id',
        'v.user_label as v_user_label',
      ])
      .where('m.app_id', '=', appId)
      .where('m.review_state', '=', 'pending');
    const after = query.after;
    if (after) {
      q = q.where((eb) =>
        eb.or([
          eb('m.created_at', '>', after.createdAt),
          eb.and([eb('m.created_at', '=', after.createdAt), eb('m.id', '>', after.id)]),
        ]),
      );
    }
    const rows = await q.orderBy('m.created_at').orderBy('m.id').limit(query.limit).execute();
    return rows.map((r) => ({
      message: toMessage(r),
      contact: {
        id: r.v_id,
        name: r.v_name,
        email: r.v_email,
        userId: r.v_user_label ?? r.v_user_id ?? r.v_declared_user_id,
      },
    }));
  }

  async decide(
    appId: string,
    messageId: string,
    decision: ReviewDecision,
    reviewerId: string,
    now: string,
  ): Promise<{ conversationId: string; stillFlagged: boolean }> {
    const updated = await this.db
      .updateTable('messages')
      .set({ review_state: decision, reviewed_by: reviewerId, reviewed_at: now })
      .where('app_id', '=', appId)
      .where('id', '=', messageId)
      .where('review_state', '=', 'pending')
      .executeTakeFirst();
    const row = await this.db
      .selectFrom('messages')
      .select(['conversation_id', 'review_state'])
      .where('app_id', '=', appId)
      .where('id', '=', messageId)
      .executeTakeFirst();
    if (!row) throw new ParleyError('not_found', `message ${messageId} not found`);
    if (Number(updated.numUpdatedRows) === 0) {
      throw new ParleyError(
        'conflict',
        row.review_state ? `this message was already reviewed (${row.review_state})` : 'this message is not flagged',
      );
    }
    const waiting = await this.db
      .selectFrom('messages')
      .select('id')
      .where('app_id', '=', appId)
      .where('conversation_id', '=', row.conversation_id)
      .where('review_state', '=', 'pending')
      .limit(1)
      .executeTakeFirst();
    if (!waiting) {
      await this.db.updateTable('conversations').set({ flagged: 0 }).where('id', '=', row.conversation_id).execute();
    }
    return { conversationId: row.conversation_id, stillFlagged: waiting !== undefined };
  }
}
