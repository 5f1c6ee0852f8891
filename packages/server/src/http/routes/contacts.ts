import { LIMITS } from '@parley/sdk/protocol';
import { z } from 'zod';
import type { ServerContext } from '../../context.js';
import { ParleyError } from '../../errors.js';
import { text } from '../../platform/validation.js';
import { attributesSchema } from '../../realtime/schemas.js';
import type { VisitorRecord } from '../../store/index.js';
import { type Api, errors } from '../api.js';
import { principalOf } from '../auth.js';
import { contactSchema, cursorQuery, decodeCursor, encodeCursor, idParams, limitQuery } from '../schemas.js';
import { badCursor } from './agents.js';

const contactView = ({ appId: _app, ...v }: VisitorRecord) => v;

/** The people who write in (visitors): found by email, name or user id, and their attributes. */
export function contactRoutes(api: Api, ctx: ServerContext): void {
  const contactIn = async (appId: string, id: string) => {
    const visitor = await ctx.store.visitors.get(appId, id);
    if (!visitor) throw new ParleyError('not_found', `contact ${id} not found`);
    return visitor;
  };

  api.get(
    '/v1/contacts',
    {
      schema: {
        tags: ['contacts'],
        summary: 'Contacts, newest first; search by email, name or user id',
        querystring: z.object({
          query: text(200).min(1).optional().describe('part of an email, name or user id (any case)'),
          email: text(LIMITS.userEmailMaxChars).optional(),
          userId: text(LIMITS.userIdMaxChars).optional(),
          limit: limitQuery(200),
          cursor: cursorQuery,
        }),
        response: { 200: z.object({ contacts: z.array(contactSchema), nextCursor: z.string().nullable() }), ...errors },
      },
      config: { access: 'read' },
    },
    async (request) => {
      const { query, email, userId, limit, cursor } = request.query;
      const keys = cursor ? decodeCursor(cursor, 2) : undefined;
      if (cursor && !keys) throw badCursor();
      const list = await ctx.store.visitors.list(principalOf(request).appId, {
        ...(query ? { query } : {}),
        ...(email ? { email } : {}),
        ...(userId ? { userId } : {}),
        ...(keys ? { after: { createdAt: keys[0]!, id: keys[1]! } } : {}),
        limit,
      });
      const last = list.at(-1);
      return {
        contacts: list.map(contactView),
        nextCursor: list.length === limit && last ? encodeCursor([last.createdAt, last.id]) : null,
      };
    },
  );

  api.get(
    '/v1/contacts/:id',
    {
      schema: {
        tags: ['contacts'],
        summary: 'One contact',
        params: idParams,
        response: { 200: z.object({ contact: contactSchema }), ...errors },
      },
      config: { access: 'read' },
    },
    async (request) => ({ contact: contactView(await contactIn(principalOf(request).appId, request.params.id)) }),
  );

  api.patch(
    '/v1/contacts/:id',
    {
      schema: {
        tags: ['contacts'],
        summary: "Change a contact's name, email or attributes",
        description: 'Attributes merge; a null value removes a key (at most 50 in all).',
        params: idParams,
        body: z
          .strictObject({
            name: text(LIMITS.userNameMaxChars).nullable().optional(),
            email: text(LIMITS.userEmailMaxChars).nullable().optional(),
            attributes: attributesSchema.optional(),
          })
          .refine((b) => Object.keys(b).length > 0, 'give name, email or attributes'),
        response: { 200: z.object({ contact: contactSchema }), ...errors },
      },
      config: { access: 'write' },
    },
    async (request) => {
      const updated = await ctx.contacts.update(principalOf(request).appId, request.params.id, request.body);
      return { contact: contactView(updated) };
    },
  );
}
