import type { ErrorCode, PolicyClause, ScreeningCategory, WireError } from '@parley/sdk/protocol';

/** What a policy_blocked error tells the sender: the rule, its clause, the reason. */
export interface PolicyRefusal {
  rule: string;
  category: ScreeningCategory;
  clause: PolicyClause;
  reason: string;
}

/** An error the client may see: a stable code and a message that says what to do. */
export class ParleyError extends Error {
  readonly code: ErrorCode;
  readonly fields: Record<string, string> | undefined;
  readonly retryAfterMs: number | undefined;
  readonly refusal: PolicyRefusal | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    extra: { fields?: Record<string, string>; retryAfterMs?: number; refusal?: PolicyRefusal } = {},
  ) {
    super(message);
    this.name = 'ParleyError';
    this.code = code;
    this.fields = extra.fields;
    this.retryAfterMs = extra.retryAfterMs;
    this.refusal = extra.refusal;
  }
}

const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_payload: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  policy_blocked: 422,
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
    if (err.refusal) Object.assign(wire, err.refusal);
    return wire;
  }
  log.error({ err }, 'unexpected error');
  return { code: 'internal', message: 'Something went wrong on our side; try again.' };
}
