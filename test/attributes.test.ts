import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Parley, startParley } from './support/server.js';
import { STORE_KITS } from './support/stores.js';

describe.each(STORE_KITS)('visitor and conversation attributes on $name', (kit) => {
  let parley: Parley;
  beforeEach(async () => {
    parley = await startParley(kit);
  });
  afterEach(() => parley.close());

  it('shows agents what the host set, merged, with null removing a key', async () => {
    const visitor = parley.visitor({ user: { id: 'u-9', name: 'Kim' } });
    const first = await visitor.send('hello');
    await visitor.updateVisitor({ email: 'kim@shop.test', attributes: { plan: 'pro', seats: 12, trial: true } });
    const updated = await visitor.updateVisitor({ attributes: { trial: null, company: 'Acme' } });
    expect(updated).toMatchObject({ userId: 'u-9', email: 'kim@shop.test', name: 'Kim' });
    expect(updated.attributes).toEqual({ plan: 'pro', seats: 12, company: 'Acme' });
    const conversation = await visitor.updateConversation(first.conversationId, { orderId: 'A-1042' });
    expect(conversation.attributes).toEqual({ orderId: 'A-1042' });

    const agent = parley.agent();
    await agent.ready();
    const seen = await agent.conversation(first.conversationId);
    expect(seen.visitor).toMatchObject({
      email: 'kim@shop.test',
      attributes: { plan: 'pro', seats: 12, company: 'Acme' },
    });
    expect(seen.attributes).toEqual({ orderId: 'A-1042' });
  });

  it('refuses nested values and too many keys, and keeps what was there', async () => {
    const visitor = parley.visitor();
    await visitor.ready();
    await visitor.updateVisitor({ attributes: { plan: 'pro' } });
    await expect(visitor.updateVisitor({ attributes: { nested: { a: 1 } as never } })).rejects.toMatchObject({
      code: 'invalid_payload',
    });
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
    await expect(visitor.updateVisitor({ attributes: many })).rejects.toMatchObject({ code: 'payload_too_large' });
    expect((await visitor.updateVisitor({})).attributes).toEqual({ plan: 'pro' });
  });
});
