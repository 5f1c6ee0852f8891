import type { ErrorCode, WireError } from './protocol/index.js';

/** A failed request: `code` is one of the protocol's stable error codes, or `timeout`. */
export class ParleyClientError extends Error {
  readonly code: ErrorCode | 'timeout' | 'closed';
  readonly fields: Record<string, string> | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(error: WireError | { code: 'timeout' | 'closed'; message: string }) {
    super(error.message);
    this.name = 'ParleyClientError';
    this.code = error.code;
    this.fields = 'fields' in error ? error.fields : undefined;
    this.retryAfterMs = 'retryAfterMs' in error ? error.retryAfterMs : undefined;
  }
}
