import { z } from 'zod';
import type { ServerContext } from '../../context.js';
import { text } from '../../platform/validation.js';
import { type Api, errors } from '../api.js';
import { principalOf } from '../auth.js';
import { cursorQuery, decodeCursor, encodeCursor, limitQuery } from '../schemas.js';
import { badCursor } from './agents.js';

const auditSchema = z
  .object({
    id: z.string(),
    actorType: z.enum(['agent', 'bot', 'system']),
    actorId: z.string().describe('the agent, the API key, or the command or job'),
    action: z.string().describe('e.g. contact.erased, api_key.created, policy.changed'),
    objectType: z.string(),
    objectId: z.string(),
    detail: z.record(z.string(), z.unknown()).describe('counts and setting names; never personal data'),
    createdAt: z.string(),
  })
  .meta({ id: 'AuditEntry' });

/** The audit trail (admins): exports, erasures, purges, and changes to the app's settings and access. */
export function auditRoutes(api: Api, ctx: ServerContext): void {
  api.get(
    '/v1/audit',
    {
      schema: {
        tags: ['app'],
        summary: 'The audit trail, newest first (admin)',
        querystring: z.object({
          objectId: text(64).optional().describe('entries about this contact, key, agent, webhook…'),
          action: text(64).optional(),
          limit: limitQuery(200),
          cursor: cursorQuery,
        }),
        response: { 200: z.object({ entries: z.array(auditSchema), nextCursor: z.string().nullable() }), ...errors },
      },
      config: { access: 'admin' },
    },
    async (request) => {
      const { objectId, action, limit, cursor } = request.query;
      const keys = cursor ? decodeCursor(cursor, 2) : undefined;
      if (cursor && !keys) throw badCursor();
      const entries = await ctx.store.audit.list(principalOf(request).appId, {
        ...(objectId ? { objectId } : {}),
        ...(action ? { action } : {}),
        ...(keys ? { after: { createdAt: keys[0]!, id: keys[1]! } } : {}),
        limit,
      });
      const last = entries.at(-1);
      return {
        entries: entries.map(({ appId: _app, ...e }) => e),
        nextCursor: entries.length === limit && last ? encodeCursor([last.createdAt, last.id]) : null,
      };
    },
  );
}
