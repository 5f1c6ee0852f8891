/** The answer to a POST sent with an Idempotency-Key, kept for a day. */
export interface IdempotencyKeysTable {
  /** Who sent it (a key, a session's agent): keys are theirs alone. */
  principal: string;
  key: string;
  /** SHA-256 of method, path and body: the same key with another request is refused. */
  request_hash: string;
  /** Null while the first request is still running. */
  status_code: number | null;
  response: string | null;
  created_at: string;
  /** The contact and conversation ids the answer quotes, in the clear (the answer is sealed). */
  mentions: string | null;
}
