import { LIMITS, type VisitorClientToServerEvents } from '@parley/sdk/protocol';
import type { Socket } from 'socket.io';
import { assertOriginAllowed } from '../auth/app-origin.js';
import { resolveVisitor } from '../auth/visitor-session.js';
import { visitorDevice } from '../contacts/device.js';
import type { ServerContext } from '../context.js';
import { ParleyError } from '../errors.js';
import { parse } from '../platform/validation.js';
import { visitorView } from '../views.js';
import { eventTable, handshakeError, trackConnections } from './handler.js';
import { TokenBucket } from './rate-limit.js';
import { type VisitorNamespace, type VisitorSocket, visitorRoom } from './rooms.js';
import {
  conversationListSchema,
  conversationUpdateSchema,
  historySchema,
  messageSendSchema,
  readSchema,
  syncSchema,
  typingSchema,
  visitorAuthSchema,
  visitorUpdateSchema,
} from './schemas.js';

const author = (socket: VisitorSocket) =>
  ({ type: 'visitor', id: socket.data.visitorId, name: socket.data.name }) as const;

/**
 * The `/visitor` namespace: widget and sdk clients. A visitor reaches only their own
 * conversations; any other id answers `not_found`, so ids of others are not even confirmed.
 * What a connection keeps is small (its ids, name and rate budget): the listeners are shared.
 */
export function registerVisitorNamespace(nsp: VisitorNamespace, ctx: ServerContext): void {
  nsp.use(async (socket, next) => {
    try {
      const auth = parse(visitorAuthSchema, socket.handshake.auth);
      const app = await ctx.store.apps.get(auth.appId);
      if (!app) throw new ParleyError('not_found', `app ${auth.appId} not found`);
      await assertOriginAllowed(ctx, app, socket.handshake.headers.origin, socket.handshake.headers.host);
      const { visitor, visitorToken } = await resolveVisitor(ctx, app, auth);
      const at = ctx.clock().toISOString();
      await ctx.store.visitors.seen(app.id, visitor.id, visitorDevice(auth, socket.handshake.headers, at), at);
      socket.data = {
        appId: app.id,
        visitorId: visitor.id,
        name: visitor.name,
        visitorToken,
        identified: visitor.userId !== null,
        verified: visitor.verified,
        bucket: new TokenBucket(ctx.limits.visitorRate, now),
      };
      next();
    } catch (err) {
      ctx.metrics.inc('parley_handshakes_refused_total', 'Refused handshakes', { namespace: 'visitor' });
      next(handshakeError(err, ctx, socket as unknown as Socket, 'visitor'));
    }
  });

  const now = () => ctx.clock().getTime();
  const track = trackConnections(ctx, 'visitor');
  const events = eventTable<VisitorClientToServerEvents, VisitorSocket>(ctx);

  const conversations = ctx.conversations;
  events.on('conversation:list', conversationListSchema, async (socket, p) => {
    const list = await ctx.store.conversations.listForVisitor(socket.data.appId, socket.data.visitorId, {
      ...p,
      limit: p.limit ?? LIMITS.conversationPageMax,
    });
    return { conversations: list.map(visitorView) };
  });

  events.on('message:send', messageSendSchema, async (socket, p) => {
    const { message } = await conversations.send({
      appId: socket.data.appId,
      author: author(socket),
      visitorId: socket.data.visitorId,
      conversationId: p.conversationId,
      clientId: p.clientId,
      text: p.text,
      attachmentIds: p.attachmentIds,
      origin: socket.id,
    });
    return { message };
  });

  events.on('message:history', historySchema, async (socket, p) => {
    await conversations.get(socket.data.appId, p.conversationId, socket.data.visitorId);
    return ctx.store.messages.before(p.conversationId, p.beforeSeq, p.limit ?? LIMITS.pageDefault);
  });

  events.on('message:sync', syncSchema, async (socket, p) => {
    await conversations.get(socket.data.appId, p.conversationId, socket.data.visitorId);
    return ctx.store.messages.after(p.conversationId, p.afterSeq, p.limit ?? LIMITS.pageDefault);
  });

  events.on('typing:set', typingSchema, async (socket, p) => {
    const { appId, visitorId } = socket.data;
    await conversations.setTyping(appId, p.conversationId, author(socket), p.typing, visitorId);
    return {};
  });

  events.on('visitor:update', visitorUpdateSchema, async (socket, p) => {
    const { appId, visitorId } = socket.data;
    const updated = await ctx.contacts.update(
      appId,
      visitorId,
      {
        ...(p.name !== undefined ? { name: p.name } : {}),
        ...(p.email !== undefined ? { email: p.email } : {}),
        ...(p.attributes ? { attributes: p.attributes } : {}),
      },
      true,
    );
    socket.data.name = updated.name;
    const { id, userId, verified, email, name, attributes, device } = updated;
    return { visitor: { id, userId, verified, email, name, attributes, device } };
  });

  events.on('conversation:update', conversationUpdateSchema, async (socket, p) => {
    const { appId, visitorId } = socket.data;
    const conversation = await conversations.update(
      appId,
      p.conversationId,
      { attributes: p.attributes },
      author(socket),
      visitorId,
    );
    return { conversation: visitorView(conversation) };
  });

  events.on('read:mark', readSchema, async (socket, p) => {
    const { appId, visitorId } = socket.data;
    const conversation = await conversations.markRead(appId, p.conversationId, 'visitor', p.seq, visitorId);
    return { conversation: visitorView(conversation) };
  });

  nsp.on('connection', (socket: VisitorSocket) => {
    track(socket as unknown as Socket);
    void socket.join(visitorRoom(socket.data.visitorId));
    const { visitorToken, identified, verified } = socket.data;
    socket.emit('session', { visitorId: socket.data.visitorId, visitorToken, identified, verified });
    // The token was for this one message: the connection need not keep it.
    socket.data.visitorToken = '';
    events.attach(socket as unknown as Socket);
  });
}
