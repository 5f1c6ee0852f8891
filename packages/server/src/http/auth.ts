import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from '../context.js';
import { ParleyError } from '../errors.js';
import { type Access, authorize, type Principal, principalId } from '../tenancy/index.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * What a route needs: `read`, `write` or `admin` rights on the app, from a bearer token
     * (session, personal token or API key); `public` routes check their own credentials.
     */
    access?: Access | 'public';
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** The bearer token of a request, if it sent one. */
export function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7) : undefined;
}

/** Who the request speaks for; only on routes that declare `config.access`. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new ParleyError('unauthorized', 'a bearer token is required');
  return request.principal;
}

/**
 * Authenticates and authorises every route that declares what it needs (`config.access`), and
 * counts the request against the caller's budget (per API key or agent, across every node),
 * answering with `RateLimit-*` headers (draft-ietf-httpapi-ratelimit-headers) and, past it,
 * `429` with `Retry-After`.
 */
export function registerAuth(app: FastifyInstance, ctx: ServerContext): void {
  const limiter = ctx.shared.limiter('api', ctx.limits.apiRate);
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const access = request.routeOptions.config.access;
    if (!access || access === 'public') return;
    const principal = await ctx.access.authenticate(bearerOf(request));
    authorize(principal, access);
    request.principal = principal;
    const state = await limiter.consume(principalId(principal));
    reply
      .header('ratelimit-limit', String(limiter.limit.points))
      .header('ratelimit-remaining', String(state.remaining))
      .header('ratelimit-reset', String(Math.ceil(state.resetMs / 1000)))
      .header('ratelimit-policy', `${limiter.limit.points};w=${limiter.limit.perSeconds}`);
    if (!state.allowed) {
      throw new ParleyError('rate_limited', `too many requests; retry in ${Math.ceil(state.resetMs / 1000)} s`, {
        retryAfterMs: state.resetMs,
      });
    }
  });
}
