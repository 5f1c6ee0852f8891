import { type AgentClientToServerEvents, LIMITS } from '@parley/sdk/protocol';
import type { Socket } from 'socket.io';
import { isSameHost } from '../auth/origins.js';
import type { ServerContext } from '../context.js';
import { ParleyError } from '../errors.js';
import { parse } from '../platform/validation.js';
import type { StoredConversation } from '../store/index.js';
import { authenticateAgent } from '../tenancy.js';
import { agentView } from '../views.js';
import type { Fanout } from './fanout.js';
import { eventTable, handshakeError, trackConnections } from './handler.js';
import { TokenBucket } from './rate-limit.js';
import { type AgentNamespace, type AgentSocket, agentsRoom } from './rooms.js';
import {
  agentAuthSchema,
  conversationGetSchema,
  conversationListSchema,
  historySchema,
  messageSendSchema,
  readSchema,
  syncSchema,
  typingSchema,
} from './schemas.js';

async function inApp(ctx: ServerContext, socket: AgentSocket, conversationId: string): Promise<StoredConversation> {
  const conversation = await ctx.store.conversations.get(socket.data.agent.appId, conversationId);
  if (!conversation) throw new ParleyError('not_found', `conversation ${conversationId} not found`);
  return conversation;
}

const author = (socket: AgentSocket) =>
  ({ type: 'agent', id: socket.data.agent.id, name: socket.data.agent.name }) as const;

/** The `/agent` namespace: the console and agent tools. An agent reaches only its own app. */
export function registerAgentNamespace(nsp: AgentNamespace, ctx: ServerContext, fanout: Fanout): void {
  const now = () => ctx.clock().getTime();
  nsp.use(async (socket, next) => {
    try {
      const { token } = parse(agentAuthSchema, socket.handshake.auth);
      const origin = socket.handshake.headers.origin;
      if (origin !== undefined && !isSameHost(origin, socket.handshake.headers.host)) {
        throw new ParleyError('forbidden', `origin ${origin} may not open an agent connection`);
      }
      socket.data = {
        agent: await authenticateAgent(ctx.store, token),
        bucket: new TokenBucket(ctx.limits.agentRate, now),
      };
      next();
    } catch (err) {
      ctx.metrics.inc('parley_handshakes_refused_total', 'Refused handshakes', { namespace: 'agent' });
      next(handshakeError(err, ctx, socket as unknown as Socket, 'agent'));
    }
  });

  const track = trackConnections(ctx, 'agent');
  const events = eventTable<AgentClientToServerEvents, AgentSocket>(ctx);

  events.on('conversation:list', conversationListSchema, async (socket, p) => {
    const list = await ctx.store.conversations.listForApp(socket.data.agent.appId, {
      ...p,
      limit: p.limit ?? LIMITS.conversationPageMax,
    });
    return { conversations: list.map(agentView) };
  });

  events.on('conversation:get', conversationGetSchema, async (socket, p) => ({
    conversation: agentView(await inApp(ctx, socket, p.conversationId)),
  }));

  events.on('message:send', messageSendSchema, async (socket, p) => {
    if (p.conversationId === undefined) {
      throw new ParleyError('invalid_payload', 'agents reply in a conversation: conversationId is required', {
        fields: { conversationId: 'required' },
      });
    }
    const appId = socket.data.agent.appId;
    // Agents are screened too: a card number pasted into a reply is redacted.
    const screened = await ctx.screening.screen({ appId, surface: 'message', sender: author(socket), text: p.text });
    const result = await ctx.store.messages.append({
      appId,
      conversationId: p.conversationId,
      author: author(socket),
      clientId: p.clientId,
      text: screened.text,
      ...(screened.screening ? { screening: screened.screening } : {}),
      ...(p.attachmentIds ? { attachmentIds: p.attachmentIds } : {}),
      now: ctx.clock().toISOString(),
    });
    if (result.created) {
      ctx.metrics.inc('parley_messages_stored_total', 'Messages stored', { author: 'agent' });
      fanout.messageStored(result, socket.id).catch((err) => ctx.log.error({ err }, 'fan-out failed'));
    } else {
      fanout.messageStoredAgain(result, socket.id).catch((err) => ctx.log.error({ err }, 'fan-out failed'));
    }
    return { message: result.message, conversation: agentView(await inApp(ctx, socket, p.conversationId)) };
  });

  events.on('message:history', historySchema, async (socket, p) => {
    await inApp(ctx, socket, p.conversationId);
    return ctx.store.messages.before(p.conversationId, p.beforeSeq, p.limit ?? LIMITS.pageDefault);
  });

  events.on('message:sync', syncSchema, async (socket, p) => {
    await inApp(ctx, socket, p.conversationId);
    return ctx.store.messages.after(p.conversationId, p.afterSeq, p.limit ?? LIMITS.pageDefault);
  });

  events.on('typing:set', typingSchema, async (socket, p) => {
    fanout.typing(await inApp(ctx, socket, p.conversationId), author(socket), p.typing);
    return {};
  });

  events.on('read:mark', readSchema, async (socket, p) => {
    await inApp(ctx, socket, p.conversationId);
    const conversation = await ctx.store.conversations.markRead(
      socket.data.agent.appId,
      p.conversationId,
      'agent',
      p.seq,
    );
    if (!conversation) throw new ParleyError('not_found', `conversation ${p.conversationId} not found`);
    await fanout.read(conversation, 'agent');
    return { conversation: agentView(conversation) };
  });

  nsp.on('connection', (socket: AgentSocket) => {
    track(socket as unknown as Socket);
    void socket.join(agentsRoom(socket.data.agent.appId));
    socket.emit('session', { agent: socket.data.agent });
    events.attach(socket as unknown as Socket);
  });
}
