import type { ErrorContext, Incident, IncidentInput, IncidentReport } from '@parley/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextEvent } from './support/events.js';
import { type Parley, startParley, TEST_ORIGIN } from './support/server.js';
import { STORE_KITS } from './support/stores.js';

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

/** A context as a careless client might send it: the server must scrub it again. */
function rawContext(): ErrorContext {
  return {
    errors: [
      {
        kind: 'error',
        message: 'TypeError: Cannot read properties of undefined (reading "total") for ana@example.com',
        stack: ['at renderCart (https://shop.example/app.js:10:5)', 'at main (https://shop.example/app.js:2:1)'],
        source: 'https://shop.example/app.js',
        line: 10,
        column: 5,
        count: 3,
        firstAt: '2026-11-22T09:58:00.000Z',
        lastAt: '2026-11-22T09:59:00.000Z',
      },
    ],
    breadcrumbs: [
      {
        type: 'request',
        method: 'GET',
        url: 'https://api.shop.example/cart?id=7&access_token=sk_live_abc123#frag',
        status: 500,
        durationMs: 120,
        at: '2026-11-22T09:58:30.000Z',
      },
      { type: 'click', selector: 'button#checkout', at: '2026-11-22T09:58:40.000Z' },
      {
        type: 'console',
        level: 'warn',
        message: 'retrying /api/pay?token=tok_rel_9f8e7d later',
        at: '2026-11-22T09:58:50.000Z',
      },
    ],
    environment: {
      userAgent: IPHONE,
      clientHints: null,
      language: 'es-ES',
      timeZone: 'Europe/Madrid',
      viewport: { width: 390, height: 844 },
      screen: { width: 390, height: 844, pixelRatio: 3 },
      url: 'https://shop.example/cart',
      referrer: '',
      online: true,
      appVersion: '4.2.0',
      userId: 'u_42',
    },
    scrubbed: [],
    droppedBreadcrumbs: 0,
  };
}

describe.each(STORE_KITS)('incidents on $name', (kit) => {
  let parley: Parley;
  let now: Date;
  beforeEach(async () => {
    now = new Date('2026-11-22T10:00:00.000Z');
    parley = await startParley(kit, { clock: () => now });
  });
  afterEach(() => parley.close());

  const post = (path: string, token: string, body: unknown) =>
    fetch(`${parley.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Visitor ${token}`, 'content-type': 'application/json', origin: TEST_ORIGIN },
      body: JSON.stringify(body),
    });
  const asAgent = (path: string, init: RequestInit = {}, token = parley.app.agentToken) =>
    fetch(`${parley.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });
  const outage: IncidentInput = {
    area: 'Checkout',
    details: 'Nobody can pay.',
    impact: { usersAffected: 'many', platformState: 'down', workaround: false },
    steps: ['Open the cart', 'Press Pay'],
    startedAt: '2026-11-22T09:30:00.000Z',
  };

  it('delivers a report live to agents with every field, a suggested priority and its deadline', async () => {
    const agent = parley.agent();
    await agent.ready();
    const visitor = parley.visitor();
    await visitor.ready();
    const live = nextEvent(agent, 'incident');
    const opened = nextEvent(agent, 'conversation');

    const { startedAt: _unknown, ...withoutStart } = outage;
    const reported = await visitor.reportIncident({ ...withoutStart, context: rawContext() });
    expect(reported).toMatchObject({ priority: 'P1', responseDueAt: '2026-11-22T12:00:00.000Z' });

    const incident = await live;
    expect((await opened).id).toBe(incident.conversationId);
    expect(incident).toMatchObject({
      id: reported.id,
      conversationId: reported.conversationId,
      area: 'Checkout',
      details: 'Nobody can pay.',
      impact: outage.impact,
      steps: ['Open the cart', 'Press Pay'],
      // Defaults from the context: the latest error's message, the first error's time.
      startedAt: '2026-11-22T09:58:00.000Z',
      suggestedPriority: 'P1',
      priority: 'P1',
      status: 'open',
      createdAt: '2026-11-22T10:00:00.000Z',
      responseDueAt: '2026-11-22T12:00:00.000Z',
      firstResponseAt: null,
      breached: false,
      client: { browser: 'Safari', browserVersion: '17.4', os: 'iOS', osVersion: '17.4', device: 'mobile' },
      visitor: { id: visitor.visitorId },
    });
    // The server scrubbed what the client did not: the token, the fragment, the email.
    expect(incident.errorMessage).toBe(
      'TypeError: Cannot read properties of undefined (reading "total") for [redacted]',
    );
    const request = incident.context?.breadcrumbs[0];
    expect(request).toMatchObject({ url: 'https://api.shop.example/cart?id=7&access_token=[redacted]', status: 500 });
    expect(JSON.stringify(incident)).not.toContain('sk_live_abc123');
    // A relative URL inside logged text too.
    expect(incident.context?.breadcrumbs[2]).toMatchObject({ message: 'retrying /api/pay?token=[redacted] later' });
    expect(JSON.stringify(incident)).not.toContain('tok_rel_9f8e7d');
    expect(JSON.stringify(incident)).not.toContain('ana@example.com');
    expect(incident.context?.scrubbed).toEqual(['email', 'query_param', 'url_fragment']);
    expect(incident.context?.errors[0]?.stack).toHaveLength(2);

    // The report opened a conversation the visitor sees, and REST agrees with the live event.
    const [conversation] = await visitor.conversations();
    expect(conversation?.id).toBe(reported.conversationId);
    const fetched = (await (await asAgent(`/v1/incidents/${reported.id}`)).json()) as { incident: Incident };
    expect(fetched.incident).toEqual(incident);
  });

  it('records the first agent reply, marks silence past the deadline as breached, and lists by deadline', async () => {
    const agent = parley.agent();
    await agent.ready();
    const visitor = parley.visitor();
    await visitor.ready();
    const p1 = await visitor.reportIncident({ ...outage, context: null });
    const p3 = await visitor.reportIncident({
      area: 'Reports',
      impact: { usersAffected: 'one', platformState: 'working', workaround: true },
      errorMessage: 'Export shows the wrong month',
      startedAt: new Date('2026-11-21T08:00:00.000Z'),
      context: null,
    });
    expect(p3).toMatchObject({ priority: 'P3', responseDueAt: '2026-11-25T10:00:00.000Z' });

    now = new Date('2026-11-22T11:00:00.000Z');
    const answered = nextEvent(agent, 'incidentUpdated');
    await agent.send(p3.conversationId, 'Looking into the export now.');
    expect(await answered).toMatchObject({ id: p3.id, firstResponseAt: '2026-11-22T11:00:00.000Z', breached: false });
    await agent.send(p3.conversationId, 'A second reply does not move it.');

    // 3 hours in: the P1 got no reply within 2 hours.
    now = new Date('2026-11-22T13:00:00.000Z');
    const { incidents } = await agent.incidents();
    expect(incidents.map((i) => [i.id, i.breached, i.firstResponseAt])).toEqual([
      [p1.id, true, null],
      [p3.id, false, '2026-11-22T11:00:00.000Z'],
    ]);
    expect((await agent.incidents({ breached: true })).incidents.map((i) => i.id)).toEqual([p1.id]);
    expect((await agent.incidents({ breached: false })).incidents.map((i) => i.id)).toEqual([p3.id]);
    expect((await agent.incidents({ priority: 'P3' })).incidents.map((i) => i.id)).toEqual([p3.id]);
    const firstPage = await agent.incidents({ limit: 1 });
    expect(firstPage.incidents.map((i) => i.id)).toEqual([p1.id]);
    const secondPage = await agent.incidents({ limit: 1, cursor: firstPage.nextCursor ?? '' });
    expect(secondPage.incidents.map((i) => i.id)).toEqual([p3.id]);

    // Lowering the P1 moves its deadline, still counted from submission: no longer breached.
    const moved = nextEvent(agent, 'incidentUpdated', (i) => i.id === p1.id);
    const lowered = await agent.updateIncident(p1.id, { priority: 'P2' });
    expect(lowered).toMatchObject({
      priority: 'P2',
      suggestedPriority: 'P1',
      responseDueAt: '2026-11-23T10:00:00.000Z',
      breached: false,
    });
    expect((await moved).priority).toBe('P2');
    // Unanswered but not yet due is not breached: the filter keeps it (it once dropped it).
    expect((await agent.incidents({ breached: false })).incidents.map((i) => i.id)).toEqual([p1.id, p3.id]);
    expect((await agent.incidents({ breached: true })).incidents).toEqual([]);
    await agent.updateIncident(p3.id, { status: 'resolved' });
    expect((await agent.incidents({ status: 'open' })).incidents.map((i) => i.id)).toEqual([p1.id]);
  });

  it('answers bad reports with per-field errors and stores nothing of them', async () => {
    const visitor = parley.visitor();
    const { visitorToken } = await visitor.ready();
    const valid: IncidentReport = {
      clientId: 'report-1',
      area: 'Checkout',
      impact: { usersAffected: 'one', platformState: 'working', workaround: false },
      startedAt: '2026-11-22T09:00:00.000Z',
      steps: [],
      errorMessage: '',
    };

    const missing = await post('/v1/incidents', visitorToken, { ...valid, area: '  ', impact: undefined });
    expect(missing.status).toBe(400);
    const missingBody = (await missing.json()) as { code: string; fields: Record<string, string> };
    expect(missingBody.code).toBe('invalid_payload');
    expect(Object.keys(missingBody.fields).sort()).toEqual(['area', 'impact']);

    const long = await post('/v1/incidents', visitorToken, {
      ...valid,
      steps: ['x'.repeat(501)],
      details: 'y'.repeat(5001),
    });
    expect(long.status).toBe(413);
    const longBody = (await long.json()) as { code: string; fields: Record<string, string> };
    expect(longBody.code).toBe('payload_too_large');
    expect(Object.keys(longBody.fields).sort()).toEqual(['details', 'steps.0']);

    const future = await post('/v1/incidents', visitorToken, { ...valid, startedAt: '2026-11-23T10:00:00.000Z' });
    expect(((await future.json()) as { fields: object }).fields).toEqual({
      startedAt: 'must not be in the future',
    });

    const huge = rawContext();
    huge.breadcrumbs = Array.from({ length: 101 }, (_, i) => ({
      type: 'click',
      selector: `b${i}`,
      at: valid.startedAt,
    }));
    const tooMany = await post('/v1/incidents', visitorToken, { ...valid, context: huge });
    expect(((await tooMany.json()) as { fields: object }).fields).toHaveProperty('context.breadcrumbs');

    const overBody = await post('/v1/incidents', visitorToken, { ...valid, details: 'z'.repeat(400_000) });
    expect(overBody.status).toBe(413);

    // A file that is not the reporter's fails the whole report: no conversation, no incident.
    const foreign = await post('/v1/incidents', visitorToken, { ...valid, attachmentIds: ['att_not_mine'] });
    expect(((await foreign.json()) as { fields: object }).fields).toEqual({
      attachmentIds: 'unknown or already sent',
    });

    expect(await visitor.conversations()).toEqual([]);
    expect((await parley.agent().incidents()).incidents).toEqual([]);

    // The same report sent twice is stored once.
    const first = await post('/v1/incidents', visitorToken, valid);
    const again = await post('/v1/incidents', visitorToken, valid);
    expect([first.status, again.status]).toEqual([201, 200]);
    const [a, b] = [(await first.json()) as { incident: Incident }, (await again.json()) as { incident: Incident }];
    expect(b.incident.id).toBe(a.incident.id);
    expect((await parley.agent().incidents()).incidents).toHaveLength(1);
  });

  it("numbers each app's incidents 1, 2, 3 (reports sent at once included) and shows the incident on its conversation", async () => {
    const visitor = parley.visitor();
    await visitor.ready();
    const first = await visitor.reportIncident({ ...outage, context: null });
    expect(first).toMatchObject({ number: 1, area: 'Checkout', priority: 'P1' });
    // Five at once from five visitors: five different numbers, none lost, none repeated.
    const others = Array.from({ length: 5 }, () => parley.visitor());
    const reports = await Promise.all(
      others.map((v, i) => v.reportIncident({ ...outage, area: `Area ${i}`, context: null })),
    );
    expect(reports.map((r) => r.number).sort()).toEqual([2, 3, 4, 5, 6]);
    // Another app counts its own.
    const other = await parley.newApp();
    const outsider = parley.visitor({ appId: other.id });
    expect((await outsider.reportIncident({ ...outage, context: null })).number).toBe(1);

    // The visitor's conversation carries it (for the card in the thread), as the agents' does.
    const [conversation] = await visitor.conversations();
    expect(conversation?.incident).toEqual({
      id: first.id,
      number: 1,
      area: 'Checkout',
      priority: 'P1',
      status: 'open',
      createdAt: first.createdAt,
      responseDueAt: first.responseDueAt,
      firstResponseAt: null,
    });
    const agent = parley.agent();
    await agent.ready();
    now = new Date('2026-11-22T10:05:00.000Z');
    await agent.send(first.conversationId, 'Looking at it now.');
    const read = (await (await asAgent(`/v1/conversations/${first.conversationId}`)).json()) as {
      conversation: { incident: { number: number; firstResponseAt: string | null } };
    };
    expect(read.conversation.incident).toMatchObject({ number: 1, firstResponseAt: '2026-11-22T10:05:00.000Z' });
    const incident = (await (await asAgent(`/v1/incidents/${first.id}`)).json()) as { incident: Incident };
    expect(incident.incident.number).toBe(1);
    // An ordinary conversation has none.
    const chat = await visitor.send('Just a question');
    const list = await visitor.conversations();
    expect(list.find((c) => c.id === chat.conversationId)?.incident).toBeNull();
  });

  it('keeps incidents inside their app, and refuses reports without a valid visitor or from a foreign origin', async () => {
    const visitor = parley.visitor();
    await visitor.ready();
    const reported = await visitor.reportIncident({ ...outage, context: null });
    const other = await parley.newApp();
    expect((await asAgent(`/v1/incidents/${reported.id}`, {}, other.agentToken)).status).toBe(404);
    expect(await (await asAgent('/v1/incidents', {}, other.agentToken)).json()).toEqual({
      incidents: [],
      nextCursor: null,
    });
    const patch = await asAgent(
      `/v1/incidents/${reported.id}`,
      { method: 'PATCH', body: JSON.stringify({ priority: 'P3' }) },
      other.agentToken,
    );
    expect(patch.status).toBe(404);
    expect((await asAgent('/v1/incidents', {}, 'pat_forged')).status).toBe(401);

    const forged = await post('/v1/incidents', 'forged-token', {});
    expect(forged.status).toBe(401);
    const { visitorToken } = await visitor.ready();
    const foreign = await fetch(`${parley.url}/v1/incidents`, {
      method: 'POST',
      headers: {
        authorization: `Visitor ${visitorToken}`,
        'content-type': 'application/json',
        origin: 'https://evil.test',
      },
      body: '{}',
    });
    expect(foreign.status).toBe(403);
  });
});
