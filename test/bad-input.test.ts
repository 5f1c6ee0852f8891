import { LIMITS } from '@parley/sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handshake, rawSocket } from './support/raw-socket.js';
import { type Parley, startParley } from './support/server.js';
import { STORE_KITS } from './support/stores.js';

describe.each(STORE_KITS)('bad input on $name', (kit) => {
  let parley: Parley;
  let now = Date.parse('2026-11-22T10:00:00Z');
  const sockets: { close(): void }[] = [];
  const visitorSocket = async () => {
    const s = rawSocket(parley.url, '/visitor', { appId: parley.app.id });
    sockets.push(s);
    expect((await handshake(s)).connected).toBe(true);
    return s;
  };

  beforeEach(async () => {
    parley = await startParley(kit, { clock: () => new Date(now) });
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await parley.close();
  });

  it('answers malformed payloads with invalid_payload naming the fields', async () => {
    const socket = await visitorSocket();
    expect(await socket.emitWithAck('message:send', { clientId: 'a', text: 42 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload', fields: { text: expect.any(String) } },
    });
    expect(await socket.emitWithAck('message:send', 'just a string')).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' },
    });
    expect(await socket.emitWithAck('message:send', { clientId: 'a', text: '   ' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload', fields: { text: 'must not be empty' } },
    });
    expect(await socket.emitWithAck('message:send', { clientId: 'a', text: 'hi', admin: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' },
    });
    expect(await socket.emitWithAck('message:history', { conversationId: 'cnv_x', limit: -1 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload', fields: { limit: expect.any(String) } },
    });
    // Nothing was stored by any of it.
    expect((await socket.emitWithAck('conversation:list', {})).conversations).toEqual([]);
  });

  it('answers a message over the size limit with payload_too_large', async () => {
    const socket = await visitorSocket();
    const answer = await socket.emitWithAck('message:send', {
      clientId: 'big',
      text: 'x'.repeat(LIMITS.messageMaxChars + 1),
    });
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'payload_too_large', fields: { text: expect.any(String) } },
    });
    const fits = await socket.emitWithAck('message:send', {
      clientId: 'fits',
      text: 'x'.repeat(LIMITS.messageMaxChars),
    });
    expect(fits).toMatchObject({ ok: true, message: { seq: 1 } });
  });

  it('drops a connection that sends a frame over the limit and keeps serving everyone else', async () => {
    const bystander = await visitorSocket();
    const abuser = await visitorSocket();
    const dropped = new Promise<string>((resolve) => abuser.on('disconnect', (reason) => resolve(reason)));
    abuser.emit('message:send', { clientId: 'huge', text: 'x'.repeat(LIMITS.maxFrameBytes * 2) }, () => undefined);
    expect(await dropped).toBe('transport close');
    const answer = await bystander.emitWithAck('message:send', { clientId: 'ok', text: 'still here' });
    expect(answer).toMatchObject({ ok: true, message: { text: 'still here' } });
  });

  it('rate-limits a flooding connection with rate_limited and keeps it usable', async () => {
    const socket = await visitorSocket();
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => socket.emitWithAck('conversation:list', { limit: 1 + (i % 5) })),
    );
    const limited = answers.filter((a) => !a.ok);
    expect(limited.length).toBe(10);
    expect(limited[0]).toMatchObject({ ok: false, error: { code: 'rate_limited', retryAfterMs: expect.any(Number) } });
    expect(socket.connected).toBe(true);
    // Time passes (the clock is injected): the budget refills and the same connection works.
    now += 2000;
    expect(await socket.emitWithAck('conversation:list', {})).toMatchObject({ ok: true });
    // Another visitor was never affected.
    const other = await visitorSocket();
    expect(await other.emitWithAck('conversation:list', {})).toMatchObject({ ok: true });
  });

  it('answers REST garbage with invalid_payload and a wrong login with unauthorized', async () => {
    const bad = await fetch(`${parley.url}/v1/agents/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email": ',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'invalid_payload' });
    const wrong = await fetch(`${parley.url}/v1/agents/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nobody@shop.test', password: 'guess' }),
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ code: 'unauthorized' });
  });

  it('lets only an admin change the app, and refuses bad settings with per-field reasons', async () => {
    const patch = (token: string, body: object) =>
      fetch(`${parley.url}/v1/app`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const bad = await patch(parley.app.agentToken, { settings: { accentColor: 'red', position: 'top' } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      code: 'invalid_payload',
      fields: { accentColor: expect.any(String), position: expect.any(String) },
    });
    const good = await patch(parley.app.agentToken, { settings: { greeting: 'Welcome!' } });
    expect(await good.json()).toMatchObject({ app: { settings: { greeting: 'Welcome!' } } });
    const widget = await (await fetch(`${parley.url}/v1/apps/${parley.app.id}/widget`)).json();
    expect(widget).toMatchObject({ greeting: 'Welcome!', accentColor: '#4f46e5', position: 'right' });

    const { createAgent } = await import('@parley/server');
    const { token } = await createAgent(
      parley.store,
      { appId: parley.app.id, email: 'plain@shop.test', name: 'Plain', role: 'agent' },
      () => new Date(now),
    );
    expect((await patch(token, { settings: { greeting: 'mine now' } })).status).toBe(403);
  });

  it('slows password guessing per address with rate_limited and a Retry-After', async () => {
    // Another account each time: the per-account lock (5 wrong passwords) stays out of it.
    let n = 0;
    const login = () =>
      fetch(`${parley.url}/v1/agents/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `agent${n++}@shop.test`, password: 'guess' }),
      });
    for (let i = 0; i < 10; i++) expect((await login()).status).toBe(401);
    const limited = await login();
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(90);
    expect(retryAfter).toBeLessThanOrEqual(100);
    expect(await limited.json()).toMatchObject({ code: 'rate_limited' });
    // The limiter (rate-limiter-flexible) reads the system clock: move only Date past the window.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + retryAfter * 1000 });
    try {
      expect((await login()).status).toBe(401);
    } finally {
      vi.useRealTimers();
    }
  });
});
