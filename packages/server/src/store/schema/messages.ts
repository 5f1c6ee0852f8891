export interface MessagesTable {
  id: string;
  app_id: string;
  conversation_id: string;
  seq: number;
  author_type: 'visitor' | 'agent' | 'bot';
  author_id: string;
  author_name: string | null;
  client_id: string | null;
  text: string;
  /** JSON array of the message's attachments (wire shape). */
  attachments: string;
  created_at: string;
  /** JSON MessageScreening when screening redacted or flagged it; null otherwise. */
  screening: string | null;
  /** `pending` while a flagged message awaits an admin, then `cleared` or `confirmed`. */
  review_state: ReviewState | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
}

export type ReviewState = 'pending' | 'cleared' | 'confirmed';
