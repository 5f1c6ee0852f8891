import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isSameHost } from '../auth/origins.js';
import { CSRF_HEADER, SESSION_COOKIE } from '../auth/session-cookie.js';
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
    /** The principal came from the console's session cookie (not a bearer token). */
    viaCookie?: boolean;
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

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** What a session may do while its agent still has the one-time password. */
const DURING_PASSWORD_CHANGE = new Set(['/v1/me', '/v1/me/password', '/v1/agents/logout']);

/**
 * The console's cookie session, checked like a bearer token plus what a cookie needs: a
 * change must come from our own origin and carry the session's CSRF token.
 */
async function cookiePrincipal(ctx: ServerContext, request: FastifyRequest, token: string): Promise<Principal> {
  if (!token.startsWith('ses_')) throw new ParleyError('unauthorized', 'the session cookie is not a session');
  const principal = await ctx.access.authenticate(token);
  if (!SAFE_METHODS.has(request.method)) {
    const origin = request.headers.origin;
    if (origin !== undefined && !isSameHost(origin, request.headers.host)) {
      throw new ParleyError('forbidden', `a change with the session cookie must come from this server, not ${origin}`);
    }
    const sessionId = principal.kind === 'agent' ? principal.sessionId : undefined;
    if (!sessionId || !ctx.csrf.matches(sessionId, request.headers[CSRF_HEADER])) {
      throw new ParleyError('forbidden', `a change with the session cookie needs the ${CSRF_HEADER} header`);
    }
  }
  return principal;
}

/**
 * The principal of a request: its bearer token, else the console's session cookie (with its
 * own checks). `viaCookie` says which, for the answers that differ (sign-out, /v1/me).
 */
export async function authenticateRequest(
  ctx: ServerContext,
  request: FastifyRequest,
): Promise<{ principal: Principal; viaCookie: boolean }> {
  const bearer = bearerOf(request);
  const cookie = bearer === undefined ? request.cookies[SESSION_COOKIE] : undefined;
  if (cookie === undefined) return { principal: await ctx.access.authenticate(bearer), viaCookie: false };
  return { principal: await cookiePrincipal(ctx, request, cookie), viaCookie: true };
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
    const { principal, viaCookie } = await authenticateRequest(ctx, request);
    if (
      principal.kind === 'agent' &&
      principal.passwordChangeRequired &&
      !DURING_PASSWORD_CHANGE.has(request.routeOptions.url ?? '')
    ) {
      throw new ParleyError('forbidden', 'choose your own password first (POST /v1/me/password)');
    }
    authorize(principal, access);
    request.principal = principal;
    request.viaCookie = viaCookie;
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
