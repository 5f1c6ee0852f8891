import { z } from 'zod';
import type { ServerContext } from '../../context.js';
import type { Readiness } from '../../platform/readiness.js';
import type { Api } from '../api.js';

export interface HealthInfo {
  store: 'sqlite' | 'postgres';
  adapter: 'memory' | 'redis';
}

const health = { store: z.enum(['sqlite', 'postgres']), adapter: z.enum(['memory', 'redis']) };

/** Liveness, readiness and metrics: for load balancers, orchestrators and Prometheus. */
export function operationRoutes(api: Api, ctx: ServerContext, readiness: Readiness, info: HealthInfo): void {
  api.get(
    '/healthz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Liveness: the process runs and answers',
        description:
          'Nothing the node depends on is checked, so a database outage takes it out of rotation (/readyz) without getting it restarted.',
        security: [],
        response: { 200: z.object({ status: z.literal('ok'), ...health }) },
      },
      config: { access: 'public' },
    },
    async () => ({ status: 'ok' as const, ...info }),
  );

  api.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness: should this node get traffic?',
        description:
          '503 with every reason when the store or Redis cannot be reached, migrations are pending, or the node is draining.',
        security: [],
        response: {
          200: z.object({ status: z.literal('ready'), ...health }),
          503: z.object({ status: z.literal('unavailable'), reasons: z.array(z.string()), ...health }),
        },
      },
      config: { access: 'public' },
    },
    async (_request, reply) => {
      const reasons = await readiness.reasons();
      reply.header('cache-control', 'no-store');
      if (reasons.length > 0) {
        ctx.metrics.inc('parley_not_ready_total', 'Readiness probes answered 503');
        return reply.status(503).send({ status: 'unavailable' as const, reasons, ...info });
      }
      return { status: 'ready' as const, ...info };
    },
  );

  api.get(
    '/metrics',
    {
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics (text exposition format); no user content',
        security: [],
        produces: ['text/plain'],
      },
      config: { access: 'public' },
    },
    async (_request, reply) => {
      reply.type('text/plain; version=0.0.4');
      return ctx.metrics.render();
    },
  );
}
