import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, memoryStorage } from '@parley/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from './support/events.js';
import { closedLoopVisitors } from './support/load.js';
import { bannerValue, type ServerProcess, startServerProcess } from './support/process.js';
import { hasPostgres } from './support/services.js';
import { createTestDatabase } from './support/stores.js';
import { type ReceivedWebhook, startWebhookReceiver } from './support/webhook-receiver.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function registerWebhook(server: ServerProcess, token: string, url: string): Promise<string> {
  const response = await fetch(`${server.url}/v1/webhooks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url, events: ['message.created'] }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { webhook: { id: string } }).webhook.id;
}

/** Each event accepted once, and each conversation's messages accepted in `seq` order. */
function auditDeliveries(accepted: ReceivedWebhook[]) {
  const ids = accepted.map((r) => r.id);
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  const seqs = new Map<string, number[]>();
  for (const r of accepted) {
    const message = r.event.data.message as { conversationId: string; seq: number };
    seqs.set(message.conversationId, [...(seqs.get(message.conversationId) ?? []), message.seq]);
  }
  const outOfOrder = [...seqs.values()].filter((list) => list.some((s, i) => i > 0 && s < list[i - 1]!));
  return { accepted: accepted.length, distinct: new Set(ids).size, twice, outOfOrder: outOfOrder.length };
}

describe.skipIf(!hasPostgres)('webhooks across real server processes', () => {
  const env = async () => {
    const db = await createTestDatabase();
    cleanups.push(db.drop);
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-hooks-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    return { DATABASE_URL: db.url, PARLEY_DATA_DIR: dataDir, WEBHOOKS_ALLOW_PRIVATE_NETWORK: '1' };
  };

  it('delivers everything once, in order, after a kill -9 in the middle of retrying', async () => {
    const receiver = await startWebhookReceiver();
    cleanups.push(() => receiver.close());
    receiver.answer = () => 500;
    const processEnv = await env();
    let server = await startServerProcess(processEnv);
    cleanups.push(() => server.stop('SIGKILL'));
    const appId = bannerValue(server.output(), 'app id');
    const token = bannerValue(server.output(), 'agent token');
    await registerWebhook(server, token, receiver.url);

    const visitors = [0, 1].map(() => createClient({ url: server.url, appId, storage: memoryStorage() }));
    for (const [i, visitor] of visitors.entries()) {
      const first = await visitor.send(`conversation ${i} message 0`);
      for (let k = 1; k < 4; k++)
        await visitor.send(`conversation ${i} message ${k}`, { conversationId: first.conversationId });
      visitor.close();
    }
    // Both conversations' first events failed once and wait for their retry (about 2 s).
    await eventually(() => expect(new Set(receiver.received.map((r) => r.id)).size).toBe(2));
    await eventually(async () => {
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(/parley_webhook_attempts_total\{outcome="failed"\} [2-9]/);
    });
    expect(await server.stop('SIGKILL')).toBe(null);

    receiver.answer = () => 200;
    server = await startServerProcess(processEnv);
    await receiver.waitForAccepted(8, 20_000);
    const report = auditDeliveries(receiver.accepted());
    expect(report).toEqual({ accepted: 8, distinct: 8, twice: [], outOfOrder: 0 });
  });

  it('shares one queue between two nodes without delivering anything twice', async () => {
    const receiver = await startWebhookReceiver();
    cleanups.push(() => receiver.close());
    const processEnv = await env();
    const nodes = await Promise.all([startServerProcess(processEnv), startServerProcess(processEnv)]);
    for (const n of nodes) cleanups.push(() => n.stop('SIGKILL'));
    const banner = nodes.find((n) => n.output().includes('app id:'))!.output();
    const token = bannerValue(banner, 'agent token');
    await registerWebhook(nodes[0]!, token, receiver.url);

    const load = closedLoopVisitors({ count: 12, url: (i) => nodes[i % 2]!.url, appId: bannerValue(banner, 'app id') });
    cleanups.push(() => load.close());
    await load.waitForAcks(240);
    await load.stop();
    const sent = load.acked.length;
    await receiver.waitForAccepted(sent, 30_000);
    const report = auditDeliveries(receiver.accepted());
    expect(report).toEqual({ accepted: sent, distinct: sent, twice: [], outOfOrder: 0 });
    // Both nodes sent some of them: the queue is shared, not owned.
    for (const node of nodes) {
      const metrics = await (await fetch(`${node.url}/metrics`)).text();
      expect(metrics).toMatch(/parley_webhook_attempts_total\{outcome="delivered"\} [1-9]/);
    }
  }, 60_000);
});
