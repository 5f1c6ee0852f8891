import type { Ack, HandshakeErrorData } from '@parley/sdk/protocol';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import type { ServerContext } from '../context.js';
import { ParleyError, toWireError } from '../errors.js';
import type { TokenBucket } from './rate-limit.js';

/** Turns a schema failure into the wire: too-long strings and lists are payload_too_large. */
export function payloadError(error: z.ZodError): ParleyError {
  const fields: Record<string, string> = {};
  let tooBig = false;
  for (const issue of error.issues) {
    const path = issue.path.join('.') || '(payload)';
    fields[path] ??= issue.message;
    if (issue.code === 'too_big' && (issue.origin === 'string' || issue.origin === 'array')) tooBig = true;
  }
  const summary = Object.entries(fields)
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ');
  return tooBig
    ? new ParleyError('payload_too_large', `payload too large: ${summary}`, { fields })
    : new ParleyError('invalid_payload', `invalid payload: ${summary}`, { fields });
}

export function parse<S extends z.ZodType>(schema: S, payload: unknown): z.infer<S> {
  const result = schema.safeParse(payload);
  if (!result.success) throw payloadError(result.error);
  return result.data;
}

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
  socket.on(event, async (payload: unknown, ack: unknown) => {
    // Every event takes an acknowledgement; one sent without it has no one to answer.
    const reply = typeof ack === 'function' ? (ack as (r: Ack<R>) => void) : undefined;
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
  if (data.agent) ctx.screening.recordFlooding(data.agent.appId, { type: 'agent', id: data.agent.id });
  else if (data.appId && data.visitorId)
    ctx.screening.recordFlooding(data.appId, { type: 'visitor', id: data.visitorId });
}

/** Binds `handle` to one socket; event names are checked against the namespace's event map. */
export function handlersFor<Events>(ctx: ServerContext, socket: Socket, bucket: TokenBucket) {
  return <S extends z.ZodType, R extends object>(
    event: keyof Events & string,
    schema: S,
    run: (payload: z.infer<S>) => Promise<R>,
  ): void => handle(ctx, socket, bucket, event, schema, run);
}

/** Error for a refused handshake; Socket.IO sends `message` and `data` in connect_error. */
export function handshakeError(err: unknown, ctx: ServerContext): Error & { data: HandshakeErrorData } {
  const wire = toWireError(err, ctx.log);
  const e = new Error(wire.message) as Error & { data: HandshakeErrorData };
  e.data = wire.fields ? { code: wire.code, fields: wire.fields } : { code: wire.code };
  return e;
}
