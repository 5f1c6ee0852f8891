import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

/**
 * The idempotency index narrowed from (app, author type, author, clientId) to (author,
 * clientId): author ids are unique across apps and kinds (vis_, agt_, key_), so the key means
 * the same, and at half the width it is the index every message insert touches least. It was
 * the largest share of a message's write cost (measured: about a quarter of the time in SQLite
 * per message, insert and commit).
 */
export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex('messages_author_client').execute();
    await db.schema
      .createIndex('messages_author_client_id')
      .on('messages')
      .columns(['author_id', 'client_id'])
      .unique()
      .execute();
  },
};
