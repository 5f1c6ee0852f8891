import type { FastifyReply, FastifyRequest } from 'fastify';
import { assertOriginAllowed } from '../auth/app-origin.js';
import type { ServerContext } from '../context.js';
import { ParleyError } from '../errors.js';
import type { VisitorRecord } from '../store/index.js';

/** Lets the page that sent the request read the answer; the request itself is checked apart. */
export function corsFor(request: FastifyRequest, reply: FastifyReply): void {
  const origin = request.headers.origin;
  if (origin) reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
}

/** The preflight of a cross-origin request carries no credentials: the request is checked. */
export function preflight(methods: string, headers: string) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    corsFor(request, reply);
    reply
      .header('access-control-allow-methods', methods)
      .header('access-control-allow-headers', headers)
      .header('access-control-max-age', '600')
      .status(204);
    return '';
  };
}

/**
 * The visitor behind `Authorization: Visitor <visitorToken>`, from a page on one of its app's
 * origins (a request without Origin comes from no page: the token alone speaks for it).
 */
export async function authenticateVisitor(ctx: ServerContext, request: FastifyRequest): Promise<VisitorRecord> {
  const auth = request.headers.authorization ?? '';
  const claims = auth.startsWith('Visitor ') ? ctx.tokens.verify(auth.slice(8), ctx.clock()) : undefined;
  if (!claims) throw new ParleyError('unauthorized', 'visitor token is not valid');
  const appRecord = await ctx.store.apps.get(claims.appId);
  const visitor = appRecord && (await ctx.store.visitors.get(claims.appId, claims.visitorId));
  if (!appRecord || !visitor) throw new ParleyError('unauthorized', 'visitor token is not valid');
  await assertOriginAllowed(ctx, appRecord, request.headers.origin, request.headers.host);
  return visitor;
}
