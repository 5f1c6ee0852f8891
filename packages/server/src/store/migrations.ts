import { type Kysely, sql } from 'kysely';

type Dialect = 'sqlite' | 'postgres';
interface Migration {
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}

/**
 * Migrations live in code, in order, and run at start. They use only types both SQLite and
 * PostgreSQL understand, so one list serves both stores. Never edit a shipped migration: add one.
 */
const migrations: Record<string, Migration> = {
  '0001_message_path': {
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
  },

  '0002_incidents': {
    async up(db: Kysely<unknown>) {
      // One row per report; its conversation holds the talk. JSON columns keep the structured
      // parts (steps, context, client) whole: they are read as a unit, never queried inside.
      await db.schema
        .createTable('incidents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
        .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
        .addColumn('visitor_id', 'text', (c) => c.notNull())
        .addColumn('area', 'text', (c) => c.notNull())
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('users_affected', 'text', (c) => c.notNull())
        .addColumn('platform_state', 'text', (c) => c.notNull())
        .addColumn('workaround', 'integer', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('steps', 'text', (c) => c.notNull())
        .addColumn('error_message', 'text', (c) => c.notNull())
        .addColumn('attachments', 'text', (c) => c.notNull())
        .addColumn('context', 'text')
        .addColumn('client', 'text', (c) => c.notNull())
        .addColumn('suggested_priority', 'text', (c) => c.notNull())
        .addColumn('priority', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('response_due_at', 'text', (c) => c.notNull())
        .addColumn('first_response_at', 'text')
        .execute();
      // The inbox reads incidents by deadline; an agent reply finds its conversation's incident.
      await db.schema.createIndex('incidents_app_due').on('incidents').columns(['app_id', 'response_due_at']).execute();
      await db.schema.createIndex('incidents_conversation').on('incidents').column('conversation_id').execute();
    },
  },

  '0003_screening': {
    async up(db: Kysely<unknown>) {
      // What screening did to a stored message (redacted or flagged, and by which rules).
      await db.schema.alterTable('messages').addColumn('screening', 'text').execute();
      await db.schema
        .createTable('screening_policies')
        .addColumn('app_id', 'text', (c) => c.primaryKey().references('apps.id'))
        .addColumn('document', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // Verdicts keep no content: the category, rules, a hash, who and when.
      await db.schema
        .createTable('screening_verdicts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
        .addColumn('surface', 'text', (c) => c.notNull())
        .addColumn('sender_type', 'text', (c) => c.notNull())
        .addColumn('sender_id', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('categories', 'text', (c) => c.notNull())
        .addColumn('rules', 'text', (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('screening_verdicts_app_created')
        .on('screening_verdicts')
        .columns(['app_id', 'created_at'])
        .execute();
    },
  },
  '0003_declared_users': {
    async up(db: Kysely<unknown>) {
      // A user id a page declared without proof is kept apart from proven ones: it labels
      // the visitor for agents but never finds another visitor by it.
      await db.schema.alterTable('visitors').addColumn('declared_user_id', 'text').execute();
    },
  },
};

/** Every migration this version knows; a store has all of them applied once it is ready. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(migrations);

/**
 * Applies what has not run yet, in order, in one transaction (SQLite and PostgreSQL both have
 * transactional DDL, so a failure leaves nothing half-built). Applied names are kept in
 * `parley_migrations` in the current schema. On PostgreSQL an advisory lock keyed by the
 * schema lets several nodes start at once without racing; other schemas are never looked at.
 */
export async function migrateToLatest(db: Kysely<unknown>, kind: Dialect): Promise<void> {
  const started = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    if (kind === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(current_schema()))`.execute(trx);
    await sql`create table if not exists parley_migrations (name text primary key, applied_at text not null)`.execute(
      trx,
    );
    const applied = await sql<{ name: string }>`select name from parley_migrations`.execute(trx);
    const done = new Set(applied.rows.map((r) => r.name));
    for (const [name, migration] of Object.entries(migrations)) {
      if (done.has(name)) continue;
      try {
        await migration.up(trx, kind);
      } catch (err) {
        throw new Error(`database migration ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      await sql`insert into parley_migrations (name, applied_at) values (${name}, ${started})`.execute(trx);
    }
  });
}
