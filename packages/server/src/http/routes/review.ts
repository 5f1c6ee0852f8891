import { z } from 'zod';
import type { ServerContext } from '../../context.js';
import { actorOf } from '../../tenancy/index.js';
import { type Api, errors } from '../api.js';
import { principalOf } from '../auth.js';
import { cursorQuery, decodeCursor, encodeCursor, idParams, limitQuery, messageSchema } from '../schemas.js';
import { badCursor } from './agents.js';

const reviewItemSchema = z
  .object({
    message: messageSchema,
    contact: z.object({
      id: z.string(),
      name: z.string().nullable(),
      email: z.string().nullable(),
      userId: z.string().nullable(),
    }),
  })
  .meta({ id: 'ReviewItem' });

/** The review queue (admins): what screening flagged, oldest first, to clear or confirm. */
export function reviewRoutes(api: Api, ctx: ServerContext): void {
  api.get(
    '/v1/review',
    {
      schema: {
        tags: ['app'],
        summary: 'The review queue: flagged messages nobody has reviewed, oldest first',
        description:
          'Each with the rule, category and policy clause that flagged it (`message.screening`) and who sent it.',
        querystring: z.object({ limit: limitQuery(200, 50), cursor: cursorQuery }),
        response: { 200: z.object({ items: z.array(reviewItemSchema), nextCursor: z.string().nullable() }), ...errors },
      },
      config: { access: 'admin' },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const keys = cursor ? decodeCursor(cursor, 2) : undefined;
      if (cursor && !keys) throw badCursor();
      const items = await ctx.store.reviews.pending(principalOf(request).appId, {
        ...(keys ? { after: { createdAt: keys[0]!, id: keys[1]! } } : {}),
        limit,
      });
      const last = items.at(-1)?.message;
      return { items, nextCursor: items.length === limit && last ? encodeCursor([last.createdAt, last.id]) : null };
    },
  );

  api.post(
    '/v1/messages/:id/review',
    {
      schema: {
        tags: ['app'],
        summary: 'Clear or confirm a flagged message',
        description:
          '`cleared`: a false alarm; `confirmed`: the flag was right. Either way it leaves the queue; once nothing else in its conversation waits, the conversation loses its flagged mark (`conversation.updated` with `changes: ["flagged"]`). A message already reviewed is `409 conflict`.',
        params: idParams,
        body: z.strictObject({ decision: z.enum(['cleared', 'confirmed']) }),
        response: {
          200: z.object({
            messageId: z.string(),
            decision: z.enum(['cleared', 'confirmed']),
            conversationId: z.string(),
            conversationFlagged: z.boolean(),
          }),
          ...errors,
        },
      },
      config: { access: 'admin' },
    },
    async (request) => {
      const principal = principalOf(request);
      return ctx.conversations.review(principal.appId, request.params.id, request.body.decision, actorOf(principal));
    },
  );
}
