import {
  type Attributes,
  type Author,
  type ConversationStatus,
  LIMITS,
  type Note,
  type PartyType,
} from '@parley/sdk/protocol';
import type { ServerContext } from '../context.js';
import { ParleyError } from '../errors.js';
import type { Actor, ConversationChange } from '../events.js';
import { newId } from '../ids.js';
import type { AppendResult, ReviewDecision, StoredConversation, TxStore } from '../store/index.js';
import { agentView, incidentView } from '../views.js';
import type { EventDraft } from '../webhooks/service.js';

export interface SendInput {
  appId: string;
  author: Author;
  /** For a visitor author: their own id (they may write only to their own conversations). */
  visitorId?: string;
  /** Omit (visitors only) to start a new conversation. */
  conversationId?: string | undefined;
  clientId: string;
  text: string;
  attachmentIds?: string[] | undefined;
  /** The socket it came from: it has the message in its acknowledgement already. */
  origin?: string;
}

export interface ConversationUpdate {
  status?: ConversationStatus;
  /** An agent of the app, or null to unassign. */
  assigneeId?: string | null;
  /** Merged; a null value removes the key. */
  attributes?: Attributes;
}

/** Merges an update into attributes; null removes a key. The result stays within the limits. */
export function mergeAttributes(current: Attributes, update: Attributes | undefined): Attributes {
  const next: Attributes = { ...current };
  for (const [key, value] of Object.entries(update ?? {})) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  if (Object.keys(next).length > LIMITS.attributesMaxKeys) {
    throw new ParleyError('payload_too_large', `at most ${LIMITS.attributesMaxKeys} attributes in all`, {
      fields: { attributes: 'too many keys' },
    });
  }
  return next;
}

/** The webhook events a sent message may write to the outbox. */
const SEND_EVENTS = ['message.created', 'message.flagged', 'conversation.created', 'incident.updated'] as const;

/**
 * Every change to a conversation, whichever transport asked for it (the visitor socket, the
 * agent socket, REST, the CLI): validate, screen, store in one transaction, then announce a
 * domain event. Transports only translate.
 */
export class ConversationService {
  constructor(private readonly ctx: ServerContext) {}

  /**
   * The conversation, if `visitorId` (when given) is its visitor: a visitor asking for
   * another's gets `not_found`, so other ids are not even confirmed.
   */
  async get(appId: string, conversationId: string, visitorId?: string): Promise<StoredConversation> {
    const conversation = await this.ctx.store.conversations.get(appId, conversationId);
    if (!conversation || (visitorId !== undefined && conversation.visitorId !== visitorId)) {
      throw new ParleyError('not_found', `conversation ${conversationId} not found`);
    }
    return conversation;
  }

  /**
   * Screen → store → announce. Blocked text never reaches the store (`policy_blocked`). A resend
   * of a stored clientId answers the stored message and announces it again.
   */
  async send(input: SendInput): Promise<AppendResult> {
    const { ctx } = this;
    if (input.author.type !== 'visitor' && input.conversationId === undefined) {
      throw new ParleyError('invalid_payload', 'agents reply in a conversation: conversationId is required', {
        fields: { conversationId: 'required' },
      });
    }
    // Every object below is written whole, in one shape, rather than with optional parts spread
    // in: this runs for every message, and a literal with a spread in it is built the slow way.
    const screened = await ctx.screening.screen({
      appId: input.appId,
      surface: 'message',
      sender: input.author,
      text: input.text,
      conversationKey: input.author.type === 'visitor' ? (input.conversationId ?? `new:${input.clientId}`) : undefined,
    });
    const outbox = await ctx.webhooks.writer(input.appId, SEND_EVENTS);
    const result = await ctx.store.messages.append({
      onStored: outbox
        ? async (tx, stored) => outbox(tx, await webhookEventsOfAppend(tx, stored, ctx.clock()))
        : undefined,
      appId: input.appId,
      conversationId: input.conversationId,
      visitorId: input.visitorId || undefined,
      author: input.author,
      clientId: input.clientId,
      text: screened.text,
      screening: screened.screening,
      attachmentIds: input.attachmentIds?.length ? input.attachmentIds : undefined,
      now: ctx.clock().toISOString(),
    });
    const event = {
      appId: input.appId,
      message: result.message,
      conversation: result.conversation,
      origin: input.origin,
    };
    if (!result.created) {
      ctx.events.emit('message.resent', event);
      return result;
    }
    ctx.events.emit('message.created', event);
    if (result.message.screening?.action === 'flag') ctx.events.emit('message.flagged', event);
    if (result.conversationCreated || result.respondedIncidentIds.length > 0) {
      // What the other events need beyond the append's answer is read after the ack is on its
      // way: a new conversation with its visitor, the incidents this reply answered first.
      void this.afterAppend(result).catch((err: unknown) => ctx.log.error({ err }, 'could not announce an append'));
    }
    return result;
  }

  private async afterAppend(result: AppendResult): Promise<void> {
    const { appId, id } = result.conversation;
    if (result.conversationCreated) {
      const conversation = await this.ctx.store.conversations.get(appId, id);
      if (conversation) this.ctx.events.emit('conversation.created', { appId, conversation });
    }
    for (const incidentId of result.respondedIncidentIds) {
      const incident = await this.ctx.store.incidents.get(appId, incidentId);
      if (incident) this.ctx.events.emit('incident.updated', { appId, incident, changes: ['first_response'] });
    }
  }

  /** Moves a party's read receipt forward and announces it (other tabs, the other party). */
  async markRead(
    appId: string,
    conversationId: string,
    party: PartyType,
    seq: number,
    visitorId?: string,
  ): Promise<StoredConversation> {
    await this.get(appId, conversationId, visitorId);
    const conversation = await this.ctx.webhooks.inTransaction(appId, ['conversation.read'], async (tx) => {
      const read = await tx.conversations.markRead(appId, conversationId, party, seq);
      if (!read) throw new ParleyError('not_found', `conversation ${conversationId} not found`);
      const at = party === 'visitor' ? read.visitorLastReadSeq : read.agentLastReadSeq;
      return {
        result: read,
        drafts: [{ type: 'conversation.read', orderingKey: conversationId, data: { conversationId, party, seq: at } }],
      };
    });
    this.ctx.events.emit('conversation.read', { appId, conversation, party });
    return conversation;
  }

  async setTyping(appId: string, conversationId: string, author: Author, typing: boolean, visitorId?: string) {
    const conversation = await this.get(appId, conversationId, visitorId);
    this.ctx.events.emit('conversation.typing', { appId, conversation, author, typing });
  }

  /** Changes status, assignee and/or attributes; everything is checked before anything changes. */
  async update(
    appId: string,
    conversationId: string,
    change: ConversationUpdate,
    actor: Actor,
    visitorId?: string,
  ): Promise<StoredConversation> {
    const { ctx } = this;
    const current = await this.get(appId, conversationId, visitorId);
    const changes: ConversationChange[] = [];
    if (change.assigneeId) {
      const agent = await ctx.store.agents.get(appId, change.assigneeId);
      if (!agent || agent.disabledAt) {
        throw new ParleyError('invalid_payload', `assigneeId: no active agent ${change.assigneeId} in this app`, {
          fields: { assigneeId: 'not an active agent of this app' },
        });
      }
    }
    const attributes = change.attributes ? mergeAttributes(current.attributes, change.attributes) : undefined;
    if (attributes) changes.push('attributes');
    if (change.status !== undefined && change.status !== current.status) changes.push('status');
    if (change.assigneeId !== undefined && change.assigneeId !== current.assigneeId) changes.push('assignee');
    const updated = await ctx.webhooks.inTransaction(appId, ['conversation.updated'], async (tx) => {
      if (attributes) await tx.conversations.setAttributes(appId, conversationId, attributes);
      const after =
        change.status !== undefined || change.assigneeId !== undefined
          ? await tx.conversations.update(appId, conversationId, {
              ...(change.status !== undefined ? { status: change.status } : {}),
              ...(change.assigneeId !== undefined ? { assigneeId: change.assigneeId } : {}),
              now: ctx.clock().toISOString(),
            })
          : await tx.conversations.get(appId, conversationId);
      if (!after) throw new ParleyError('not_found', `conversation ${conversationId} not found`);
      const drafts: EventDraft[] =
        changes.length > 0
          ? [
              {
                type: 'conversation.updated',
                orderingKey: conversationId,
                data: { conversation: agentView(after), changes, actor },
              },
            ]
          : [];
      return { result: after, drafts };
    });
    if (changes.length > 0) ctx.events.emit('conversation.updated', { appId, conversation: updated, changes, actor });
    return updated;
  }

  /**
   * An admin clears (a false alarm) or confirms a message screening flagged; it leaves the
   * review queue either way. When nothing else in the conversation waits, the conversation
   * loses its flagged mark and agents (and webhooks) hear of it.
   */
  async review(appId: string, messageId: string, decision: ReviewDecision, actor: Actor) {
    const { ctx } = this;
    type Outcome = { conversationId: string; stillFlagged: boolean; conversation?: StoredConversation };
    const outcome = await ctx.webhooks.inTransaction<Outcome>(appId, ['conversation.updated'], async (tx) => {
      const decided = await tx.reviews.decide(appId, messageId, decision, actor.id, ctx.clock().toISOString());
      if (decided.stillFlagged) return { result: decided, drafts: [] };
      const conversation = await tx.conversations.get(appId, decided.conversationId);
      if (!conversation) throw new ParleyError('not_found', `conversation ${decided.conversationId} not found`);
      const drafts: EventDraft[] = [
        {
          type: 'conversation.updated',
          orderingKey: conversation.id,
          data: { conversation: agentView(conversation), changes: ['flagged'], actor },
        },
      ];
      return { result: { ...decided, conversation }, drafts };
    });
    if (outcome.conversation) {
      ctx.events.emit('conversation.updated', {
        appId,
        conversation: outcome.conversation,
        changes: ['flagged'],
        actor,
      });
    }
    return { messageId, decision, conversationId: outcome.conversationId, conversationFlagged: outcome.stillFlagged };
  }

  /** An internal note: screened like a message, shown to agents only. */
  async addNote(appId: string, conversationId: string, author: Author, text: string): Promise<Note> {
    const { ctx } = this;
    const conversation = await this.get(appId, conversationId);
    const screened = await ctx.screening.screen({ appId, surface: 'message', sender: author, text });
    const note = await ctx.webhooks.inTransaction(appId, ['note.created'], async (tx) => {
      const stored = await tx.notes.create({
        id: newId('nte'),
        appId,
        conversationId,
        author,
        text: screened.text,
        ...(screened.screening ? { screening: screened.screening } : {}),
        now: ctx.clock().toISOString(),
      });
      return {
        result: stored,
        drafts: [{ type: 'note.created', orderingKey: conversationId, data: { note: stored } }],
      };
    });
    ctx.events.emit('note.created', { appId, note, conversation });
    return note;
  }
}

/**
 * The webhook events of a stored message, read inside its transaction: the message with its
 * conversation, the flag, a new conversation, and the incidents it answered first.
 */
async function webhookEventsOfAppend(tx: TxStore, result: AppendResult, now: Date): Promise<EventDraft[]> {
  const { message } = result;
  const { appId, id } = result.conversation;
  const conversation = await tx.conversations.get(appId, id);
  if (!conversation) return [];
  const view = agentView(conversation);
  const drafts: EventDraft[] = [];
  if (result.conversationCreated)
    drafts.push({ type: 'conversation.created', orderingKey: id, data: { conversation: view } });
  drafts.push({ type: 'message.created', orderingKey: id, data: { message, conversation: view } });
  if (message.screening?.action === 'flag') {
    drafts.push({ type: 'message.flagged', orderingKey: id, data: { message, conversationId: id } });
  }
  for (const incidentId of result.respondedIncidentIds) {
    const incident = await tx.incidents.get(appId, incidentId);
    if (incident) {
      drafts.push({
        type: 'incident.updated',
        orderingKey: id,
        data: { incident: incidentView(incident, now), changes: ['first_response'] },
      });
    }
  }
  return drafts;
}
