import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

/**
 * The idempotency index keyed by clientId first, then author: the same uniqueness, in another
 * order. The sdk's clientIds start with the time, so each new message's entry lands at the
 * index's end, on the page the batch's other messages write too; keyed by author first, every
 * message wrote a page of its own there (a visitor's entries sit together, apart from others').
 * That page was about a third of what a commit writes per message (bench/README.md).
 */
export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex('messages_author_client_id').execute();
    await db.schema
      .createIndex('messages_client_id_author')
      .on('messages')
      .columns(['client_id', 'author_id'])
      .unique()
      .execute();
  },
};
