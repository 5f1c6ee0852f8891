/**
 * Table shapes as Kysely sees them, one module per table. Both stores hold the same columns
 * with portable types: text ids, ISO-8601 UTC timestamps as text (they sort chronologically),
 * integers for counters and 0/1 flags, JSON as text.
 */
import type { AgentTokensTable } from './agent-tokens.js';
import type { AgentsTable } from './agents.js';
import type { AppsTable } from './apps.js';
import type { AttachmentsTable } from './attachments.js';
import type { ConversationsTable } from './conversations.js';
import type { IncidentsTable } from './incidents.js';
import type { MessagesTable } from './messages.js';
import type { ScreeningPoliciesTable } from './screening-policies.js';
import type { ScreeningVerdictsTable } from './screening-verdicts.js';
import type { VisitorsTable } from './visitors.js';

export type {
  AgentTokensTable,
  AgentsTable,
  AppsTable,
  AttachmentsTable,
  ConversationsTable,
  IncidentsTable,
  MessagesTable,
  ScreeningPoliciesTable,
  ScreeningVerdictsTable,
  VisitorsTable,
};

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
