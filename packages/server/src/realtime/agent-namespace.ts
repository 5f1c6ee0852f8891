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
import { handlersFor, handshakeError, logDisconnects } from './handler.js';
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

/** The `/agent` namespace: the console and agent tools. An agent reaches only its own app. */
export function registerAgentNamespace(nsp: AgentNamespace, ctx: ServerContext, fanout: Fanout): void {
  nsp.use(async (socket, next) => {
    try {
      const { token } = parse(agentAuthSchema, socket.handshake.auth);
      const origin = socket.handshake.headers.origin;
      if (origin !== undefined && !isSameHost(origin, socket.handshake.headers.host)) {
        throw new ParleyError('forbidden', `origin ${origin} may not open an agent connection`);
      }
      socket.data = { agent: await authenticateAgent(ctx.store, token) };
      next();
    } catch (err) {
      ctx.metrics.inc('parley_handshakes_refused_total', 'Refused handshakes', { namespace: 'agent' });
      next(handshakeError(err, ctx, socket as unknown as Socket, 'agent'));
    }
  });

  nsp.on('connection', (socket: AgentSocket) => {
    const { agent } = socket.data;
    const appId = agent.appId;
    ctx.metrics.gauge('parley_sockets', 'Connected sockets', { namespace: 'agent' }, 1);
    socket.on('disconnect', () => ctx.metrics.gauge('parley_sockets', 'Connected sockets', { namespace: 'agent' }, -1));
    logDisconnects(ctx, socket as unknown as Socket, 'agent', { appId, agentId: agent.id });
    void socket.join(agentsRoom(appId));
    socket.emit('session', { agent });

    const bucket = new TokenBucket(ctx.limits.agentRate, () => ctx.clock().getTime());
    const on = handlersFor<AgentClientToServerEvents>(ctx, socket as unknown as Socket, bucket);

    const inApp = async (conversationId: string): Promise<StoredConversation> => {
      const conversation = await ctx.store.getConversation(appId, conversationId);
      if (!conversation) throw new ParleyError('not_found', `conversation ${conversationId} not found`);
      return conversation;
    };

    on('conversation:list', conversationListSchema, async (p) => {
      const list = await ctx.store.listAppConversations(appId, { ...p, limit: p.limit ?? LIMITS.conversationPageMax });
      return { conversations: list.map(agentView) };
    });

    on('conversation:get', conversationGetSchema, async (p) => ({
      conversation: agentView(await inApp(p.conversationId)),
    }));

    on('message:send', messageSendSchema, async (p) => {
      if (p.conversationId === undefined) {
        throw new ParleyError('invalid_payload', 'agents reply in a conversation: conversationId is required', {
          fields: { conversationId: 'required' },
        });
      }
      // Agents are screened too: a card number pasted into a reply is redacted.
      const screened = await ctx.screening.screen({
        appId,
        surface: 'message',
        sender: { type: 'agent', id: agent.id, name: agent.name },
        text: p.text,
      });
      const result = await ctx.store.appendMessage({
        appId,
        conversationId: p.conversationId,
        author: { type: 'agent', id: agent.id, name: agent.name },
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
      return { message: result.message, conversation: agentView(await inApp(p.conversationId)) };
    });

    on('message:history', historySchema, async (p) => {
      await inApp(p.conversationId);
      return ctx.store.messagesBefore(p.conversationId, p.beforeSeq, p.limit ?? LIMITS.pageDefault);
    });

    on('message:sync', syncSchema, async (p) => {
      await inApp(p.conversationId);
      return ctx.store.messagesAfter(p.conversationId, p.afterSeq, p.limit ?? LIMITS.pageDefault);
    });

    on('typing:set', typingSchema, async (p) => {
      fanout.typing(await inApp(p.conversationId), { type: 'agent', id: agent.id, name: agent.name }, p.typing);
      return {};
    });

    on('read:mark', readSchema, async (p) => {
      await inApp(p.conversationId);
      const conversation = await ctx.store.markRead(appId, p.conversationId, 'agent', p.seq);
      if (!conversation) throw new ParleyError('not_found', `conversation ${p.conversationId} not found`);
      await fanout.read(conversation, 'agent');
      return { conversation: agentView(conversation) };
    });
  });
}
