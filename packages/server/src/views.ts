import type { AgentConversation, Conversation, Incident, VisitorIncident } from '@parley/sdk/protocol';
import { isBreached } from './incidents/priority.js';
import type { ConversationState, IncidentRecord, StoredConversation } from './store/index.js';

/** What a visitor sees of a conversation: their own unread count, no profile echo. */
export function visitorView(c: ConversationState): Conversation {
  return {
    id: c.id,
    visitorId: c.visitorId,
    status: c.status,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    lastSeq: c.lastSeq,
    visitorLastReadSeq: c.visitorLastReadSeq,
    agentLastReadSeq: c.agentLastReadSeq,
    unread: c.visitorUnread,
    lastMessage: c.lastMessage,
    attributes: c.attributes,
    ...(c.incident !== undefined ? { incident: c.incident } : {}),
  };
}

/** What agents see: the agents' unread count, who the visitor is, assignment and clock. */
export function agentView(c: StoredConversation): AgentConversation {
  return {
    ...visitorView(c),
    unread: c.agentUnread,
    visitor: c.visitor,
    assigneeId: c.assigneeId,
    flagged: c.flagged,
    priority: c.priority,
    responseDueAt: c.responseDueAt,
  };
}

/** An incident as agents see it, its breach computed at `now`. */
export function incidentView(record: IncidentRecord, now: Date): Incident {
  const { appId: _app, ...incident } = record;
  const due = new Date(record.responseDueAt);
  const responded = record.firstResponseAt ? new Date(record.firstResponseAt) : null;
  return { ...incident, breached: isBreached(due, responded, now) };
}

/** What the reporter gets back: when to expect an answer, nothing they did not send. */
export function visitorIncidentView(record: IncidentRecord): VisitorIncident {
  return {
    id: record.id,
    number: record.number,
    conversationId: record.conversationId,
    area: record.area,
    priority: record.priority,
    createdAt: record.createdAt,
    responseDueAt: record.responseDueAt,
  };
}
