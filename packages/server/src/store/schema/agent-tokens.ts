export interface AgentTokensTable {
  /** SHA-256 of the token: the token itself is shown once and never stored. */
  token_hash: string;
  agent_id: string;
  created_at: string;
  last_used_at: string | null;
}
