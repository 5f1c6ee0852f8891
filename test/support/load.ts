import { createClient, type Message, memoryStorage, type ParleyClient } from '@parley/sdk';

export interface ClosedLoop {
  clients: ParleyClient[];
  /** Every message a visitor got acknowledged, in the order the acks came. */
  acked: Message[];
  /** Sends started (each one is retried by the sdk until it is acknowledged). */
  sent(): number;
  /** Resolves once at least `n` messages were acknowledged in all. */
  waitForAcks(n: number): Promise<void>;
  /** Stops starting new sends and waits for every started one to be acknowledged. */
  stop(): Promise<void>;
  close(): void;
}

/**
 * Visitors that each send, wait for the acknowledgement, and send again ("closed loop"), into
 * one conversation of their own: `visitor <i> message <k>`. They use the sdk as a page would:
 * its outbox resends with the same clientId after a timeout or a retryable error, so a send
 * that started is acknowledged eventually or the test times out.
 */
export function closedLoopVisitors(options: {
  count: number;
  url: (i: number) => string;
  appId: string;
  /** The page's origin, as a browser sends it; omit for a client that is not a page. */
  origin?: string;
}): ClosedLoop {
  const acked: Message[] = [];
  let sent = 0;
  let running = true;
  const waiters: { n: number; resolve: () => void }[] = [];
  const onAck = (m: Message) => {
    acked.push(m);
    for (const w of waiters.splice(0)) {
      if (acked.length >= w.n) w.resolve();
      else waiters.push(w);
    }
  };
  const clients = Array.from({ length: options.count }, (_, i) =>
    createClient({
      url: options.url(i),
      appId: options.appId,
      ...(options.origin ? { origin: options.origin } : {}),
      storage: memoryStorage(),
      ackTimeoutMs: 3000,
      reconnectionDelayMs: 100,
      reconnectionDelayMaxMs: 500,
    }),
  );
  let failure: unknown;
  const loops = clients.map(async (client, i) => {
    let conversationId: string | undefined;
    try {
      for (let k = 0; running; k++) {
        sent++;
        const message = await client.send(`visitor ${i} message ${k}`, conversationId ? { conversationId } : {});
        conversationId = message.conversationId;
        onAck(message);
      }
    } catch (err) {
      // A send the sdk gave up on: stop() reports it (close() ends every loop this way).
      if (running) failure ??= err;
    }
  });
  return {
    clients,
    acked,
    sent: () => sent,
    waitForAcks(n) {
      if (acked.length >= n) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    async stop() {
      running = false;
      await Promise.all(loops);
      if (failure) throw failure;
    },
    close() {
      running = false;
      for (const c of clients) c.close();
    },
  };
}

export interface StoredRow {
  conversation_id: string;
  seq: number;
  author_id: string;
  client_id: string | null;
  text: string;
}

/** What the cluster tests report: every acknowledged message stored once, seq without gaps. */
export function audit(acked: Message[], stored: StoredRow[]) {
  const key = (authorId: string, clientId: string | null) => `${authorId}\u0000${clientId}`;
  const copies = new Map<string, number>();
  for (const row of stored)
    copies.set(key(row.author_id, row.client_id), (copies.get(key(row.author_id, row.client_id)) ?? 0) + 1);
  const lost = acked.filter((m) => !copies.has(key(m.author.id, m.clientId)));
  const duplicated = [...copies.values()].filter((n) => n > 1).length;
  const gaps: string[] = [];
  const byConversation = new Map<string, number[]>();
  for (const row of stored)
    byConversation.set(row.conversation_id, [...(byConversation.get(row.conversation_id) ?? []), Number(row.seq)]);
  for (const [id, seqs] of byConversation) {
    seqs.sort((a, b) => a - b);
    if (seqs.some((s, i) => s !== i + 1)) gaps.push(id);
  }
  return { acknowledged: acked.length, stored: stored.length, lost: lost.length, duplicated, gaps };
}
