import type { Author, PartyType } from '@parley/sdk/protocol';
import type { ServerContext } from '../context.js';
import type { AppendResult, ConversationState, IncidentRecord, StoredConversation } from '../store/index.js';
import { agentView, incidentView } from '../views.js';
import { type AgentNamespace, agentsRoom, type VisitorNamespace, visitorRoom } from './rooms.js';

/**
 * Delivers what was stored to everyone who should see it. Rooms go through the Socket.IO
 * adapter, so with Redis the other nodes' sockets receive it too.
 */
export class Fanout {
  constructor(
    private readonly ctx: ServerContext,
    private readonly visitors: VisitorNamespace,
    private readonly agents: AgentNamespace,
  ) {}

  /**
   * A stored message goes to every tab of the visitor and every agent of the app, except the
   * socket that sent it: that one has it in its ack already.
   */
  async messageStored(result: AppendResult, senderSocketId?: string): Promise<void> {
    const { conversation, message, conversationCreated } = result;
    const visitors = this.visitors.to(visitorRoom(conversation.visitorId));
    const agents = this.agents.to(agentsRoom(conversation.appId));
    if (senderSocketId === undefined) {
      visitors.emit('message:new', message);
      agents.emit('message:new', message);
    } else {
      visitors.except(senderSocketId).emit('message:new', message);
      agents.except(senderSocketId).emit('message:new', message);
    }
    if (conversationCreated) {
      const full = await this.ctx.store.conversations.get(conversation.appId, conversation.id);
      if (full) this.agents.to(agentsRoom(conversation.appId)).emit('conversation:new', agentView(full));
    }
    if (message.author.type === 'agent') await this.unreadChanged(conversation);
    for (const id of result.respondedIncidentIds) {
      const incident = await this.ctx.store.incidents.get(conversation.appId, id);
      if (incident) this.incident('incident:updated', incident);
    }
  }

  /**
   * A resend of a message that was already stored. The node that stored it may have died
   * before announcing it, so it is announced again: receivers drop what they already have
   * (by id and `seq`), and a listener who stayed connected elsewhere sees it once. A first
   * message also re-announces its conversation.
   */
  async messageStoredAgain(result: AppendResult, senderSocketId?: string): Promise<void> {
    const { conversation, message } = result;
    const except = senderSocketId === undefined ? [] : [senderSocketId];
    this.visitors.to(visitorRoom(conversation.visitorId)).except(except).emit('message:new', message);
    this.agents.to(agentsRoom(conversation.appId)).except(except).emit('message:new', message);
    if (message.seq === 1 && message.author.type === 'visitor') {
      const full = await this.ctx.store.conversations.get(conversation.appId, conversation.id);
      if (full) this.agents.to(agentsRoom(conversation.appId)).emit('conversation:new', agentView(full));
    }
  }

  /** A new or changed incident goes to every agent of its app, with every field. */
  incident(event: 'incident:new' | 'incident:updated', incident: IncidentRecord): void {
    this.agents.to(agentsRoom(incident.appId)).emit(event, incidentView(incident, this.ctx.clock()));
  }

  async unreadChanged(conversation: ConversationState): Promise<void> {
    const total = await this.ctx.store.conversations.totalVisitorUnread(conversation.appId, conversation.visitorId);
    this.visitors.to(visitorRoom(conversation.visitorId)).emit('unread:updated', {
      conversationId: conversation.id,
      unread: conversation.visitorUnread,
      total,
    });
  }

  typing(conversation: StoredConversation, author: Author, typing: boolean): void {
    const event = { conversationId: conversation.id, author, typing };
    if (author.type === 'visitor') this.agents.to(agentsRoom(conversation.appId)).emit('typing', event);
    else this.visitors.to(visitorRoom(conversation.visitorId)).emit('typing', event);
  }

  async read(conversation: StoredConversation, party: PartyType): Promise<void> {
    const seq = party === 'visitor' ? conversation.visitorLastReadSeq : conversation.agentLastReadSeq;
    const event = { conversationId: conversation.id, party, seq };
    this.visitors.to(visitorRoom(conversation.visitorId)).emit('read:updated', event);
    this.agents.to(agentsRoom(conversation.appId)).emit('read:updated', event);
    if (party === 'visitor') await this.unreadChanged(conversation);
  }
}
