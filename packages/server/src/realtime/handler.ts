import type { Ack, HandshakeErrorData } from '@parley/sdk/protocol';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import type { ServerContext } from '../context.js';
import { ParleyError, toWireError } from '../errors.js';
import { parse } from '../platform/validation.js';
import type { TokenBucket } from './rate-limit.js';

/**
 * Registers one client→server event: rate limit, schema check, run, answer the ack. Every
 * failure becomes `{ ok: false, error }` through the one mapper; nothing thrown here reaches
 * Socket.IO, so one bad event never takes the connection's other work with it.
 */
export function handle<S extends z.ZodType, R extends object>(
  ctx: ServerContext,
  socket: Socket,
  bucket: TokenBucket,
  event: string,
  schema: S,
  run: (payload: z.infer<S>) => Promise<R>,
): void {
  socket.on(event, async (...args: unknown[]) => {
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
      const wait = bucket.take();
      if (wait > 0) {
        if (event === 'message:send') recordFlooding(ctx, socket);
        throw new ParleyError('rate_limited', `too many requests; retry in ${wait} ms`, { retryAfterMs: wait });
      }
      const result = await run(parse(schema, payload));
      reply({ ok: true, ...result } as Ack<R>);
    } catch (err) {
      const error = toWireError(err, ctx.log);
      ctx.metrics.inc('parley_event_errors_total', 'Events answered with an error', { event, code: error.code });
      reply({ ok: false, error });
    }
  });
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

/** Binds `handle` to one socket; event names are checked against the namespace's event map. */
export function handlersFor<Events>(ctx: ServerContext, socket: Socket, bucket: TokenBucket) {
  return <S extends z.ZodType, R extends object>(
    event: keyof Events & string,
    schema: S,
    run: (payload: z.infer<S>) => Promise<R>,
  ): void => handle(ctx, socket, bucket, event, schema, run);
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

/** Logs a connection's end with its reason (debug: connections come and go all day). */
export function logDisconnects(ctx: ServerContext, socket: Socket, namespace: 'visitor' | 'agent', ids: object): void {
  ctx.log.debug({ ...socketFields(socket, namespace), ...ids }, `${namespace} connected`);
  socket.on('disconnect', (reason) => {
    // A client that sent what the protocol cannot parse is worth seeing at the default level.
    const level = reason === 'parse error' ? 'info' : 'debug';
    ctx.log[level]({ ...socketFields(socket, namespace), ...ids, reason }, `${namespace} disconnected: ${reason}`);
  });
}
