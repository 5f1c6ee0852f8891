export interface IncidentsTable {
  id: string;
  app_id: string;
  /** The app's running number for it ("#42"); see migration 0016. */
  number: number;
  conversation_id: string;
  visitor_id: string;
  area: string;
  details: string;
  users_affected: 'one' | 'several' | 'many';
  platform_state: 'down' | 'degraded' | 'working';
  workaround: number;
  started_at: string;
  /** JSON array of strings. */
  steps: string;
  error_message: string;
  /** JSON array of the report's attachments (wire shape). */
  attachments: string;
  /** JSON of the scrubbed ErrorContext; null when none was sent. */
  context: string | null;
  /** JSON of ClientInfo. */
  client: string;
  suggested_priority: 'P1' | 'P2' | 'P3';
  priority: 'P1' | 'P2' | 'P3';
  status: 'open' | 'resolved';
  created_at: string;
  response_due_at: string;
  first_response_at: string | null;
  assignee_id: string | null;
  /** When incident.breached was announced (by whichever node saw it first). */
  breach_announced_at: string | null;
}
