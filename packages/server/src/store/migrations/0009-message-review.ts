import { type Kysely, sql } from 'kysely';
import type { Migration } from './migration.js';

/**
 * The review queue: a message screening flagged waits for an admin to clear or confirm it.
 * `review_state` is `pending` from the moment it is stored flagged, then `cleared` or
 * `confirmed`, with who and when. The queue's index is partial, over pending messages only,
 * so the message path's inserts (nearly all unflagged) never touch it.
 */
export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('messages').addColumn('review_state', 'text').execute();
    await db.schema.alterTable('messages').addColumn('reviewed_by', 'text').execute();
    await db.schema.alterTable('messages').addColumn('reviewed_at', 'text').execute();
    await sql`update messages set review_state = 'pending' where screening like '%"action":"flag"%'`.execute(db);
    await db.schema
      .createIndex('messages_review_pending')
      .on('messages')
      .columns(['app_id', 'created_at', 'id'])
      .where(sql.ref('review_state'), '=', 'pending')
      .execute();
  },
};
