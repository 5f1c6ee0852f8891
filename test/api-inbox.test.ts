import { createAgent } from '@parley/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collect, eventually, nextEvent } from './support/events.js';
import { gradientPng } from './support/png.js';
import { handshake, rawSocket } from './support/raw-socket.js';
import { restFor } from './support/rest.js';
import { type Parley, startParley, TEST_ORIGIN } from './support/server.js';
import { STORE_KITS } from './support/stores.js';

type Json = Record<string, unknown>;

describe.each(STORE_KITS)('the inbox over REST on $name', (kit) => {
  let parley: Parley;
  let now: Date;
  beforeEach(async () => {
    now = new Date('2026-11-22T10:00:00.000Z');
    parley = await startParley(kit, { clock: () => now });
  });
  afterEach(() => parley.close());

  const rest = restFor(() => parley);
  const ids = (body: Json, key = 'conversations') => (body[key] as Json[]).map((c) => c.id);
  const tick = (minutes = 1) => {
    now = new Date(now.getTime() + minutes * 60_000);
  };

  it('changes status and assignee, tells agents and the visitor, and a visitor writing reopens', async () => {
    const agent = parley.agent();
    await agent.ready();
    const visitor = parley.visitor();
    const first = await visitor.send('My invoice is wrong');
    const path = `/v1/conversations/${first.conversationId}`;

    const atAgent = nextEvent(agent, 'conversationUpdated');
    const atVisitor = nextEvent(visitor, 'conversationUpdated');
    const resolved = await rest('PATCH', path, { status: 'resolved', assigneeId: parley.app.agentId });
    expect(resolved.body.conversation).toMatchObject({ status: 'resolved', assigneeId: parley.app.agentId });
    expect(await atAgent).toMatchObject({
      id: first.conversationId,
      status: 'resolved',
      assigneeId: parley.app.agentId,
    });
    expect(await atVisitor).toMatchObject({ id: first.conversationId, status: 'resolved' });
    expect(await atVisitor).not.toHaveProperty('assigneeId');

    const reopened = nextEvent(agent, 'message', (m) => m.text === 'Still wrong');
    await visitor.send('Still wrong', { conversationId: first.conversationId });
    await reopened;
    expect((await rest('GET', path)).body.conversation).toMatchObject({
      status: 'open',
      assigneeId: parley.app.agentId,
    });
    // An agent's reply leaves the status as it is.
    await rest('PATCH', path, { status: 'pending' });
    await rest('POST', `${path}/messages`, { text: 'Could you send the invoice number?' });
    expect((await rest('GET', path)).body.conversation).toMatchObject({ status: 'pending' });
    // The socket's list filters by every status the protocol has, as REST does.
    expect((await agent.conversations({ status: 'pending' })).map((c) => c.id)).toEqual([first.conversationId]);
    expect(await agent.conversations({ status: 'resolved' })).toEqual([]);

    const bad = await rest('PATCH', path, { assigneeId: 'agt_nobody' });
    expect(bad).toMatchObject({
      status: 400,
      body: { code: 'invalid_payload', fields: { assigneeId: expect.any(String) } },
    });
    expect((await rest('PATCH', path, { status: 'archived' })).status).toBe(400);
    expect((await rest('PATCH', path, {})).status).toBe(400);
  });

  it('filters the inbox by status, assignee, priority, flag, unread, time and contact, page by page', async () => {
    const a = parley.visitor();
    const b = parley.visitor();
    const c = parley.visitor();
    const ca = await a.send('first conversation');
    tick();
    const cb = await b.send('here is my card 4111 1111 1111 1111 and damn it does not work');
    tick();
    const incident = await c.reportIncident({
      area: 'Checkout',
      impact: { usersAffected: 'many', platformState: 'down', workaround: false },
      startedAt: now,
      context: null,
    });
    tick();
    await rest('PATCH', `/v1/conversations/${ca.conversationId}`, {
      status: 'pending',
      assigneeId: parley.app.agentId,
    });
    await rest('POST', `/v1/conversations/${incident.conversationId}/read`, {});

    const list = async (query: string) => (await rest('GET', `/v1/conversations?${query}`)).body;
    expect(ids(await list(''))).toEqual([ca.conversationId, incident.conversationId, cb.conversationId]);
    expect(ids(await list('status=pending'))).toEqual([ca.conversationId]);
    expect(ids(await list('status=open,pending'))).toHaveLength(3);
    expect(ids(await list('assignee=me'))).toEqual([ca.conversationId]);
    expect(ids(await list('assignee=none'))).toEqual([incident.conversationId, cb.conversationId]);
    expect(ids(await list('priority=P1'))).toEqual([incident.conversationId]);
    const p1 = (await list('priority=P1')).conversations as Json[];
    expect(p1[0]).toMatchObject({ priority: 'P1', responseDueAt: incident.responseDueAt });
    expect(ids(await list('flagged=true'))).toEqual([cb.conversationId]);
    expect(ids(await list('unread=false'))).toEqual([incident.conversationId]);
    expect(
      ids(await list(`updatedSince=${encodeURIComponent(new Date(now.getTime() - 90_000).toISOString())}`)),
    ).toEqual([ca.conversationId, incident.conversationId]);
    expect(ids(await list(`contactId=${b.visitorId}`))).toEqual([cb.conversationId]);

    const page1 = await list('limit=2');
    expect(ids(page1)).toEqual([ca.conversationId, incident.conversationId]);
    const page2 = await list(`limit=2&cursor=${page1.nextCursor}`);
    expect(ids(page2)).toEqual([cb.conversationId]);
    expect(page2.nextCursor).toBe(null);
    expect(await list('cursor=garbage')).toMatchObject({ code: 'invalid_payload', fields: { cursor: 'invalid' } });
    expect(await list('status=archived')).toMatchObject({
      code: 'invalid_payload',
      fields: { status: expect.any(String) },
    });
  });

  it('keeps internal notes from the visitor, and sends files, read marks and typing-free replies over REST', async () => {
    const agent = parley.agent();
    await agent.ready();
    const visitor = parley.visitor();
    const heard = collect(visitor, 'message');
    const first = await visitor.send('The export hangs');
    const path = `/v1/conversations/${first.conversationId}`;

    const noteAtAgent = nextEvent(agent, 'note');
    const note = await rest('POST', `${path}/notes`, { text: 'Same bug as last week, see the ticket' });
    expect(note.status).toBe(201);
    expect(note.body.note).toMatchObject({
      conversationId: first.conversationId,
      author: { type: 'agent', id: parley.app.agentId },
      text: 'Same bug as last week, see the ticket',
    });
    expect(await noteAtAgent).toEqual(note.body.note);
    expect(((await rest('GET', `${path}/notes`)).body.notes as Json[]).map((n) => n.text)).toEqual([
      'Same bug as last week, see the ticket',
    ]);
    // Notes are screened like messages.
    const redacted = await rest('POST', `${path}/notes`, { text: 'their card is 4242 4242 4242 4242' });
    expect((redacted.body.note as Json).text).not.toContain('4242 4242 4242 4242');

    const upload = await fetch(`${parley.url}/v1/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${parley.app.agentToken}`, 'x-filename': 'steps.png' },
      body: new Uint8Array(gradientPng(40, 20)),
    });
    expect(upload.status).toBe(201);
    const { attachment } = (await upload.json()) as { attachment: Json };
    const withFile = nextEvent(visitor, 'message', (m) => m.author.type === 'agent');
    const reply = await rest('POST', `${path}/messages`, { text: 'Try these steps', attachmentIds: [attachment.id] });
    expect(reply.status).toBe(201);
    expect(await withFile).toMatchObject({
      text: 'Try these steps',
      attachments: [{ id: attachment.id, name: 'steps.png' }],
    });

    const readAtVisitor = nextEvent(visitor, 'read', (r) => r.party === 'agent');
    expect((await rest('POST', `${path}/read`, {})).body.conversation).toMatchObject({
      unread: 0,
      agentLastReadSeq: 2,
    });
    expect(await readAtVisitor).toEqual({ conversationId: first.conversationId, party: 'agent', seq: 2 });

    // The visitor never heard of the notes: not live, not in the history.
    await eventually(() => expect(heard.map((m) => m.text)).toContain('Try these steps'));
    const history = await visitor.history(first.conversationId);
    expect(history.messages.map((m) => m.text)).toEqual(['The export hangs', 'Try these steps']);
    expect(JSON.stringify(heard)).not.toContain('last week');
  });

  it('finds contacts by email, name or user id, and updates their attributes', async () => {
    const ana = parley.visitor({ user: { id: 'u-ana', email: 'Ana@Example.com', name: 'Ana Díaz' } });
    await ana.ready();
    tick();
    const ben = parley.visitor({ user: { id: 'u-ben', name: 'Ben' } });
    await ben.ready();
    const anonymous = parley.visitor();
    await anonymous.ready();

    const search = async (query: string) =>
      ((await rest('GET', `/v1/contacts?${query}`)).body.contacts as Json[]).map((c) => c.userId);
    expect(await search('email=ana%40example.com')).toEqual(['u-ana']);
    expect(await search('query=d%C3%ADaz')).toEqual(['u-ana']);
    expect(await search('query=BEN')).toEqual(['u-ben']);
    expect(await search('userId=u-ben')).toEqual(['u-ben']);
    expect(await search('query=100%25')).toEqual([]);
    expect((await search('limit=10')).length).toBe(3);

    const contact = (await rest('GET', `/v1/contacts/${ana.visitorId}`)).body.contact as Json;
    expect(contact).toMatchObject({ id: ana.visitorId, userId: 'u-ana', verified: false, name: 'Ana Díaz' });
    const patched = await rest('PATCH', `/v1/contacts/${ana.visitorId}`, { attributes: { plan: 'pro', seats: 12 } });
    expect(patched.body.contact).toMatchObject({ attributes: { plan: 'pro', seats: 12 } });
    const cleared = await rest('PATCH', `/v1/contacts/${ana.visitorId}`, {
      attributes: { seats: null },
      name: 'Ana D.',
    });
    expect(cleared.body.contact).toMatchObject({ name: 'Ana D.', attributes: { plan: 'pro' } });
    expect((await rest('GET', '/v1/contacts/vis_nobody')).status).toBe(404);
  });

  it('keeps where a visitor was seen, minimised, and nothing when their browser asks not to be tracked', async () => {
    const UA =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
    const seen = async (headers: Record<string, string>, auth: Json) => {
      const socket = rawSocket(parley.url, '/visitor', { appId: parley.app.id, ...auth }, TEST_ORIGIN, {
        'user-agent': UA,
        ...headers,
      });
      const outcome = await handshake(socket);
      socket.close();
      if (!outcome.connected) throw new Error(outcome.message);
      const id = outcome.session.visitorId as string;
      return (await rest('GET', `/v1/contacts/${id}`)).body.contact as Json;
    };
    const where = {
      page: 'https://shop.example/account/orders?token=s3cret&q=refund#invoice-7',
      locale: 'pt-BR',
      timeZone: 'America/Sao_Paulo',
    };
    expect((await seen({}, where)).device).toEqual({
      browser: 'Safari',
      browserVersion: '17.4',
      os: 'iOS',
      osVersion: '17.4',
      device: 'mobile',
      page: 'https://shop.example/account/orders',
      locale: 'pt-BR',
      timeZone: 'America/Sao_Paulo',
      seenAt: now.toISOString(),
    });
    // Not a page address, not a language, not a zone: left out, the rest kept.
    expect((await seen({}, { page: 'javascript:alert(1)', locale: '<b>', timeZone: '../etc' })).device).toMatchObject({
      browser: 'Safari',
      page: null,
      locale: null,
      timeZone: null,
    });
    expect((await seen({ 'sec-gpc': '1' }, where)).device).toBeNull();
    expect((await seen({ dnt: '1' }, where)).device).toBeNull();
    // Agents see it with the conversation.
    const visitor = parley.visitor();
    await visitor.send('Hello');
    const [conversation] = (await rest('GET', '/v1/conversations')).body.conversations as Json[];
    expect((conversation!.visitor as Json).device).toMatchObject({ page: null, seenAt: now.toISOString() });
  });

  it('assigns incidents, and announces a breached deadline once', async () => {
    const agent = parley.agent();
    await agent.ready();
    const visitor = parley.visitor();
    const reported = await visitor.reportIncident({
      area: 'Login',
      impact: { usersAffected: 'many', platformState: 'down', workaround: false },
      startedAt: now,
      context: null,
    });
    const assigned = await rest('PATCH', `/v1/incidents/${reported.id}`, { assigneeId: parley.app.agentId });
    expect(assigned.body.incident).toMatchObject({ assigneeId: parley.app.agentId, priority: 'P1' });
    expect(((await rest('GET', `/v1/incidents?assignee=${parley.app.agentId}`)).body.incidents as Json[]).length).toBe(
      1,
    );

    expect(await parley.server.jobs.run('incident-breaches')).toBe(0);
    now = new Date(now.getTime() + 2 * 3600_000 + 60_000);
    const breached = nextEvent(agent, 'incidentUpdated', (i) => i.breached);
    expect(await parley.server.jobs.run('incident-breaches')).toBe(1);
    expect(await breached).toMatchObject({ id: reported.id, breached: true });
    expect(await parley.server.jobs.run('incident-breaches')).toBe(0);
  });

  it('queues flagged messages for an admin to clear or confirm, and takes the mark off when none waits', async () => {
    const agent = parley.agent();
    await agent.ready();
    const visitor = parley.visitor({ user: { id: 'u_7', name: 'Rae' } });
    const clean = await visitor.send('Hello, my order is late');
    tick();
    const first = await visitor.send('damn it, this still does not work', { conversationId: clean.conversationId });
    tick();
    const second = await visitor.send('damn it, answer me', { conversationId: clean.conversationId });
    expect(first.screening?.action).toBe('flag');

    const queue = await rest('GET', '/v1/review?limit=1');
    expect(queue.status).toBe(200);
    expect((queue.body.items as Json[]).map((i) => (i.message as Json).id)).toEqual([first.id]);
    expect((queue.body.items as Json[])[0]).toMatchObject({
      message: { screening: { action: 'flag', notes: [{ category: expect.any(String), clause: expect.any(Object) }] } },
      contact: { name: 'Rae' },
    });
    const page2 = await rest('GET', `/v1/review?limit=1&cursor=${queue.body.nextCursor}`);
    expect((page2.body.items as Json[]).map((i) => (i.message as Json).id)).toEqual([second.id]);

    // Not an admin's, not flagged, not this app's: refused.
    const { token: pat } = await createAgent(
      parley.store,
      { appId: parley.app.id, email: 'kai@shop.test', name: 'Kai', role: 'agent' },
      () => now,
    );
    expect((await rest('GET', '/v1/review', undefined, pat)).status).toBe(403);
    expect((await rest('POST', `/v1/messages/${first.id}/review`, { decision: 'cleared' }, pat)).status).toBe(403);
    expect((await rest('POST', `/v1/messages/${clean.id}/review`, { decision: 'cleared' })).body).toMatchObject({
      code: 'conflict',
    });
    const other = await parley.newApp();
    expect(
      (await rest('POST', `/v1/messages/${first.id}/review`, { decision: 'cleared' }, other.agentToken)).status,
    ).toBe(404);
    expect((await rest('POST', `/v1/messages/${first.id}/review`, { decision: 'maybe' })).status).toBe(400);

    const flagged = async () =>
      ((await rest('GET', `/v1/conversations/${first.conversationId}`)).body.conversation as Json).flagged;
    const cleared = await rest('POST', `/v1/messages/${first.id}/review`, { decision: 'cleared' });
    expect(cleared.body).toMatchObject({ decision: 'cleared', conversationFlagged: true });
    expect(await flagged()).toBe(true);
    expect((await rest('POST', `/v1/messages/${first.id}/review`, { decision: 'confirmed' })).status).toBe(409);
    const unmarked = nextEvent(agent, 'conversationUpdated', (c) => c.id === first.conversationId && !c.flagged);
    const confirmed = await rest('POST', `/v1/messages/${second.id}/review`, { decision: 'confirmed' });
    expect(confirmed.body).toMatchObject({ decision: 'confirmed', conversationFlagged: false });
    expect(await flagged()).toBe(false);
    await unmarked;
    expect((await rest('GET', '/v1/review')).body.items).toEqual([]);
  });
});
