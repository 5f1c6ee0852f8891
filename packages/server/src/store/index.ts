export { openStore } from './open.js';
export { createPostgresStore, type PostgresOptions } from './postgres.js';
export { createSqliteStore } from './sqlite.js';
export type {
  AgentRecord,
  ApiKeyRecord,
  AppendResult,
  AppRecord,
  ContactFilter,
  ConversationFilter,
  ConversationQuery,
  ConversationState,
  IncidentQuery,
  IncidentRecord,
  NewAttachment,
  NewIncident,
  NewMessage,
  NewNote,
  SessionRecord,
  Store,
  StoredConversation,
  VerdictRecord,
  VisitorRecord,
} from './types.js';
