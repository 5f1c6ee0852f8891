import { type Kysely, sql } from 'kysely';
import type { Migration } from './migration.js';

/**
 * Incidents get a reference a person can read out: a number per app, 1, 2, 3 … in the order
 * they were reported, shown as "#42". `apps.incident_count` is the counter a new report takes
 * its number from (in the report's transaction, so two reports never share one); numbers are
 * never reused, erasure included. Existing incidents are numbered by when they were reported.
 */
export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('apps')
      .addColumn('incident_count', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('incidents').addColumn('number', 'integer').execute();
    await sql`update incidents set number = (
        select count(*) from incidents as earlier
        where earlier.app_id = incidents.app_id
          and (earlier.created_at < incidents.created_at
               or (earlier.created_at = incidents.created_at and earlier.id <= incidents.id)))`.execute(db);
    await sql`update apps set incident_count = (select count(*) from incidents where incidents.app_id = apps.id)`.execute(
      db,
    );
    await db.schema
      .createIndex('incidents_app_number')
      .on('incidents')
      .columns(['app_id', 'number'])
      .unique()
      .execute();
  },
};
