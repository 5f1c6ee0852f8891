import type { Generated } from 'kysely';

/** One event to one endpoint: its attempts, its state, and when it is next tried. */
export interface WebhookDeliveriesTable {
  /** Insertion order: within an endpoint and ordering key, deliveries go out in this order. */
  seq: Generated<number>;
  id: string;
  app_id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  /** The conversation the event belongs to (or the event id): its deliveries arrive in order. */
  ordering_key: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: string;
  /** A node working on it holds it until then (so no other node sends it meanwhile). */
  locked_until: string | null;
  last_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  last_duration_ms: number | null;
  delivered_at: string | null;
  created_at: string;
}
