import type { AgentClient, AgentClientEvents, ClientEvents, ParleyClient } from '@parley/sdk';

type Source = ParleyClient | AgentClient;
type EventsOf<S> = S extends ParleyClient ? ClientEvents : S extends AgentClient ? AgentClientEvents : never;
type Untyped = { on(event: string, listener: (value: unknown) => void): () => void };

/** Waits for the first event that matches, or fails after `timeoutMs` naming what it waited for. */
export function nextEvent<S extends Source, K extends keyof EventsOf<S> & string>(
  source: S,
  event: K,
  match: (value: EventsOf<S>[K]) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<EventsOf<S>[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for "${String(event)}"`));
    }, timeoutMs);
    const off = (source as unknown as Untyped).on(event, (value) => {
      if (!match(value as EventsOf<S>[K])) return;
      clearTimeout(timer);
      off();
      resolve(value as EventsOf<S>[K]);
    });
  });
}

/** Collects every value an event delivers from now on. */
export function collect<S extends Source, K extends keyof EventsOf<S> & string>(source: S, event: K): EventsOf<S>[K][] {
  const values: EventsOf<S>[K][] = [];
  (source as unknown as Untyped).on(event, (v) => values.push(v as EventsOf<S>[K]));
  return values;
}

/** Retries an assertion until it passes or the time is up: for state that settles asynchronously. */
export async function eventually(assertion: () => void | Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
