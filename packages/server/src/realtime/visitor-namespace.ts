import { type Attributes, LIMITS, type VisitorClientToServerEvents } from '@parley/sdk/protocol';
import type { Socket } from 'socket.io';
import { assertOriginAllowed } from '../auth/app-origin.js';
import { resolveVisitor } from '../auth/visitor-session.js';
import type { ServerContext } from '../context.js';
import { ParleyError } from '../errors.js';
import { parse } from '../platform/validation.js';
import type { StoredConversation } from '../store/index.js';
import { visitorView } from '../views.js';
import type { Fanout } from './fanout.js';
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

/** Merges an update into attributes; null removes a key. The result stays within the limits. */
function mergeAttributes(current: Attributes, update: Attributes | undefined): Attributes {
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

/** The conversation, if it is this visitor's own; `not_found` otherwise (never "not yours"). */
async function own(ctx: ServerContext, socket: VisitorSocket, conversationId: string): Promise<StoredConversation> {
  const conversation = await ctx.store.conversations.get(socket.data.appId, conversationId);
  if (!conversation || conversation.visitorId !== socket.data.visitorId) {
    throw new ParleyError('not_found', `conversation ${conversationId} not found`);
  }
  return conversation;
}

const author = (socket: VisitorSocket) =>
  ({ type: 'visitor', id: socket.data.visitorId, name: socket.data.name }) as const;

/**
 * The `/visitor` namespace: widget and sdk clients. A visitor reaches only their own
 * conversations; any other id answers `not_found`, so ids of others are not even confirmed.
 * What a connection keeps is small (its ids, name and rate budget): the listeners are shared.
 */
export function registerVisitorNamespace(nsp: VisitorNamespace, ctx: ServerContext, fanout: Fanout): void {
  nsp.use(async (socket, next) => {
    try {
      const auth = parse(visitorAuthSchema, socket.handshake.auth);
      const app = await ctx.store.apps.get(auth.appId);
      if (!app) throw new ParleyError('not_found', `app ${auth.appId} not found`);
      await assertOriginAllowed(ctx, app, socket.handshake.headers.origin, socket.handshake.headers.host);
      const { visitor, visitorToken } = await resolveVisitor(ctx, app, auth);
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

  events.on('conversation:list', conversationListSchema, async (socket, p) => {
    const list = await ctx.store.conversations.listForVisitor(socket.data.appId, socket.data.visitorId, {
      ...p,
      limit: p.limit ?? LIMITS.conversationPageMax,
    });
    return { conversations: list.map(visitorView) };
  });

  events.on('message:send', messageSendSchema, async (socket, p) => {
    const { appId, visitorId } = socket.data;
    // Screened before it is stored: blocked text never reaches the store.
    const screened = await ctx.screening.screen({
      appId,
      surface: 'message',
      sender: author(socket),
      text: p.text,
      conversationKey: p.conversationId ?? `new:${p.clientId}`,
    });
    const result = await ctx.store.messages.append({
      appId,
      conversationId: p.conversationId,
      visitorId,
      author: author(socket),
      clientId: p.clientId,
      text: screened.text,
      ...(screened.screening ? { screening: screened.screening } : {}),
      ...(p.attachmentIds ? { attachmentIds: p.attachmentIds } : {}),
      now: ctx.clock().toISOString(),
    });
    if (result.created) {
      ctx.metrics.inc('parley_messages_stored_total', 'Messages stored', { author: 'visitor' });
      fanout.messageStored(result, socket.id).catch((err) => ctx.log.error({ err }, 'fan-out failed'));
    } else {
      fanout.messageStoredAgain(result, socket.id).catch((err) => ctx.log.error({ err }, 'fan-out failed'));
    }
    return { message: result.message };
  });

  events.on('message:history', historySchema, async (socket, p) => {
    await own(ctx, socket, p.conversationId);
    return ctx.store.messages.before(p.conversationId, p.beforeSeq, p.limit ?? LIMITS.pageDefault);
  });

  events.on('message:sync', syncSchema, async (socket, p) => {
    await own(ctx, socket, p.conversationId);
    return ctx.store.messages.after(p.conversationId, p.afterSeq, p.limit ?? LIMITS.pageDefault);
  });

  events.on('typing:set', typingSchema, async (socket, p) => {
    fanout.typing(await own(ctx, socket, p.conversationId), author(socket), p.typing);
    return {};
  });

  events.on('visitor:update', visitorUpdateSchema, async (socket, p) => {
    const { appId, visitorId } = socket.data;
    const visitor = await ctx.store.visitors.get(appId, visitorId);
    if (!visitor) throw new ParleyError('not_found', 'this visitor no longer exists');
    const updated = {
      email: p.email ?? visitor.email,
      name: p.name ?? visitor.name,
      attributes: mergeAttributes(visitor.attributes, p.attributes),
    };
    await ctx.store.visitors.updateProfile(appId, visitorId, { ...updated, lastSeenAt: ctx.clock().toISOString() });
    socket.data.name = updated.name;
    return { visitor: { id: visitorId, userId: visitor.userId, verified: visitor.verified, ...updated } };
  });

  events.on('conversation:update', conversationUpdateSchema, async (socket, p) => {
    const conversation = await own(ctx, socket, p.conversationId);
    const attributes = mergeAttributes(conversation.attributes, p.attributes);
    await ctx.store.conversations.setAttributes(socket.data.appId, conversation.id, attributes);
    return { conversation: visitorView({ ...conversation, attributes }) };
  });

  events.on('read:mark', readSchema, async (socket, p) => {
    await own(ctx, socket, p.conversationId);
    const conversation = await ctx.store.conversations.markRead(socket.data.appId, p.conversationId, 'visitor', p.seq);
    if (!conversation) throw new ParleyError('not_found', `conversation ${p.conversationId} not found`);
    await fanout.read(conversation, 'visitor');
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
