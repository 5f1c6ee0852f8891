import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AgentClient, createAgentClient, createClient, type Message, memoryStorage } from '@parley/sdk';
import { userHashFor } from '@parley/server';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Balancer, startBalancer } from './support/balancer.js';
import { collect, eventually, nextEvent } from './support/events.js';
import { audit, closedLoopVisitors, type StoredRow } from './support/load.js';
import { bannerValue, type ServerProcess, startServerProcess } from './support/process.js';
import { handshake, rawSocket } from './support/raw-socket.js';
import { hasPostgres, hasRedis, REDIS_URL } from './support/services.js';
import { createTestDatabase } from './support/stores.js';

const ARTIFACTS = join(import.meta.dirname, 'artifacts');

async function rows<T>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

// Three server processes on one PostgreSQL database and one Redis, started together on a
// fresh database, as a deployment behind a load balancer runs them.
describe.skipIf(!hasPostgres || !hasRedis)('a cluster of three server processes', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataDir: string;
  let nodes: ServerProcess[] = [];
  let appId: string;
  let identitySecret: string;
  let agentToken: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'parley-cluster-'));
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL,
      REDIS_PREFIX: `parley-test-${randomBytes(6).toString('hex')}:`,
      PARLEY_DATA_DIR: dataDir,
    };
    nodes = await Promise.all([0, 1, 2].map(() => startServerProcess(env)));
    // Exactly one node set up the demo app: the others saw it claimed.
    const withDemo = nodes.filter((n) => n.output().includes('app id:'));
    expect(withDemo).toHaveLength(1);
    const banner = withDemo[0]!.output();
    appId = bannerValue(banner, 'app id');
    identitySecret = bannerValue(banner, 'identity secret');
    agentToken = bannerValue(banner, 'agent token');
  }, 60_000);

  afterAll(async () => {
    for (const n of nodes) await n.stop('SIGKILL');
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("honours one node's visitor token and identified user on every node", async () => {
    const storage = memoryStorage();
    const onA = createClient({ url: nodes[0]!.url, appId, storage });
    const first = await onA.send('hello from node A');
    const visitorId = onA.visitorId;
    onA.close();
    for (const node of nodes.slice(1)) {
      const again = createClient({ url: node.url, appId, storage });
      await again.ready();
      expect(again.visitorId).toBe(visitorId);
      expect((await again.history(first.conversationId)).messages.map((m) => m.text)).toEqual(['hello from node A']);
      again.close();
    }

    const user = { id: 'user-42', name: 'Ana' };
    const userHash = userHashFor(identitySecret, user.id);
    const seen: string[] = [];
    for (const node of nodes) {
      const identified = createClient({ url: node.url, appId, user, userHash, storage: memoryStorage() });
      const m = await identified.send(`identified on ${node.url}`);
      seen.push(`${identified.visitorId}/${m.conversationId}`);
      identified.close();
    }
    expect(new Set(seen.map((s) => s.split('/')[0])).size).toBe(1);
  });

  it('erases a contact through one node and closes their connection on another at once', async () => {
    const visitor = createClient({ url: nodes[0]!.url, appId, storage: memoryStorage() });
    const { visitorToken } = await visitor.ready();
    await visitor.send('please forget me');
    const contactId = visitor.visitorId!;
    visitor.close();
    const socket = rawSocket(nodes[0]!.url, '/visitor', { appId, visitorToken }, null);
    try {
      expect(await handshake(socket)).toMatchObject({ connected: true });
      const closed = new Promise((resolve) => socket.once('disconnect', resolve));
      const erased = await fetch(`${nodes[1]!.url}/v1/contacts/${contactId}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${agentToken}` },
      });
      expect(erased.status).toBe(200);
      await closed;
      const again = await handshake(rawSocket(nodes[2]!.url, '/visitor', { appId, visitorToken }, null));
      expect(again).toMatchObject({ connected: false, data: { code: 'unauthorized' } });
    } finally {
      socket.close();
    }
  });

  it('delivers live between a visitor on one node and an agent on another, both ways', async () => {
    const agent = createAgentClient({ url: nodes[2]!.url, token: agentToken });
    const visitor = createClient({ url: nodes[0]!.url, appId, storage: memoryStorage() });
    try {
      await agent.ready();
      await visitor.ready();
      const atAgent = nextEvent(agent, 'message', (m) => m.text === 'from node A');
      const sent = await visitor.send('from node A');
      expect(await atAgent).toEqual(sent);
      const atVisitor = nextEvent(visitor, 'message', (m) => m.author.type === 'agent');
      const reply = await agent.send(sent.conversationId, 'from node C');
      expect(await atVisitor).toEqual(reply);
    } finally {
      agent.close();
      visitor.close();
    }
  });

  it('counts password guesses from one address across every node', async () => {
    // A different account each time: the per-account lock (5 wrong passwords) stays out of it.
    const attempt = (i: number) =>
      fetch(`${nodes[i % 3]!.url}/v1/agents/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `nobody${i}@acme.example`, password: 'guess' }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await attempt(i)).status);
    // Ten guesses per address per window in all, wherever they land; then 429 on every node.
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  it('counts the same text sent to many conversations across every node as one spammer', async () => {
    const storage = memoryStorage();
    const text = 'Get 50% off all SEO packages this week at our agency, reply now!';
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) {
      // A new conversation each time, on the next node in turn: no node sees more than two.
      const client = createClient({ url: nodes[i % 3]!.url, appId, storage });
      const outcome = await client.send(text).then(
        () => 'stored',
        (err: { code: string }) => err.code,
      );
      answers.push(outcome);
      client.close();
    }
    expect(answers).toEqual(['stored', 'stored', 'stored', 'stored', 'policy_blocked']);
  });

  it('loses and duplicates nothing when a node is killed under load, and the agent sees every message', async () => {
    const balancer: Balancer = await startBalancer(nodes.map((n) => n.url));
    let agent: AgentClient | undefined;
    const load = closedLoopVisitors({ count: 24, url: () => balancer.url, appId });
    try {
      agent = createAgentClient({ url: nodes[2]!.url, token: agentToken, ackTimeoutMs: 5000 });
      const atAgent = collect(agent, 'message');
      await agent.ready();

      await load.waitForAcks(300);
      const victim = nodes[0]!;
      await victim.stop('SIGKILL');
      const killedAt = load.acked.length;
      await load.waitForAcks(killedAt + 600);
      await load.stop();

      // The load's visitors' messages (texts are sealed at rest: found by author, not by text).
      const loadAuthors = new Set(load.acked.map((m) => m.author.id));
      const stored = (
        await rows<StoredRow>(
          db.url,
          `select conversation_id, seq, author_id, client_id, text from messages where author_type = 'visitor'`,
        )
      ).filter((r) => loadAuthors.has(r.author_id));
      const report = audit(load.acked, stored);
      const ids = new Set(load.acked.map((m) => m.id));
      await eventually(() => {
        const seenIds = new Set(atAgent.filter((m: Message) => ids.has(m.id)).map((m: Message) => m.id));
        expect(seenIds.size).toBe(ids.size);
      }, 20_000);
      const seenTwice = atAgent.length - new Set(atAgent.map((m: Message) => m.id)).size;
      const figures = {
        nodes: 3,
        killed: victim.url,
        visitors: 24,
        sent: load.sent(),
        acknowledged: report.acknowledged,
        stored: report.stored,
        lost: report.lost,
        duplicated: report.duplicated,
        gaps: report.gaps.length,
        acknowledgedBeforeKill: killedAt,
        agentSaw: ids.size,
        agentSawTwice: seenTwice,
        connectionsPerNode: balancer.counts(),
      };
      mkdirSync(ARTIFACTS, { recursive: true });
      writeFileSync(join(ARTIFACTS, 'cluster-report.json'), `${JSON.stringify(figures, null, 2)}\n`);
      expect(report).toMatchObject({ lost: 0, duplicated: 0, gaps: [] });
      expect(report.stored).toBe(report.acknowledged);
      expect(report.acknowledged).toBe(load.sent());
      expect(seenTwice).toBe(0);
      // The survivors took the dead node's visitors.
      expect(nodes[1]!.child.exitCode).toBe(null);
      expect(nodes[2]!.child.exitCode).toBe(null);
    } finally {
      load.close();
      agent?.close();
      await balancer.close();
    }
  }, 90_000);
});
