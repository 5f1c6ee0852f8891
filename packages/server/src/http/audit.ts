import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { actorOf } from '../privacy/service.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A change the audit trail records when it succeeds: the action, the kind of object, and
     * where its id is (the `:id` parameter, a field of the answer, or the app itself).
     */
    audit?: { action: string; object: string; id: 'params' | 'app' | ((answer: Record<string, unknown>) => unknown) };
  }
}

/** Request fields whose values the trail keeps (settings, not content): the rest by name only. */
const KEPT_VALUES = new Set([
  'role',
  'disabled',
  'scope',
  'enabled',
  'events',
  'identityVerification',
  'hipaaBaa',
  'status',
]);

/**
 * Records the changes routes declare (`config.audit`) once they succeed: actor, action, object
 * id, and which fields changed; never their content, so the trail holds no personal data.
 */
export function registerAudit(fastify: FastifyInstance, ctx: ServerContext): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    const audit = request.routeOptions.config.audit;
    const principal = request.principal;
    if (!audit || !principal || reply.statusCode >= 300) return payload;
    let id: unknown;
    if (audit.id === 'params') id = (request.params as { id?: string }).id;
    else if (audit.id === 'app') id = principal.appId;
    else {
      try {
        id = audit.id(JSON.parse(String(payload)) as Record<string, unknown>);
      } catch {
        id = undefined;
      }
    }
    const body = request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
    const fields = Object.keys(body).filter((k) => k !== 'password' && k !== 'currentPassword' && k !== 'newPassword');
    const kept = Object.fromEntries(fields.filter((k) => KEPT_VALUES.has(k)).map((k) => [k, body[k]]));
    await ctx.privacy.audit(
      principal.appId,
      actorOf(principal),
      audit.action,
      { type: audit.object, id: typeof id === 'string' ? id : 'unknown' },
      { ...(fields.length > 0 ? { fields } : {}), ...kept },
    );
    return payload;
  });
}
