import { type Kysely, sql } from 'kysely';
import { migration as m0001 } from './0001-message-path.js';
import { migration as m0002 } from './0002-incidents.js';
import { migration as m0003 } from './0003-screening.js';
import { migration as m0004 } from './0004-declared-users.js';
import { migration as m0005 } from './0005-operator.js';
import { migration as m0006 } from './0006-webhooks.js';
import { migration as m0007 } from './0007-compact-idempotency.js';
import { migration as m0008 } from './0008-console-sign-in.js';
import { migration as m0009 } from './0009-message-review.js';
import { migration as m0010 } from './0010-visitor-device.js';
import { migration as m0011 } from './0011-audit-log.js';
import { migration as m0012 } from './0012-encryption-keys.js';
import { migration as m0013 } from './0013-sealed-profiles.js';
import { migration as m0014 } from './0014-sealed-answers.js';
import { migration as m0015 } from './0015-sealed-user-ids.js';
import { migration as m0016 } from './0016-incident-numbers.js';
import { migration as m0017 } from './0017-agent-avatars.js';
import { migration as m0018 } from './0018-idempotency-by-client-id.js';
import type { Dialect, Migration } from './migration.js';

/**
 * Migrations live in code, one file each, numbered, and run at start. They use only types both
 * SQLite and PostgreSQL understand, so one list serves both stores. Never edit a shipped
 * migration: add one.
 */
const migrations: Record<string, Migration> = {
  '0001_message_path': m0001,
  '0002_incidents': m0002,
  '0003_screening': m0003,
  '0004_declared_users': m0004,
  '0005_operator': m0005,
  '0006_webhooks': m0006,
  '0007_compact_idempotency': m0007,
  '0008_console_sign_in': m0008,
  '0009_message_review': m0009,
  '0010_visitor_device': m0010,
  '0011_audit_log': m0011,
  '0012_encryption_keys': m0012,
  '0013_sealed_profiles': m0013,
  '0014_sealed_answers': m0014,
  '0015_sealed_user_ids': m0015,
  '0016_incident_numbers': m0016,
  '0017_agent_avatars': m0017,
  '0018_idempotency_by_client_id': m0018,
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
