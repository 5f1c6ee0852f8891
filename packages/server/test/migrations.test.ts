import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { hasPostgres, POSTGRES_URL } from '../../../test/support/services.js';
import { migration as incidentNumbers } from '../src/store/migrations/0016-incident-numbers.js';
import { migration as idempotencyByClientId } from '../src/store/migrations/0018-idempotency-by-client-id.js';
import type { Dialect } from '../src/store/migrations/migration.js';

// Migrations that rewrite data or indexes, each run on a store as an earlier version left it: only the columns
// it reads, on both dialects.

interface Opened {
  db: Kysely<unknown>;
  close(): Promise<void>;
}

const DIALECTS: { name: Dialect; open(): Promise<Opened> }[] = [
  {
    name: 'sqlite',
    async open() {
      const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
      return { db, close: () => db.destroy() };
    },
  },
  ...(hasPostgres
    ? [
        {
          name: 'postgres' as const,
          async open() {
            const schema = `parley_m_${randomBytes(6).toString('hex')}`;
            const pool = new pg.Pool({ connectionString: POSTGRES_URL, options: `-c search_path=${schema}` });
            await pool.query(`create schema ${schema}`);
            const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
            return {
              db,
              async close() {
                await sql.raw(`drop schema ${schema} cascade`).execute(db);
                await db.destroy();
              },
            };
          },
        },
      ]
    : []),
];

describe.each(DIALECTS)('migrations that rewrite, on $name', ({ name, open }) => {
  let opened: Opened | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  it('0016 numbers existing incidents per app in the order they were reported, and sets each counter', async () => {
    opened = await open();
    const { db } = opened;
    await sql`create table apps (id text primary key, name text not null)`.execute(db);
    await sql`create table incidents (id text primary key, app_id text not null, created_at text not null)`.execute(db);
    await sql`insert into apps (id, name) values ('app_a', 'A'), ('app_b', 'B'), ('app_c', 'C')`.execute(db);
    // Out of order on disk; two at the same instant (their ids break the tie).
    await sql`insert into incidents (id, app_id, created_at) values
      ('inc_3', 'app_a', '2026-11-20T10:02:00.000Z'),
      ('inc_1', 'app_a', '2026-11-20T10:00:00.000Z'),
      ('inc_2b', 'app_a', '2026-11-20T10:01:00.000Z'),
      ('inc_2a', 'app_a', '2026-11-20T10:01:00.000Z'),
      ('inc_b1', 'app_b', '2026-11-19T09:00:00.000Z')`.execute(db);

    await db.transaction().execute((trx) => incidentNumbers.up(trx, name));

    const numbers = await sql<{ id: string; number: number }>`select id, number from incidents order by id`.execute(db);
    expect(Object.fromEntries(numbers.rows.map((r) => [r.id, Number(r.number)]))).toEqual({
      inc_1: 1,
      inc_2a: 2,
      inc_2b: 3,
      inc_3: 4,
      inc_b1: 1,
    });
    const counts = await sql<{
      id: string;
      incident_count: number;
    }>`select id, incident_count from apps order by id`.execute(db);
    expect(counts.rows.map((r) => [r.id, Number(r.incident_count)])).toEqual([
      ['app_a', 4],
      ['app_b', 1],
      ['app_c', 0],
    ]);
    // One number per app: a second #1 in app A is refused.
    await expect(
      sql`insert into incidents (id, app_id, created_at, number) values ('inc_x', 'app_a', '2026-11-21T00:00:00.000Z', 1)`.execute(
        db,
      ),
    ).rejects.toThrow(/unique/i);
  });

  it('0018 keeps one message per author and clientId, with the index keyed by clientId first', async () => {
    opened = await open();
    const { db } = opened;
    await sql`create table messages (id text primary key, author_id text not null, client_id text)`.execute(db);
    await sql`create unique index messages_author_client_id on messages (author_id, client_id)`.execute(db);
    await sql`insert into messages (id, author_id, client_id) values ('m1', 'vis_a', 'c1'), ('m2', 'vis_b', 'c1')`.execute(
      db,
    );

    await db.transaction().execute((trx) => idempotencyByClientId.up(trx, name));

    // The same pair is refused; the same clientId from another author is not.
    await expect(
      sql`insert into messages (id, author_id, client_id) values ('m3', 'vis_a', 'c1')`.execute(db),
    ).rejects.toThrow(/unique/i);
    await sql`insert into messages (id, author_id, client_id) values ('m4', 'vis_c', 'c1')`.execute(db);
    const indexes =
      name === 'sqlite'
        ? await sql<{
            name: string;
            column: string;
          }>`select il.name, ii.name as "column" from pragma_index_list('messages') il join pragma_index_info(il.name) ii where il.origin = 'c' order by il.name, ii.seqno`.execute(
            db,
          )
        : await sql<{ name: string; column: string }>`select i.relname as name, a.attname as "column"
            from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
            join unnest(x.indkey) with ordinality k(attnum, n) on true
            join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum
            where t.relname = 'messages' and t.relnamespace = to_regnamespace(current_schema()) and not x.indisprimary
            order by i.relname, k.n`.execute(db);
    expect(indexes.rows.map((r) => `${r.name}.${r.column}`)).toEqual([
      'messages_client_id_author.client_id',
      'messages_client_id_author.author_id',
    ]);
  });
});
