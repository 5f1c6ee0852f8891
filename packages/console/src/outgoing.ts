import { ParleyClientError } from '@parley/sdk';
import { type Message, RETRYABLE_CODES } from '@parley/sdk/protocol';
import { signal } from '@preact/signals';
import { ApiError } from './session.js';

/** A reply on its way: kept (in this browser) until the server has stored it. */
export interface Outgoing {
  /** Sent with the reply: the server stores it once however often it arrives. */
  clientId: string;
  conversationId: string;
  text: string;
  attachmentIds: string[];
  /** queued: waits for the connection; failed: refused, kept with the reason until retried or discarded. */
  state: 'queued' | 'sending' | 'failed';
  error: string | null;
  createdAt: string;
}

/** Whether a failure may pass by itself: no network, a timeout, the server busy or restarting. */
export function isTransient(err: unknown): boolean {
  if (err instanceof ParleyClientError) {
    return err.code === 'timeout' || (RETRYABLE_CODES as readonly string[]).includes(err.code);
  }
  if (err instanceof ApiError) return err.status >= 500 || err.status === 429;
  // fetch's network failure, or an aborted request.
  return err instanceof TypeError || (err as Error)?.name === 'AbortError';
}

export interface OutgoingOptions {
  /** Sends one reply (with its clientId); resolves with the stored message. */
  deliver(item: Outgoing): Promise<Message>;
  sent(message: Message): void;
  /** Whether the connection is up: while it is down, replies wait. */
  online(): boolean;
  /** Where the queue survives a reload (localStorage key); null keeps it in memory only. */
  storageKey: string | null;
}

/**
 * The replies an agent sent that the server has not stored yet, in order. A reply written
 * while offline waits here ("Will send when you're back online") and goes once the connection
 * is back; a reload keeps it; its clientId makes every resend land once.
 */
export class OutgoingQueue {
  readonly items = signal<readonly Outgoing[]>([]);
  private running = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private backoffMs = 1000;

  constructor(private readonly options: OutgoingOptions) {
    this.items.value = this.restore();
  }

  add(conversationId: string, text: string, attachmentIds: string[]): void {
    const item: Outgoing = {
      clientId: `con_${crypto.randomUUID()}`,
      conversationId,
      text,
      attachmentIds,
      state: 'queued',
      error: null,
      createdAt: new Date().toISOString(),
    };
    this.set([...this.items.value, item]);
    void this.flush();
  }

  retry(clientId: string): void {
    this.change(clientId, { state: 'queued', error: null });
    void this.flush();
  }

  discard(clientId: string): void {
    this.set(this.items.value.filter((i) => i.clientId !== clientId));
  }

  of(conversationId: string): Outgoing[] {
    return this.items.value.filter((i) => i.conversationId === conversationId);
  }

  /** Sends what waits, one at a time in order, while the connection is up. */
  async flush(): Promise<void> {
    if (this.running) return;
    this.running = true;
    clearTimeout(this.retryTimer);
    try {
      for (;;) {
        const next = this.items.value.find((i) => i.state === 'queued');
        if (!next || !this.options.online()) return;
        this.change(next.clientId, { state: 'sending' });
        try {
          const message = await this.options.deliver(next);
          this.discard(next.clientId);
          this.backoffMs = 1000;
          this.options.sent(message);
        } catch (err) {
          if (isTransient(err)) {
            this.change(next.clientId, { state: 'queued', error: null });
            // The connection may look up while the server is not: try again, later and later.
            this.retryTimer = setTimeout(() => void this.flush(), this.backoffMs);
            this.backoffMs = Math.min(30_000, this.backoffMs * 2);
            return;
          }
          this.change(next.clientId, { state: 'failed', error: (err as Error).message });
        }
      }
    } finally {
      this.running = false;
    }
  }

  close(): void {
    clearTimeout(this.retryTimer);
  }

  private change(clientId: string, change: Partial<Outgoing>): void {
    this.set(this.items.value.map((i) => (i.clientId === clientId ? { ...i, ...change } : i)));
  }

  private set(items: readonly Outgoing[]): void {
    this.items.value = items;
    const key = this.options.storageKey;
    if (!key) return;
    try {
      if (items.length === 0) localStorage.removeItem(key);
      else localStorage.setItem(key, JSON.stringify(items));
    } catch {
      // Storage full or refused: the queue still lives in this page.
    }
  }

  private restore(): Outgoing[] {
    const key = this.options.storageKey;
    if (!key) return [];
    try {
      const items = JSON.parse(localStorage.getItem(key) ?? '[]') as Outgoing[];
      // One that was on its way when the page went is sent again: its clientId keeps it single.
      return Array.isArray(items)
        ? items.map((i) => (i.state === 'sending' ? { ...i, state: 'queued' as const } : i))
        : [];
    } catch {
      return [];
    }
  }
}
