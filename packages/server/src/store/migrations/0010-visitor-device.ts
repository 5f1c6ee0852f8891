import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

/**
 * Where a visitor was last seen, for the agents' contact panel: a JSON object of browser, OS,
 * device class, page (without query or fragment), language and time zone. Null when never
 * seen, or when the browser asked not to be tracked.
 */
export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('visitors').addColumn('device', 'text').execute();
  },
};
