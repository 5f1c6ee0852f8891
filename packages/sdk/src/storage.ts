/** Where a client keeps its visitor token. Synchronous, like localStorage. */
export interface KeyValueStorage {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

export function memoryStorage(): KeyValueStorage {
  const map = new Map<string, string>();
  return {
    get: (key) => map.get(key) ?? null,
    set: (key, value) => void map.set(key, value),
    remove: (key) => void map.delete(key),
  };
}

/**
 * localStorage when the page allows it. Safari's private mode and sandboxed frames throw on
 * access; then the visitor lasts as long as the page, in memory.
 */
export function browserStorage(): KeyValueStorage {
  try {
    const ls = globalThis.localStorage;
    const probe = '__parley_probe__';
    ls.setItem(probe, '1');
    ls.removeItem(probe);
    return {
      get: (key) => ls.getItem(key),
      set: (key, value) => {
        try {
          ls.setItem(key, value);
        } catch {
          // Quota exceeded: the token lives on in this page only.
        }
      },
      remove: (key) => ls.removeItem(key),
    };
  } catch {
    return memoryStorage();
  }
}

/** All of Parley's keys start with this, so they never collide with the host page's. */
export const STORAGE_PREFIX = 'parley:';
