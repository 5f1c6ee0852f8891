import type { Store } from '@parley/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_KITS } from '../../../test/support/stores.js';
import { visitorRecord } from './support/records.js';

const NOW = '2026-11-22T10:00:00.000Z';

// One suite, both stores: the same queries must mean the same thing on SQLite and PostgreSQL.
describe.each(STORE_KITS)('the $name store', (kit) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let n = 0;
  const app = (id: string) => ({
    id,
    name: id,
    allowedOrigins: ['https://a.example'],
    identityVerification: false,
    identitySecretEnc: 'v1.x.y.z',
    settings: { greeting: 'Hi' },
    createdAt: NOW,
  });
  const visitor = (appId: string, id: string, userId: string | null = null) => visitorRecord(appId, id, NOW, userId);
  const send = (
    appId: string,
    visitorId: string,
    conversationId: string | undefined,
    text: string,
    clientId = `c${n++}`,
  ) =>
    store.messages.append({
      appId,
      visitorId,
      ...(conversationId ? { conversationId } : {}),
      author: { type: 'visitor', id: visitorId, name: null },
      clientId,
      text,
      now: NOW,
    });

  beforeEach(async () => {
    ({ store, cleanup } = await kit.open());
    await store.apps.create(app('app_1'));
    await store.apps.create(app('app_2'));
    await store.visitors.create(visitor('app_1', 'vis_1'));
    await store.visitors.create(visitor('app_2', 'vis_2'));
  });
  afterEach(() => cleanup());

  it('round-trips an app with its origins, flags and settings', async () => {
    expect(await store.apps.get('app_1')).toEqual(app('app_1'));
    expect(await store.apps.get('app_none')).toBeUndefined();
    expect(await store.apps.count()).toBe(2);
  });

  it('starts a conversation with the first message and numbers the rest from 1 without gaps', async () => {
    const first = await send('app_1', 'vis_1', undefined, 'one');
    expect(first).toMatchObject({ created: true, conversationCreated: true, message: { seq: 1, text: 'one' } });
    const cid = first.message.conversationId;
    const rest = await Promise.all(Array.from({ length: 25 }, (_, i) => send('app_1', 'vis_1', cid, `m${i}`)));
    expect(rest.map((r) => r.message.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 2));
    const conversation = await store.conversations.get('app_1', cid);
    expect(conversation).toMatchObject({ lastSeq: 26, agentUnread: 26, visitorUnread: 0, visitorLastReadSeq: 26 });
    expect(conversation?.lastMessage?.seq).toBe(26);
  });

  it('returns the stored message for a repeated clientId, even racing itself', async () => {
    const first = await send('app_1', 'vis_1', undefined, 'hello', 'same');
    const again = await Promise.all(
      [1, 2, 3].map(() => send('app_1', 'vis_1', first.message.conversationId, 'hello', 'same')),
    );
    for (const r of again) expect(r).toMatchObject({ created: false, message: first.message });
    const page = await store.messages.after(first.message.conversationId, 0, 10);
    expect(page.messages).toHaveLength(1);
  });

  it("keeps a clientId per author: another visitor's message with the same one is a message of its own", async () => {
    await store.visitors.create(visitor('app_1', 'vis_3'));
    const mine = await send('app_1', 'vis_1', undefined, 'mine', 'shared-id');
    const theirs = await send('app_1', 'vis_3', undefined, 'theirs', 'shared-id');
    expect(theirs).toMatchObject({ created: true, message: { text: 'theirs' } });
    expect(theirs.message.id).not.toBe(mine.message.id);
    // And each one's resend still finds its own.
    expect(await send('app_1', 'vis_3', theirs.message.conversationId, 'theirs', 'shared-id')).toMatchObject({
      created: false,
      message: { id: theirs.message.id },
    });
  });

  it("refuses to append to another app's or another visitor's conversation", async () => {
    const first = await send('app_1', 'vis_1', undefined, 'mine');
    await expect(send('app_2', 'vis_2', first.message.conversationId, 'theirs')).rejects.toMatchObject({
      code: 'not_found',
    });
    await store.visitors.create(visitor('app_1', 'vis_3'));
    await expect(send('app_1', 'vis_3', first.message.conversationId, 'sneaky')).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(await store.conversations.get('app_2', first.message.conversationId)).toBeUndefined();
    expect(await store.conversations.listForApp('app_2', { limit: 10 })).toEqual([]);
    expect((await store.messages.after(first.message.conversationId, 0, 10)).messages).toHaveLength(1);
  });

  it('pages backwards and forwards by seq', async () => {
    const first = await send('app_1', 'vis_1', undefined, 'm1');
    const cid = first.message.conversationId;
    for (let i = 2; i <= 9; i++) await send('app_1', 'vis_1', cid, `m${i}`);
    expect(await store.messages.before(cid, undefined, 4)).toMatchObject({ hasMore: true });
    expect((await store.messages.before(cid, undefined, 4)).messages.map((m) => m.seq)).toEqual([6, 7, 8, 9]);
    expect((await store.messages.before(cid, 3, 4)).messages.map((m) => m.seq)).toEqual([1, 2]);
    expect((await store.messages.after(cid, 7, 4)).messages.map((m) => m.seq)).toEqual([8, 9]);
    expect((await store.messages.after(cid, 2, 3)).hasMore).toBe(true);
  });

  it('moves read receipts forward only and recounts unread messages', async () => {
    const first = await send('app_1', 'vis_1', undefined, 'q');
    const cid = first.message.conversationId;
    for (const text of ['a1', 'a2', 'a3']) {
      await store.messages.append({
        appId: 'app_1',
        conversationId: cid,
        author: { type: 'agent', id: 'agt_1', name: 'A' },
        clientId: text,
        text,
        now: NOW,
      });
    }
    expect(await store.conversations.totalVisitorUnread('app_1', 'vis_1')).toBe(3);
    expect(await store.conversations.markRead('app_1', cid, 'visitor', 3)).toMatchObject({
      visitorLastReadSeq: 3,
      visitorUnread: 1,
    });
    expect(await store.conversations.markRead('app_1', cid, 'visitor', 2)).toMatchObject({
      visitorLastReadSeq: 3,
      visitorUnread: 1,
    });
    expect(await store.conversations.markRead('app_1', cid, 'visitor', 99)).toMatchObject({
      visitorLastReadSeq: 4,
      visitorUnread: 0,
    });
    expect(await store.conversations.markRead('app_2', cid, 'visitor', 4)).toBeUndefined();
  });

  it("merges an anonymous visitor's conversations into an identified one", async () => {
    const first = await send('app_1', 'vis_1', undefined, 'before login');
    await store.visitors.create(visitor('app_1', 'vis_user', 'u-1'));
    await store.visitors.merge('app_1', 'vis_1', 'vis_user');
    expect(await store.visitors.get('app_1', 'vis_1')).toBeUndefined();
    const list = await store.conversations.listForVisitor('app_1', 'vis_user', { limit: 10 });
    expect(list.map((c) => c.id)).toEqual([first.message.conversationId]);
    expect(list[0]?.visitor).toEqual({
      id: 'vis_user',
      userId: 'u-1',
      verified: true,
      email: null,
      name: null,
      attributes: {},
      device: null,
    });
    expect((await store.visitors.getByUserId('app_1', 'u-1'))?.id).toBe('vis_user');
  });

  it('keeps where a visitor was last seen, and forgets it when told to keep nothing', async () => {
    const device = {
      browser: 'Firefox',
      browserVersion: '128.0',
      os: 'Linux',
      osVersion: null,
      device: 'desktop' as const,
      page: 'https://shop.example/help',
      locale: 'de-DE',
      timeZone: 'Europe/Berlin',
      seenAt: '2026-11-22T10:05:00.000Z',
    };
    await store.visitors.seen('app_1', 'vis_1', device, '2026-11-22T10:05:00.000Z');
    expect(await store.visitors.get('app_1', 'vis_1')).toMatchObject({
      device,
      lastSeenAt: '2026-11-22T10:05:00.000Z',
    });
    const { conversationId } = (await send('app_1', 'vis_1', undefined, 'hi')).message;
    expect((await store.conversations.get('app_1', conversationId))?.visitor.device).toEqual(device);
    // Another app cannot touch it by its id.
    await store.visitors.seen('app_2', 'vis_1', null, '2026-11-22T10:06:00.000Z');
    expect((await store.visitors.get('app_1', 'vis_1'))?.device).toEqual(device);
    await store.visitors.seen('app_1', 'vis_1', null, '2026-11-22T10:07:00.000Z');
    expect((await store.visitors.get('app_1', 'vis_1'))?.device).toBeNull();
  });

  it('finds agents by email and by token hash, and refuses a second agent with the same email', async () => {
    const agent = {
      id: 'agt_1',
      appId: 'app_1',
      email: 'a@x.test',
      name: 'A',
      role: 'admin' as const,
      avatarUrl: null,
      passwordHash: 'h',
      disabledAt: null,
      passwordChangeRequired: false,
      createdAt: NOW,
    };
    await store.agents.create(agent);
    await store.agents.addToken('hash-1', 'agt_1', NOW);
    expect(await store.agents.getByEmail('a@x.test')).toEqual(agent);
    expect(await store.agents.getByTokenHash('hash-1')).toEqual(agent);
    expect(await store.agents.getByTokenHash('hash-2')).toBeUndefined();
    await expect(store.agents.create({ ...agent, id: 'agt_2' })).rejects.toMatchObject({ code: 'conflict' });
  });
});
