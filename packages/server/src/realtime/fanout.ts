import type { ServerContext } from '../context.js';
import type { DomainEvents } from '../events.js';
import type { ConversationState } from '../store/index.js';
import { agentView, incidentView, visitorView } from '../views.js';
import {
  type AgentNamespace,
  agentRoom,
  agentsRoom,
  sessionRoom,
  type VisitorNamespace,
  visitorRoom,
} from './rooms.js';

/**
 * Socket.IO's part of the domain events: who should see a change live gets it. Rooms go
 * through the adapter, so with Redis the other nodes' sockets receive it too. It only listens;
 * services never call it.
 */
export function subscribeFanout(
  ctx: ServerContext,
  visitors: VisitorNamespace,
  agents: AgentNamespace,
  /** Whether other nodes share the rooms (the Redis adapter): then every emit goes out. */
  clustered: boolean,
): void {
  const { events } = ctx;
  const toVisitor = (visitorId: string, except?: string) =>
    except === undefined ? visitors.to(visitorRoom(visitorId)) : visitors.to(visitorRoom(visitorId)).except(except);
  /**
   * On one node, whether a visitor has a socket other than `except`: usually they have one tab,
   * the one that sent, and an emit to nobody still encodes the packet (a third of the fan-out's
   * cost per message).
   */
  const visitorHasOthers = (visitorId: string, except: string | undefined) => {
    if (clustered) return true;
    const room = visitors.adapter.rooms.get(visitorRoom(visitorId));
    return room !== undefined && (except === undefined || room.size > (room.has(except) ? 1 : 0));
  };
  const toAgents = (appId: string, except?: string) =>
    except === undefined ? agents.to(agentsRoom(appId)) : agents.to(agentsRoom(appId)).except(except);

  const unreadChanged = async (conversation: ConversationState) => {
    const total = await ctx.store.conversations.totalVisitorUnread(conversation.appId, conversation.visitorId);
    toVisitor(conversation.visitorId).emit('unread:updated', {
      conversationId: conversation.id,
      unread: conversation.visitorUnread,
      total,
    });
  };

  // A stored message goes to every tab of the visitor and every agent of the app, except the
  // socket that sent it: that one has it in its acknowledgement already. That socket is in its
  // author's namespace only, so only that namespace's emit needs to leave it out.
  const message = ({ message, conversation, origin }: DomainEvents['message.created']) => {
    const byVisitor = message.author.type === 'visitor';
    const visitorOrigin = byVisitor ? origin : undefined;
    if (visitorHasOthers(conversation.visitorId, visitorOrigin)) {
      toVisitor(conversation.visitorId, visitorOrigin).emit('message:new', message);
    }
    toAgents(conversation.appId, byVisitor ? undefined : origin).emit('message:new', message);
  };
  // Not an async function: for a visitor's message (most of them) there is nothing to wait for.
  events.on('message.created', (event) => {
    message(event);
    return event.message.author.type === 'visitor' ? undefined : unreadChanged(event.conversation);
  });
  events.on('message.resent', async (event) => {
    message(event);
    // A first message may have died with its conversation's announcement too.
    if (event.message.seq === 1 && event.message.author.type === 'visitor') {
      const full = await ctx.store.conversations.get(event.appId, event.conversation.id);
      if (full) toAgents(event.appId).emit('conversation:new', agentView(full));
    }
  });

  events.on('conversation.created', ({ appId, conversation }) => {
    toAgents(appId).emit('conversation:new', agentView(conversation));
  });

  events.on('conversation.updated', ({ appId, conversation, changes }) => {
    toAgents(appId).emit('conversation:updated', agentView(conversation));
    // The visitor hears of what concerns them: the status (resolved, reopened).
    if (changes.includes('status') || changes.includes('attributes')) {
      toVisitor(conversation.visitorId).emit('conversation:updated', visitorView(conversation));
    }
  });

  events.on('conversation.typing', ({ appId, conversation, author, typing }) => {
    const event = { conversationId: conversation.id, author, typing };
    if (author.type === 'visitor') toAgents(appId).emit('typing', event);
    else toVisitor(conversation.visitorId).emit('typing', event);
  });

  events.on('conversation.read', async ({ appId, conversation, party }) => {
    const seq = party === 'visitor' ? conversation.visitorLastReadSeq : conversation.agentLastReadSeq;
    const event = { conversationId: conversation.id, party, seq };
    toVisitor(conversation.visitorId).emit('read:updated', event);
    toAgents(appId).emit('read:updated', event);
    if (party === 'visitor') await unreadChanged(conversation);
  });

  // An erased contact's open sockets close at once, on every node (the adapter carries it).
  events.on('contact.erased', ({ appId, contactId }) => {
    visitors.in(visitorRoom(contactId)).disconnectSockets(true);
    toAgents(appId).emit('contact:erased', { contactId });
  });

  events.on('agent.access_revoked', ({ agentId, sessionId }) => {
    agents.in(sessionId ? sessionRoom(sessionId) : agentRoom(agentId)).disconnectSockets(true);
  });

  events.on('note.created', ({ appId, note }) => {
    toAgents(appId).emit('note:new', note);
  });

  // Incidents go to every agent of their app with every field.
  events.on('incident.created', ({ appId, incident }) => {
    toAgents(appId).emit('incident:new', incidentView(incident, ctx.clock()));
  });
  const incidentChanged = ({ appId, incident }: DomainEvents['incident.updated' | 'incident.breached']) => {
    toAgents(appId).emit('incident:updated', incidentView(incident, ctx.clock()));
  };
  events.on('incident.updated', incidentChanged);
  events.on('incident.breached', incidentChanged);
}
