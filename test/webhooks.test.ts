import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from './support/events.js';
import { restFor } from './support/rest.js';
import { type Parley, startParley } from './support/server.js';
import { STORE_KITS } from './support/stores.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

type Json = Record<string, unknown>;

describe.each(STORE_KITS)('webhooks on $name', (kit) => {
  let parley: Parley;
  let receiver: WebhookReceiver;
  let now: Date;
  beforeEach(async () => {
    // Near the real time: receivers (the reference library) refuse timestamps far from it.
    now = new Date();
    receiver = await startWebhookReceiver();
    parley = await startParley(kit, {
      clock: () => now,
      // Loopback receivers: the development setting. Jobs are driven by hand with the clock.
      limits: { webhooks: { allowPrivateNetwork: true } },
      jobs: false,
    });
  });
  afterEach(async () => {
    await parley.close();
    await receiver.close();
  });

  const rest = restFor(() => parley);
  const register = async (events: string[] = ['*']) => {
    const created = await rest('POST', '/v1/webhooks', { url: receiver.url, events, description: 'CRM sync' });
    expect(created.status).toBe(201);
    return { id: (created.body.webhook as Json).id as string, secret: created.body.secret as string };
  };
  /** Lets time pass and runs the deliverer, as its job would. */
  const later = async (ms: number) => {
    now = new Date(now.getTime() + ms);
    await parley.server.jobs.run('webhook-deliveries');
  };
  const deliveries = async (id: string) =>
    (await rest('GET', `/v1/webhooks/${id}/deliveries`)).body.deliveries as Json[];

  it('delivers signed events with the screened content, verifiable with the reference library', async () => {
    const { id, secret } = await register();
    expect(secret).toMatch(/^whsec_/);
    const listed = await rest('GET', '/v1/webhooks');
    expect(JSON.stringify(listed.body)).not.toContain(secret.slice(6));
    expect(listed.body.webhooks).toEqual([
      expect.objectContaining({ id, url: receiver.url, events: ['*'], enabled: true, description: 'CRM sync' }),
    ]);

    const visitor = parley.visitor();
    const sent = await visitor.send('my card is 4242 4242 4242 4242, please check');
    await receiver.waitForAccepted(2);
    const [created, message] = receiver.accepted();
    expect(created?.event.type).toBe('conversation.created');
    expect(message?.event).toMatchObject({
      type: 'message.created',
      data: { message: { id: sent.id, seq: 1 }, conversation: { id: sent.conversationId, status: 'open' } },
    });
    const text = ((message?.event.data.message ?? {}) as Json).text as string;
    expect(text).not.toContain('4242 4242 4242 4242');
    expect(text).toBe(sent.text);
    // Standard Webhooks: the reference library verifies what we signed.
    const wh = new Webhook(secret);
    for (const r of receiver.accepted()) {
      expect(() => wh.verify(r.body, r.headers as Record<string, string>)).not.toThrow();
      expect(r.id).toMatch(/^evt_/);
    }
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(
        message!.body,
        message!.headers as Record<string, string>,
      ),
    ).toThrow();
    expect((await deliveries(id)).map((d) => [d.eventType, d.status, d.attempts, d.lastStatusCode])).toEqual([
      ['message.created', 'delivered', 1, 200],
      ['conversation.created', 'delivered', 1, 200],
    ]);
  });

  it('retries failures with back-off, keeps one conversation in order, and holds no other back', async () => {
    const { id } = await register(['message.created']);
    const visitor = parley.visitor();
    const other = parley.visitor();
    // The first event of the first conversation fails twice.
    let firstId: string | undefined;
    receiver.answer = ({ id: eventId, attempt }) => {
      firstId ??= eventId;
      return eventId === firstId && attempt <= 2 ? 500 : 200;
    };
    const first = await visitor.send('one');
    await eventually(() => expect(receiver.received.length).toBe(1));
    await visitor.send('two', { conversationId: first.conversationId });
    await visitor.send('three', { conversationId: first.conversationId });
    await other.send('another conversation');
    // Another conversation is not held back by the failing one.
    await receiver.waitForAccepted(1);
    expect(receiver.accepted().map((r) => (r.event.data.message as Json).text)).toEqual(['another conversation']);

    await later(1000); // not yet due (about 2 s after the failure)
    expect(receiver.received.filter((r) => r.id === firstId)).toHaveLength(1);
    await later(2500);
    expect(receiver.received.filter((r) => r.id === firstId)).toHaveLength(2);
    await later(13_000); // the 2nd wait is about 10 s
    await receiver.waitForAccepted(4);
    const texts = receiver.accepted().map((r) => (r.event.data.message as Json).text);
    expect(texts.filter((t) => t !== 'another conversation')).toEqual(['one', 'two', 'three']);
    const firstAttempts = receiver.received.filter((r) => r.id === firstId);
    expect(firstAttempts.map((r) => r.status)).toEqual([500, 500, 200]);
    const log = await deliveries(id);
    expect(log.find((d) => d.eventId === firstId)).toMatchObject({
      status: 'delivered',
      attempts: 3,
      lastStatusCode: 200,
    });
  });

  it('disables an endpoint that fails for a day, says why, and resumes its queue when enabled again', async () => {
    const { id } = await register(['message.created']);
    receiver.answer = () => 503;
    const visitor = parley.visitor();
    await visitor.send('hello?');
    await eventually(() => expect(receiver.received.length).toBe(1));
    // The receiver has answered; the server records the failure as it reads the answer.
    await eventually(async () =>
      expect((await rest('GET', `/v1/webhooks/${id}`)).body.webhook).toMatchObject({
        enabled: true,
        failingSince: now.toISOString(),
      }),
    );
    // Hours of failures: back-off grows, attempts keep coming for more than a day.
    for (let hour = 0; hour < 34; hour++) await later(3600_000);
    const webhook = (await rest('GET', `/v1/webhooks/${id}`)).body.webhook as Json;
    expect(webhook).toMatchObject({ enabled: false, disabledReason: expect.stringMatching(/failed since/) });
    const attempts = receiver.received.length;
    expect(attempts).toBeGreaterThan(5);
    await later(8 * 3600_000);
    expect(receiver.received.length).toBe(attempts); // nothing while disabled

    receiver.answer = () => 200;
    const enabled = await rest('PATCH', `/v1/webhooks/${id}`, { enabled: true });
    expect(enabled.body.webhook).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
    await later(8 * 3600_000);
    await receiver.waitForAccepted(1);
    expect((await deliveries(id))[0]).toMatchObject({ status: 'delivered', lastStatusCode: 200 });
  });

  it('redelivers one event by hand, with the same webhook-id, and sends a test event', async () => {
    const { id } = await register(['message.created']);
    const visitor = parley.visitor();
    await visitor.send('please redeliver me');
    await receiver.waitForAccepted(1);
    const [delivery] = await deliveries(id);
    const again = await rest('POST', `/v1/webhooks/${id}/deliveries/${delivery?.id}/redeliver`);
    expect(again.status).toBe(202);
    await receiver.waitForAccepted(2);
    expect(receiver.accepted()[1]?.id).toBe(receiver.accepted()[0]?.id);

    const test = await rest('POST', `/v1/webhooks/${id}/test`);
    expect(test.status).toBe(202);
    await receiver.waitForAccepted(3);
    expect(receiver.accepted()[2]?.event).toMatchObject({ type: 'webhook.test', data: { webhookId: id } });
  });

  it('refuses bad endpoints, and only sends what an endpoint subscribed to', async () => {
    expect(await rest('POST', '/v1/webhooks', { url: 'not a url', events: ['*'] })).toMatchObject({
      status: 400,
      body: { code: 'invalid_payload', fields: { url: expect.any(String) } },
    });
    const unknown = await rest('POST', '/v1/webhooks', { url: receiver.url, events: ['message.exploded'] });
    expect(unknown).toMatchObject({ status: 400, body: { code: 'invalid_payload' } });
    expect(Object.keys(unknown.body.fields as Json)).toEqual(['events.0']);
    expect((await rest('POST', '/v1/webhooks', { url: 'https://user:pw@example.com/x', events: ['*'] })).status).toBe(
      400,
    );
    const { id } = await register(['conversation.updated']);
    const visitor = parley.visitor();
    const sent = await visitor.send('hi');
    await rest('PATCH', `/v1/conversations/${sent.conversationId}`, { status: 'resolved' });
    await receiver.waitForAccepted(1);
    expect(receiver.accepted().map((r) => r.event.type)).toEqual(['conversation.updated']);
    expect(receiver.accepted()[0]?.event.data).toMatchObject({
      conversation: { id: sent.conversationId, status: 'resolved' },
      changes: ['status'],
    });
    expect((await deliveries(id)).length).toBe(1);
  });
});

describe('webhook requests are guarded against SSRF by default', () => {
  it('refuses plain http, and will not deliver to a private or loopback address', async () => {
    const receiver = await startWebhookReceiver();
    const parley = await startParley(STORE_KITS[0]!, { jobs: false });
    try {
      const rest = (path: string, body: unknown) =>
        fetch(`${parley.url}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${parley.app.agentToken}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const http = await rest('/v1/webhooks', { url: receiver.url, events: ['*'] });
      expect(http.status).toBe(400);
      // https to loopback: registered (the address may change), refused at delivery after DNS.
      const port = new URL(receiver.url).port;
      const loopback = await rest('/v1/webhooks', {
        url: `https://localhost:${port}/hooks`,
        events: ['message.created'],
      });
      expect(loopback.status).toBe(201);
      const { webhook } = (await loopback.json()) as { webhook: Json };
      await parley.visitor().send('hello');
      await eventually(async () => {
        const log = (await (
          await fetch(`${parley.url}/v1/webhooks/${webhook.id}/deliveries`, {
            headers: { authorization: `Bearer ${parley.app.agentToken}` },
          })
        ).json()) as { deliveries: Json[] };
        expect(log.deliveries[0]).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: null });
        expect(String(log.deliveries[0]?.lastError)).toMatch(/not allowed|private/i);
      });
      expect(receiver.received).toEqual([]);
    } finally {
      await parley.close();
      await receiver.close();
    }
  });
});
