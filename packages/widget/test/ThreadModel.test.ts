import { createClient, LIMITS } from '@parley/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../../../test/support/events.js';
import { type Parley, startParley, TEST_ORIGIN } from '../../../test/support/server.js';
import { STORE_KITS } from '../../../test/support/stores.js';
import { createThreadModel } from '../src/models/ThreadModel.js';

// The model over a real sdk client and a real server: no stand-in for our own parts.
describe('the thread model', () => {
  let parley: Parley;
  beforeEach(async () => {
    parley = await startParley(STORE_KITS[0]!);
  });
  afterEach(() => parley.close());

  it('shows a message as sending, then sent, and takes the new conversation its id', async () => {
    const client = createClient({ url: parley.url, appId: parley.app.id, origin: TEST_ORIGIN });
    await client.ready();
    const thread = createThreadModel(client, client.newConversationId());
    thread.send('hello');
    expect(thread.items.value.map((i) => [i.text, i.state])).toEqual([['hello', 'sending']]);
    await eventually(() => expect(thread.items.value.map((i) => [i.text, i.state])).toEqual([['hello', 'sent']]));
    expect(thread.conversationId.value).toMatch(/^cnv_/);
    expect(thread.isPending()).toBe(false);

    const agent = parley.agent();
    await agent.ready();
    await agent.markRead(thread.conversationId.value, 1);
    await eventually(() => expect(thread.seenKey.value).toBe(thread.items.value[0]?.key));
    await agent.send(thread.conversationId.value, 'hi there');
    await eventually(() => expect(thread.items.value.map((i) => i.text)).toEqual(['hello', 'hi there']));
    thread.dispose();
    client.close();
  });

  it('marks a refused message failed with the reason, and keeps it for a retry', async () => {
    const client = createClient({ url: parley.url, appId: parley.app.id, origin: TEST_ORIGIN });
    await client.ready();
    const first = await client.send('start');
    const thread = createThreadModel(client, first.conversationId);
    await thread.load();
    // Too long for the server (the sdk would refuse it earlier: go around it).
    const tooLong = 'x'.repeat(LIMITS.messageMaxChars + 1);
    thread.send(tooLong);
    await eventually(() => expect(thread.items.value.at(-1)?.state).toBe('failed'));
    expect(thread.items.value.at(-1)?.error).toMatch(/at most 5000 characters/);
    thread.dispose();
    client.close();
  });
});
