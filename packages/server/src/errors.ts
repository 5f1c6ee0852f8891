import type { ErrorCode, WireError } from '@parley/sdk/protocol';

/** An error the client may see: a stable code and a message that says what to do. */
export class ParleyError extends Error {
  readonly code: ErrorCode;
  readonly fields: Record<string, string> | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    extra: { fields?: Record<string, string>; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = 'ParleyError';
    this.code = code;
    this.fields = extra.fields;
    this.retryAfterMs = extra.retryAfterMs;
  }
}

const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_payload: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
};

export function httpStatusOf(code: ErrorCode): number {
  return HTTP_STATUS[code];
}

interface ErrorLogger {
  error(obj: object, msg: string): void;
}

/**
 * The one mapper from anything thrown to the wire. Known errors keep their code; anything
 * else becomes `internal`, logged here with its detail and never shown to the client.
 */
export function toWireError(err: unknown, log: ErrorLogger): WireError {
  if (err instanceof ParleyError) {
    const wire: WireError = { code: err.code, message: err.message };
    if (err.fields) wire.fields = err.fields;
    if (err.retryAfterMs !== undefined) wire.retryAfterMs = err.retryAfterMs;
    return wire;
  }
  log.error({ err }, 'unexpected error');
  return { code: 'internal', message: 'Something went wrong on our side; try again.' };
}
