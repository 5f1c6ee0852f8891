import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from '../context.js';
import { ParleyError } from '../errors.js';
import { principalId } from '../tenancy/index.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A POST that creates something: an `Idempotency-Key` makes it safe to send again. */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    idempotency?: { principal: string; key: string };
  }
}

/** How long an answer is kept for its key. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header) on the POSTs that create: the
 * first request with a key runs and its answer is kept for a day; the same key again gets that
 * answer (`Idempotent-Replayed: true`) without running anything; the same key with another
 * request is refused, and so is one that arrives while the first still runs (`409 conflict`).
 * An answer of 5xx is not kept: the client may try again with the same key.
 */
export function registerIdempotency(app: FastifyInstance, ctx: ServerContext): void {
  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.routeOptions.config.idempotent || !request.principal) return;
    const header = request.headers['idempotency-key'];
    if (header === undefined) return;
    const key = Array.isArray(header) ? header[0] : header;
    if (!key || !KEY.test(key)) {
      throw new ParleyError('invalid_payload', 'Idempotency-Key: 1 to 255 printable ASCII characters', {
        fields: { 'Idempotency-Key': 'invalid' },
      });
    }
    const principal = principalId(request.principal);
    const hash = createHash('sha256')
      .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
      .digest('hex');
    const stored = await ctx.store.idempotency.claim(principal, key, hash, ctx.clock().toISOString());
    if (!stored) {
      request.idempotency = { principal, key };
      return;
    }
    if (stored.requestHash !== hash) {
      throw new ParleyError('invalid_payload', 'this Idempotency-Key was used for another request', {
        fields: { 'Idempotency-Key': 'used for another request' },
      });
    }
    if (stored.statusCode === undefined) {
      throw new ParleyError('conflict', 'a request with this Idempotency-Key is still running; try again shortly');
    }
    reply
      .status(stored.statusCode)
      .header('idempotent-replayed', 'true')
      .type('application/json; charset=utf-8')
      .send(stored.response);
    return reply;
  });

  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const claim = request.idempotency;
    if (!claim) return payload;
    request.idempotency = undefined;
    if (reply.statusCode >= 500) await ctx.store.idempotency.release(claim.principal, claim.key);
    else {
      await ctx.store.idempotency.complete(
        claim.principal,
        claim.key,
        reply.statusCode,
        String(payload ?? ''),
        request.principal?.appId,
      );
    }
    return payload;
  });
}
