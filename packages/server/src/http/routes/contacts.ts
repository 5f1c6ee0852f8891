import { LIMITS } from '@parley/sdk/protocol';
import { z } from 'zod';
import type { ServerContext } from '../../context.js';
import { ParleyError } from '../../errors.js';
import { text } from '../../platform/validation.js';
import { actorOf } from '../../privacy/service.js';
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

  const iso = z.string().describe('ISO 8601, UTC');
  const actorSchema = z.object({ type: z.enum(['agent', 'bot', 'system']), id: z.string() });

  api.get(
    '/v1/contacts/:id/export',
    {
      schema: {
        tags: ['contacts'],
        summary: 'Everything held about a contact, as one JSON document (admin)',
        description:
          'By table: their profile, conversations and every message in them (as stored, i.e. screened), the team’s notes, incidents with their error context, files (metadata and a link to each), screening verdicts, how many copies wait in the webhook outbox and the request cache, and the audit trail of operations on them. The export itself is recorded in the audit trail.',
        params: idParams,
        response: {
          200: z.object({
            contactId: z.string(),
            exportedAt: iso,
            tables: z.record(
              z.string(),
              z.object({
                holds: z.string(),
                rows: z.array(z.record(z.string(), z.unknown())).optional(),
                count: z.number().int().optional(),
                why: z.string().optional(),
              }),
            ),
            audit: z.array(z.record(z.string(), z.unknown())),
          }),
          ...errors,
        },
      },
      config: { access: 'admin' },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const document = await ctx.privacy.export(principal.appId, request.params.id, actorOf(principal));
      void reply.header('content-disposition', `attachment; filename="contact-${request.params.id}.json"`);
      return document;
    },
  );

  api.delete(
    '/v1/contacts/:id',
    {
      schema: {
        tags: ['contacts'],
        summary: 'Erase a contact for good (admin)',
        description:
          'Deletes every row and file about them — profile, conversations with every message in them (the team’s too), notes, incidents, files, screening verdicts, queued webhook events — in one transaction. Their visitor tokens stop working and their open connections close, on every node; the `contact.erased` webhook event follows. The answer is a receipt with counts and no personal data; the audit trail keeps the same.',
        params: idParams,
        response: {
          200: z.object({
            receipt: z.object({
              contactId: z.string(),
              erasedAt: iso,
              erasedBy: actorSchema,
              rows: z.record(z.string(), z.number().int()).describe('rows deleted, by table'),
            }),
          }),
          ...errors,
        },
      },
      config: { access: 'admin' },
    },
    async (request) => {
      const principal = principalOf(request);
      return { receipt: await ctx.privacy.erase(principal.appId, request.params.id, actorOf(principal)) };
    },
  );
}
