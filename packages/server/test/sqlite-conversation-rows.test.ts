import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore, type Store } from '@parley/server';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { appRecord, visitorRecord } from './support/records.js';

// The SQLite thread keeps the rows of the conversations it wrote last and reads them from
// memory on the message path (sqlite-worker.ts). These are the ways a kept row could go stale:
// each must be forgotten, or the next message would take a seq that is already used, or skip
// one.

const NOW = '2026-11-30T10:00:00.000Z';
let dir: string;
let file: string;
let store: Store;
let clientIds = 0;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-rows-'));
  file = join(dir, 'parley.db');
  store = await createSqliteStore(file);
  await store.apps.create(appRecord('app_1', NOW));
  for (const id of ['vis_a', 'vis_b']) await store.visitors.create(visitorRecord('app_1', id, NOW));
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const send = (visitorId: string, conversationId?: string) =>
  store.messages.append({
    appId: 'app_1',
    visitorId,
    ...(conversationId ? { conversationId } : {}),
    author: { type: 'visitor', id: visitorId, name: null },
    clientId: `c${clientIds++}`,
    text: 'hello',
    now: NOW,
  });

/**
 * Another connection to the file stores an agent's message as seq 2 of the conversation, and
 * moves the conversation's counter with it or (to break the next append) leaves it behind.
 */
function fromAnotherConnection(conversationId: string, moveCounter: boolean): void {
  const other = new Database(file);
  try {
    other
      .prepare(
        `insert into messages (id, app_id, conversation_id, seq, author_type, author_id, client_id, text, created_at)
         values ('msg_other', 'app_1', ?, 2, 'agent', 'agt_1', 'other-1', 'from a script', ?)`,
      )
      .run(conversationId, NOW);
    if (moveCounter) other.prepare('update conversations set last_seq = 2 where id = ?').run(conversationId);
  } finally {
    other.close();
  }
}

const seqs = async (conversationId: string) =>
  (await store.messages.after(conversationId, 0, 100)).messages.map((m) => m.seq);

it('follows what the store writes outside the message path: a reply, a status, read marks', async () => {
  const first = await send('vis_a');
  const id = first.message.conversationId;
  // An agent's reply goes through a transaction of the event loop's, not the thread's batch.
  const reply = await store.messages.append({
    appId: 'app_1',
    conversationId: id,
    author: { type: 'agent', id: 'agt_1', name: 'Ada' },
    clientId: `c${clientIds++}`,
    text: 'hi, how can I help?',
    now: NOW,
  });
  expect(reply.message.seq).toBe(2);
  await store.conversations.update('app_1', id, { status: 'resolved', now: NOW });
  const next = await send('vis_a', id);
  expect(next.message.seq).toBe(3);
  // The visitor's reply reopened it, and the agent has one unread: counted from the stored row.
  expect(next.conversation).toMatchObject({ lastSeq: 3, status: 'open', agentUnread: 1, visitorUnread: 0 });
  expect(await seqs(id)).toEqual([1, 2, 3]);
});

it("follows another process's writes to the file (PRAGMA data_version)", async () => {
  const first = await send('vis_a');
  const id = first.message.conversationId;
  // `parley` commands and tools open the same file: here, another connection adds a message.
  fromAnotherConnection(id, true);
  const next = await send('vis_a', id);
  expect(next.message.seq).toBe(3);
  expect(await seqs(id)).toEqual([1, 2, 3]);
});

it('forgets what a batch wrote when the batch fails and rolls back', async () => {
  const a = (await send('vis_a')).message.conversationId;
  const b = (await send('vis_b')).message.conversationId;
  // Break conversation b from outside: a message takes its next seq behind the store's back,
  // so the next message to b fails on the (conversation, seq) unique index.
  fromAnotherConnection(b, false);
  // One batch (both are queued in the same turn): a's message is written, then b's fails and
  // the whole batch rolls back, a's included.
  const outcomes = await Promise.allSettled([send('vis_a', a), send('vis_b', b)]);
  expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
  expect(await seqs(a)).toEqual([1]);
  // Had the thread kept a's row as the failed batch left it, this would be seq 3.
  const next = await send('vis_a', a);
  expect(next.message.seq).toBe(2);
  expect(next.conversation.lastSeq).toBe(2);
  expect(await seqs(a)).toEqual([1, 2]);
});

it("answers each message of a batch with its own seq, when a batch holds several of one conversation's", async () => {
  const id = (await send('vis_a')).message.conversationId;
  await send('vis_a', id);
  const answers = await Promise.all([send('vis_a', id), send('vis_a', id), send('vis_a', id)]);
  expect(answers.map((a) => [a.message.seq, a.conversation.lastSeq])).toEqual([
    [3, 3],
    [4, 4],
    [5, 5],
  ]);
});
