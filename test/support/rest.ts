export type Json = Record<string, unknown>;

/** What a REST call answered: the status, and the body parsed (`{}` when empty). */
export interface RestAnswer {
  status: number;
  body: Json;
}

/**
 * A REST caller for a test server started per test: JSON in, status and JSON out, as the app's
 * agent unless another token is given. `server` is read at each call (tests start a new one).
 */
export function restFor(server: () => { url: string; app: { agentToken: string } }) {
  return async (
    method: string,
    path: string,
    body?: unknown,
    token = server().app.agentToken,
    headers: Record<string, string> = {},
  ): Promise<RestAnswer> => {
    const response = await fetch(`${server().url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Json };
  };
}
