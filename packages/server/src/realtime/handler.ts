import type { Ack, AckOf, HandshakeErrorData, PayloadOf } from '@parley/sdk/protocol';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import type { ServerContext } from '../context.js';
import { ParleyError, toWireError } from '../errors.js';
import { parse } from '../platform/validation.js';
import type { TokenBucket } from './rate-limit.js';

/** What every socket keeps for the handlers: its own rate budget. */
export interface HandledSocketData {
  bucket: TokenBucket;
}

type Listener = (this: Socket, ...args: unknown[]) => void;

/**
 * Builds the listener of one client→server event: rate limit, schema check, run, answer the
 * ack. Every failure becomes `{ ok: false, error }` through the one mapper; nothing thrown here
 * reaches Socket.IO, so one bad event never takes the connection's other work with it.
 *
 * The listener is made once per namespace and shared by every socket (Socket.IO calls it with
 * the socket as `this`): an idle connection costs a reference per event, not a closure.
 */
export function eventListener<Sock extends Socket, S extends z.ZodType, R extends object>(
  ctx: ServerContext,
  event: string,
  schema: S,
  run: (socket: Sock, payload: z.infer<S>) => Promise<R>,
): Listener {
  return async function listener(this: Socket, ...args: unknown[]) {
    // The acknowledgement is the last argument, whatever came before it (PROTOCOL.md): an
    // event sent with no payload, or with an extra argument, is still answered. Every event
    // takes one; an event sent without it has no one to answer.
    const ack = args.at(-1);
    const reply = typeof ack === 'function' ? (ack as (r: Ack<R>) => void) : undefined;
    const payload = args.length > 1 ? args[0] : {};
    if (!reply) {
      ctx.metrics.inc('parley_events_without_ack_total', 'Events dropped for lack of an ack callback', { event });
      return;
    }
    try {
      const wait = (this.data as HandledSocketData).bucket.take();
      if (wait > 0) {
        if (event === 'message:send') recordFlooding(ctx, this);
        throw new ParleyError('rate_limited', `too many requests; retry in ${wait} ms`, { retryAfterMs: wait });
      }
      const result = await run(this as Sock, parse(schema, payload));
      reply({ ok: true, ...result } as Ack<R>);
    } catch (err) {
      const error = toWireError(err, ctx.log);
      ctx.metrics.inc('parley_event_errors_total', 'Events answered with an error', { event, code: error.code });
      reply({ ok: false, error });
    }
  };
}

/**
 * The listeners of a namespace's events, names checked against its event map. `attach` gives
 * a new socket all of them at once.
 */
export function eventTable<Events, Sock extends Socket>(ctx: ServerContext) {
  const table: [string, Listener][] = [];
  return {
    /**
     * The schema must produce the payload the event map declares, and `run` must answer the
     * acknowledgement it declares: changing either in the protocol fails to compile here.
     */
    on<K extends keyof Events & string, S extends z.ZodType<PayloadOf<Events[K]>>>(
      event: K,
      schema: S,
      run: (socket: Sock, payload: z.infer<S>) => Promise<AckOf<Events[K]>>,
    ): void {
      table.push([event, eventListener(ctx, event, schema, run as (s: Sock, p: z.infer<S>) => Promise<object>)]);
    },
    attach(socket: Socket): void {
      for (const [event, listener] of table) socket.on(event, listener);
    },
  };
}

/** Sends beyond the rate limit are flooding: the screening audit keeps a verdict for them. */
function recordFlooding(ctx: ServerContext, socket: Socket): void {
  const data = socket.data as { appId?: string; visitorId?: string; agent?: { id: string; appId: string } };
  const sender = data.agent
    ? { appId: data.agent.appId, type: 'agent' as const, id: data.agent.id }
    : data.appId && data.visitorId
      ? { appId: data.appId, type: 'visitor' as const, id: data.visitorId }
      : undefined;
  if (!sender) return;
  ctx.screening
    .recordFlooding(sender.appId, sender)
    .catch((err: unknown) => ctx.log.error({ err }, 'could not record flooding'));
}

/** What the log says about a socket: ids and addresses, never a token or content. */
function socketFields(socket: Socket, namespace: 'visitor' | 'agent') {
  const { headers, address } = socket.handshake;
  return { namespace, socketId: socket.id, address, origin: headers.origin };
}

/**
 * Error for a refused handshake; Socket.IO sends `message` and `data` in connect_error. The
 * refusal is logged (info: a wrong app id or an expired token is the client's business, but an
 * operator debugging "the widget does not connect" needs to see it).
 */
export function handshakeError(
  err: unknown,
  ctx: ServerContext,
  socket: Socket,
  namespace: 'visitor' | 'agent',
): Error & { data: HandshakeErrorData } {
  const wire = toWireError(err, ctx.log);
  const auth = socket.handshake.auth as { appId?: unknown } | undefined;
  ctx.log.info(
    {
      ...socketFields(socket, namespace),
      code: wire.code,
      ...(typeof auth?.appId === 'string' ? { appId: auth.appId.slice(0, 64) } : {}),
    },
    `refused a ${namespace} connection: ${wire.message}`,
  );
  const e = new Error(wire.message) as Error & { data: HandshakeErrorData };
  e.data = wire.fields ? { code: wire.code, fields: wire.fields } : { code: wire.code };
  return e;
}

/**
 * Counts a connection in and out and logs it (debug: connections come and go all day; a
 * client that sent what the protocol cannot parse, at info). One listener for every socket.
 */
export function trackConnections(ctx: ServerContext, namespace: 'visitor' | 'agent') {
  const labels = { namespace };
  function onDisconnect(this: Socket, reason: string) {
    ctx.metrics.gauge('parley_sockets', 'Connected sockets', labels, -1);
    const level = reason === 'parse error' ? 'info' : 'debug';
    if (ctx.log.isLevelEnabled(level)) {
      ctx.log[level](
        { ...socketFields(this, namespace), ...ids(this), reason },
        `${namespace} disconnected: ${reason}`,
      );
    }
  }
  const ids = (socket: Socket) => {
    const data = socket.data as { appId?: string; visitorId?: string; agent?: { id: string; appId: string } };
    return data.agent
      ? { appId: data.agent.appId, agentId: data.agent.id }
      : { appId: data.appId, visitorId: data.visitorId };
  };
  return (socket: Socket): void => {
    ctx.metrics.gauge('parley_sockets', 'Connected sockets', labels, 1);
    if (ctx.log.isLevelEnabled('debug'))
      ctx.log.debug({ ...socketFields(socket, namespace), ...ids(socket) }, `${namespace} connected`);
    socket.on('disconnect', onDisconnect);
  };
}
