import type { AgentProfile } from '@parley/sdk/protocol';
import { signal } from '@preact/signals';

/** A refusal from the API, with its stable code and per-field reasons. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface Me {
  agent: AgentProfile;
  csrfToken: string;
  passwordChangeRequired: boolean;
}

/** Who is signed in: undefined while we ask, null when nobody is. */
export const me = signal<Me | null | undefined>(undefined);
/** The server's clock minus ours (ms), from the Date header: deadlines tick on the server's time. */
export const clockOffset = signal(0);

/** One call to the REST API with the session cookie (and the CSRF token when it changes something). */
export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const csrf = me.value?.csrfToken;
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(method !== 'GET' && csrf ? { 'x-csrf-token': csrf } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const date = Date.parse(response.headers.get('date') ?? '');
  if (!Number.isNaN(date)) clockOffset.value = date - Date.now();
  const text = await response.text();
  const answer = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!response.ok) {
    throw new ApiError(
      typeof answer.code === 'string' ? answer.code : 'internal',
      typeof answer.detail === 'string' ? answer.detail : `${method} ${path} failed (HTTP ${response.status})`,
      response.status,
      (answer.fields as Record<string, string> | undefined) ?? {},
    );
  }
  return answer as T;
}

/** Asks the server who the session cookie belongs to (null: nobody, or it ended). */
export async function loadMe(): Promise<void> {
  try {
    const answer = await call<{ agent?: AgentProfile; csrfToken?: string; passwordChangeRequired?: boolean }>(
      'GET',
      '/v1/me',
    );
    me.value =
      answer.agent && answer.csrfToken
        ? {
            agent: answer.agent,
            csrfToken: answer.csrfToken,
            passwordChangeRequired: answer.passwordChangeRequired === true,
          }
        : null;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) me.value = null;
    else throw err;
  }
}

export async function signIn(email: string, password: string): Promise<void> {
  const answer = await call<{ agent: AgentProfile; csrfToken: string; passwordChangeRequired: boolean }>(
    'POST',
    '/v1/agents/login',
    { email, password, session: 'cookie' },
  );
  me.value = answer;
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await call('POST', '/v1/me/password', { currentPassword, newPassword });
  if (me.value) me.value = { ...me.value, passwordChangeRequired: false };
}

export async function signOut(): Promise<void> {
  try {
    await call('POST', '/v1/agents/logout');
  } finally {
    me.value = null;
  }
}
