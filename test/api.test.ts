import { Validator } from '@seriousme/openapi-schema-validator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextEvent } from './support/events.js';
import { handshake, rawSocket } from './support/raw-socket.js';
import { type Parley, startParley, TEST_ORIGIN } from './support/server.js';
import { STORE_KITS } from './support/stores.js';

type Json = Record<string, unknown>;

/** A REST client for one bearer token: answers the status, headers and parsed body. */
function restClient(url: string) {
  return async (
    method: string,
    path: string,
    token?: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: Json; headers: Headers }> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Json) : {}, headers: response.headers };
  };
}

const NEW_PASSWORD = 'correct horse battery staple';

/**
 * Signs in with an invitation's one-time password and chooses NEW_PASSWORD, as the console makes
 * an agent do first: the session that changed it goes on (answered).
 */
async function firstSignIn(rest: ReturnType<typeof restClient>, email: string, oneTime: unknown): Promise<string> {
  const login = await rest('POST', '/v1/agents/login', undefined, { email, password: oneTime });
  expect(login.body.passwordChangeRequired).toBe(true);
  const token = login.body.token as string;
  const changed = await rest('POST', '/v1/me/password', token, { currentPassword: oneTime, newPassword: NEW_PASSWORD });
  expect(changed.status).toBe(200);
  return token;
}

// Pages and files the server serves beside the API, and the document's own routes: not part of
// the API they document (each with its reason).
const NOT_API = new Set([
  'GET /widget/:file', // the built widget files
  'GET /demo', // a host page
  'GET /demo/host.css',
  'GET /v1/openapi.json', // the document itself
  'GET /console', // the agents' console: one page for every path under it, and its files
  'GET /console/*',
  'GET /console/assets/:file',
  'GET /', // addresses people type, sent to the console
  'GET /login',
  'GET /inbox',
  'GET /admin',
]);

describe.each(STORE_KITS)('the REST API on $name', (kit) => {
  let parley: Parley;
  let now: Date;
  let rest: ReturnType<typeof restClient>;
  beforeEach(async () => {
    now = new Date();
    parley = await startParley(kit, { clock: () => now });
    rest = restClient(parley.url);
  });
  afterEach(() => parley.close());

  it('describes every route it serves in a valid OpenAPI 3.1 document', async () => {
    const doc = (await rest('GET', '/v1/openapi.json')).body;
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');

    const paths = doc.paths as Record<string, Record<string, unknown>>;
    const missing = parley.server.routes
      .filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS')
      .filter((r) => !r.url.startsWith('/v1/docs') && !NOT_API.has(`${r.method} ${r.url}`))
      .filter((r) => !paths[r.url.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()]);
    expect(missing).toEqual([]);
    // And nothing is hidden that should not be.
    const hidden = parley.server.routes
      .filter((r) => r.hidden && r.method === 'GET' && !r.url.startsWith('/v1/docs'))
      .map((r) => `${r.method} ${r.url}`);
    expect(hidden.sort()).toEqual([...NOT_API].sort());
    expect((await fetch(`${parley.url}/v1/docs`)).status).toBe(200);
  });

  it('refuses each kind of caller what it may not do, and another app sees nothing', async () => {
    const visitor = parley.visitor();
    const sent = await visitor.send('Hello from app one');
    const invited = await rest('POST', '/v1/agents', parley.app.agentToken, {
      email: 'kim@shop.test',
      name: 'Kim',
      role: 'agent',
    });
    expect(invited.status).toBe(201);
    const plainAgent = await firstSignIn(rest, 'kim@shop.test', invited.body.password);
    const readKey = (await rest('POST', '/v1/api-keys', parley.app.agentToken, { name: 'Reports', scope: 'read' })).body
      .key as string;
    const writeKey = (await rest('POST', '/v1/api-keys', parley.app.agentToken, { name: 'Helper bot', scope: 'write' }))
      .body.key as string;
    const other = await parley.newApp();

    const conversationPath = `/v1/conversations/${sent.conversationId}`;
    const cases: [method: string, path: string, body: unknown, need: 'read' | 'write' | 'admin'][] = [
      ['GET', '/v1/conversations', undefined, 'read'],
      ['GET', conversationPath, undefined, 'read'],
      ['GET', `${conversationPath}/messages`, undefined, 'read'],
      ['GET', `${conversationPath}/notes`, undefined, 'read'],
      ['GET', '/v1/contacts', undefined, 'read'],
      ['GET', '/v1/incidents', undefined, 'read'],
      ['GET', '/v1/agents', undefined, 'read'],
      ['GET', '/v1/app', undefined, 'read'],
      ['PATCH', conversationPath, { status: 'pending' }, 'write'],
      ['POST', `${conversationPath}/messages`, { text: 'On it' }, 'write'],
      ['POST', `${conversationPath}/notes`, { text: 'VIP' }, 'write'],
      ['POST', `${conversationPath}/read`, {}, 'write'],
      ['PATCH', '/v1/app', { settings: { greeting: 'Hi' } }, 'admin'],
      ['GET', '/v1/app/policy', undefined, 'admin'],
      ['GET', '/v1/screening/verdicts', undefined, 'admin'],
      ['GET', '/v1/api-keys', undefined, 'admin'],
      ['POST', '/v1/agents', { email: 'x@shop.test', name: 'X', role: 'agent' }, 'admin'],
    ];
    for (const [method, path, body, need] of cases) {
      const label = `${method} ${path}`;
      expect((await rest(method, path, undefined, body)).status, `${label} anonymous`).toBe(401);
      expect((await rest(method, path, 'pat_forged', body)).status, `${label} forged`).toBe(401);
      const asKey = (await rest(method, path, readKey, body)).status;
      expect(asKey, `${label} read key`).toBe(need === 'read' ? 200 : 403);
      const asWriteKey = (await rest(method, path, writeKey, body)).status;
      expect(asWriteKey < 300, `${label} write key`).toBe(need !== 'admin');
      if (need === 'admin') expect(asWriteKey, `${label} write key`).toBe(403);
      const asAgent = (await rest(method, path, plainAgent, body)).status;
      if (need === 'admin') expect(asAgent, `${label} agent`).toBe(403);
      else expect(asAgent < 300, `${label} agent`).toBe(true);
    }
    // Another app's credentials find nothing of this one.
    expect((await rest('GET', conversationPath, other.agentToken)).status).toBe(404);
    expect((await rest('GET', '/v1/conversations', other.agentToken)).body.conversations).toEqual([]);
    expect((await rest('GET', '/v1/contacts', other.agentToken)).body.contacts).toEqual([]);
    expect((await rest('PATCH', conversationPath, other.agentToken, { status: 'closed' })).status).toBe(404);
    const problem = await rest('GET', '/v1/app/policy', plainAgent);
    expect(problem.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(problem.body).toMatchObject({ type: 'urn:parley:error:forbidden', status: 403, code: 'forbidden' });
  });

  it('on every route: refuses who may not use it, and a body that is not what it takes', async () => {
    const invited = await rest('POST', '/v1/agents', parley.app.agentToken, {
      email: 'rio@shop.test',
      name: 'Rio',
      role: 'agent',
    });
    const agent = await firstSignIn(rest, 'rio@shop.test', invited.body.password);
    const key = async (scope: string) =>
      (await rest('POST', '/v1/api-keys', parley.app.agentToken, { name: scope, scope })).body.key as string;
    const readKey = await key('read');
    const writeKey = await key('write');
    const routes = parley.server.routes.filter(
      (r) => r.method !== 'HEAD' && r.method !== 'OPTIONS' && r.access && r.access !== 'public',
    );
    expect(routes.length).toBeGreaterThan(30);
    const refusals: string[] = [];
    const expectStatus = (label: string, got: number, want: number) => {
      if (got !== want) refusals.push(`${label}: ${got}, expected ${want}`);
    };
    for (const route of routes) {
      const path = route.url.replace(/:(\w+)/g, 'nothing_here');
      const body = route.hasBody ? [1] : undefined;
      const label = `${route.method} ${route.url}`;
      expectStatus(`${label} anonymous`, (await rest(route.method, path, undefined, body)).status, 401);
      expectStatus(`${label} forged`, (await rest(route.method, path, 'key_forged', body)).status, 401);
      if (route.access !== 'read') {
        expectStatus(`${label} read key`, (await rest(route.method, path, readKey, body)).status, 403);
      }
      if (route.access === 'admin') {
        expectStatus(`${label} write key`, (await rest(route.method, path, writeKey, body)).status, 403);
        expectStatus(`${label} agent`, (await rest(route.method, path, agent, body)).status, 403);
      }
      if (route.hasBody) {
        const garbage = await rest(route.method, path, parley.app.agentToken, body);
        expectStatus(`${label} garbage body`, garbage.status, 400);
        if (garbage.body.code !== 'invalid_payload') refusals.push(`${label} garbage body: ${garbage.body.code}`);
      }
    }
    expect(refusals).toEqual([]);
  });

  it('ends sessions after 12 hours idle, after 7 days, at sign-out, and everywhere at once', async () => {
    const invite = await rest('POST', '/v1/agents', parley.app.agentToken, {
      email: 'ana@shop.test',
      name: 'Ana',
      role: 'agent',
    });
    await firstSignIn(rest, 'ana@shop.test', invite.body.password);
    const agentId = (invite.body.agent as Json).id as string;
    const signIn = async () =>
      (await rest('POST', '/v1/agents/login', undefined, { email: 'ana@shop.test', password: NEW_PASSWORD })).body
        .token as string;
    const me = async (token: string) => (await rest('GET', '/v1/me', token)).status;

    const idle = await signIn();
    expect(await me(idle)).toBe(200);
    now = new Date(now.getTime() + 11 * 3600_000);
    expect(await me(idle)).toBe(200); // used within 12 hours: slides on
    now = new Date(now.getTime() + 12 * 3600_000 + 60_000);
    const expired = await rest('GET', '/v1/me', idle);
    expect(expired).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
    expect(expired.body.detail).toMatch(/12 hours/);

    const busy = await signIn();
    const signedInAt = now.getTime();
    const sevenDays = 7 * 24 * 3600_000;
    while (now.getTime() + 11 * 3600_000 < signedInAt + sevenDays) {
      now = new Date(now.getTime() + 11 * 3600_000);
      expect(await me(busy)).toBe(200);
    }
    now = new Date(signedInAt + sevenDays + 60_000);
    expect(await me(busy)).toBe(401); // 7 days after sign-in, however active

    const short = await signIn();
    expect((await rest('POST', '/v1/agents/logout', short)).status).toBe(204);
    expect(await me(short)).toBe(401);

    const a = await signIn();
    const b = await signIn();
    const socket = rawSocket(parley.url, '/agent', { token: b }, null);
    expect((await handshake(socket)).connected).toBe(true);
    const closed = new Promise((resolve) => socket.on('disconnect', resolve));
    expect((await rest('DELETE', `/v1/agents/${agentId}/sessions`, a)).body).toEqual({ revoked: 2 });
    expect(await me(a)).toBe(401);
    expect(await me(b)).toBe(401);
    await closed;
  });

  it('disables an agent: no sign-in, no token, connections closed; an admin cannot lock themselves out', async () => {
    const invite = await rest('POST', '/v1/agents', parley.app.agentToken, {
      email: 'lee@shop.test',
      name: 'Lee',
      role: 'agent',
    });
    const agent = invite.body.agent as Json;
    const session = await firstSignIn(rest, 'lee@shop.test', invite.body.password);
    const login = async () =>
      rest('POST', '/v1/agents/login', undefined, { email: 'lee@shop.test', password: NEW_PASSWORD });
    const socket = rawSocket(parley.url, '/agent', { token: session }, null);
    expect((await handshake(socket)).connected).toBe(true);
    const closed = new Promise((resolve) => socket.on('disconnect', resolve));

    const disabled = await rest('PATCH', `/v1/agents/${agent.id}`, parley.app.agentToken, { disabled: true });
    expect(disabled.body.agent).toMatchObject({ id: agent.id, disabled: true });
    await closed;
    expect((await login()).status).toBe(401);
    expect((await rest('GET', '/v1/me', session)).status).toBe(401);

    const self = await rest('PATCH', `/v1/agents/${parley.app.agentId}`, parley.app.agentToken, { role: 'agent' });
    expect(self).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    const back = await rest('PATCH', `/v1/agents/${agent.id}`, parley.app.agentToken, {
      disabled: false,
      role: 'admin',
    });
    expect(back.body.agent).toMatchObject({ disabled: false, role: 'admin' });
    expect((await login()).status).toBe(200);
  });

  it("shows the team and reply time the console set on the messenger's home, photos https only", async () => {
    const widget = async () =>
      (await rest('GET', `/v1/apps/${parley.app.id}/widget`, undefined, undefined, { origin: TEST_ORIGIN })).body;
    const admin = parley.app.agentToken;
    // By default: the first enabled agents, a conservative reply time.
    expect(await widget()).toMatchObject({ replyTime: 'hours', team: [{ name: 'Alex Agent', avatarUrl: null }] });

    const invite = async (name: string) =>
      (
        (await rest('POST', '/v1/agents', admin, { email: `${name}@shop.test`, name, role: 'agent' })).body
          .agent as Json
      ).id as string;
    const [ana, bo, cy] = [await invite('Ana'), await invite('Bo'), await invite('Cy')];
    const photo = 'https://cdn.shop.test/ana.jpg';
    expect((await rest('PATCH', `/v1/agents/${ana}`, admin, { avatarUrl: photo })).body.agent).toMatchObject({
      avatarUrl: photo,
    });
    for (const bad of ['http://cdn.shop.test/a.jpg', 'https://user:pw@cdn.shop.test/a.jpg', 'javascript:alert(1)']) {
      expect((await rest('PATCH', `/v1/agents/${ana}`, admin, { avatarUrl: bad })).status, bad).toBe(400);
    }
    const set = await rest('PATCH', '/v1/app', admin, { settings: { replyTime: 'minutes', team: `${cy},${ana}` } });
    expect(set.status).toBe(200);
    expect(await widget()).toMatchObject({
      replyTime: 'minutes',
      team: [
        { name: 'Cy', avatarUrl: null },
        { name: 'Ana', avatarUrl: photo },
      ],
    });
    // A disabled agent leaves the home screen; an unknown id or a fourth member is refused.
    await rest('PATCH', `/v1/agents/${cy}`, admin, { disabled: true });
    expect((await widget()).team).toEqual([{ name: 'Ana', avatarUrl: photo }]);
    const unknown = await rest('PATCH', '/v1/app', admin, { settings: { team: 'agt_nobody' } });
    expect(unknown).toMatchObject({ status: 400, body: { fields: { team: 'no agent agt_nobody in this app' } } });
    const four = await rest('PATCH', '/v1/app', admin, { settings: { team: [ana, bo, cy, ana].join(',') } });
    expect(four.status).toBe(400);
    expect((await rest('PATCH', '/v1/app', admin, { settings: { replyTime: 'weeks' } })).status).toBe(400);
  });

  it('keeps an API key secret, shows when it was used, sends as the bot, and stops it when revoked', async () => {
    const created = await rest('POST', '/v1/api-keys', parley.app.agentToken, { name: 'Helper bot', scope: 'write' });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    expect(key).toMatch(/^key_/);
    const listed = (await rest('GET', '/v1/api-keys', parley.app.agentToken)).body.apiKeys as Json[];
    expect(JSON.stringify(listed)).not.toContain(key);
    expect(listed[0]).toMatchObject({ name: 'Helper bot', scope: 'write', lastUsedAt: null, revokedAt: null });

    const visitor = parley.visitor();
    const first = await visitor.send('Is anyone there?');
    const atVisitor = nextEvent(visitor, 'message', (m) => m.author.type === 'bot');
    const reply = await rest('POST', `/v1/conversations/${first.conversationId}/messages`, key, {
      text: 'A person will be with you shortly.',
    });
    expect(reply.status).toBe(201);
    expect((reply.body.message as Json).author).toMatchObject({ type: 'bot', name: 'Helper bot' });
    expect(await atVisitor).toMatchObject({ text: 'A person will be with you shortly.' });
    expect((await rest('GET', '/v1/me', key)).body).toEqual({
      apiKey: { id: expect.any(String), name: 'Helper bot', scope: 'write' },
    });
    const used = (await rest('GET', '/v1/api-keys', parley.app.agentToken)).body.apiKeys as Json[];
    expect(used[0]?.lastUsedAt).toBe(now.toISOString());

    expect((await rest('DELETE', `/v1/api-keys/${used[0]?.id}`, parley.app.agentToken)).status).toBe(204);
    expect((await rest('GET', '/v1/me', key)).status).toBe(401);
    // A bot's reply does not stop an incident's clock, and may not open the agent socket.
    expect(await handshake(rawSocket(parley.url, '/agent', { token: key }, null))).toMatchObject({ connected: false });
  });

  it('replays a create sent again with the same Idempotency-Key, and refuses the key for another request', async () => {
    const visitor = parley.visitor();
    const first = await visitor.send('hello');
    const path = `/v1/conversations/${first.conversationId}/notes`;
    const headers = { 'idempotency-key': 'note-1' };
    const a = await rest('POST', path, parley.app.agentToken, { text: 'Called them back' }, headers);
    const b = await rest('POST', path, parley.app.agentToken, { text: 'Called them back' }, headers);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body).toEqual(a.body);
    expect(b.headers.get('idempotent-replayed')).toBe('true');
    expect(((await rest('GET', path, parley.app.agentToken)).body.notes as Json[]).length).toBe(1);
    const other = await rest('POST', path, parley.app.agentToken, { text: 'Something else' }, headers);
    expect(other).toMatchObject({ status: 400, body: { code: 'invalid_payload' } });
    const bad = await rest('POST', path, parley.app.agentToken, { text: 'x' }, { 'idempotency-key': '' });
    expect(bad.status).toBe(400);
  });

  it('answers RateLimit headers and 429 past the budget of a key', async () => {
    await parley.close();
    parley = await startParley(kit, { clock: () => now, limits: { apiRate: { points: 3, perSeconds: 60 } } });
    rest = restClient(parley.url);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await rest('GET', '/v1/app', parley.app.agentToken));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    expect(answers[0]?.headers.get('ratelimit-limit')).toBe('3');
    expect(answers[0]?.headers.get('ratelimit-remaining')).toBe('2');
    expect(Number(answers[3]?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(answers[3]?.body).toMatchObject({ code: 'rate_limited' });
  });
});
