import { useSignal } from '@preact/signals';
import type { JSX } from 'preact';
import { ApiError, changePassword, me, signIn, signOut } from '../session.js';

function Field({
  id,
  label,
  type,
  autocomplete,
  error,
  hint,
  autofocus,
}: {
  id: string;
  label: string;
  type: string;
  autocomplete: string;
  error?: string | undefined;
  hint?: string;
  autofocus?: boolean;
}) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <input
        id={id}
        name={id}
        type={type}
        autoComplete={autocomplete}
        required
        // biome-ignore lint/a11y/noAutofocus: a sign-in page has one task; the first field is where it starts
        autoFocus={autofocus}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described || undefined}
      />
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

function Card({ title, lead, children }: { title: string; lead: string; children: JSX.Element | JSX.Element[] }) {
  return (
    <main class="auth">
      <div class="auth-card">
        <p class="wordmark" aria-hidden="true">
          Parley
        </p>
        <h1>{title}</h1>
        <p class="lead">{lead}</p>
        {children}
      </div>
    </main>
  );
}

export function SignIn() {
  const error = useSignal<string | null>(null);
  const busy = useSignal(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    busy.value = true;
    error.value = null;
    try {
      await signIn(String(form.get('email')), String(form.get('password')));
    } catch (err) {
      error.value =
        err instanceof ApiError && err.code === 'unauthorized'
          ? 'That email and password do not match an agent. Check both and try again.'
          : (err as Error).message;
    } finally {
      busy.value = false;
    }
  };
  return (
    <Card title="Sign in" lead="Answer your team's conversations and incidents.">
      <form onSubmit={submit} noValidate={false}>
        {error.value ? (
          <p class="form-error" role="alert">
            {error.value}
          </p>
        ) : null}
        <Field id="email" label="Email" type="email" autocomplete="username" autofocus />
        <Field id="password" label="Password" type="password" autocomplete="current-password" />
        <button class="button primary wide" type="submit" disabled={busy.value}>
          {busy.value ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </Card>
  );
}

/** First sign-in with the one-time password: the agent chooses their own before anything else. */
export function ChangePassword() {
  const fields = useSignal<Record<string, string>>({});
  const error = useSignal<string | null>(null);
  const busy = useSignal(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const next = String(form.get('newPassword'));
    if (next !== String(form.get('confirmPassword'))) {
      fields.value = { confirmPassword: 'The two new passwords are not the same.' };
      return;
    }
    busy.value = true;
    error.value = null;
    fields.value = {};
    try {
      await changePassword(String(form.get('currentPassword')), next);
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fields).length > 0) {
        fields.value = Object.fromEntries(
          Object.entries(err.fields).map(([k, v]) => [k, `${v.charAt(0).toUpperCase()}${v.slice(1)}.`]),
        );
      } else error.value = (err as Error).message;
    } finally {
      busy.value = false;
    }
  };
  return (
    <Card
      title="Choose your password"
      lead={`Welcome, ${me.value?.agent.name ?? ''}. The password you were given works once: choose your own to continue.`}
    >
      <form onSubmit={submit}>
        {error.value ? (
          <p class="form-error" role="alert">
            {error.value}
          </p>
        ) : null}
        <Field
          id="currentPassword"
          label="One-time password"
          type="password"
          autocomplete="current-password"
          error={fields.value.currentPassword}
          autofocus
        />
        <Field
          id="newPassword"
          label="New password"
          type="password"
          autocomplete="new-password"
          hint="At least 12 characters. A few words you will remember work well."
          error={fields.value.newPassword}
        />
        <Field
          id="confirmPassword"
          label="New password, again"
          type="password"
          autocomplete="new-password"
          error={fields.value.confirmPassword}
        />
        <button class="button primary wide" type="submit" disabled={busy.value}>
          {busy.value ? 'Saving…' : 'Save and continue'}
        </button>
        <button class="button ghost wide" type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </form>
    </Card>
  );
}
