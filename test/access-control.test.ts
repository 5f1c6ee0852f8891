import { memoryStorage } from '@parley/sdk';
import { signUserJwt, userHashFor } from '@parley/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handshake, rawSocket } from './support/raw-socket.js';
import { type Parley, startParley } from './support/server.js';
import { STORE_KITS } from './support/stores.js';

describe.each(STORE_KITS)('access control on $name', (kit) => {
  let parley: Parley;
  const sockets: { close(): void }[] = [];
  const raw = (...args: Parameters<typeof rawSocket>) => {
    const s = rawSocket(...args);
    sockets.push(s);
    return s;
  };

  beforeEach(async () => {
    parley = await startParley(kit);
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await parley.close();
  });

  describe('visitor handshake', () => {
    it('refuses an origin the app does not allow with forbidden', async () => {
      const outcome = await handshake(raw(parley.url, '/visitor', { appId: parley.app.id }, 'https://evil.test'));
      expect(outcome).toMatchObject({ connected: false, data: { code: 'forbidden' } });
    });

    it('refuses an unknown app with not_found and a malformed auth with invalid_payload', async () => {
      expect(await handshake(raw(parley.url, '/visitor', { appId: 'app_nope' }))).toMatchObject({
        connected: false,
        data: { code: 'not_found' },
      });
      expect(await handshake(raw(parley.url, '/visitor', { appId: 42 }))).toMatchObject({
        connected: false,
        data: { code: 'invalid_payload' },
      });
    });

    it('refuses a forged visitor token with unauthorized', async () => {
      const first = await handshake(raw(parley.url, '/visitor', { appId: parley.app.id }));
      if (!first.connected) throw new Error('first handshake failed');
      const token = first.session.visitorToken as string;
      const [body] = token.split('.');
      const forgedBody = Buffer.from(
        JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), v: 'vis_someone_else' }),
      ).toString('base64url');
      const outcome = await handshake(
        raw(parley.url, '/visitor', { appId: parley.app.id, visitorToken: `${forgedBody}.${token.split('.')[1]}` }),
      );
      expect(outcome).toMatchObject({
        connected: false,
        data: { code: 'unauthorized', fields: { visitorToken: 'invalid' } },
      });
    });

    it("refuses one app's visitor token at another app", async () => {
      const other = await parley.newApp();
      const first = await handshake(raw(parley.url, '/visitor', { appId: parley.app.id }));
      if (!first.connected) throw new Error('first handshake failed');
      const outcome = await handshake(
        raw(parley.url, '/visitor', { appId: other.id, visitorToken: first.session.visitorToken }),
      );
      expect(outcome).toMatchObject({ connected: false, data: { code: 'unauthorized' } });
    });

    it('starts the sdk client over as a new visitor when its stored token is refused', async () => {
      const storage = memoryStorage();
      storage.set(`parley:${parley.app.id}:visitorToken`, 'garbage.token');
      const client = parley.visitor({ storage });
      const session = await client.ready();
      expect(session.visitorId).toMatch(/^vis_/);
      expect(storage.get(`parley:${parley.app.id}:visitorToken`)).toBe(session.visitorToken);
    });
  });

  describe('identity verification', () => {
    let app: Awaited<ReturnType<Parley['newApp']>>;
    beforeEach(async () => {
      app = await parley.newApp({ identityVerification: true });
    });
    const connect = (auth: object) => handshake(raw(parley.url, '/visitor', { appId: app.id, ...auth }));

    it('refuses a user without proof, and a wrong userHash, with unauthorized', async () => {
      expect(await connect({ user: { id: 'u1' } })).toMatchObject({ connected: false, data: { code: 'unauthorized' } });
      const wrong = userHashFor('not-the-secret', 'u1');
      expect(await connect({ user: { id: 'u1' }, userHash: wrong })).toMatchObject({
        connected: false,
        data: { code: 'unauthorized' },
      });
      const otherUsers = userHashFor(app.identitySecret, 'u2');
      expect(await connect({ user: { id: 'u1' }, userHash: otherUsers })).toMatchObject({ connected: false });
    });

    it('accepts a valid userHash and a fresh JWT, and refuses a stale, unsigned or foreign JWT', async () => {
      const byHash = await connect({
        user: { id: 'u1', name: 'Ana' },
        userHash: userHashFor(app.identitySecret, 'u1'),
      });
      expect(byHash).toMatchObject({ connected: true, session: { identified: true } });

      const fresh = signUserJwt(app.identitySecret, { id: 'u1', email: 'ana@shop.test' }, new Date());
      const byJwt = await connect({ userJwt: fresh });
      expect(byJwt).toMatchObject({ connected: true, session: { identified: true } });
      if (byHash.connected && byJwt.connected) expect(byJwt.session.visitorId).toBe(byHash.session.visitorId);

      const stale = signUserJwt(app.identitySecret, { id: 'u1' }, new Date(Date.now() - 16 * 60_000));
      expect(await connect({ userJwt: stale })).toMatchObject({ connected: false, data: { code: 'unauthorized' } });
      const foreign = signUserJwt('another-apps-secret', { id: 'u1' }, new Date());
      expect(await connect({ userJwt: foreign })).toMatchObject({ connected: false, data: { code: 'unauthorized' } });
      const [, payload] = fresh.split('.');
      const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
      expect(await connect({ userJwt: none })).toMatchObject({ connected: false, data: { code: 'unauthorized' } });
    });

    it('a rotated secret proves users at once, and the old one no longer does', async () => {
      const rotated = await fetch(`${parley.url}/v1/app/identity-secret`, {
        method: 'POST',
        headers: { authorization: `Bearer ${app.agentToken}` },
      });
      expect(rotated.status).toBe(200);
      const { identitySecret } = (await rotated.json()) as { identitySecret: string };
      expect(identitySecret).toMatch(/^[0-9a-f]{64}$/);
      expect(identitySecret).not.toBe(app.identitySecret);
      expect(await connect({ user: { id: 'u1' }, userHash: userHashFor(app.identitySecret, 'u1') })).toMatchObject({
        connected: false,
        data: { code: 'unauthorized' },
      });
      expect(await connect({ user: { id: 'u1' }, userHash: userHashFor(identitySecret, 'u1') })).toMatchObject({
        connected: true,
        session: { identified: true },
      });
      // Another app's secret is untouched.
      const otherApp = await handshake(
        raw(parley.url, '/visitor', {
          appId: parley.app.id,
          user: { id: 'u1' },
          userHash: userHashFor(parley.app.identitySecret, 'u1'),
        }),
      );
      expect(otherApp).toMatchObject({ connected: true, session: { identified: true } });
    });
  });

  describe('visitors and their conversations', () => {
    it("moves an anonymous visitor's conversations to the user they identify as", async () => {
      const kv = memoryStorage();
      const anonymous = parley.visitor({ storage: kv });
      const before = await anonymous.send('asked before logging in');
      anonymous.close();

      const identified = parley.visitor({ storage: kv, user: { id: 'user-7', name: 'Sam' } });
      await identified.ready();
      const list = await identified.conversations();
      expect(list.map((c) => c.id)).toEqual([before.conversationId]);
      const history = await identified.history(before.conversationId);
      expect(history.messages.map((m) => m.text)).toEqual(['asked before logging in']);
    });

    it("never shows a previous user's conversations to the next user in the same browser", async () => {
      const kv = memoryStorage();
      const alice = parley.visitor({ storage: kv, user: { id: 'alice' } });
      await alice.send('private to alice');
      alice.close();

      const bob = parley.visitor({ storage: kv, user: { id: 'bob' } });
      await bob.ready();
      expect(await bob.conversations()).toEqual([]);
      bob.close();

      // Nor to an anonymous session that inherits the token after logout-less navigation.
      const anon = parley.visitor({ storage: kv });
      await anon.ready();
      expect(await anon.conversations()).toEqual([]);
    });

    it("answers not_found for another visitor's conversation", async () => {
      const owner = parley.visitor();
      const message = await owner.send('mine');
      const intruder = raw(parley.url, '/visitor', { appId: parley.app.id });
      expect((await handshake(intruder)).connected).toBe(true);
      const cid = message.conversationId;
      for (const [event, payload] of [
        ['message:history', { conversationId: cid }],
        ['message:sync', { conversationId: cid, afterSeq: 0 }],
        ['message:send', { conversationId: cid, clientId: 'x1', text: 'let me in' }],
        ['read:mark', { conversationId: cid, seq: 1 }],
        ['typing:set', { conversationId: cid, typing: true }],
      ] as const) {
        const answer = await intruder.emitWithAck(event, payload);
        expect(answer, event).toMatchObject({ ok: false, error: { code: 'not_found' } });
      }
      const agent = parley.agent();
      await agent.ready();
      expect((await agent.history(cid)).messages.map((m) => m.text)).toEqual(['mine']);
    });
  });

  describe('agents', () => {
    it("keeps one app's agents out of another app's conversations", async () => {
      const visitor = parley.visitor();
      const message = await visitor.send('for app one only');
      const other = await parley.newApp();
      const outsider = raw(parley.url, '/agent', { token: other.agentToken }, null);
      const heard: unknown[] = [];
      outsider.on('message:new', (m) => heard.push(m));
      expect((await handshake(outsider)).connected).toBe(true);
      for (const [event, payload] of [
        ['conversation:get', { conversationId: message.conversationId }],
        ['message:history', { conversationId: message.conversationId }],
        ['message:send', { conversationId: message.conversationId, clientId: 'y1', text: 'hi' }],
        ['read:mark', { conversationId: message.conversationId, seq: 1 }],
      ] as const) {
        expect(await outsider.emitWithAck(event, payload), event).toMatchObject({
          ok: false,
          error: { code: 'not_found' },
        });
      }
      expect((await outsider.emitWithAck('conversation:list', {})).conversations).toEqual([]);
      await visitor.send('still app one', { conversationId: message.conversationId });
      // The outsider's own round trip proves the connection is live; nothing of app one arrived.
      expect((await outsider.emitWithAck('conversation:list', {})).ok).toBe(true);
      expect(heard).toEqual([]);

      const response = await fetch(`${parley.url}/v1/conversations/${message.conversationId}`, {
        headers: { authorization: `Bearer ${other.agentToken}` },
      });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ code: 'not_found' });
    });

    it('refuses a bad agent token with unauthorized and a foreign origin with forbidden', async () => {
      expect(await handshake(raw(parley.url, '/agent', { token: 'pat_wrong' }, null))).toMatchObject({
        connected: false,
        data: { code: 'unauthorized' },
      });
      expect(
        await handshake(raw(parley.url, '/agent', { token: parley.app.agentToken }, 'https://evil.test')),
      ).toMatchObject({
        connected: false,
        data: { code: 'forbidden' },
      });
      const response = await fetch(`${parley.url}/v1/conversations`);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ code: 'unauthorized' });
    });
  });
});
