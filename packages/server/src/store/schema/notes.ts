/** Internal notes: agents' words about a conversation, never shown to its visitor. */
export interface NotesTable {
  id: string;
  app_id: string;
  conversation_id: string;
  author_type: 'agent' | 'bot';
  author_id: string;
  author_name: string | null;
  text: string;
  /** JSON MessageScreening when screening redacted or flagged it. */
  screening: string | null;
  created_at: string;
}
