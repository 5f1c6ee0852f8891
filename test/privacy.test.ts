import { APP_DATA, NOT_PERSONAL, PERSONAL_DATA, userHashFor } from '@parley/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gradientPng } from './support/png.js';
import { handshake, rawSocket } from './support/raw-socket.js';
import { restFor } from './support/rest.js';
import { type Parley, startParley } from './support/server.js';
import { STORE_KITS } from './support/stores.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

type Json = Record<string, unknown>;

describe.each(STORE_KITS)('privacy operations on $name', (kit) => {
  let parley: Parley;
  let receiver: WebhookReceiver;
  beforeEach(async () => {
    receiver = await startWebhookReceiver();
    // Deliveries wait in the outbox (jobs off): the events about a contact are still stored.
    parley = await startParley(kit, { jobs: false, limits: { webhooks: { allowPrivateNetwork: true } } });
  });
  afterEach(async () => {
    await parley.close();
    await receiver.close();
  });

  const rest = restFor(() => parley);

  /** A user of the host who writes, sends a file, reports an incident; the team answers. */
  async function seed(tag: string) {
    const user = { id: `u_${tag}_7731`, name: `${tag} Personname`, email: `${tag.toLowerCase()}.mail@example.org` };
    const visitor = parley.visitor({ user, userHash: userHashFor(parley.app.identitySecret, user.id) });
    const texts = [`${tag} asks about order ${tag}-ORDER-5521`, `damn it ${tag}, the export is broken`];
    const first = await visitor.send(texts[0]!);
    const conversationId = first.conversationId;
    await visitor.send(texts[1]!, { conversationId });
    const bytes = Buffer.concat([gradientPng(12, 12), Buffer.from(`${tag}-FILE-BYTES-9130`)]);
    const file = await visitor.upload(new Blob([new Uint8Array(bytes)]), `${tag}-invoice.png`);
    await visitor.send('', { conversationId, attachmentIds: [file.id] });
    const incident = await visitor.reportIncident({
      area: 'Billing',
      details: `${tag}-INCIDENT-DETAILS-3318 cannot download invoices`,
      impact: { usersAffected: 'one', platformState: 'degraded', workaround: true },
    });
    const reply = `${tag}-AGENT-REPLY-6604 we are looking`;
    const replied = await rest(
      'POST',
      `/v1/conversations/${conversationId}/messages`,
      { text: reply },
      parley.app.agentToken,
      { 'idempotency-key': `reply-${tag}` },
    );
    expect(replied.status).toBe(201);
    const note = `${tag}-NOTE-2290 VIP customer`;
    expect((await rest('POST', `/v1/conversations/${conversationId}/notes`, { text: note })).status).toBe(201);
    expect(
      (await rest('PATCH', `/v1/contacts/${visitor.visitorId}`, { attributes: { plan: `${tag}-PLAN-1180` } })).status,
    ).toBe(200);
    return {
      visitor,
      userId: user.id,
      id: visitor.visitorId!,
      conversationId,
      incidentConversationId: incident.conversationId,
      needles: [
        user.id,
        user.name,
        user.email,
        ...texts,
        reply,
        note,
        `${tag}-INCIDENT-DETAILS-3318`,
        `${tag}-PLAN-1180`,
      ],
      fileMarker: `${tag}-FILE-BYTES-9130`,
    };
  }

  it('maps every table: each holds personal data (and says how) or is declared as holding none', async () => {
    const tables = await parley.raw!.tables();
    const mapped = new Map(PERSONAL_DATA.map((t) => [t.table as string, t]));
    const unclassified = Object.keys(tables).filter((t) => !mapped.has(t) && !(t in NOT_PERSONAL));
    expect(unclassified).toEqual([]);
    // A column naming a person outside the map means a table holds a contact's data unseen.
    const suspicious = Object.entries(tables).flatMap(([t, columns]) =>
      mapped.has(t)
        ? []
        : columns.filter((c) => /^(visitor|sender|uploader|contact)_id$|ordering_key/.test(c)).map((c) => `${t}.${c}`),
    );
    expect(suspicious).toEqual([]);
    // Offboarding knows every table too.
    const offboarded = new Set(APP_DATA.map((t) => t.table as string));
    expect(Object.keys(tables).filter((t) => !offboarded.has(t) && t !== 'parley_migrations')).toEqual([]);
    // Every column the map names exists.
    for (const t of PERSONAL_DATA) {
      for (const link of t.links) {
        const column = Object.values(link)[0] as string;
        expect(tables[t.table], t.table).toContain(column);
      }
    }
  });

  it('exports everything held about a contact and nothing of anyone else', async () => {
    await rest('POST', '/v1/webhooks', { url: receiver.url, events: ['*'] });
    const ana = await seed('Ana');
    const bob = await seed('Bob');
    const exported = await rest('GET', `/v1/contacts/${ana.id}/export`);
    expect(exported.status).toBe(200);
    const text = JSON.stringify(exported.body);
    for (const needle of ana.needles) expect(text, needle).toContain(needle);
    for (const needle of bob.needles) expect(text, needle).not.toContain(needle);
    const tables = exported.body.tables as Record<string, { rows?: Json[]; count?: number }>;
    expect(tables.attachments!.rows).toEqual([
      expect.objectContaining({ name: 'Ana-invoice.png', path: expect.stringMatching(/^\/v1\/attachments\//) }),
    ]);
    expect(tables.attachments!.rows![0]).not.toHaveProperty('data');
    expect(tables.screening_verdicts!.rows!.length).toBeGreaterThan(0);
    expect(tables.incidents!.rows).toHaveLength(1);
    expect(tables.notes!.rows).toHaveLength(1);
    expect(tables.webhook_events!.count).toBeGreaterThan(0);
    // Each export is in the trail, which the export includes (this one too).
    const again = await rest('GET', `/v1/contacts/${ana.id}/export`);
    const exportedEntry = expect.objectContaining({ action: 'contact.exported', objectId: ana.id });
    expect(again.body.audit).toEqual([exportedEntry, exportedEntry]);
  });

  it('erases a contact for good: nothing left in any table or file, the rest untouched, a receipt', async () => {
    await rest('POST', '/v1/webhooks', { url: receiver.url, events: ['*'] });
    const ana = await seed('Ana');
    const bob = await seed('Bob');
    const raw = parley.raw!;
    const before = await raw.bytes();
    // The scan sees her rows (her id is kept in the clear: it is random, nothing personal), so
    // a scan that finds nothing of her afterwards means something. (What is personal is sealed:
    // see the next test.)
    expect(before.includes(ana.id)).toBe(true);

    // Ana's open connection, and her token for a later one.
    const socket = rawSocket(parley.url, '/visitor', {
      appId: parley.app.id,
      user: { id: ana.userId },
      userHash: userHashFor(parley.app.identitySecret, ana.userId),
    });
    const session = await handshake(socket);
    expect(session).toMatchObject({ connected: true, session: { visitorId: ana.id } });
    const token = session.connected ? (session.session.visitorToken as string) : '';
    const closed = new Promise((resolve) => socket.once('disconnect', resolve));

    const erased = await rest('DELETE', `/v1/contacts/${ana.id}`);
    expect(erased.status).toBe(200);
    const receipt = erased.body.receipt as { rows: Record<string, number>; erasedBy: Json };
    expect(receipt.erasedBy).toEqual({ type: 'agent', id: parley.app.agentId });
    expect(receipt.rows).toMatchObject({ visitors: 1, conversations: 2, incidents: 1, notes: 1, attachments: 1 });
    expect(receipt.rows.messages).toBeGreaterThanOrEqual(5);
    expect(receipt.rows.webhook_events).toBeGreaterThan(0);
    expect(receipt.rows.idempotency_keys).toBe(1);
    await closed;

    const after = await raw.bytes();
    const left = [...ana.needles, ana.fileMarker, Buffer.from(ana.fileMarker).toString('hex')].filter((n) =>
      after.includes(n),
    );
    expect(left).toEqual([]);
    expect(after.includes(bob.id)).toBe(true);
    const bobMessages = (await rest('GET', `/v1/conversations/${bob.conversationId}/messages`)).body.messages as Json[];
    expect(bobMessages.map((m) => m.text)).toContain(bob.needles[3]);
    expect((await rest('GET', `/v1/contacts/${ana.id}`)).status).toBe(404);
    expect((await rest('GET', `/v1/conversations/${ana.conversationId}`)).status).toBe(404);

    // Her token no longer opens a session; the receipt and the trail hold nothing about her.
    const again = await handshake(rawSocket(parley.url, '/visitor', { appId: parley.app.id, visitorToken: token }));
    expect(again).toMatchObject({
      connected: false,
      data: { code: 'unauthorized', fields: { visitorToken: 'invalid' } },
    });
    const trail = await rest('GET', `/v1/audit?objectId=${ana.id}`);
    expect(trail.body.entries).toEqual([
      expect.objectContaining({ action: 'contact.erased', actorId: parley.app.agentId, objectType: 'contact' }),
    ]);
    const kept = JSON.stringify([erased.body, trail.body]);
    expect(ana.needles.filter((n) => kept.includes(n))).toEqual([]);
    // Erasing again: nothing to erase.
    expect((await rest('DELETE', `/v1/contacts/${ana.id}`)).status).toBe(404);
  });

  it('shreds an erased contact: a copy of their text left behind no longer opens, even on this server', async () => {
    const ana = await seed('Ana');
    const bob = await seed('Bob');
    const raw = parley.raw!;
    // What a backup or a free page keeps: Ana's first message as stored, sealed with her key.
    const [stored] = await raw.run('select text from messages where conversation_id = ? and seq = 1', [
      ana.conversationId,
    ]);
    const copy = String(stored!.text);
    expect(copy.startsWith('enc:v2:')).toBe(true);
    // Put back where the server reads it (in Bob's conversation), it opens while she has a key.
    const [target] = await raw.run('select id from messages where conversation_id = ? and seq = 1', [
      bob.conversationId,
    ]);
    await raw.run('update messages set text = ? where id = ?', [copy, target!.id]);
    const textOf = async () =>
      ((await rest('GET', `/v1/conversations/${bob.conversationId}/messages`)).body.messages as Json[]).find(
        (m) => m.id === target!.id,
      )!.text;
    expect(await textOf()).toBe('Ana asks about order Ana-ORDER-5521');

    expect((await rest('DELETE', `/v1/contacts/${ana.id}`)).status).toBe(200);
    // Her key is gone from the database and from this server's memory: the copy reads as nothing.
    expect(await textOf()).toBe('');
  });

  it('offboards an app: every row of it goes, and another app keeps everything', async () => {
    await rest('POST', '/v1/webhooks', { url: receiver.url, events: ['*'] });
    await rest('POST', '/v1/api-keys', { name: 'bot', scope: 'write' });
    const ana = await seed('Ana');
    const other = await parley.newApp();
    const bob = parley.visitor({ appId: other.id });
    const bobText = 'Bob-OTHER-APP-4471 still here';
    await bob.send(bobText);
    const rows = await parley.store.privacy.eraseApp(parley.app.id);
    expect(rows).toMatchObject({ apps: 1, agents: 1, visitors: 1, api_keys: 1, webhook_endpoints: 1 });
    await parley.store.scrub();
    const after = await parley.raw!.bytes();
    expect([...ana.needles, parley.app.id].filter((n) => after.includes(n))).toEqual([]);
    expect((await rest('GET', '/v1/conversations', undefined, parley.app.agentToken)).status).toBe(401);
    const left = (await rest('GET', '/v1/conversations', undefined, other.agentToken)).body.conversations as Json[];
    expect((left[0]!.lastMessage as Json).text).toBe(bobText);
    expect(await parley.store.privacy.eraseApp(parley.app.id)).toBeUndefined();
  });

  it('keeps what people write sealed at rest: no message, note, report or file in the clear', async () => {
    // The webhook outbox keeps copies of all of it (jobs off: they wait there).
    await rest('POST', '/v1/webhooks', { url: receiver.url, events: ['*'] });
    const visitor = parley.visitor({
      user: { id: 'u_sealed', name: 'SEALED-NAME Quinn', email: 'sealed.quinn@example.org' },
      userHash: userHashFor(parley.app.identitySecret, 'u_sealed'),
    });
    const text = 'SEALED-MESSAGE-8841 my order never came';
    const first = await visitor.send(text);
    const fileBytes = Buffer.concat([gradientPng(10, 10), Buffer.from('SEALED-FILE-2207')]);
    const file = await visitor.upload(new Blob([new Uint8Array(fileBytes)]), 'receipt.png');
    await visitor.send('', { conversationId: first.conversationId, attachmentIds: [file.id] });
    await visitor.reportIncident({
      area: 'Orders',
      details: 'SEALED-REPORT-5530 nothing arrives',
      impact: { usersAffected: 'one', platformState: 'working', workaround: true },
      steps: ['SEALED-STEP-6612'],
      errorMessage: 'SEALED-ERROR-7724',
    });
    const agent = parley.agent();
    await agent.ready();
    await agent.send(first.conversationId, 'SEALED-REPLY-3390 on its way');
    expect(
      (await rest('POST', `/v1/conversations/${first.conversationId}/notes`, { text: 'SEALED-NOTE-9015' })).status,
    ).toBe(201);
    agent.close();
    await rest('PATCH', `/v1/contacts/${visitor.visitorId}`, { attributes: { plan: 'SEALED-PLAN-4410' } });
    await rest('PATCH', `/v1/conversations/${first.conversationId}`, { attributes: { order: 'SEALED-ATTR-3131' } });
    // A file from the team: in the clear until sent, then sealed with the contact's key.
    const teamBytes = Buffer.concat([gradientPng(6, 6), Buffer.from('SEALED-TEAMFILE-5151')]);
    const upload = await fetch(`${parley.url}/v1/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${parley.app.agentToken}`, 'x-filename': 'steps.png' },
      body: new Uint8Array(teamBytes),
    });
    const teamFile = ((await upload.json()) as { attachment: { id: string; path: string } }).attachment;
    // Sent with an Idempotency-Key: the answer is kept for a retry, sealed too.
    const withFile = await rest(
      'POST',
      `/v1/conversations/${first.conversationId}/messages`,
      { text: 'SEALED-CACHED-7070 here are the steps', attachmentIds: [teamFile.id] },
      parley.app.agentToken,
      { 'idempotency-key': 'steps-1' },
    );
    expect(withFile.status).toBe(201);

    const bytes = await parley.raw!.bytes();
    const needles = [
      'SEALED-NAME',
      'sealed.quinn@example.org',
      'u_sealed',
      'SEALED-CACHED-7070',
      'SEALED-ATTR-3131',
      'SEALED-TEAMFILE-5151',
      'SEALED-PLAN-4410',

      'SEALED-MESSAGE-8841',
      'SEALED-FILE-2207',
      'SEALED-REPORT-5530',
      'SEALED-STEP-6612',
      'SEALED-ERROR-7724',
      'SEALED-REPLY-3390',
      'SEALED-NOTE-9015',
    ];
    expect(needles.filter((n) => bytes.includes(n) || bytes.includes(Buffer.from(n).toString('hex')))).toEqual([]);
    // Read through Parley, all of it is as written.
    const messages = (await rest('GET', `/v1/conversations/${first.conversationId}/messages`)).body.messages as Json[];
    expect(messages.map((m) => m.text)).toEqual([
      text,
      '',
      'SEALED-REPLY-3390 on its way',
      'SEALED-CACHED-7070 here are the steps',
    ]);
    const team = await fetch(`${parley.url}${teamFile.path}`, {
      headers: { authorization: `Bearer ${parley.app.agentToken}` },
    });
    expect(Buffer.from(await team.arrayBuffer()).equals(teamBytes)).toBe(true);
    const conversation = (await rest('GET', `/v1/conversations/${first.conversationId}`)).body.conversation as Json;
    expect(conversation.attributes).toEqual({ order: 'SEALED-ATTR-3131' });
    const fetched = await fetch(`${parley.url}${file.path}`, {
      headers: { authorization: `Bearer ${parley.app.agentToken}` },
    });
    expect(Buffer.from(await fetched.arrayBuffer()).equals(fileBytes)).toBe(true);
    const notes = (await rest('GET', `/v1/conversations/${first.conversationId}/notes`)).body.notes as Json[];
    expect(notes.map((n) => n.text)).toEqual(['SEALED-NOTE-9015']);
    const exported = await rest('GET', `/v1/contacts/${visitor.visitorId}/export`);
    expect((exported.body.tables as Record<string, { count: number }>).webhook_events!.count).toBeGreaterThan(3);
    // Found by email (a keyed hash of it) and by part of the name (opened here), as before.
    const byEmail = (await rest('GET', '/v1/contacts?email=Sealed.Quinn%40example.org')).body.contacts as Json[];
    expect(byEmail.map((c) => c.name)).toEqual(['SEALED-NAME Quinn']);
    const byName = (await rest('GET', '/v1/contacts?query=quinn')).body.contacts as Json[];
    expect(byName).toMatchObject([{ email: 'sealed.quinn@example.org', attributes: { plan: 'SEALED-PLAN-4410' } }]);
    expect((messages[0]!.author as Json).name).toBe('SEALED-NAME Quinn');
    const incidents = (await rest('GET', '/v1/incidents')).body.incidents as Json[];
    expect(incidents[0]).toMatchObject({
      details: 'SEALED-REPORT-5530 nothing arrives',
      steps: ['SEALED-STEP-6612'],
      errorMessage: 'SEALED-ERROR-7724',
    });
  });

  it('refuses every privacy operation to an agent, and finds nothing of another app', async () => {
    const ana = await seed('Ana');
    const invited = await rest('POST', '/v1/agents', { email: 'rio@shop.test', name: 'Rio', role: 'agent' });
    const login = await rest('POST', '/v1/agents/login', { email: 'rio@shop.test', password: invited.body.password });
    await rest(
      'POST',
      '/v1/me/password',
      { currentPassword: invited.body.password, newPassword: 'a long enough password' },
      login.body.token as string,
    );
    const agent = (
      await rest('POST', '/v1/agents/login', { email: 'rio@shop.test', password: 'a long enough password' })
    ).body.token as string;
    expect((await rest('GET', `/v1/contacts/${ana.id}/export`, undefined, agent)).status).toBe(403);
    expect((await rest('DELETE', `/v1/contacts/${ana.id}`, undefined, agent)).status).toBe(403);
    expect((await rest('GET', '/v1/audit', undefined, agent)).status).toBe(403);
    const other = await parley.newApp();
    expect((await rest('GET', `/v1/contacts/${ana.id}/export`, undefined, other.agentToken)).status).toBe(404);
    expect((await rest('DELETE', `/v1/contacts/${ana.id}`, undefined, other.agentToken)).status).toBe(404);
    expect((await rest('GET', `/v1/contacts/${ana.id}`)).status).toBe(200);
  });

  it('records admin changes in the audit trail, with ids and setting names only', async () => {
    const key = await rest('POST', '/v1/api-keys', { name: 'Order bot', scope: 'write' });
    await rest('DELETE', `/v1/api-keys/${(key.body.apiKey as Json).id}`);
    await rest('PATCH', '/v1/app', { settings: { greeting: 'Hello from the SECRET-GREETING team' } });
    const { entries } = (await rest('GET', '/v1/audit')).body as { entries: Json[] };
    expect(entries.map((e) => e.action)).toEqual(['app.changed', 'api_key.revoked', 'api_key.created']);
    expect(entries[0]).toMatchObject({ objectId: parley.app.id, detail: { fields: ['settings'] } });
    expect(entries[2]).toMatchObject({
      objectType: 'api_key',
      objectId: (key.body.apiKey as Json).id,
      detail: { scope: 'write' },
    });
    expect(JSON.stringify(entries)).not.toContain('SECRET-GREETING');
  });
});
