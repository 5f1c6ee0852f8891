import { describe, expect, it } from 'vitest';
import { MessageStream } from '../src/message-stream.js';
import type { Message, MessagePage } from '../src/protocol/index.js';

const message = (seq: number, conversationId = 'c1'): Message => ({
  id: `m${seq}`,
  conversationId,
  seq,
  clientId: null,
  author: { type: 'agent', id: 'a', name: 'A' },
  text: `text ${seq}`,
  attachments: [],
  createdAt: '2026-11-22T10:00:00.000Z',
});

function setup(server: Message[]) {
  const delivered: number[] = [];
  const fetches: number[] = [];
  const stream = new MessageStream(
    async (conversationId, afterSeq): Promise<MessagePage> => {
      fetches.push(afterSeq);
      const rest = server.filter((m) => m.conversationId === conversationId && m.seq > afterSeq);
      return { messages: rest.slice(0, 2), hasMore: rest.length > 2 };
    },
    (m) => delivered.push(m.seq),
    (err) => {
      throw err;
    },
  );
  return { stream, delivered, fetches };
}

describe('the ordered message stream', () => {
  it('delivers each message once, dropping duplicates', async () => {
    const { stream, delivered } = setup([]);
    stream.follow('c1', 0);
    await stream.push(message(1));
    await stream.push(message(1));
    await stream.push(message(2));
    expect(delivered).toEqual([1, 2]);
  });

  it('fills a gap from the server before delivering the message after it', async () => {
    const server = [1, 2, 3, 4, 5, 6].map((s) => message(s));
    const { stream, delivered, fetches } = setup(server);
    stream.follow('c1', 1);
    await stream.push(message(6));
    expect(delivered).toEqual([2, 3, 4, 5, 6]);
    expect(fetches).toEqual([1, 3, 5]);
  });

  it('keeps live messages in order while a catch-up is running', async () => {
    const server = [1, 2, 3].map((s) => message(s));
    const { stream, delivered } = setup(server);
    stream.follow('c1', 0);
    const catchUp = stream.catchUp('c1');
    const live = stream.push(message(3));
    await Promise.all([catchUp, live]);
    expect(delivered).toEqual([1, 2, 3]);
  });

  it('does not replay history when following from the last seq', async () => {
    const { stream, delivered } = setup([]);
    stream.follow('c1', 10);
    stream.follow('c1', 4);
    await stream.push(message(10));
    await stream.push(message(11));
    expect(delivered).toEqual([11]);
  });
});
