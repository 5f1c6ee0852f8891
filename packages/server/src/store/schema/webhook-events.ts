/**
 * The outbox: one row per domain event an endpoint wants, written in the same transaction as
 * the change it describes, so a crash between the commit and the delivery loses nothing.
 */
export interface WebhookEventsTable {
  /** `evt_…`: the `webhook-id` every delivery of it carries (receivers de-duplicate on it). */
  id: string;
  app_id: string;
  type: string;
  /** The whole Standard Webhooks payload, as delivered. */
  payload: string;
  created_at: string;
}
