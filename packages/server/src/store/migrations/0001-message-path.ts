import { type Kysely, sql } from 'kysely';
import type { Dialect, Migration } from './migration.js';

export const migration: Migration = {
  async up(db: Kysely<unknown>, dialect: Dialect) {
    await db.schema
      .createTable('apps')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('allowed_origins', 'text', (c) => c.notNull())
      .addColumn('identity_verification', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('identity_secret_enc', 'text', (c) => c.notNull())
      .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('agents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
      .addColumn('email', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('agent_tokens')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('agent_id', 'text', (c) => c.notNull().references('agents.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('visitors')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
      .addColumn('user_id', 'text')
      .addColumn('email', 'text')
      .addColumn('name', 'text')
      .addColumn('attributes', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('visitors_app_user').on('visitors').columns(['app_id', 'user_id']).unique().execute();

    await db.schema
      .createTable('conversations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
      .addColumn('visitor_id', 'text', (c) => c.notNull().references('visitors.id'))
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('visitor_last_read_seq', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('agent_last_read_seq', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('visitor_unread', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('agent_unread', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('attributes', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute();
    await db.schema
      // Not (visitor_id, updated_at): every message moves updated_at, and a visitor has few
      // conversations to sort, so this index need not be rewritten on each send.
      .createIndex('conversations_visitor')
      .on('conversations')
      .column('visitor_id')
      .execute();
    await db.schema
      .createIndex('conversations_app_updated')
      .on('conversations')
      .columns(['app_id', 'updated_at'])
      .execute();

    await db.schema
      .createTable('messages')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('author_type', 'text', (c) => c.notNull())
      .addColumn('author_id', 'text', (c) => c.notNull())
      .addColumn('author_name', 'text')
      .addColumn('client_id', 'text')
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('attachments', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('messages_conversation_seq')
      .on('messages')
      .columns(['conversation_id', 'seq'])
      .unique()
      .execute();
    // Idempotency: one message per author and client-chosen id, whatever the conversation.
    await db.schema
      .createIndex('messages_author_client')
      .on('messages')
      .columns(['app_id', 'author_type', 'author_id', 'client_id'])
      .unique()
      .execute();

    // Files live in the database, so every node of a cluster serves them and a backup has them.
    await db.schema
      .createTable('attachments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
      .addColumn('uploader_type', 'text', (c) => c.notNull())
      .addColumn('uploader_id', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('content_type', 'text', (c) => c.notNull())
      .addColumn('size', 'integer', (c) => c.notNull())
      .addColumn('data', dialect === 'postgres' ? sql`bytea` : sql`blob`, (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
  },
};
