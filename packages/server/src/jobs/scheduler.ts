import type { ServerContext } from '../context.js';
import { IDEMPOTENCY_TTL_MS } from '../http/idempotency.js';
import { purgeExpired } from '../privacy/retention.js';

export interface Job {
  name: string;
  /** How often it runs, on every node (each job is safe to run on several at once). */
  everyMs: number;
  run(ctx: ServerContext): Promise<unknown>;
}

/** The work the server does on its own. */
export const JOBS: Job[] = [
  {
    // Incidents whose deadline passed unanswered: `incident.breached`, once each, whichever node.
    name: 'incident-breaches',
    everyMs: 15_000,
    run: (ctx) => ctx.incidents.announceBreaches(),
  },
  {
    // Retention (privacy/retention.ts): what is past its time goes; one node at a time.
    name: 'retention-purge',
    everyMs: 3600_000,
    run: (ctx) => purgeExpired(ctx.store, ctx.clock, ctx.limits.retention),
  },
  {
    name: 'idempotency-purge',
    everyMs: 3600_000,
    run: (ctx) => ctx.store.idempotency.purge(new Date(ctx.clock().getTime() - IDEMPOTENCY_TTL_MS).toISOString()),
  },
];

export interface Scheduler {
  /** Runs one job now (tests drive time with an injected clock and call this). */
  run(name: string): Promise<unknown>;
  stop(): void;
}

/**
 * Runs each job on its interval. A run that fails is logged and tried again next time; a run
 * still going when the next is due is not started twice.
 */
export function startJobs(ctx: ServerContext, jobs: Job[], options: { schedule: boolean }): Scheduler {
  const running = new Set<string>();
  const runJob = async (job: Job) => {
    if (running.has(job.name)) return undefined;
    running.add(job.name);
    try {
      return await job.run(ctx);
    } catch (err) {
      ctx.log.error({ err, job: job.name }, `job ${job.name} failed; it runs again later`);
      throw err;
    } finally {
      running.delete(job.name);
    }
  };
  const timers = options.schedule
    ? jobs.map((job) => {
        const timer = setInterval(() => void runJob(job).catch(() => undefined), job.everyMs);
        timer.unref();
        return timer;
      })
    : [];
  return {
    run(name) {
      const job = jobs.find((j) => j.name === name);
      if (!job) return Promise.reject(new Error(`no job ${name}`));
      return runJob(job);
    },
    stop() {
      for (const t of timers) clearInterval(t);
    },
  };
}
