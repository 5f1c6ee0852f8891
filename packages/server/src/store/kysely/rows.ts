import type { Attachment, Attributes, Message, MessageScreening } from '@parley/sdk/protocol';
import type { Selectable } from 'kysely';
import type { ConversationsTable, MessagesTable } from '../schema/index.js';
import type { ConversationState, StoredConversation } from '../types.js';
import type { Db } from './db.js';
import { JOINED_VISITOR_COLUMNS, type JoinedVisitor, joinedVisitor } from './visitors.js';

/** Where an attachment is served: its unguessable id is the capability. */
export function attachmentPath(id: string, name: string): string {
  return `/v1/attachments/${id}/${encodeURIComponent(name)}`;
}

/** A message row without its review columns (they belong to the review queue, not the wire). */
export type MessageRow = Omit<Selectable<MessagesTable>, 'review_state' | 'reviewed_by' | 'reviewed_at'>;

export function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: Number(row.seq),
    clientId: row.client_id,
    author: { type: row.author_type, id: row.author_id, name: row.author_name },
    text: row.text,
    attachments: JSON.parse(row.attachments) as Attachment[],
    createdAt: row.created_at,
    ...(row.screening ? { screening: JSON.parse(row.screening) as MessageScreening } : {}),
  };
}

export function toState(row: Selectable<ConversationsTable>, lastMessage: Message | null): ConversationState {
  return {
    id: row.id,
    appId: row.app_id,
    visitorId: row.visitor_id,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastSeq: Number(row.last_seq),
    visitorLastReadSeq: Number(row.visitor_last_read_seq),
    agentLastReadSeq: Number(row.agent_last_read_seq),
    visitorUnread: Number(row.visitor_unread),
    agentUnread: Number(row.agent_unread),
    lastMessage,
    attributes: JSON.parse(row.attributes) as Attributes,
    assigneeId: row.assignee_id,
    flagged: Number(row.flagged) === 1,
  };
}

/** A conversation row joined with its visitor (`v_*`) and its last message (`m_*`). */
export interface ConversationRow extends Selectable<ConversationsTable>, JoinedVisitor {
  m_id: string | null;
  m_seq: number | null;
  m_author_type: 'visitor' | 'agent' | null;
  m_author_id: string | null;
  m_author_name: string | null;
  m_client_id: string | null;
  m_text: string | null;
  m_attachments: string | null;
  m_created_at: string | null;
  m_screening: string | null;
  i_id: string | null;
  i_number: number | null;
  i_area: string | null;
  i_status: 'open' | 'resolved' | null;
  i_priority: 'P1' | 'P2' | 'P3' | null;
  i_created_at: string | null;
  i_response_due_at: string | null;
  i_first_response_at: string | null;
}

export function toConversation(row: ConversationRow): StoredConversation {
  const lastMessage =
    row.m_id === null
      ? null
      : toMessage({
          id: row.m_id,
          app_id: row.app_id,
          conversation_id: row.id,
          seq: Number(row.m_seq),
          author_type: row.m_author_type ?? 'visitor',
          author_id: row.m_author_id ?? '',
          author_name: row.m_author_name,
          client_id: row.m_client_id,
          text: row.m_text ?? '',
          attachments: row.m_attachments ?? '[]',
          created_at: row.m_created_at ?? '',
          screening: row.m_screening,
        });
  const open = row.i_status === 'open';
  return {
    ...toState(row, lastMessage),
    visitor: joinedVisitor(row),
    // The inbox's clock runs while the incident is open.
    priority: open ? row.i_priority : null,
    responseDueAt: open ? row.i_response_due_at : null,
    incident:
      row.i_id === null
        ? null
        : {
            id: row.i_id,
            number: Number(row.i_number),
            area: row.i_area ?? '',
            priority: row.i_priority ?? 'P3',
            status: row.i_status ?? 'open',
            createdAt: row.i_created_at ?? '',
            responseDueAt: row.i_response_due_at ?? '',
            firstResponseAt: row.i_first_response_at,
          },
  };
}

/** Conversations joined with their visitor, their last message and their incident (one at most). */
export function conversationSelect(db: Db) {
  return db
    .selectFrom('conversations as c')
    .innerJoin('visitors as v', 'v.id', 'c.visitor_id')
    .leftJoin('messages as m', (join) => join.onRef('m.conversation_id', '=', 'c.id').onRef('m.seq', '=', 'c.last_seq'))
    .leftJoin('incidents as i', 'i.conversation_id', 'c.id')
    .selectAll('c')
    .select([
      'i.id as i_id',
      'i.number as i_number',
      'i.area as i_area',
      'i.status as i_status',
      'i.priority as i_priority',
      'i.created_at as i_created_at',
      'i.response_due_at as i_response_due_at',
      'i.first_response_at as i_first_response_at',
      ...JOINED_VISITOR_COLUMNS,
      'm.id as m_id',
      'm.seq as m_seq',
      'm.author_type as m_author_type',
      'm.author_id as m_author_id',
      'm.author_name as m_author_name',
      'm.client_id as m_client_id',
      'm.text as m_text',
      'm.attachments as m_attachments',
      'm.created_at as m_created_at',
      'm.screening as m_screening',
    ]);
}

export async function conversationById(db: Db, appId: string, id: string): Promise<StoredConversation | undefined> {
  const row = await conversationSelect(db).where('c.app_id', '=', appId).where('c.id', '=', id).executeTakeFirst();
  return row && toConversation(row as ConversationRow);
}
