/** Per-app keys for servers and bots: hashed, scoped, revocable. */
export interface ApiKeysTable {
  id: string;
  app_id: string;
  name: string;
  scope: 'read' | 'write';
  /** SHA-256 of the key. */
  token_hash: string;
  /** The admin agent who created it. */
  created_by: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}
