/** Waits for the first event that matches, or fails after `timeoutMs` naming what it waited for. */
export function nextEvent<T>(
  on: (listener: (value: T) => void) => () => void,
  match: (value: T) => boolean = () => true,
  timeoutMs = 10_000,
  what = 'event',
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const off = on((value) => {
      if (!match(value)) return;
      clearTimeout(timer);
      off();
      resolve(value);
    });
  });
}

/** Collects every value an event delivers from now on. */
export function collect<T>(on: (listener: (value: T) => void) => () => void): T[] {
  const values: T[] = [];
  on((v) => values.push(v));
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
