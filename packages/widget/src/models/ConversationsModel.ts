import type { Conversation, Message, ParleyClient } from '@parley/sdk';
import { computed, signal } from '@preact/signals';

/** The visitor's conversations, newest activity first, with unread counts kept live. */
export function createConversationsModel(client: ParleyClient) {
  const list = signal<Conversation[]>([]);
  const loaded = signal(false);
  const unreadTotal = computed(() => list.value.reduce((sum, c) => sum + c.unread, 0));
  const unreadByConversation = computed(() => Object.fromEntries(list.value.map((c) => [c.id, c.unread])));

  async function refresh(): Promise<void> {
    list.value = await client.conversations();
    loaded.value = true;
  }

  function upsert(id: string, change: (c: Conversation | undefined) => Conversation | undefined): void {
    const current = list.value.find((c) => c.id === id);
    const next = change(current);
    if (!next) return;
    list.value = [next, ...list.value.filter((c) => c.id !== id)].sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1));
  }

  function onMessage(m: Message): void {
    upsert(m.conversationId, (c) =>
      c
        ? { ...c, lastSeq: Math.max(c.lastSeq, m.seq), lastMessage: m, updatedAt: m.createdAt }
        : {
            id: m.conversationId,
            visitorId: client.visitorId ?? '',
            status: 'open',
            createdAt: m.createdAt,
            updatedAt: m.createdAt,
            lastSeq: m.seq,
            visitorLastReadSeq: m.author.type === 'visitor' ? m.seq : 0,
            agentLastReadSeq: 0,
            unread: m.author.type === 'agent' ? 1 : 0,
            lastMessage: m,
            attributes: {},
          },
    );
  }

  const offs = [
    client.on('session', () => void refresh().catch(() => undefined)),
    client.on('message', onMessage),
    client.on('unread', (e) => upsert(e.conversationId, (c) => c && { ...c, unread: e.unread })),
    client.on('read', (e) =>
      upsert(
        e.conversationId,
        (c) => c && (e.party === 'visitor' ? { ...c, visitorLastReadSeq: e.seq } : { ...c, agentLastReadSeq: e.seq }),
      ),
    ),
  ];

  return {
    list,
    loaded,
    unreadTotal,
    unreadByConversation,
    refresh,
    get: (id: string) => list.value.find((c) => c.id === id),
    dispose: () => {
      for (const off of offs) off();
    },
  };
}

export type ConversationsModel = ReturnType<typeof createConversationsModel>;
