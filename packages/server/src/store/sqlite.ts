import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, sql } from 'kysely';
import { KeyRing, OpenSealedPlugin } from './crypto.js';
import { KyselyStore } from './kysely/store.js';
import { migrateToLatest } from './migrations/index.js';
import type { Database } from './schema/index.js';
import { type CheckpointOptions, DEFAULT_RESTART_AT_FRAMES, startCheckpointer } from './sqlite-checkpointer.js';
import { FairSqliteDialect } from './sqlite-dialect.js';
import { SqliteWorker } from './sqlite-worker.js';
import type { Store } from './types.js';

/**
 * The embedded store: one SQLite file in WAL mode. Its connection lives on a thread of its own
 * (sqlite-worker.ts), so the event loop never waits on a statement or a commit, and a second
 * thread copies the log back into the database (sqlite-checkpointer.ts), so the connection
 * never waits on a checkpoint's fsyncs. `synchronous = NORMAL` keeps every committed
 * transaction across a crash of the process (kill -9); only a power loss can take the last
 * few, which is SQLite's documented WAL trade-off for a much faster commit.
 */
export async function createSqliteStore(
  file: string,
  options: {
    /** The background checkpoint failed (the connection then checkpoints inline). */
    onCheckpointError?: (message: string) => void;
    checkpoint?: CheckpointOptions;
    /** The master key of encryption at rest; without it nothing is sealed (tools and tests). */
    masterKey?: Buffer | undefined;
  } = {},
): Promise<Store> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const worker = new SqliteWorker(file);
  const plain = new Kysely<Database>({ dialect: new FairSqliteDialect(worker) });
  await migrateToLatest(plain as Kysely<unknown>, 'sqlite');
  // Keys are read on the thread's read-only connection: never waiting for the transaction
  // that holds the main one.
  const ring = options.masterKey
    ? new KeyRing(options.masterKey, {
        appKeyEnc: async (appId) =>
          (await worker.read('select data_key_enc from apps where id = ?', [appId]))[0]?.data_key_enc as
            | string
            | null
            | undefined,
        contactKeyEnc: async (keyId) => {
          const row = (await worker.read('select app_id, key_enc from contact_keys where id = ?', [keyId]))[0];
          return row && { appId: String(row.app_id), keyEnc: String(row.key_enc) };
        },
      })
    : undefined;
  const db = ring ? plain.withPlugin(new OpenSealedPlugin(ring)) : plain;
  await ring?.backfill(db);
  // Every statement through Kysely's connection lock, so each runs between transactions.
  const pragma = async (text: string) => {
    await db.connection().execute((c) => sql.raw(`pragma ${text}`).execute(c));
  };
  if (file !== ':memory:') {
    // The worker checkpoints; the connection does so itself only as a safety net, when the log
    // reaches four times the worker's restart mark (a worker starved of CPU, or dead).
    const restartAt = options.checkpoint?.restartAtFrames ?? DEFAULT_RESTART_AT_FRAMES;
    await pragma(`wal_autocheckpoint = ${4 * restartAt}`);
    const checkpointer = startCheckpointer(pragma, file, {
      checkpointInline: () => pragma('wal_checkpoint(RESTART)'),
      onError: options.onCheckpointError ?? ((message) => process.emitWarning(message)),
      ...options.checkpoint,
    });
    worker.onClose(() => checkpointer.stop());
  }
  const store = new KyselyStore('sqlite', db, { groupCommit: true, worker, ring });
  await store.messages.prepareWorker();
  return store;
}
