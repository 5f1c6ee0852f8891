import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresStore, createSqliteStore, type Store } from '@parley/server';
import Database from 'better-sqlite3';
import pg from 'pg';
import { TEST_MASTER_KEY } from './process.js';
import { hasPostgres, POSTGRES_URL } from './services.js';

/** What a test reads of a store behind its back: its tables, and everything it holds as bytes. */
export interface RawStore {
  /** Every table with its columns. */
  tables(): Promise<Record<string, string[]>>;
  /**
   * What the store holds, as raw bytes: SQLite's files (database, log), every row of every
   * PostgreSQL table as text (a byte scan of PostgreSQL's own files needs its server's disk).
   */
  bytes(): Promise<Buffer>;
  /** Runs one statement on a connection of its own (`?` placeholders), as an intruder with the files would. */
  run(statement: string, values: unknown[]): Promise<Record<string, unknown>[]>;
}

/** The stores tests open encrypt at rest, as the server does. */
const MASTER_KEY = Buffer.from(TEST_MASTER_KEY, 'hex');

export interface StoreKit {
  name: 'sqlite' | 'postgres';
  open(): Promise<{ store: Store; raw?: RawStore; cleanup(): Promise<void> }>;
}

const sqlite: StoreKit = {
  name: 'sqlite',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'parley-sqlite-'));
    const file = join(dir, 'parley.db');
    const store = await createSqliteStore(file, { masterKey: MASTER_KEY });
    return {
      store,
      raw: {
        async tables() {
          const db = new Database(file, { readonly: true });
          try {
            const names = db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[];
            return Object.fromEntries(
              names
                .filter((t) => !t.name.startsWith('sqlite_'))
                .map((t) => [
                  t.name,
                  (db.prepare(`select name from pragma_table_info(?)`).all(t.name) as { name: string }[]).map(
                    (c) => c.name,
                  ),
                ]),
            );
          } finally {
            db.close();
          }
        },
        async bytes() {
          return Buffer.concat(
            readdirSync(dir)
              .filter((f) => f.startsWith('parley.db'))
              .map((f) => readFileSync(join(dir, f))),
          );
        },
        async run(statement, values) {
          const db = new Database(file, { timeout: 5000 });
          try {
            const prepared = db.prepare(statement);
            if (prepared.reader) return prepared.all(values) as Record<string, unknown>[];
            prepared.run(values);
            return [];
          } finally {
            db.close();
          }
        },
      },
      async cleanup() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

/** Each PostgreSQL store lives in its own schema, dropped afterwards: runs never collide. */
const postgres: StoreKit = {
  name: 'postgres',
  async open() {
    const schema = `parley_t_${randomBytes(6).toString('hex')}`;
    const store = await createPostgresStore(POSTGRES_URL, { schema, masterKey: MASTER_KEY });
    const query = async <R>(text: string, values: unknown[] = []): Promise<R[]> => {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        return (await client.query(text, values)).rows as R[];
      } finally {
        await client.end();
      }
    };
    const tables = async () => {
      const rows = await query<{ table_name: string; column_name: string }>(
        'select table_name, column_name from information_schema.columns where table_schema = $1 order by table_name, ordinal_position',
        [schema],
      );
      const out: Record<string, string[]> = {};
      for (const r of rows) {
        out[r.table_name] ??= [];
        out[r.table_name]!.push(r.column_name);
      }
      return out;
    };
    return {
      store,
      raw: {
        tables,
        async bytes() {
          const parts: Buffer[] = [];
          for (const table of Object.keys(await tables())) {
            const rows = await query<{ row: string }>(`select t::text as row from ${schema}.${table} t`);
            for (const r of rows) parts.push(Buffer.from(r.row));
          }
          return Buffer.concat(parts);
        },
        async run(statement, values) {
          const client = new pg.Client({ connectionString: POSTGRES_URL, options: `-c search_path=${schema}` });
          await client.connect();
          try {
            let n = 0;
            return (
              await client.query(
                statement.replace(/\?/g, () => `$${++n}`),
                values,
              )
            ).rows;
          } finally {
            await client.end();
          }
        },
      },
      async cleanup() {
        await store.close();
        await dropSchema(schema);
      },
    };
  },
};

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** A whole PostgreSQL database of its own, for a server process started with DATABASE_URL. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `parley_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** The stores every contract and end-to-end test runs against. */
export const STORE_KITS: StoreKit[] = hasPostgres ? [sqlite, postgres] : [sqlite];
