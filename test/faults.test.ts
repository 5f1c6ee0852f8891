import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresStore, type Store } from '@parley/server';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from './support/events.js';
import { audit, closedLoopVisitors, type StoredRow } from './support/load.js';
import { bannerValue, type ServerProcess, startServerProcess } from './support/process.js';
import { handshake, rawSocket } from './support/raw-socket.js';
import { startParley } from './support/server.js';
import { hasPostgres, hasRedis, POSTGRES_URL, REDIS_URL } from './support/services.js';
import { createTestDatabase, type StoreKit } from './support/stores.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function sql<T>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Ends every connection the server holds to its database, as a failover or restart would. */
async function terminateBackends(databaseName: string): Promise<number> {
  const rows = await sql<{ pid: number }>(
    POSTGRES_URL,
    'select pg_terminate_backend(pid) as pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
    [databaseName],
  );
  return rows.length;
}

async function readyz(url: string): Promise<{ status: number; body: { status: string; reasons?: string[] } }> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as { status: string; reasons?: string[] } };
}

/** A PostgreSQL store reached through a proxy that can cut the network. */
function proxiedPostgres(proxy: () => TcpProxy): StoreKit {
  return {
    name: 'postgres',
    async open() {
      const schema = `parley_t_fault_${Math.random().toString(36).slice(2, 10)}`;
      const url = new URL(POSTGRES_URL);
      const through = new URL(proxy().url);
      url.host = through.host;
      const store: Store = await createPostgresStore(url.toString(), { schema, poolSize: 4 });
      return {
        store,
        async cleanup() {
          await store.close();
          await sql(POSTGRES_URL, `drop schema if exists ${schema} cascade`);
        },
      };
    },
  };
}

describe.skipIf(!hasPostgres)('losing the PostgreSQL connections under load', () => {
  it('keeps the process alive, loses and duplicates nothing acknowledged, and sends again', async () => {
    const db = await createTestDatabase();
    cleanups.push(db.drop);
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-fault-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const server: ServerProcess = await startServerProcess({ DATABASE_URL: db.url, PARLEY_DATA_DIR: dataDir });
    cleanups.push(() => server.stop('SIGKILL'));
    const appId = bannerValue(server.output(), 'app id');
    const databaseName = new URL(db.url).pathname.slice(1);

    const load = closedLoopVisitors({ count: 12, url: () => server.url, appId, origin: new URL(server.url).origin });
    cleanups.push(() => load.close());
    // Waits for acknowledgements, failing at once if the server process dies meanwhile.
    const acks = (n: number) =>
      Promise.race([
        load.waitForAcks(n),
        server.exited.then((code) => {
          throw new Error(`the server died (exit ${code}):\n${server.log().slice(-2000)}`);
        }),
      ]);
    await acks(150);
    expect(await terminateBackends(databaseName)).toBeGreaterThan(0);
    await acks(load.acked.length + 150);
    expect(await terminateBackends(databaseName)).toBeGreaterThan(0);
    await acks(load.acked.length + 150);
    await load.stop();

    expect(server.child.exitCode).toBe(null);
    expect(server.child.signalCode).toBe(null);
    const stored = await sql<StoredRow>(
      db.url,
      'select conversation_id, seq, author_id, client_id, text from messages',
    );
    const report = audit(load.acked, stored);
    expect(report).toMatchObject({ lost: 0, duplicated: 0, gaps: [] });
    expect(report.stored).toBe(report.acknowledged);
    expect(report.acknowledged).toBe(load.sent());

    // Sending works again, and the node says it is ready.
    const again = await load.clients[0]!.send('after the outage');
    expect(again.text).toBe('after the outage');
    await eventually(async () => expect((await readyz(server.url)).status).toBe(200));
    // The lost connections were logged as warnings, never as crashes.
    expect(server.log()).toMatch(/database connection was lost/);
  });
});

describe.skipIf(!hasPostgres)('a database outage', () => {
  let proxy: TcpProxy;
  it('answers unavailable, shows in /readyz, and recovers when the database returns', async () => {
    proxy = await startTcpProxy(POSTGRES_URL);
    cleanups.push(() => proxy.close());
    const parley = await startParley(proxiedPostgres(() => proxy));
    cleanups.push(() => parley.close());
    expect(await readyz(parley.url)).toMatchObject({ status: 200, body: { status: 'ready' } });

    const socket = rawSocket(parley.url, '/visitor', { appId: parley.app.id });
    cleanups.push(() => socket.close());
    expect((await handshake(socket)).connected).toBe(true);

    proxy.cut();
    const refused = await socket.emitWithAck('message:send', { clientId: 'during', text: 'are you there?' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    const down = await readyz(parley.url);
    expect(down.status).toBe(503);
    expect(down.body.reasons?.join(' ')).toMatch(/database/);
    // Liveness is not readiness: the process is alive and says so.
    expect((await fetch(`${parley.url}/healthz`)).status).toBe(200);

    // A new visitor arriving now is refused `unavailable`; the sdk tries again by itself.
    const newcomer = parley.visitor();
    const queued = newcomer.send('hello, anyone?');
    await eventually(async () =>
      expect(await (await fetch(`${parley.url}/metrics`)).text()).toMatch(
        /parley_handshakes_refused_total\{namespace="visitor"\} [1-9]/,
      ),
    );
    expect(newcomer.state).toBe('connecting');

    proxy.restore();
    await eventually(async () => expect((await readyz(parley.url)).status).toBe(200));
    const sent = await socket.emitWithAck('message:send', { clientId: 'during', text: 'are you there?' });
    expect(sent).toMatchObject({ ok: true, message: { seq: 1, text: 'are you there?' } });
    expect(await queued).toMatchObject({ seq: 1, text: 'hello, anyone?' });
  });
});

describe.skipIf(!hasPostgres || !hasRedis)('Redis', () => {
  it('is waited for a bounded time at start, then the server exits naming it', async () => {
    const db = await createTestDatabase();
    cleanups.push(db.drop);
    // A port nothing listens on: take one, then free it.
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const start = startServerProcess(
      { DATABASE_URL: db.url, REDIS_URL: `redis://127.0.0.1:${port}` },
      { timeoutMs: 30_000 },
    );
    await expect(start).rejects.toThrow(
      new RegExp(`could not reach Redis at redis://127\\.0\\.0\\.1:${port} within 10 s`),
    );
  });

  it('shows a lost connection in /readyz, keeps acknowledging messages, and recovers', async () => {
    const proxy = await startTcpProxy(REDIS_URL);
    cleanups.push(() => proxy.close());
    const kit: StoreKit = {
      name: 'postgres',
      async open() {
        const schema = `parley_t_redis_${Math.random().toString(36).slice(2, 10)}`;
        const store = await createPostgresStore(POSTGRES_URL, { schema });
        return {
          store,
          async cleanup() {
            await store.close();
            await sql(POSTGRES_URL, `drop schema if exists ${schema} cascade`);
          },
        };
      },
    };
    const parley = await startParley(kit, { redisUrl: proxy.url.replace('http:', 'redis:') });
    cleanups.push(() => parley.close());
    expect((await readyz(parley.url)).status).toBe(200);
    const visitor = parley.visitor();
    await visitor.ready();

    proxy.cut();
    await eventually(async () => {
      const down = await readyz(parley.url);
      expect(down.status).toBe(503);
      expect(down.body.reasons?.join(' ')).toMatch(/Redis/);
    });
    // Messages are stored and acknowledged without Redis; fan-out to other nodes waits for it.
    const during = await visitor.send('sent while Redis is away');
    expect(during.seq).toBe(1);

    proxy.restore();
    await eventually(async () => expect((await readyz(parley.url)).status).toBe(200), 15_000);
    const agent = parley.agent();
    await agent.ready();
    const after = await visitor.send('and after', { conversationId: during.conversationId });
    expect(after.seq).toBe(2);
  });
});

describe('readiness and draining', () => {
  it('answers ready, then 503 draining once the node starts shutting down', async () => {
    const { STORE_KITS } = await import('./support/stores.js');
    const parley = await startParley(STORE_KITS[0]!);
    cleanups.push(() => parley.close());
    expect(await readyz(parley.url)).toMatchObject({ status: 200, body: { status: 'ready', store: 'sqlite' } });
    parley.server.drain();
    expect(await readyz(parley.url)).toMatchObject({
      status: 503,
      body: { status: 'unavailable', reasons: ['draining: shutting down'] },
    });
  });
});

describe('cluster configuration', () => {
  it('refuses DATABASE_URL or REDIS_URL without PARLEY_SECRET, and REDIS_URL with SQLite', async () => {
    await expect(
      startServerProcess({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test', PARLEY_SECRET: '' }),
    ).rejects.toThrow(/PARLEY_SECRET must be set when DATABASE_URL is set/);
    await expect(startServerProcess({ REDIS_URL: 'redis://127.0.0.1:6379' })).rejects.toThrow(
      /REDIS_URL is for several nodes.*set DATABASE_URL too/,
    );
  });
});
