import type { Message, MessagePage } from './protocol/index.js';

/**
 * Turns live `message:new` events, acks and catch-up pages into one ordered stream per
 * conversation: each message is delivered once, in `seq` order. A gap (a live message whose
 * `seq` is past the next expected one) is filled from the server before it is delivered.
 * Work for one conversation runs in a chain, so a catch-up and a live event never interleave.
 */
export class MessageStream {
  private readonly cursors = new Map<string, number>();
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    private readonly fetchAfter: (conversationId: string, afterSeq: number) => Promise<MessagePage>,
    private readonly deliver: (message: Message) => void,
    private readonly onError: (err: unknown) => void,
  ) {}

  cursor(conversationId: string): number | undefined {
    return this.cursors.get(conversationId);
  }

  /** Starts following a conversation from `seq` without replaying what came before. */
  follow(conversationId: string, seq: number): void {
    if ((this.cursors.get(conversationId) ?? -1) < seq) this.cursors.set(conversationId, seq);
  }

  known(): string[] {
    return [...this.cursors.keys()];
  }

  reset(): void {
    this.cursors.clear();
    this.chains.clear();
  }

  /** A message from the server (live or an ack). */
  push(message: Message): Promise<void> {
    return this.enqueue(message.conversationId, async () => {
      const cursor = this.cursors.get(message.conversationId) ?? 0;
      if (message.seq <= cursor) return;
      if (message.seq > cursor + 1) await this.fill(message.conversationId);
      this.accept(message);
    });
  }

  /** Fetches everything after the cursor (after a reconnect, or to fill a gap). */
  catchUp(conversationId: string): Promise<void> {
    return this.enqueue(conversationId, () => this.fill(conversationId));
  }

  private accept(message: Message): void {
    const cursor = this.cursors.get(message.conversationId) ?? 0;
    if (message.seq <= cursor) return;
    this.cursors.set(message.conversationId, message.seq);
    this.deliver(message);
  }

  private async fill(conversationId: string): Promise<void> {
    for (;;) {
      const page = await this.fetchAfter(conversationId, this.cursors.get(conversationId) ?? 0);
      for (const m of page.messages) this.accept(m);
      if (!page.hasMore || page.messages.length === 0) return;
    }
  }

  private enqueue(conversationId: string, work: () => Promise<void>): Promise<void> {
    const previous = this.chains.get(conversationId) ?? Promise.resolve();
    const next = previous.then(work).catch(this.onError);
    this.chains.set(conversationId, next);
    return next;
  }
}
