/**
 * A typed event emitter for host-facing callbacks. `on` returns its unsubscribe. A listener
 * that throws is reported to `onListenerError` (console.error by default) and never stops the
 * other listeners or the client: one bad host callback must not break the messenger.
 */
export type Listener<T> = (value: T) => void;

export class Emitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  constructor(
    private readonly onListenerError: (err: unknown, event: string) => void = (err, event) =>
      console.error(`[parley] a "${event}" listener threw:`, err),
  ) {}

  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as Listener<never>);
    return () => this.off(event, listener);
  }

  off<K extends keyof Events>(event: K, listener: Listener<Events[K]>): void {
    this.listeners.get(event)?.delete(listener as Listener<never>);
  }

  emit<K extends keyof Events>(event: K, value: Events[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as Listener<Events[K]>)(value);
      } catch (err) {
        this.onListenerError(err, String(event));
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
