import { createAgentClient, createClient } from '@parley/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { nextEvent } from './support/events.js';
import { type Parley, startParley, TEST_ORIGIN } from './support/server.js';
import { hasRedis, REDIS_URL } from './support/services.js';
import { STORE_KITS } from './support/stores.js';

// Two nodes behind a load balancer share one store and one Redis: a visitor on one node and
// an agent on the other still talk live.
describe.skipIf(!hasRedis).each(STORE_KITS)('two nodes sharing Redis on $name', (kit) => {
  const nodes: Parley[] = [];
  afterEach(async () => {
    for (const n of nodes.splice(0).reverse()) await n.close();
  });

  it('delivers between a visitor on node A and an agent on node B', async () => {
    const a = await startParley(kit, { redisUrl: REDIS_URL });
    nodes.push(a);
    const b = await startParley(kit, { redisUrl: REDIS_URL, store: a.store });
    nodes.unshift(b);
    expect(await (await fetch(`${b.url}/healthz`)).json()).toMatchObject({ adapter: 'redis' });

    const agent = createAgentClient({ url: b.url, token: a.app.agentToken });
    const visitor = createClient({ url: a.url, appId: a.app.id, origin: TEST_ORIGIN });
    try {
      await agent.ready();
      await visitor.ready();
      const atAgent = nextEvent(agent, 'message');
      const sent = await visitor.send('hello from node A');
      expect(await atAgent).toEqual(sent);
      const atVisitor = nextEvent(visitor, 'message', (m) => m.author.type === 'agent');
      const reply = await agent.send(sent.conversationId, 'hello from node B');
      expect(await atVisitor).toEqual(reply);
    } finally {
      agent.close();
      visitor.close();
    }
  });
});
