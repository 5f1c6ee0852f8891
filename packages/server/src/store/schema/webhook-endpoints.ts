/** Where an app wants its events delivered, signed with a secret of its own. */
export interface WebhookEndpointsTable {
  id: string;
  app_id: string;
  url: string;
  description: string;
  /** JSON array of event types, or ["*"] for every one. */
  events: string;
  /** The signing secret (`whsec_…`), sealed with PARLEY_SECRET. */
  secret_enc: string;
  enabled: number;
  /** Why it was disabled (by an admin, or after failing for a day). */
  disabled_reason: string | null;
  /** Since when every delivery to it has failed; null while it answers. */
  failing_since: string | null;
  created_at: string;
  updated_at: string;
}
