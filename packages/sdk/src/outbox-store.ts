import { indexedDbOutbox } from './indexeddb-outbox.js';

/** A message waiting for its acknowledgement. Its clientId makes every resend idempotent. */
export interface OutboxEntry {
  clientId: string;
  /** A real conversation id, a `pending_…` id from `client.newConversationId()`, or none. */
  conversationId?: string;
  text: string;
  /** Files uploaded with `client.upload()` that go with this message. */
  attachmentIds?: string[];
  createdAt: string;
  /** Send order: increasing across reloads (milliseconds, bumped to stay unique). */
  order: number;
}

/** Where unsent messages wait. Memory by default; IndexedDB in browsers survives a reload. */
export interface OutboxStore {
  load(): Promise<OutboxEntry[]>;
  put(entry: OutboxEntry): Promise<void>;
  delete(clientId: string): Promise<void>;
  clear(): Promise<void>;
}

export function memoryOutbox(): OutboxStore {
  const entries = new Map<string, OutboxEntry>();
  return {
    load: async () => [...entries.values()].sort((a, b) => a.order - b.order),
    put: async (entry) => void entries.set(entry.clientId, entry),
    delete: async (clientId) => void entries.delete(clientId),
    clear: async () => entries.clear(),
  };
}

/** IndexedDB when the browser has it, memory otherwise (Node, or a locked-down frame). */
export function defaultOutbox(namespace: string): OutboxStore {
  return typeof globalThis.indexedDB === 'undefined' ? memoryOutbox() : indexedDbOutbox(namespace);
}
