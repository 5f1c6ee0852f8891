import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

/**
 * The operator's side: conversation status beyond open/closed (text already), assignment,
 * the flagged mark, internal notes, agent sessions that expire, API keys, disabled agents,
 * and Idempotency-Key answers.
 */
export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('conversations').addColumn('assignee_id', 'text').execute();
    await db.schema
      .alterTable('conversations')
      .addColumn('flagged', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createIndex('conversations_app_assignee')
      .on('conversations')
      .columns(['app_id', 'assignee_id'])
      .execute();

    await db.schema.alterTable('incidents').addColumn('assignee_id', 'text').execute();
    // Set once by whichever node first saw the deadline pass unanswered: incident.breached fires once.
    await db.schema.alterTable('incidents').addColumn('breach_announced_at', 'text').execute();
    await db.schema.createIndex('incidents_due').on('incidents').column('response_due_at').execute();

    await db.schema
      .createTable('notes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
      .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
      .addColumn('author_type', 'text', (c) => c.notNull())
      .addColumn('author_id', 'text', (c) => c.notNull())
      .addColumn('author_name', 'text')
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('screening', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('notes_conversation').on('notes').columns(['conversation_id', 'created_at']).execute();

    await db.schema.alterTable('agents').addColumn('disabled_at', 'text').execute();

    // Sessions from POST /v1/agents/login: only the SHA-256 of the token is kept.
    await db.schema
      .createTable('agent_sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('agent_id', 'text', (c) => c.notNull().references('agents.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema.createIndex('agent_sessions_agent').on('agent_sessions').column('agent_id').execute();

    await db.schema
      .createTable('api_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'text')
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema.createIndex('api_keys_app').on('api_keys').column('app_id').execute();

    await db.schema.alterTable('agent_tokens').addColumn('last_used_at', 'text').execute();

    // The answer to a create sent with an Idempotency-Key, replayed when the key comes again.
    await db.schema
      .createTable('idempotency_keys')
      .addColumn('principal', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('request_hash', 'text', (c) => c.notNull())
      .addColumn('status_code', 'integer')
      .addColumn('response', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_keys_pk', ['principal', 'key'])
      .execute();
  },
};
