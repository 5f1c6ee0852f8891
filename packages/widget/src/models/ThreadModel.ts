import { type Attachment, type Message, type ParleyClient, ParleyClientError, redactBeforeSending } from '@parley/sdk';
import { computed, signal } from '@preact/signals';

export type DeliveryState = 'sending' | 'sent' | 'failed';

export interface ThreadMessage {
  /** The clientId for the visitor's own messages, the server id otherwise. */
  key: string;
  message: Message | undefined;
  text: string;
  attachments: Attachment[];
  mine: boolean;
  state: DeliveryState;
  error?: string;
  createdAt: string;
  authorName: string | null;
  /** Kinds of secret the widget removed before sending (card, iban, password…). */
  removedBeforeSending?: string[];
}

/** A message the app's policy refused: its text goes back to the composer with the reason. */
export interface Refused {
  text: string;
  reason: string;
  clause: string;
}

const TYPING_TIMEOUT_MS = 6000;

function randomKey(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/**
 * One conversation: its history, the visitor's messages as they go from sending to sent (or
 * failed, with retry), the agent's read receipt and typing. A new conversation starts with a
 * `pending_…` id and takes the server's id with its first stored message.
 */
export function createThreadModel(client: ParleyClient, initialId: string) {
  const conversationId = signal(initialId);
  const items = signal<ThreadMessage[]>([]);
  const hasMore = signal(false);
  const loading = signal(false);
  const agentLastReadSeq = signal(0);
  const typingName = signal<string | null>(null);
  const refused = signal<Refused | null>(null);
  let typingTimer: ReturnType<typeof setTimeout> | undefined;

  const isPending = () => conversationId.value.startsWith('pending_');
  const fromServer = (m: Message): ThreadMessage => ({
    key: m.clientId && m.author.type === 'visitor' ? m.clientId : m.id,
    message: m,
    text: m.text,
    attachments: m.attachments,
    mine: m.author.type === 'visitor',
    state: 'sent',
    createdAt: m.createdAt,
    authorName: m.author.name,
  });

  function merge(incoming: ThreadMessage[]): void {
    const byKey = new Map(items.value.map((i) => [i.key, i]));
    for (const item of incoming) {
      // What the page removed before sending is known only here: the stored copy keeps the note.
      const removed = byKey.get(item.key)?.removedBeforeSending;
      byKey.set(item.key, removed && !item.removedBeforeSending ? { ...item, removedBeforeSending: removed } : item);
    }
    // Stored messages in seq order; the ones still sending after them, in the order sent.
    items.value = [...byKey.values()].sort((a, b) => {
      if (a.message && b.message) return a.message.seq - b.message.seq;
      if (a.message) return -1;
      if (b.message) return 1;
      return a.createdAt < b.createdAt ? -1 : 1;
    });
  }

  async function load(): Promise<void> {
    if (isPending()) return;
    loading.value = true;
    try {
      const page = await client.history(conversationId.value);
      hasMore.value = page.hasMore;
      merge(page.messages.map(fromServer));
    } finally {
      loading.value = false;
    }
  }

  async function loadOlder(): Promise<void> {
    const oldest = items.value.find((i) => i.message)?.message;
    if (!oldest || loading.value) return;
    loading.value = true;
    try {
      const page = await client.history(conversationId.value, { beforeSeq: oldest.seq });
      hasMore.value = page.hasMore;
      merge(page.messages.map(fromServer));
    } finally {
      loading.value = false;
    }
  }

  function send(typed: string, attachments: Attachment[] = []): void {
    const key = randomKey();
    const { text, removed } = redactBeforeSending(typed);
    refused.value = null;
    merge([
      {
        key,
        message: undefined,
        text,
        ...(removed.length ? { removedBeforeSending: removed } : {}),
        attachments,
        mine: true,
        state: 'sending',
        createdAt: new Date().toISOString(),
        authorName: null,
      },
    ]);
    const attachmentIds = attachments.map((a) => a.id);
    client.send(text, { conversationId: conversationId.value, clientId: key, attachmentIds }).then(
      (m) => {
        if (isPending()) conversationId.value = m.conversationId;
        merge([fromServer(m)]);
      },
      (err: unknown) => {
        const refusal = err instanceof ParleyClientError ? err.refusal : undefined;
        if (refusal) {
          // Nothing was stored: the text goes back to the composer, with the reason.
          items.value = items.value.filter((i) => i.key !== key);
          refused.value = {
            text,
            reason: refusal.reason,
            clause: `${refusal.clause.document}, ${refusal.clause.ref}`,
          };
          return;
        }
        const reason = err instanceof ParleyClientError ? err.message : String(err);
        merge([{ ...items.value.find((i) => i.key === key)!, state: 'failed', error: reason }]);
      },
    );
  }

  function retry(key: string): void {
    const item = items.value.find((i) => i.key === key);
    if (!item || item.state !== 'failed') return;
    items.value = items.value.filter((i) => i.key !== key);
    send(item.text, item.attachments);
  }

  const offs = [
    client.on('message', (m) => {
      if (m.conversationId !== client.resolveConversationId(conversationId.value)) return;
      if (isPending()) conversationId.value = m.conversationId;
      merge([fromServer(m)]);
      if (m.author.type === 'agent') typingName.value = null;
    }),
    client.on('read', (e) => {
      if (e.conversationId === conversationId.value && e.party === 'agent') agentLastReadSeq.value = e.seq;
    }),
    client.on('typing', (e) => {
      if (e.conversationId !== conversationId.value || e.author.type !== 'agent') return;
      clearTimeout(typingTimer);
      typingName.value = e.typing ? (e.author.name ?? '') : null;
      // A lost "stopped typing" must not leave the indicator on forever.
      if (e.typing) {
        typingTimer = setTimeout(() => {
          typingName.value = null;
        }, TYPING_TIMEOUT_MS);
      }
    }),
  ];

  /** The visitor's last stored message, if the agent has read it: where "Seen" goes. */
  const seenKey = computed(() => {
    const mine = items.value.filter((i) => i.mine && i.message);
    const last = mine[mine.length - 1];
    return last?.message && last.message.seq <= agentLastReadSeq.value ? last.key : null;
  });

  return {
    /** Stable for the life of this thread, even when a new conversation gets its server id. */
    key: initialId,
    conversationId,
    items,
    hasMore,
    loading,
    agentLastReadSeq,
    typingName,
    refused,
    seenKey,
    isPending,
    load,
    loadOlder,
    send,
    retry,
    /** Marks read up to `seq`, or the newest message shown. */
    markRead: async (seq?: number) => {
      const upTo = seq ?? items.value.filter((i) => i.message).pop()?.message?.seq;
      if (!isPending() && upTo) await client.markRead(conversationId.value, upTo).catch(() => undefined);
    },
    setTyping: (typing: boolean) => {
      if (!isPending()) client.setTyping(conversationId.value, typing);
    },
    dispose: () => {
      clearTimeout(typingTimer);
      for (const off of offs) off();
    },
  };
}

export type ThreadModel = ReturnType<typeof createThreadModel>;
