/**
 * Table shapes as Kysely sees them. Both stores hold the same columns with portable types:
 * text ids, ISO-8601 UTC timestamps as text (they sort chronologically), integers for counters
 * and 0/1 flags, JSON as text.
 */
export interface AppsTable {
  id: string;
  name: string;
  allowed_origins: string;
  identity_verification: number;
  /** AES-256-GCM ciphertext of the identity-verification secret. */
  identity_secret_enc: string;
  settings: string;
  created_at: string;
}

export interface AgentsTable {
  id: string;
  app_id: string;
  email: string;
  name: string;
  role: 'admin' | 'agent';
  password_hash: string;
  created_at: string;
}

export interface AgentTokensTable {
  /** SHA-256 of the token: the token itself is shown once and never stored. */
  token_hash: string;
  agent_id: string;
  created_at: string;
}

export interface VisitorsTable {
  id: string;
  app_id: string;
  /** A proven host user id (userHash or userJwt): unique per app. */
  user_id: string | null;
  /** A user id the page declared without proof (identity verification off): a label only. */
  declared_user_id: string | null;
  email: string | null;
  name: string | null;
  /** JSON object of host-supplied attributes. */
  attributes: string;
  created_at: string;
  last_seen_at: string;
}

export interface ConversationsTable {
  id: string;
  app_id: string;
  visitor_id: string;
  status: 'open' | 'closed';
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
}

export interface MessagesTable {
  id: string;
  app_id: string;
  conversation_id: string;
  seq: number;
  author_type: 'visitor' | 'agent';
  author_id: string;
  author_name: string | null;
  client_id: string | null;
  text: string;
  /** JSON array of the message's attachments (wire shape). */
  attachments: string;
  created_at: string;
  /** JSON MessageScreening when screening redacted or flagged it; null otherwise. */
  screening: string | null;
}

export interface AttachmentsTable {
  id: string;
  app_id: string;
  uploader_type: 'visitor' | 'agent';
  uploader_id: string;
  /** Null until a message carries it. */
  message_id: string | null;
  name: string;
  content_type: string;
  size: number;
  data: Buffer;
  created_at: string;
}

export interface IncidentsTable {
  id: string;
  app_id: string;
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
}

/** An app's own screening policy (the default applies when it has none). */
export interface ScreeningPoliciesTable {
  app_id: string;
  /** The policy document, as JSON. */
  document: string;
  updated_at: string;
}

/** What screening decided, without the content: for audit. */
export interface ScreeningVerdictsTable {
  id: string;
  app_id: string;
  /** `message`, `incident`, `attachment`, `name` or `rate`. */
  surface: string;
  sender_type: 'visitor' | 'agent';
  sender_id: string;
  action: 'redact' | 'flag' | 'block';
  /** JSON arrays of the categories and rule ids that applied. */
  categories: string;
  rules: string;
  /** SHA-256 of the screened content, hex: lets an auditor match a copy without storing it. */
  content_hash: string;
  created_at: string;
}

export interface Database {
  apps: AppsTable;
  agents: AgentsTable;
  agent_tokens: AgentTokensTable;
  visitors: VisitorsTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  attachments: AttachmentsTable;
  incidents: IncidentsTable;
  screening_policies: ScreeningPoliciesTable;
  screening_verdicts: ScreeningVerdictsTable;
}
