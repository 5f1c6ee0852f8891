import type { AgentConversation, Conversation } from '@parley/sdk/protocol';
import type { ConversationState, StoredConversation } from './store/index.js';

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
  };
}

/** What agents see: the agents' unread count and who the visitor is. */
export function agentView(c: StoredConversation): AgentConversation {
  return { ...visitorView(c), unread: c.agentUnread, visitor: c.visitor };
}
