import { INCIDENT_LIMITS, INCIDENT_PRIORITIES } from '@parley/sdk/protocol';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ServerContext } from '../../context.js';
import { reportSchema } from '../../incidents/report.js';
import { id } from '../../platform/validation.js';
import type { VisitorRecord } from '../../store/index.js';
import { incidentView, visitorIncidentView } from '../../views.js';
import { type Api, errors } from '../api.js';
import { principalOf } from '../auth.js';
import { authenticateVisitor, corsFor, preflight } from '../request-auth.js';
import {
  booleanQuery,
  cursorQuery,
  decodeCursor,
  encodeCursor,
  idParams,
  incidentSchema,
  limitQuery,
  visitorIncidentSchema,
} from '../schemas.js';
import { badCursor, limitByAddress } from './agents.js';

/**
 * Incidents: a visitor reports one over HTTP (its context can be far larger than a socket
 * frame), and agents list, read, re-prioritise and assign them.
 */
export function incidentRoutes(api: Api, ctx: ServerContext): void {
  api.options(
    '/v1/incidents',
    { schema: { hide: true }, config: { access: 'public' } },
    preflight('POST', 'authorization, content-type'),
  );

  const reports = ctx.shared.limiter('report', ctx.limits.reportRate);
  const reporters = new WeakMap<FastifyRequest, VisitorRecord>();
  api.post(
    '/v1/incidents',
    {
      bodyLimit: INCIDENT_LIMITS.bodyMaxBytes,
      schema: {
        tags: ['incidents'],
        summary: 'Report an incident (a visitor, from a page on an allowed origin)',
        description:
          '`Authorization: Visitor <visitorToken>`. Opens a conversation whose first message is the report, suggests a priority (P1–P3) and sets the response deadline (2 h, 24 h, 72 h, around the clock). The same `clientId` again answers the incident stored the first time (200). 10 reports per address per 100 s.',
        security: [{ visitor: [] }],
        body: reportSchema,
        response: {
          200: z.object({ incident: visitorIncidentSchema }),
          201: z.object({ incident: visitorIncidentSchema }),
          ...errors,
        },
      },
      config: { access: 'public' },
      // Who reports, and whether this address may now, is settled before the body is read.
      onRequest: async (request, reply) => {
        corsFor(request, reply);
        await limitByAddress(reports, request.ip);
        reporters.set(request, await authenticateVisitor(ctx, request));
      },
    },
    async (request, reply) => {
      const visitor = reporters.get(request)!;
      const { incident, created } = await ctx.incidents.report(visitor, request.body, request.headers['user-agent']);
      return reply.status(created ? 201 : 200).send({ incident: visitorIncidentView(incident) });
    },
  );

  api.get(
    '/v1/incidents',
    {
      schema: {
        tags: ['incidents'],
        summary: "The app's incidents, soonest deadline first",
        description:
          '`breached`: the deadline passed with no agent reply, or the first reply came after it; `breached=false` is everything else.',
        querystring: z.object({
          priority: z.enum(INCIDENT_PRIORITIES).optional(),
          status: z.enum(['open', 'resolved']).optional(),
          breached: booleanQuery.optional(),
          assignee: id.optional().describe('an agent id'),
          limit: limitQuery(200),
          cursor: cursorQuery,
        }),
        response: {
          200: z.object({ incidents: z.array(incidentSchema), nextCursor: z.string().nullable() }),
          ...errors,
        },
      },
      config: { access: 'read' },
    },
    async (request) => {
      const q = request.query;
      const keys = q.cursor ? decodeCursor(q.cursor, 2) : undefined;
      if (q.cursor && !keys) throw badCursor();
      const now = ctx.clock();
      const list = await ctx.store.incidents.list(principalOf(request).appId, {
        ...(q.priority ? { priority: q.priority } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.breached !== undefined ? { breached: q.breached } : {}),
        ...(q.assignee ? { assigneeId: q.assignee } : {}),
        ...(keys ? { after: { responseDueAt: keys[0]!, id: keys[1]! } } : {}),
        now: now.toISOString(),
        limit: q.limit,
      });
      const last = list.at(-1);
      return {
        incidents: list.map((i) => incidentView(i, now)),
        nextCursor: list.length === q.limit && last ? encodeCursor([last.responseDueAt, last.id]) : null,
      };
    },
  );

  api.get(
    '/v1/incidents/:id',
    {
      schema: {
        tags: ['incidents'],
        summary: 'One incident, with every field',
        params: idParams,
        response: { 200: z.object({ incident: incidentSchema }), ...errors },
      },
      config: { access: 'read' },
    },
    async (request) => ({
      incident: incidentView(await ctx.incidents.get(principalOf(request).appId, request.params.id), ctx.clock()),
    }),
  );

  api.patch(
    '/v1/incidents/:id',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Change its priority or status, or assign it',
        description:
          'A new priority moves `responseDueAt`, still counted from submission; `suggestedPriority` keeps what the rules said.',
        params: idParams,
        body: z
          .strictObject({
            priority: z.enum(INCIDENT_PRIORITIES).optional(),
            status: z.enum(['open', 'resolved']).optional(),
            assigneeId: id.nullable().optional(),
          })
          .refine((c) => Object.keys(c).length > 0, 'give a priority, a status or an assigneeId'),
        response: { 200: z.object({ incident: incidentSchema }), ...errors },
      },
      config: { access: 'write' },
    },
    async (request) => {
      const updated = await ctx.incidents.update(principalOf(request).appId, request.params.id, request.body);
      return { incident: incidentView(updated, ctx.clock()) };
    },
  );
}
