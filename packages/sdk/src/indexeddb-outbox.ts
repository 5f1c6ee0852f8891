// The browser's outbox, apart from outbox-store.ts so that the DOM's IndexedDB types stay out
// of the declarations the Node entry loads.
import type { OutboxEntry, OutboxStore } from './outbox-store.js';

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
