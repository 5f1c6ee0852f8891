/**
 * What was done to an app's data and settings, by whom: exports, erasures, purges, policy,
 * role, API key and webhook changes. Ids and counts only, never personal data, so the trail
 * outlives the contacts it mentions.
 */
export interface AuditLogTable {
  id: string;
  app_id: string;
  /** `agent`, `bot` (an API key), or `system` (the purge, the CLI). */
  actor_type: 'agent' | 'bot' | 'system';
  /** The agent's or API key's id; the job's or command's name for `system`. */
  actor_id: string;
  /** e.g. `contact.erased`, `api_key.created`, `policy.changed`. */
  action: string;
  object_type: string;
  object_id: string;
  /** JSON: counts and settings names, never content. */
  detail: string;
  created_at: string;
}
