export { openStore } from './open.js';
export { createPostgresStore, type PostgresOptions } from './postgres.js';
export { createSqliteStore } from './sqlite.js';
export type {
  AgentRecord,
  AppendResult,
  AppRecord,
  ConversationQuery,
  ConversationState,
  IncidentQuery,
  IncidentRecord,
  NewAttachment,
  NewIncident,
  NewMessage,
  Store,
  StoredConversation,
  VerdictRecord,
  VisitorRecord,
} from './types.js';
