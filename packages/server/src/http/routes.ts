import { LIMITS } from '@parley/sdk/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ServerContext } from '../context.js';
import { ParleyError } from '../errors.js';
import type { Readiness } from '../platform/readiness.js';
import type { KeyedLimiter } from '../platform/shared-state.js';
import { parse, text } from '../platform/validation.js';
import { appPolicy, setAppPolicy } from '../screening/admin.js';
import { loginAgent, updateApp } from '../tenancy.js';
import { agentView } from '../views.js';
import { authenticateAgentRequest } from './request-auth.js';

const loginSchema = z.strictObject({
  email: text(LIMITS.userEmailMaxChars).min(1),
  password: text(200).min(1),
});
const listQuery = z.object({
  status: z.enum(['open', 'closed']).optional(),
  before: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(LIMITS.conversationPageMax).optional(),
});
const historyQuery = z.object({
  beforeSeq: z.coerce.number().int().min(0).max(LIMITS.seqMax).optional(),
  afterSeq: z.coerce.number().int().min(0).max(LIMITS.seqMax).optional(),
  limit: z.coerce.number().int().min(1).max(LIMITS.pageMax).optional(),
});
const replySchema = z.strictObject({
  clientId: text(LIMITS.clientIdMaxChars).min(1),
  text: text(LIMITS.messageMaxChars).refine((t) => t.trim().length > 0, 'must not be empty'),
});

const appChangeSchema = z.strictObject({
  origins: z.array(text(300).min(1)).min(1).max(50).optional(),
  identityVerification: z.boolean().optional(),
  hipaaBaa: z.boolean().optional(),
  settings: z.record(text(64), text(500).nullable()).optional(),
});
const verdictQuery = z.object({
  before: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

/** Refuses with rate_limited when this address is over its budget (counted across the cluster). */
export async function limitByAddress(limiter: KeyedLimiter, address: string): Promise<void> {
  const wait = await limiter.take(address);
  if (wait > 0) {
    throw new ParleyError('rate_limited', `too many attempts; retry in ${Math.ceil(wait / 1000)} s`, {
      retryAfterMs: wait,
    });
  }
}

export interface HealthInfo {
  store: 'sqlite' | 'postgres';
  adapter: 'memory' | 'redis';
}

/** The REST surface (documented in docs/API.md). Errors use the wire codes as problem JSON. */
export function registerRoutes(
  app: FastifyInstance,
  ctx: ServerContext,
  readiness: Readiness,
  health: HealthInfo,
): void {
  // Liveness: the process runs and answers. Nothing it depends on is checked here, so a
  // database outage takes the node out of rotation (/readyz) without getting it restarted.
  app.get('/healthz', async () => ({ status: 'ok', ...health }));

  // Readiness: send this node work? 503 with every reason when not (store, Redis, draining).
  app.get('/readyz', async (_request, reply) => {
    const reasons = await readiness.reasons();
    reply.header('cache-control', 'no-store');
    if (reasons.length > 0) {
      ctx.metrics.inc('parley_not_ready_total', 'Readiness probes answered 503');
      reply.status(503);
      return { status: 'unavailable', reasons, ...health };
    }
    return { status: 'ready', ...health };
  });

  app.get('/metrics', async (_request, reply) => {
    reply.type('text/plain; version=0.0.4');
    return ctx.metrics.render();
  });

  const logins = ctx.shared.limiter('login', ctx.limits.loginRate);
  app.post('/v1/agents/login', async (request) => {
    await limitByAddress(logins, request.ip);
    const body = parse(loginSchema, request.body);
    return loginAgent(ctx.store, body.email, body.password, ctx.clock);
  });

  const agentOf = (request: FastifyRequest) => authenticateAgentRequest(ctx, request);

  app.get('/v1/me', async (request) => ({ agent: await agentOf(request) }));

  app.patch('/v1/app', async (request) => {
    const agent = await agentOf(request);
    if (agent.role !== 'admin') throw new ParleyError('forbidden', 'only admins change the app');
    const body = parse(appChangeSchema, request.body);
    const updated = await updateApp(ctx.store, agent.appId, body);
    ctx.screening.invalidate(agent.appId);
    return {
      app: {
        id: updated.id,
        name: updated.name,
        origins: updated.allowedOrigins,
        identityVerification: updated.identityVerification,
        settings: updated.settings,
      },
    };
  });

  const adminOf = async (request: FastifyRequest) => {
    const agent = await agentOf(request);
    if (agent.role !== 'admin') throw new ParleyError('forbidden', 'only admins manage screening');
    return agent;
  };

  app.get('/v1/app/policy', async (request) => {
    const { policy, isDefault } = await appPolicy(ctx.store, (await adminOf(request)).appId);
    return { policy, default: isDefault };
  });

  app.put('/v1/app/policy', async (request) => {
    const agent = await adminOf(request);
    const policy = await setAppPolicy(ctx.store, agent.appId, request.body, ctx.clock().toISOString());
    ctx.screening.invalidate(agent.appId);
    return { policy, default: false };
  });

  app.delete('/v1/app/policy', async (request) => {
    const agent = await adminOf(request);
    const policy = await setAppPolicy(ctx.store, agent.appId, null, ctx.clock().toISOString());
    ctx.screening.invalidate(agent.appId);
    return { policy, default: true };
  });

  app.get('/v1/screening/verdicts', async (request) => {
    const agent = await adminOf(request);
    const q = parse(verdictQuery, request.query);
    const verdicts = await ctx.store.screening.listVerdicts(agent.appId, { ...q, limit: q.limit ?? 50 });
    return { verdicts: verdicts.map(({ appId: _app, ...v }) => v) };
  });

  app.get('/v1/conversations', async (request) => {
    const agent = await agentOf(request);
    const q = parse(listQuery, request.query);
    const list = await ctx.store.conversations.listForApp(agent.appId, { ...q, limit: q.limit ?? 50 });
    return { conversations: list.map(agentView) };
  });

  const conversationOf = async (request: FastifyRequest) => {
    const agent = await agentOf(request);
    const { id } = request.params as { id: string };
    const conversation = await ctx.store.conversations.get(agent.appId, id);
    if (!conversation) throw new ParleyError('not_found', `conversation ${id} not found`);
    return { agent, conversation };
  };

  app.get('/v1/conversations/:id', async (request) => ({
    conversation: agentView((await conversationOf(request)).conversation),
  }));

  app.get('/v1/conversations/:id/messages', async (request) => {
    const { conversation } = await conversationOf(request);
    const q = parse(historyQuery, request.query);
    const limit = q.limit ?? LIMITS.pageDefault;
    return q.afterSeq !== undefined
      ? ctx.store.messages.after(conversation.id, q.afterSeq, limit)
      : ctx.store.messages.before(conversation.id, q.beforeSeq, limit);
  });

  app.post('/v1/conversations/:id/messages', async (request, reply) => {
    const { agent, conversation } = await conversationOf(request);
    const body = parse(replySchema, request.body);
    const result = await ctx.conversations.send({
      appId: agent.appId,
      author: { type: 'agent', id: agent.id, name: agent.name },
      conversationId: conversation.id,
      clientId: body.clientId,
      text: body.text,
    });
    reply.status(result.created ? 201 : 200);
    const updated = await ctx.store.conversations.get(agent.appId, conversation.id);
    return { message: result.message, conversation: agentView(updated ?? conversation) };
  });
}
