import type { Author, Message, PartyType } from '@parley/sdk/protocol';
import type { ServerContext } from '../context.js';
import type { StoredConversation } from '../store/index.js';
import { agentView } from '../views.js';
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

  async messageStored(conversation: StoredConversation, message: Message, conversationCreated: boolean): Promise<void> {
    // Every tab of the visitor, the sender's included: other tabs learn of it, the sender dedupes by seq.
    this.visitors.to(visitorRoom(conversation.visitorId)).emit('message:new', message);
    const agents = this.agents.to(agentsRoom(conversation.appId));
    if (conversationCreated) agents.emit('conversation:new', agentView(conversation));
    agents.emit('message:new', message);
    if (message.author.type === 'agent') await this.unreadChanged(conversation);
  }

  async unreadChanged(conversation: StoredConversation): Promise<void> {
    const total = await this.ctx.store.totalVisitorUnread(conversation.appId, conversation.visitorId);
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
