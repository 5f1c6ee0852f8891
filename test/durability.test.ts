import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Message } from '@parley/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { bannerValue, type ServerProcess, startServerProcess } from './support/process.js';
import { hasPostgres } from './support/services.js';
import { createTestDatabase } from './support/stores.js';

const setups = [
  { name: 'sqlite', env: async () => ({ env: {}, cleanup: async () => {} }) },
  ...(hasPostgres
    ? [
        {
          name: 'postgres',
          env: async () => {
            const db = await createTestDatabase();
            return { env: { DATABASE_URL: db.url }, cleanup: db.drop };
          },
        },
      ]
    : []),
];

describe.each(setups)('the built server on $name', (setup) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('keeps every acknowledged message across a kill -9 and a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-durable-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const { env, cleanup } = await setup.env();
    cleanups.push(cleanup);
    const processEnv = { ...env, PARLEY_DATA_DIR: dataDir };

    let server: ServerProcess = await startServerProcess(processEnv);
    cleanups.push(() => server.stop('SIGKILL').then(() => undefined));
    const appId = bannerValue(server.output(), 'app id');
    const token = bannerValue(server.output(), 'agent token');

    const visitor = createClient({ url: server.url, appId, origin: new URL(server.url).origin });
    const first = await visitor.send('message 0');
    const acked: Message[] = [first];
    for (let i = 1; i < 40; i++)
      acked.push(await visitor.send(`message ${i}`, { conversationId: first.conversationId }));
    visitor.close();

    expect(await server.stop('SIGKILL')).toBe(null);
    server = await startServerProcess(processEnv);
    expect(server.output()).not.toContain('agent token');

    const response = await fetch(
      `${server.url}/v1/conversations/${first.conversationId}/messages?afterSeq=0&limit=200`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(response.status).toBe(200);
    const page = (await response.json()) as { messages: Message[] };
    expect(page.messages.map((m) => [m.seq, m.text])).toEqual(acked.map((m) => [m.seq, m.text]));
    const health = await (await fetch(`${server.url}/healthz`)).json();
    expect(health).toEqual({ status: 'ok', store: setup.name, adapter: 'memory' });
  });
});

describe('configuration', () => {
  it('refuses a bad value at start with a clear message', async () => {
    await expect(startServerProcess({ PORT: 'eighty' })).rejects.toThrow(
      /PORT must be an integer from 0 to 65535, got "eighty"/,
    );
  });
});
