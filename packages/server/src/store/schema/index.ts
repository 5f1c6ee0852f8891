/**
 * Table shapes as Kysely sees them, one module per table. Both stores hold the same columns
 * with portable types: text ids, ISO-8601 UTC timestamps as text (they sort chronologically),
 * integers for counters and 0/1 flags, JSON as text.
 */
import type { AgentSessionsTable } from './agent-sessions.js';
import type { AgentTokensTable } from './agent-tokens.js';
import type { AgentsTable } from './agents.js';
import type { ApiKeysTable } from './api-keys.js';
import type { AppsTable } from './apps.js';
import type { AttachmentsTable } from './attachments.js';
import type { AuditLogTable } from './audit-log.js';
import type { ContactKeysTable } from './contact-keys.js';
import type { ConversationsTable } from './conversations.js';
import type { IdempotencyKeysTable } from './idempotency-keys.js';
import type { IncidentsTable } from './incidents.js';
import type { MessagesTable } from './messages.js';
import type { NotesTable } from './notes.js';
import type { ScreeningPoliciesTable } from './screening-policies.js';
import type { ScreeningVerdictsTable } from './screening-verdicts.js';
import type { VisitorsTable } from './visitors.js';
import type { WebhookDeliveriesTable } from './webhook-deliveries.js';
import type { WebhookEndpointsTable } from './webhook-endpoints.js';
import type { WebhookEventsTable } from './webhook-events.js';

export type {
  AgentSessionsTable,
  AuditLogTable,
  AgentTokensTable,
  ApiKeysTable,
  AgentsTable,
  AppsTable,
  AttachmentsTable,
  ContactKeysTable,
  ConversationsTable,
  IdempotencyKeysTable,
  IncidentsTable,
  MessagesTable,
  NotesTable,
  ScreeningPoliciesTable,
  ScreeningVerdictsTable,
  VisitorsTable,
  WebhookDeliveriesTable,
  WebhookEndpointsTable,
  WebhookEventsTable,
};

export interface Database {
  apps: AppsTable;
  audit_log: AuditLogTable;
  contact_keys: ContactKeysTable;
  agents: AgentsTable;
  agent_tokens: AgentTokensTable;
  agent_sessions: AgentSessionsTable;
  api_keys: ApiKeysTable;
  visitors: VisitorsTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  notes: NotesTable;
  attachments: AttachmentsTable;
  incidents: IncidentsTable;
  screening_policies: ScreeningPoliciesTable;
  screening_verdicts: ScreeningVerdictsTable;
  idempotency_keys: IdempotencyKeysTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_events: WebhookEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
}
