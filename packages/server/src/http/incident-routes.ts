import { INCIDENT_LIMITS } from '@parley/sdk/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServerContext } from '../context.js';
import { ParleyError } from '../errors.js';
import { decodeCursor, encodeCursor, incidentChangeSchema, incidentListQuery } from '../incidents/report.js';
import { parse } from '../platform/validation.js';
import { incidentView, visitorIncidentView } from '../views.js';
import { authenticateAgentRequest, authenticateVisitor, corsFor, preflight } from './request-auth.js';
import { limitByAddress } from './routes.js';

/**
 * Incidents (docs/API.md): a visitor reports one over HTTP — its context can be far larger
 * than a socket frame — and agents list, read and re-prioritise them.
 */
export function registerIncidentRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.options('/v1/incidents', preflight('POST', 'authorization, content-type'));

  const reports = ctx.shared.limiter('report', ctx.limits.reportRate);
  app.post('/v1/incidents', { bodyLimit: INCIDENT_LIMITS.bodyMaxBytes }, async (request, reply) => {
    corsFor(request, reply);
    await limitByAddress(reports, request.ip);
    const visitor = await authenticateVisitor(ctx, request);
    const { incident, created } = await ctx.incidents.report(visitor, request.body, request.headers['user-agent']);
    reply.status(created ? 201 : 200);
    return { incident: visitorIncidentView(incident) };
  });

  const agentOf = (request: FastifyRequest) => authenticateAgentRequest(ctx, request);
  const incidentOf = async (request: FastifyRequest) => {
    const agent = await agentOf(request);
    const { id } = request.params as { id: string };
    const incident = await ctx.store.incidents.get(agent.appId, id);
    if (!incident) throw new ParleyError('not_found', `incident ${id} not found`);
    return incident;
  };

  app.get('/v1/incidents', async (request) => {
    const agent = await agentOf(request);
    const q = parse(incidentListQuery, request.query);
    const limit = q.limit ?? 50;
    const now = ctx.clock();
    const list = await ctx.store.incidents.list(agent.appId, {
      ...(q.priority ? { priority: q.priority } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(q.breached ? { breached: q.breached === 'true' } : {}),
      ...(q.cursor ? { after: decodeCursor(q.cursor) } : {}),
      now: now.toISOString(),
      limit,
    });
    const last = list.at(-1);
    return {
      incidents: list.map((i) => incidentView(i, now)),
      nextCursor: list.length === limit && last ? encodeCursor(last) : null,
    };
  });

  app.get('/v1/incidents/:id', async (request) => ({ incident: incidentView(await incidentOf(request), ctx.clock()) }));

  app.patch('/v1/incidents/:id', async (request) => {
    const incident = await incidentOf(request);
    const change = parse(incidentChangeSchema, request.body);
    const updated = await ctx.incidents.update(incident.appId, incident.id, change);
    return { incident: incidentView(updated, ctx.clock()) };
  });
}
