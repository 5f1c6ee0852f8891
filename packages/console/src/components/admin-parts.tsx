import { useSignal } from '@preact/signals';
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { ApiError, call } from '../session.js';

/** The pieces every admin page is made of. */

/** A secret shown once, with Copy. */
export function OnceSecret({ label, value }: { label: string; value: string }) {
  const copied = useSignal(false);
  return (
    <output class="once">
      <p>
        <strong>{label}</strong> — shown once; copy it now.
      </p>
      <code>{value}</code>
      <button
        type="button"
        class="button small"
        onClick={() => {
          void navigator.clipboard?.writeText(value).then(() => {
            copied.value = true;
          });
        }}
      >
        {copied.value ? 'Copied' : 'Copy'}
      </button>
    </output>
  );
}

export function Problem({ error }: { error: string | null }) {
  return error ? (
    <p class="form-error" role="alert">
      {error}
    </p>
  ) : null;
}

export function Section({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <section class="admin-section" aria-label={title}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

/**
 * A list an admin page shows and changes: loaded from `path`, reloaded after each change; a
 * failure is kept for the page to show beside the list.
 */
export function useAdminList<T>(path: string, pick: (answer: Record<string, unknown>) => T[]) {
  const items = useSignal<T[] | null>(null);
  const error = useSignal<string | null>(null);
  const load = () =>
    call<Record<string, unknown>>('GET', path).then(
      (answer) => {
        items.value = pick(answer);
      },
      (err: Error) => {
        error.value = err.message;
      },
    );
  useEffect(() => void load(), []);
  /** Runs a change, then reloads; a refusal shows as the page's error. */
  const change = async <A,>(request: () => Promise<A>): Promise<A | undefined> => {
    error.value = null;
    try {
      const answer = await request();
      await load();
      return answer;
    } catch (err) {
      error.value = (err as Error).message;
      return undefined;
    }
  };
  /** A form's submit: its fields to `send`, then the form is emptied if it worked. */
  const submit = (send: (data: FormData) => Promise<unknown>) => async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    if ((await change(() => send(new FormData(form)))) !== undefined) form.reset();
  };
  return { items, error, change, submit };
}

/** A time an admin reads in a table, or — for never. */
export const when = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—';

/** A refusal in a line: each field and its reason when the API named them, else the message. */
export const problemOf = (err: unknown): string =>
  err instanceof ApiError && Object.keys(err.fields).length > 0
    ? Object.entries(err.fields)
        .map(([k, v]) => `${k}: ${v}`)
        .join('; ')
    : (err as Error).message;
