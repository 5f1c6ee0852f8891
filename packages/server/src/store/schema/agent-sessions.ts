/** A signed-in agent (POST /v1/agents/login): sliding idle expiry, absolute end, revocable. */
export interface AgentSessionsTable {
  id: string;
  /** SHA-256 of the session token. */
  token_hash: string;
  agent_id: string;
  created_at: string;
  last_used_at: string;
  /** The absolute end, however active the session is. */
  expires_at: string;
  revoked_at: string | null;
}
