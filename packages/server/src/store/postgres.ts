import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { KeyRing, OpenSealedPlugin } from './crypto.js';
import { KyselyStore } from './kysely/store.js';
import { migrateToLatest } from './migrations/index.js';
import type { Database } from './schema/index.js';
import type { Store } from './types.js';

export interface PostgresOptions {
  /** Put every table in this schema (created if missing); tests use one per run. */
  schema?: string;
  poolSize?: number;
  /**
   * Hears of connections lost outside a query (a terminated backend, a failover). They are
   * dropped from the pool and replaced on the next query; without a listener, pg would throw
   * the error out of the process.
   */
  onConnectionError?: (err: Error) => void;
  /**
   * The master key of encryption at rest (store/crypto.ts). Without it nothing is sealed:
   * tools and tests only; the server and the CLI always give one.
   */
  masterKey?: Buffer | undefined;
}

export async function createPostgresStore(url: string, options: PostgresOptions = {}): Promise<Store> {
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`invalid PostgreSQL schema name: ${schema}`);
  }
  if (schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle connection that dies is reported by the pool; one checked out (held by a
  // transaction between two queries) by the client itself. Both must be listened to: an
  // 'error' event nobody hears ends the process. The query in flight, if any, fails on its
  // own and the request answers `unavailable`.
  const onConnectionError = options.onConnectionError ?? (() => undefined);
  pool.on('error', onConnectionError);
  pool.on('connect', (client) => client.on('error', onConnectionError));
  // Keys are read through a Kysely of their own on the same pool: never through the
  // connection a transaction holds.
  const plain = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  await migrateToLatest(plain as Kysely<unknown>, 'postgres');
  const ring = options.masterKey
    ? new KeyRing(options.masterKey, {
        appKeyEnc: async (appId) =>
          (await plain.selectFrom('apps').select('data_key_enc').where('id', '=', appId).executeTakeFirst())
            ?.data_key_enc,
        contactKeyEnc: async (keyId) => {
          const row = await plain
            .selectFrom('contact_keys')
            .select(['app_id', 'key_enc'])
            .where('id', '=', keyId)
            .executeTakeFirst();
          return row && { appId: row.app_id, keyEnc: row.key_enc };
        },
      })
    : undefined;
  const db = ring ? plain.withPlugin(new OpenSealedPlugin(ring)) : plain;
  await ring?.backfill(db);
  return new KyselyStore('postgres', db, { groupCommit: false, ring });
}
