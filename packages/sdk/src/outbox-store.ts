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

const DB_NAME = 'parley';
const STORE = 'outbox';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/**
 * The outbox in IndexedDB, in Parley's own database, with keys `[namespace, clientId]` so
 * several apps (or visitors) on one origin never see each other's entries.
 */
export function indexedDbOutbox(namespace: string, idb: IDBFactory = globalThis.indexedDB): OutboxStore {
  let opened: Promise<IDBDatabase> | undefined;
  const db = () => {
    opened ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = idb.open(DB_NAME, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: ['ns', 'clientId'] });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    return opened;
  };
  const store = async (mode: IDBTransactionMode) => (await db()).transaction(STORE, mode).objectStore(STORE);
  const range = () => IDBKeyRange.bound([namespace, ''], [namespace, '\uffff']);
  return {
    async load() {
      const rows = (await request((await store('readonly')).getAll(range()))) as (OutboxEntry & { ns: string })[];
      return rows.map(({ ns: _ns, ...entry }) => entry).sort((a, b) => a.order - b.order);
    },
    async put(entry) {
      await request((await store('readwrite')).put({ ...entry, ns: namespace }));
    },
    async delete(clientId) {
      await request((await store('readwrite')).delete([namespace, clientId]));
    },
    async clear() {
      await request((await store('readwrite')).delete(range()));
    },
  };
}

/** IndexedDB when the browser has it, memory otherwise (Node, or a locked-down frame). */
export function defaultOutbox(namespace: string): OutboxStore {
  return typeof globalThis.indexedDB === 'undefined' ? memoryOutbox() : indexedDbOutbox(namespace);
}
