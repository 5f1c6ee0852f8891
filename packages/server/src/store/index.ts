export { openStore } from './open.js';
export { createPostgresStore, type PostgresOptions } from './postgres.js';
export { createSqliteStore } from './sqlite.js';
export type {
  AgentRecord,
  ApiKeyRecord,
  AppendResult,
  AppRecord,
  ClaimedDelivery,
  ContactFilter,
  ConversationFilter,
  ConversationQuery,
  ConversationState,
  DeliveryRecord,
  IncidentQuery,
  IncidentRecord,
  NewAttachment,
  NewIncident,
  NewMessage,
  NewNote,
  OutboxEvent,
  SessionRecord,
  Store,
  StoredConversation,
  TxStore,
  VerdictRecord,
  VisitorRecord,
  WebhookEndpointRecord,
} from './types.js';
