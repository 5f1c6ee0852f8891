import { io } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handshake } from './support/raw-socket.js';
import { type Parley, startParley } from './support/server.js';
import { STORE_KITS } from './support/stores.js';

type Json = Record<string, unknown>;

interface Answer {
  status: number;
  body: Json;
  headers: Headers;
}

/** One request as a browser page of `origin` would send it (cookie and headers by hand). */
async function call(
  url: string,
  method: string,
  path: string,
  options: { body?: unknown; cookie?: string; headers?: Record<string, string>; bearer?: string } = {},
): Promise<Answer> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...(options.bearer ? { authorization: `Bearer ${options.bearer}` } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Json) : {}, headers: response.headers };
}

/** An /agent socket opened with only a cookie, from `origin` (null: no Origin header). */
function cookieSocket(url: string, cookie: string, origin: string | null) {
  return io(`${url}/agent`, {
    forceNew: true,
    reconnection: false,
    transports: ['websocket'],
    extraHeaders: { cookie, ...(origin ? { origin } : {}) },
  });
}

const NEW_PASSWORD = 'a long and private passphrase';

describe.each(STORE_KITS)('the console sign-in on $name', (kit) => {
  let parley: Parley;
  let email: string;
  let oneTime: string;
  beforeEach(async () => {
    parley = await startParley(kit);
    const invite = await call(parley.url, 'POST', '/v1/agents', {
      bearer: parley.app.agentToken,
      body: { email: 'dana@shop.test', name: 'Dana', role: 'agent' },
    });
    email = 'dana@shop.test';
    oneTime = invite.body.password as string;
  });
  afterEach(() => parley.close());

  it('makes an agent choose their own password before anything else, and ends their other sessions', async () => {
    const first = await call(parley.url, 'POST', '/v1/agents/login', { body: { email, password: oneTime } });
    expect(first.body.passwordChangeRequired).toBe(true);
    const token = first.body.token as string;
    const other = (await call(parley.url, 'POST', '/v1/agents/login', { body: { email, password: oneTime } })).body
      .token as string;

    // Until then: only /v1/me, the change itself and sign-out.
    expect((await call(parley.url, 'GET', '/v1/me', { bearer: token })).body).toMatchObject({
      passwordChangeRequired: true,
    });
    const refused = await call(parley.url, 'GET', '/v1/conversations', { bearer: token });
    expect(refused).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect(refused.body.detail).toMatch(/password/);
    const socket = io(`${parley.url}/agent`, {
      auth: { token },
      forceNew: true,
      reconnection: false,
      transports: ['websocket'],
    });
    expect(await handshake(socket)).toMatchObject({ connected: false, data: { code: 'forbidden' } });
    socket.close();

    const change = (currentPassword: string, newPassword: string) =>
      call(parley.url, 'POST', '/v1/me/password', { bearer: token, body: { currentPassword, newPassword } });
    expect(await change('not it', NEW_PASSWORD)).toMatchObject({
      status: 400,
      body: { code: 'invalid_payload', fields: { currentPassword: 'wrong password' } },
    });
    expect(await change(oneTime, 'short')).toMatchObject({
      status: 400,
      body: { fields: { newPassword: 'use at least 12 characters' } },
    });
    expect(await change(oneTime, 'dana@shop.test')).toMatchObject({ status: 400 });
    expect((await change(oneTime, NEW_PASSWORD)).status).toBe(200);

    expect((await call(parley.url, 'GET', '/v1/conversations', { bearer: token })).status).toBe(200);
    expect((await call(parley.url, 'GET', '/v1/me', { bearer: token })).body.passwordChangeRequired).toBe(false);
    expect((await call(parley.url, 'GET', '/v1/me', { bearer: other })).status).toBe(401);
    expect((await call(parley.url, 'POST', '/v1/agents/login', { body: { email, password: oneTime } })).status).toBe(
      401,
    );
    const again = await call(parley.url, 'POST', '/v1/agents/login', { body: { email, password: NEW_PASSWORD } });
    expect(again.body).toMatchObject({ passwordChangeRequired: false, token: expect.stringMatching(/^ses_/) });
  });

  it('keeps a cookie session out of scripts and other sites: httpOnly, SameSite=Strict, CSRF token on changes', async () => {
    const bootstrap = await call(parley.url, 'POST', '/v1/agents/login', { body: { email, password: oneTime } });
    await call(parley.url, 'POST', '/v1/me/password', {
      bearer: bootstrap.body.token as string,
      body: { currentPassword: oneTime, newPassword: NEW_PASSWORD },
    });

    const login = await call(parley.url, 'POST', '/v1/agents/login', {
      body: { email, password: NEW_PASSWORD, session: 'cookie' },
    });
    expect(login.status).toBe(200);
    expect(login.body.token).toBeUndefined();
    const csrf = login.body.csrfToken as string;
    expect(csrf).toMatch(/^[\w-]{40,}$/);
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^parley_session=ses_[\w-]+;/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Secure/); // plain HTTP here; Secure behind HTTPS
    const cookie = setCookie.split(';')[0]!;
    const own = new URL(parley.url).origin;

    const me = await call(parley.url, 'GET', '/v1/me', { cookie });
    expect(me.body).toMatchObject({ agent: { email }, csrfToken: csrf, passwordChangeRequired: false });

    const conversation = (await parley.visitor().send('hello')).conversationId;
    const note = (headers: Record<string, string>) =>
      call(parley.url, 'POST', `/v1/conversations/${conversation}/notes`, {
        cookie,
        headers,
        body: { text: 'Called back' },
      });
    expect(await note({ origin: own })).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect((await note({ origin: own, 'x-csrf-token': `${csrf.slice(0, -2)}xx` })).status).toBe(403);
    expect((await note({ origin: 'https://evil.test', 'x-csrf-token': csrf })).status).toBe(403);
    expect((await note({ origin: own, 'x-csrf-token': csrf })).status).toBe(201);
    // Reading needs no CSRF token.
    expect((await call(parley.url, 'GET', `/v1/conversations/${conversation}/notes`, { cookie })).status).toBe(200);

    // The agent socket takes the cookie from this server's own pages only.
    const fromHere = cookieSocket(parley.url, cookie, own);
    expect(await handshake(fromHere)).toMatchObject({ connected: true, session: { agent: { email } } });
    const fromElsewhere = cookieSocket(parley.url, cookie, 'https://evil.test');
    expect(await handshake(fromElsewhere)).toMatchObject({ connected: false, data: { code: 'forbidden' } });
    const fromNoPage = cookieSocket(parley.url, cookie, null);
    expect(await handshake(fromNoPage)).toMatchObject({ connected: false, data: { code: 'forbidden' } });
    for (const s of [fromElsewhere, fromNoPage]) s.close();

    const closed = new Promise((resolve) => fromHere.on('disconnect', resolve));
    const logout = await call(parley.url, 'POST', '/v1/agents/logout', {
      cookie,
      headers: { origin: own, 'x-csrf-token': csrf },
    });
    expect(logout.status).toBe(204);
    expect(logout.headers.get('set-cookie')).toMatch(/^parley_session=;.*Expires=Thu, 01 Jan 1970/);
    await closed;
    expect((await call(parley.url, 'GET', '/v1/me', { cookie })).status).toBe(401);
  });

  it('locks an account for the rest of 15 minutes after 5 wrong passwords, and only that account', async () => {
    const attempt = (password: string, who = email) =>
      call(parley.url, 'POST', '/v1/agents/login', { body: { email: who, password } });
    for (let i = 0; i < 5; i++) expect((await attempt(`guess ${i}`)).status).toBe(401);
    const locked = await attempt(oneTime);
    expect(locked).toMatchObject({ status: 429, body: { code: 'rate_limited' } });
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    expect(locked.body.detail).toMatch(/wrong passwords/);
    // Another agent of the same address signs in as usual.
    const admin = await call(parley.url, 'POST', '/v1/agents', {
      bearer: parley.app.agentToken,
      body: { email: 'eli@shop.test', name: 'Eli', role: 'agent' },
    });
    expect((await attempt(admin.body.password as string, 'eli@shop.test')).status).toBe(200);
  });
});
