import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresStore, createSqliteStore, type Store } from '@parley/server';
import pg from 'pg';
import { hasPostgres, POSTGRES_URL } from './services.js';

export interface StoreKit {
  name: 'sqlite' | 'postgres';
  open(): Promise<{ store: Store; cleanup(): Promise<void> }>;
}

const sqlite: StoreKit = {
  name: 'sqlite',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'parley-sqlite-'));
    const store = await createSqliteStore(join(dir, 'parley.db'));
    return {
      store,
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
    const store = await createPostgresStore(POSTGRES_URL, { schema });
    return {
      store,
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
