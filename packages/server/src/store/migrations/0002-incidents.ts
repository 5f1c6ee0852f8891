import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

export const migration: Migration = {
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
};
