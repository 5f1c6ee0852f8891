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
  unavailable: 503,
  internal: 500,
};

export function httpStatusOf(code: ErrorCode): number {
  return HTTP_STATUS[code];
}

interface ErrorLogger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

// PostgreSQL SQLSTATEs that mean "not now" rather than "wrong": connection exceptions (class
// 08), the server shutting down or starting (57P01–57P03), too many connections, and the
// serialization failures and deadlocks a retry resolves.
const TRANSIENT_SQLSTATES = /^(08...|57P0[123]|53300|40001|40P01)$/;
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);

/**
 * True for an error that says the database (or Redis) could not be reached or answered for a
 * moment: a terminated connection, a failover, a busy SQLite file. The request did not take
 * effect, and the same request may succeed when tried again.
 */
export function isTransientError(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  const code = typeof e.code === 'string' ? e.code : '';
  if (TRANSIENT_SQLSTATES.test(code) || TRANSIENT_NODE_CODES.has(code)) return true;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return true;
  const message = typeof e.message === 'string' ? e.message : '';
  // What pg says when the socket under a query closes, or a broken client is used again.
  return /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|The client is closed|Socket closed unexpectedly/i.test(
    message,
  );
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
  if (isTransientError(err)) {
    log.warn({ err }, 'store or Redis unavailable; answered unavailable');
    return {
      code: 'unavailable',
      message: 'The service is briefly unavailable; try again in a moment.',
      retryAfterMs: 1000,
    };
  }
  log.error({ err }, 'unexpected error');
  return { code: 'internal', message: 'Something went wrong on our side; try again.' };
}
