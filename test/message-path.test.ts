import type { ParleyClient } from '@parley/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collect, eventually, nextEvent } from './support/events.js';
import { type Parley, startParley, TEST_ORIGIN } from './support/server.js';
import { STORE_KITS } from './support/stores.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';

/** Cuts the network under a client and waits until the client has noticed. */
async function goOffline(proxy: TcpProxy, client: ParleyClient): Promise<void> {
  const offline = nextEvent(client, 'connection', (s) => s !== 'connected');
  proxy.cut();
  await offline;
}

describe.each(STORE_KITS)('the message path on $name', (kit) => {
  let parley: Parley;
  let proxy: TcpProxy | undefined;

  beforeEach(async () => {
    parley = await startParley(kit);
  });
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
    await parley.close();
  });

  it('carries a visitor message to the agent live and the reply back', async () => {
    const agent = parley.agent();
    await agent.ready();
    const visitor = parley.visitor();
    await visitor.ready();

    const atAgent = nextEvent(agent, 'message', (m) => m.author.type === 'visitor');
    const conversationAtAgent = nextEvent(agent, 'conversation');
    const sent = await visitor.send('Hello, my export is failing');
    expect(sent).toMatchObject({ seq: 1, text: 'Hello, my export is failing', author: { type: 'visitor' } });

    const received = await atAgent;
    expect(received).toEqual(sent);
    expect((await conversationAtAgent).id).toBe(sent.conversationId);

    const atVisitor = nextEvent(visitor, 'message', (m) => m.author.type === 'agent');
    const reply = await agent.send(sent.conversationId, 'Looking into it now');
    expect(reply.seq).toBe(2);
    expect(await atVisitor).toEqual(reply);
    expect(reply.author).toMatchObject({ type: 'agent', name: 'Alex Agent' });
  });

  it("seals a named visitor's messages and name in the store, and answers and delivers them in the clear", async () => {
    const agent = parley.agent();
    await agent.ready();
    const visitor = parley.visitor({ user: { id: 'u_quinn', name: 'QUINN-NAME-5121' } });
    const first = await visitor.send('QUINN-FIRST-3310 where is my parcel?');
    // The second is the common case: the contact's key is loaded, sealed as it is queued.
    const atAgent = nextEvent(agent, 'message', (m) => m.text.startsWith('QUINN-SECOND'));
    const second = await visitor.send('QUINN-SECOND-7702 it was due on Monday', {
      conversationId: first.conversationId,
    });
    for (const message of [first, second]) expect(message.author.name).toBe('QUINN-NAME-5121');
    expect(second.text).toBe('QUINN-SECOND-7702 it was due on Monday');
    expect(await atAgent).toEqual(second);
    const history = await agent.history(first.conversationId);
    expect(history.messages.map((m) => [m.text, m.author.name])).toEqual([
      [first.text, 'QUINN-NAME-5121'],
      [second.text, 'QUINN-NAME-5121'],
    ]);
    const bytes = await parley.raw!.bytes();
    for (const needle of ['QUINN-FIRST-3310', 'QUINN-SECOND-7702', 'QUINN-NAME-5121']) {
      expect(bytes.includes(Buffer.from(needle)), needle).toBe(false);
    }
  });

  it('takes a message at the first try in a conversation the team gave attributes to (sealed at rest)', async () => {
    // A raw socket: no client retry hides a failed first answer.
    const { io } = await import('socket.io-client');
    const raw = io(`${parley.url}/visitor`, {
      auth: { appId: parley.app.id },
      transports: ['websocket'],
      extraHeaders: { origin: TEST_ORIGIN },
    });
    const first = await raw.emitWithAck('message:send', { clientId: 'attr-1', text: 'Order 1182 is late' });
    expect(first.ok).toBe(true);
    const conversationId = first.message.conversationId as string;
    const patched = await fetch(`${parley.url}/v1/conversations/${conversationId}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${parley.app.agentToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ attributes: { order: '1182' } }),
    });
    expect(patched.status).toBe(200);
    const agent = parley.agent();
    await agent.ready();
    const atAgent = nextEvent(agent, 'message', (m) => m.text === 'Any news?');
    const second = await raw.emitWithAck('message:send', { clientId: 'attr-2', conversationId, text: 'Any news?' });
    raw.close();
    expect(second).toMatchObject({ ok: true, message: { seq: 2, text: 'Any news?' } });
    expect(await atAgent).toEqual(second.message);
    const conversation = (await agent.conversations()).find((c) => c.id === conversationId);
    expect(conversation?.attributes).toEqual({ order: '1182' });
  });

  it('stores one message for a duplicate clientId and answers the resend with it', async () => {
    const visitor = parley.visitor();
    const first = await visitor.send('first');
    const agent = parley.agent();
    await agent.ready();
    const page1 = await agent.history(first.conversationId);
    // Resend through the raw protocol with the same clientId, as a client whose ack was lost does.
    const { io } = await import('socket.io-client');
    const raw = io(`${parley.url}/visitor`, {
      auth: { appId: parley.app.id },
      transports: ['websocket'],
      extraHeaders: { origin: TEST_ORIGIN },
    });
    const token = await new Promise<string>((resolve) =>
      raw.on('session', (s: { visitorToken: string }) => resolve(s.visitorToken)),
    );
    expect(token).toBeTruthy();
    const again = await raw.emitWithAck('message:send', { clientId: 'dup-1', text: 'only once' });
    const resend = await raw.emitWithAck('message:send', { clientId: 'dup-1', text: 'only once' });
    raw.close();
    expect(again.ok).toBe(true);
    expect(resend).toEqual(again);
    const history = await agent.history(again.message.conversationId);
    expect(history.messages.map((m) => m.text)).toEqual(['only once']);
    expect(page1.messages).toHaveLength(1);
  });

  it('announces a resent message that was stored but never announced (its node died in between)', async () => {
    const visitor = parley.visitor();
    const first = await visitor.send('first, announced as usual');
    const agent = parley.agent();
    await agent.ready();
    // What a node that dies right after its commit leaves behind: the row, and no fan-out.
    const visitorId = visitor.visitorId!;
    const orphan = await parley.store.messages.append({
      appId: parley.app.id,
      conversationId: first.conversationId,
      visitorId,
      author: { type: 'visitor', id: visitorId, name: null },
      clientId: 'stored-then-died',
      text: 'stored just before the crash',
      now: new Date().toISOString(),
    });
    expect(orphan.created).toBe(true);
    // The visitor never got its ack and resends to a live node, with the same clientId.
    const atAgent = nextEvent(agent, 'message', (m) => m.clientId === 'stored-then-died');
    const resent = await visitor.send('stored just before the crash', {
      conversationId: first.conversationId,
      clientId: 'stored-then-died',
    });
    expect(resent).toEqual(orphan.message);
    // The agent, connected all along, sees it live, once, with nothing sent after it.
    expect(await atAgent).toEqual(orphan.message);
    const page = await agent.history(first.conversationId);
    expect(page.messages.map((m) => m.seq)).toEqual([1, 2]);
  });

  it('catches a client up exactly on what it missed while offline', async () => {
    proxy = await startTcpProxy(parley.url);
    const visitor = parley.visitor({ url: proxy.url });
    const agent = parley.agent();
    await agent.ready();
    const first = await visitor.send('I will be right back');
    const received = collect(visitor, 'message');

    await goOffline(proxy, visitor);
    await agent.send(first.conversationId, 'reply one');
    await agent.send(first.conversationId, 'reply two');
    await agent.send(first.conversationId, 'reply three');
    proxy.restore();

    await eventually(() => expect(received.map((m) => m.text)).toEqual(['reply one', 'reply two', 'reply three']));
    expect(received.map((m) => m.seq)).toEqual([2, 3, 4]);
    // And live delivery continues after the catch-up without a duplicate.
    await agent.send(first.conversationId, 'reply four');
    await eventually(() => expect(received.map((m) => m.seq)).toEqual([2, 3, 4, 5]));
  });

  it('delivers messages sent while disconnected once each, in order, after reconnecting', async () => {
    proxy = await startTcpProxy(parley.url);
    const visitor = parley.visitor({ url: proxy.url, ackTimeoutMs: 1000 });
    const agent = parley.agent();
    await agent.ready();
    const first = await visitor.send('before the tunnel');
    const atAgent = collect(agent, 'message');

    await goOffline(proxy, visitor);
    const sends = ['in the tunnel 1', 'in the tunnel 2', 'in the tunnel 3'].map((t) =>
      visitor.send(t, { conversationId: first.conversationId }),
    );
    expect(visitor.pending()).toHaveLength(3);
    proxy.restore();

    const stored = await Promise.all(sends);
    expect(stored.map((m) => m.seq)).toEqual([2, 3, 4]);
    await eventually(() =>
      expect(atAgent.map((m) => m.text)).toEqual(['in the tunnel 1', 'in the tunnel 2', 'in the tunnel 3']),
    );
    const history = await agent.history(first.conversationId);
    expect(history.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(visitor.pending()).toHaveLength(0);
  });

  it('keeps messages for a new conversation together when they were queued offline', async () => {
    proxy = await startTcpProxy(parley.url);
    const visitor = parley.visitor({ url: proxy.url });
    await visitor.ready();
    await goOffline(proxy, visitor);
    const draft = visitor.newConversationId();
    const a = visitor.send('new topic, part 1', { conversationId: draft });
    const b = visitor.send('new topic, part 2', { conversationId: draft });
    proxy.restore();
    const [ma, mb] = await Promise.all([a, b]);
    expect(mb.conversationId).toBe(ma.conversationId);
    expect([ma.seq, mb.seq]).toEqual([1, 2]);
    expect(await visitor.conversations()).toHaveLength(1);
  });

  it('shows typing, read receipts and unread counts to the right party', async () => {
    const visitor = parley.visitor();
    const agent = parley.agent();
    await agent.ready();
    const first = await visitor.send('hi');
    const cid = first.conversationId;

    const typingAtAgent = nextEvent(agent, 'typing');
    visitor.setTyping(cid, true);
    expect(await typingAtAgent).toMatchObject({ conversationId: cid, typing: true, author: { type: 'visitor' } });

    const unread = nextEvent(visitor, 'unread', (e) => e.unread === 2);
    await agent.send(cid, 'one');
    await agent.send(cid, 'two');
    expect(await unread).toEqual({ conversationId: cid, unread: 2, total: 2 });
    expect((await visitor.conversations())[0]).toMatchObject({ unread: 2, lastSeq: 3 });

    const receipt = nextEvent(agent, 'read', (e) => e.party === 'visitor');
    const cleared = nextEvent(visitor, 'unread', (e) => e.unread === 0);
    const conversation = await visitor.markRead(cid, 3);
    expect(conversation).toMatchObject({ visitorLastReadSeq: 3, unread: 0 });
    expect(await receipt).toEqual({ conversationId: cid, party: 'visitor', seq: 3 });
    expect((await cleared).total).toBe(0);

    // Read receipts never move backwards.
    expect((await visitor.markRead(cid, 1)).visitorLastReadSeq).toBe(3);
    const agentView = await agent.markRead(cid, 3);
    expect(agentView).toMatchObject({ agentLastReadSeq: 3, unread: 0 });
  });

  it('pages history backwards', async () => {
    const visitor = parley.visitor();
    const first = await visitor.send('message 1');
    for (let i = 2; i <= 7; i++) await visitor.send(`message ${i}`, { conversationId: first.conversationId });
    const newest = await visitor.history(first.conversationId, { limit: 3 });
    expect(newest.messages.map((m) => m.seq)).toEqual([5, 6, 7]);
    expect(newest.hasMore).toBe(true);
    const older = await visitor.history(first.conversationId, { beforeSeq: 5, limit: 3 });
    expect(older.messages.map((m) => m.seq)).toEqual([2, 3, 4]);
    const oldest = await visitor.history(first.conversationId, { beforeSeq: 2, limit: 3 });
    expect(oldest).toEqual({ messages: [expect.objectContaining({ seq: 1 })], hasMore: false });
  });

  it('numbers concurrent messages without gaps or repeats', async () => {
    const visitor = parley.visitor();
    const agent = parley.agent();
    await agent.ready();
    const first = await visitor.send('start');
    const cid = first.conversationId;
    const burst = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => agent.send(cid, `agent ${i}`)),
      ...Array.from({ length: 10 }, (_, i) => visitor.send(`visitor ${i}`, { conversationId: cid })),
    ]);
    const seqs = burst.map((m) => m.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
  });
});
