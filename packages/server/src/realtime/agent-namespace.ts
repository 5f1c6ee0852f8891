import { type AgentClientToServerEvents, LIMITS } from '@parley/sdk/protocol';
import type { Socket } from 'socket.io';
import { isSameHost } from '../auth/origins.js';
import { sessionFromCookieHeader } from '../auth/session-cookie.js';
import type { ServerContext } from '../context.js';
import { ParleyError } from '../errors.js';
import { parse } from '../platform/validation.js';
import { agentView } from '../views.js';
import { eventTable, handshakeError, trackConnections } from './handler.js';
import { TokenBucket } from './rate-limit.js';
import { type AgentNamespace, type AgentSocket, agentRoom, agentsRoom, sessionRoom } from './rooms.js';
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

const author = (socket: AgentSocket) =>
  ({ type: 'agent', id: socket.data.agent.id, name: socket.data.agent.name }) as const;

/** The `/agent` namespace: the console and agent tools. An agent reaches only its own app. */
export function registerAgentNamespace(nsp: AgentNamespace, ctx: ServerContext): void {
  const now = () => ctx.clock().getTime();
  nsp.use(async (socket, next) => {
    try {
      const { token } = parse(agentAuthSchema, socket.handshake.auth);
      const { origin, host, cookie } = socket.handshake.headers;
      if (origin !== undefined && !isSameHost(origin, host)) {
        throw new ParleyError('forbidden', `origin ${origin} may not open an agent connection`);
      }
      // Without a token, the console's session cookie: only from a page of this server (a
      // browser always sends Origin with a WebSocket; another site's page cannot use it).
      const session = token === undefined ? sessionFromCookieHeader(cookie) : undefined;
      if (session !== undefined && (origin === undefined || !session.startsWith('ses_'))) {
        throw new ParleyError('forbidden', 'the session cookie opens an agent connection only from this server');
      }
      const principal = await ctx.access.authenticate(token ?? session, { agentsOnly: true });
      if (principal.kind !== 'agent') throw new ParleyError('unauthorized', 'an agent token is required');
      if (principal.passwordChangeRequired) {
        throw new ParleyError('forbidden', 'choose your own password first (POST /v1/me/password)');
      }
      socket.data = {
        agent: principal.agent,
        ...(principal.sessionId ? { sessionId: principal.sessionId } : {}),
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

  const conversations = ctx.conversations;
  events.on('conversation:list', conversationListSchema, async (socket, p) => {
    const list = await ctx.store.conversations.listForApp(socket.data.agent.appId, {
      ...p,
      limit: p.limit ?? LIMITS.conversationPageMax,
    });
    return { conversations: list.map(agentView) };
  });

  events.on('conversation:get', conversationGetSchema, async (socket, p) => ({
    conversation: agentView(await conversations.get(socket.data.agent.appId, p.conversationId)),
  }));

  events.on('message:send', messageSendSchema, async (socket, p) => {
    const appId = socket.data.agent.appId;
    // Agents are screened too: a card number pasted into a reply is redacted.
    const { message } = await conversations.send({
      appId,
      author: author(socket),
      conversationId: p.conversationId,
      clientId: p.clientId,
      text: p.text,
      attachmentIds: p.attachmentIds,
      origin: socket.id,
    });
    return { message, conversation: agentView(await conversations.get(appId, message.conversationId)) };
  });

  events.on('message:history', historySchema, async (socket, p) => {
    await conversations.get(socket.data.agent.appId, p.conversationId);
    return ctx.store.messages.before(p.conversationId, p.beforeSeq, p.limit ?? LIMITS.pageDefault);
  });

  events.on('message:sync', syncSchema, async (socket, p) => {
    await conversations.get(socket.data.agent.appId, p.conversationId);
    return ctx.store.messages.after(p.conversationId, p.afterSeq, p.limit ?? LIMITS.pageDefault);
  });

  events.on('typing:set', typingSchema, async (socket, p) => {
    await conversations.setTyping(socket.data.agent.appId, p.conversationId, author(socket), p.typing);
    return {};
  });

  events.on('read:mark', readSchema, async (socket, p) => {
    const conversation = await conversations.markRead(socket.data.agent.appId, p.conversationId, 'agent', p.seq);
    return { conversation: agentView(conversation) };
  });

  nsp.on('connection', (socket: AgentSocket) => {
    track(socket as unknown as Socket);
    // The app's room for what every agent sees; the agent's and the session's own, so that
    // disabling the agent or ending the session closes its connections on every node.
    void socket.join([
      agentsRoom(socket.data.agent.appId),
      agentRoom(socket.data.agent.id),
      ...(socket.data.sessionId ? [sessionRoom(socket.data.sessionId)] : []),
    ]);
    socket.emit('session', { agent: socket.data.agent });
    events.attach(socket as unknown as Socket);
  });
}
