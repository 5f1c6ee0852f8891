export interface ConversationsTable {
  id: string;
  app_id: string;
  visitor_id: string;
  status: 'open' | 'pending' | 'resolved' | 'closed';
  created_at: string;
  updated_at: string;
  last_seq: number;
  visitor_last_read_seq: number;
  agent_last_read_seq: number;
  /** Agent messages after the visitor's read receipt, kept so no send has to count. */
  visitor_unread: number;
  /** Visitor messages after the agents' read receipt. */
  agent_unread: number;
  /** JSON object of host-supplied attributes. */
  attributes: string;
  /** The agent it is assigned to. */
  assignee_id: string | null;
  /** 1 once a message in it was flagged by screening. */
  flagged: number;
}
