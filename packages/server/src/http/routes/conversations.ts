import { randomUUID } from 'node:crypto';
import { ATTACHMENT_LIMITS, CONVERSATION_STATUSES, INCIDENT_PRIORITIES, LIMITS } from '@parley/sdk/protocol';
import { z } from 'zod';
import type { ServerContext } from '../../context.js';
import { ParleyError } from '../../errors.js';
import { id, text } from '../../platform/validation.js';
import { attributesSchema } from '../../realtime/schemas.js';
import { actorOf } from '../../tenancy/index.js';
import { agentView } from '../../views.js';
import { type Api, errors } from '../api.js';
import { principalOf } from '../auth.js';
import {
  booleanQuery,
  conversationSchema,
  cursorQuery,
  decodeCursor,
  encodeCursor,
  idParams,
  limitQuery,
  messageSchema,
  noteSchema,
} from '../schemas.js';
import { badCursor } from './agents.js';

const statusList = z
  .string()
  .transform((v, c) => {
    const list = v.split(',').map((s) => s.trim());
    for (const s of list) {
      if (!(CONVERSATION_STATUSES as readonly string[]).includes(s)) {
        c.addIssue({ code: 'custom', message: `one or more of ${CONVERSATION_STATUSES.join(', ')}, comma-separated` });
        return z.NEVER;
      }
    }
    return list as (typeof CONVERSATION_STATUSES)[number][];
  })
  .describe('one status, or several comma-separated: open, pending, resolved, closed');

export const conversationListQuery = z.object({
  status: statusList.optional(),
  assignee: text(64).optional().describe('`me`, `none` (unassigned) or an agent id'),
  priority: z.enum(INCIDENT_PRIORITIES).optional().describe("its open incident's priority"),
  flagged: booleanQuery.optional().describe('holding a message screening flagged for review'),
  unread: booleanQuery.optional().describe('with messages no agent has read'),
  updatedSince: z.iso.datetime({ offset: true }).optional(),
  contactId: id.optional(),
  limit: limitQuery(LIMITS.conversationPageMax),
  cursor: cursorQuery,
});

const seq = z.coerce.number().int().min(0).max(LIMITS.seqMax);

/** Conversations, their messages, notes and read marks: the inbox over HTTP. */
export function conversationRoutes(api: Api, ctx: ServerContext): void {
  const conversations = ctx.conversations;

  api.get(
    '/v1/conversations',
    {
      schema: {
        tags: ['conversations'],
        summary: "The app's conversations, most recent activity first",
        querystring: conversationListQuery,
        response: {
          200: z.object({ conversations: z.array(conversationSchema), nextCursor: z.string().nullable() }),
          ...errors,
        },
      },
      config: { access: 'read' },
    },
    async (request) => {
      const principal = principalOf(request);
      const q = request.query;
      const keys = q.cursor ? decodeCursor(q.cursor, 2) : undefined;
      if (q.cursor && !keys) throw badCursor();
      let assigneeId: string | null | undefined;
      if (q.assignee === 'none') assigneeId = null;
      else if (q.assignee === 'me') {
        if (principal.kind !== 'agent')
          throw new ParleyError('invalid_payload', 'assignee=me needs an agent, not a key');
        assigneeId = principal.agent.id;
      } else assigneeId = q.assignee;
      const list = await ctx.store.conversations.filter(principal.appId, {
        ...(q.status ? { status: q.status } : {}),
        ...(assigneeId !== undefined ? { assigneeId } : {}),
        ...(q.priority ? { priority: q.priority } : {}),
        ...(q.flagged !== undefined ? { flagged: q.flagged } : {}),
        ...(q.unread !== undefined ? { unread: q.unread } : {}),
        ...(q.updatedSince ? { updatedSince: new Date(q.updatedSince).toISOString() } : {}),
        ...(q.contactId ? { visitorId: q.contactId } : {}),
        ...(keys ? { after: { updatedAt: keys[0]!, id: keys[1]! } } : {}),
        limit: q.limit,
      });
      const last = list.at(-1);
      return {
        conversations: list.map(agentView),
        nextCursor: list.length === q.limit && last ? encodeCursor([last.updatedAt, last.id]) : null,
      };
    },
  );

  api.get(
    '/v1/conversations/:id',
    {
      schema: {
        tags: ['conversations'],
        summary: 'One conversation',
        params: idParams,
        response: { 200: z.object({ conversation: conversationSchema }), ...errors },
      },
      config: { access: 'read' },
    },
    async (request) => ({
      conversation: agentView(await conversations.get(principalOf(request).appId, request.params.id)),
    }),
  );

  api.patch(
    '/v1/conversations/:id',
    {
      schema: {
        tags: ['conversations'],
        summary: 'Change its status, assignee or attributes',
        description:
          'Status: `open` (waiting on the team), `pending` (waiting on the visitor), `resolved`, `closed`. A visitor writing reopens it. `assigneeId` null unassigns. Attributes merge; a null value removes a key.',
        params: idParams,
        body: z
          .strictObject({
            status: z.enum(CONVERSATION_STATUSES).optional(),
            assigneeId: id.nullable().optional(),
            attributes: attributesSchema.optional(),
          })
          .refine((b) => Object.keys(b).length > 0, 'give status, assigneeId or attributes'),
        response: { 200: z.object({ conversation: conversationSchema }), ...errors },
      },
      config: { access: 'write' },
    },
    async (request) => {
      const principal = principalOf(request);
      const updated = await conversations.update(principal.appId, request.params.id, request.body, actorOf(principal));
      return { conversation: agentView(updated) };
    },
  );

  api.get(
    '/v1/conversations/:id/messages',
    {
      schema: {
        tags: ['conversations'],
        summary: 'Its messages, oldest first',
        description: 'With `afterSeq`, the messages after it; otherwise the newest `limit` below `beforeSeq`.',
        params: idParams,
        querystring: z.object({
          beforeSeq: seq.optional(),
          afterSeq: seq.optional(),
          limit: limitQuery(LIMITS.pageMax, LIMITS.pageDefault),
        }),
        response: { 200: z.object({ messages: z.array(messageSchema), hasMore: z.boolean() }), ...errors },
      },
      config: { access: 'read' },
    },
    async (request) => {
      const conversation = await conversations.get(principalOf(request).appId, request.params.id);
      const q = request.query;
      return q.afterSeq !== undefined
        ? ctx.store.messages.after(conversation.id, q.afterSeq, q.limit)
        : ctx.store.messages.before(conversation.id, q.beforeSeq, q.limit);
    },
  );

  api.post(
    '/v1/conversations/:id/messages',
    {
      schema: {
        tags: ['conversations'],
        summary: "Reply, as the agent or as the app's bot (an API key)",
        description:
          'Screened like every message. `clientId` makes it idempotent (the same one again answers the stored message with 200); so does an `Idempotency-Key`. Files are uploaded first with POST /v1/attachments.',
        params: idParams,
        body: z
          .strictObject({
            clientId: text(LIMITS.clientIdMaxChars).min(1).optional(),
            text: text(LIMITS.messageMaxChars),
            attachmentIds: z.array(id).max(ATTACHMENT_LIMITS.perMessage).optional(),
          })
          .refine((b) => b.text.trim().length > 0 || (b.attachmentIds?.length ?? 0) > 0, {
            path: ['text'],
            message: 'must not be empty',
          }),
        response: {
          200: z.object({ message: messageSchema, conversation: conversationSchema }),
          201: z.object({ message: messageSchema, conversation: conversationSchema }),
          ...errors,
        },
      },
      config: { access: 'write', idempotent: true },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const conversation = await conversations.get(principal.appId, request.params.id);
      const result = await conversations.send({
        appId: principal.appId,
        author: actorOf(principal),
        conversationId: conversation.id,
        clientId: request.body.clientId ?? randomUUID(),
        text: request.body.text,
        attachmentIds: request.body.attachmentIds,
      });
      const updated = await conversations.get(principal.appId, conversation.id);
      return reply
        .status(result.created ? 201 : 200)
        .send({ message: result.message, conversation: agentView(updated) });
    },
  );

  api.get(
    '/v1/conversations/:id/notes',
    {
      schema: {
        tags: ['conversations'],
        summary: 'Its internal notes, oldest first (the visitor never sees them)',
        params: idParams,
        querystring: z.object({ limit: limitQuery(200), cursor: cursorQuery }),
        response: { 200: z.object({ notes: z.array(noteSchema), nextCursor: z.string().nullable() }), ...errors },
      },
      config: { access: 'read' },
    },
    async (request) => {
      const appId = principalOf(request).appId;
      const conversation = await conversations.get(appId, request.params.id);
      const { limit, cursor } = request.query;
      const after = cursor ? decodeCursor(cursor, 1)?.[0] : undefined;
      if (cursor && !after) throw badCursor();
      const notes = await ctx.store.notes.list(appId, conversation.id, { ...(after ? { after } : {}), limit });
      const last = notes.at(-1);
      return { notes, nextCursor: notes.length === limit && last ? encodeCursor([last.id]) : null };
    },
  );

  api.post(
    '/v1/conversations/:id/notes',
    {
      schema: {
        tags: ['conversations'],
        summary: 'Add an internal note',
        description: 'Screened like a message; agents receive it live (`note:new`); the visitor never does.',
        params: idParams,
        body: z.strictObject({
          text: text(LIMITS.messageMaxChars).refine((t) => t.trim().length > 0, 'must not be empty'),
        }),
        response: { 201: z.object({ note: noteSchema }), ...errors },
      },
      config: { access: 'write', idempotent: true },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const note = await conversations.addNote(
        principal.appId,
        request.params.id,
        actorOf(principal),
        request.body.text,
      );
      return reply.status(201).send({ note });
    },
  );

  api.post(
    '/v1/conversations/:id/read',
    {
      schema: {
        tags: ['conversations'],
        summary: "Mark it read on the agents' side, up to `seq` (default: everything)",
        description: 'A read mark never moves backwards. The visitor sees it as a read receipt.',
        params: idParams,
        body: z.strictObject({ seq: z.number().int().min(0).max(LIMITS.seqMax).optional() }),
        response: { 200: z.object({ conversation: conversationSchema }), ...errors },
      },
      config: { access: 'write' },
    },
    async (request) => {
      const appId = principalOf(request).appId;
      const conversation = await conversations.markRead(
        appId,
        request.params.id,
        'agent',
        request.body.seq ?? LIMITS.seqMax,
      );
      return { conversation: agentView(conversation) };
    },
  );
}
