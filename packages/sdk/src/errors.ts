import type { ErrorCode, PolicyClause, ScreeningCategory, WireError } from './protocol/index.js';

/** A failed request: `code` is one of the protocol's stable error codes, or `timeout`. */
export class ParleyClientError extends Error {
  readonly code: ErrorCode | 'timeout' | 'closed';
  readonly fields: Record<string, string> | undefined;
  readonly retryAfterMs: number | undefined;
  /** For `policy_blocked`: the rule, its category and clause, and the reason in plain words. */
  readonly refusal: { rule: string; category: ScreeningCategory; clause: PolicyClause; reason: string } | undefined;

  constructor(error: WireError | { code: 'timeout' | 'closed'; message: string }) {
    super(error.message);
    this.name = 'ParleyClientError';
    this.code = error.code;
    this.fields = 'fields' in error ? error.fields : undefined;
    this.retryAfterMs = 'retryAfterMs' in error ? error.retryAfterMs : undefined;
    this.refusal =
      'rule' in error && error.rule && error.category && error.clause && error.reason
        ? { rule: error.rule, category: error.category, clause: error.clause, reason: error.reason }
        : undefined;
  }
}
