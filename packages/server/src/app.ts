import type { AddressInfo } from 'node:net';
import fastifyCookie from '@fastify/cookie';
import { LIMITS } from '@parley/sdk/protocol';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import pino, { type Logger } from 'pino';
import { Server } from 'socket.io';
import { SecretBox } from './auth/secret-box.js';
import { CsrfTokens } from './auth/session-cookie.js';
import { VisitorTokens } from './auth/tokens.js';
import { type Clock, systemClock } from './clock.js';
import { ContactService } from './contacts/service.js';
import { DEFAULT_LIMITS, type ServerContext, type ServerLimits } from './context.js';
import { ConversationService } from './conversations/service.js';
import { DomainEventBus } from './events.js';
import { registerApiDocs } from './http/api.js';
import { registerAudit } from './http/audit.js';
import { registerAuth } from './http/auth.js';
import { clientErrorHandler, frameworkErrors, registerHttpErrors, serializeRequest } from './http/http-errors.js';
import { registerIdempotency } from './http/idempotency.js';
import { agentRoutes } from './http/routes/agents.js';
import { apiKeyRoutes } from './http/routes/api-keys.js';
import { appRoutes } from './http/routes/app.js';
import { attachmentRoutes } from './http/routes/attachments.js';
import { auditRoutes } from './http/routes/audit.js';
import { consoleRoutes } from './http/routes/console.js';
import { contactRoutes } from './http/routes/contacts.js';
import { conversationRoutes } from './http/routes/conversations.js';
import { incidentRoutes } from './http/routes/incidents.js';
import { operationRoutes } from './http/routes/operations.js';
import { reviewRoutes } from './http/routes/review.js';
import { webhookRoutes } from './http/routes/webhooks.js';
import { widgetRoutes } from './http/routes/widget.js';
import { IncidentService } from './incidents/service.js';
import { JOBS, type Scheduler, startJobs } from './jobs/scheduler.js';
import { Metrics } from './metrics.js';
import { subscribeMetrics } from './metrics-events.js';
import { Readiness } from './platform/readiness.js';
import { connectRedis, type RedisClient } from './platform/redis.js';
import { MemorySharedState, RedisSharedState, type SharedState } from './platform/shared-state.js';
import { PrivacyService } from './privacy/service.js';
import { registerAgentNamespace } from './realtime/agent-namespace.js';
import { coalesceWrites } from './realtime/coalesce.js';
import { subscribeFanout } from './realtime/fanout.js';
import type { AgentNamespace, VisitorNamespace } from './realtime/rooms.js';
import { registerVisitorNamespace } from './realtime/visitor-namespace.js';
import { ScreeningService } from './screening/service.js';
import type { Store } from './store/index.js';
import { AccessService } from './tenancy/index.js';
import { WebhookDeliverer, type WebhookSettings } from './webhooks/deliverer.js';
import { WebhookService } from './webhooks/service.js';

export interface ServerOptions {
  store: Store;
  /** Signs visitor tokens and encrypts app secrets; at least 32 characters. */
  secret: string;
  logger?: Logger;
  clock?: Clock;
  limits?: Partial<Omit<ServerLimits, 'webhooks'>> & { webhooks?: Partial<WebhookSettings> };
  /** Share rooms and limits with other nodes through Redis. */
  redisUrl?: string;
  /** How long to wait for Redis at start before failing (default 10 s). */
  redisConnectTimeoutMs?: number;
  /**
   * Prefix of every key, stream and channel this deployment uses in Redis (default `parley:`),
   * so that several deployments (or test runs) can share one Redis.
   */
  redisPrefix?: string;
  /** The built widget files, served under /widget/ (packages/widget/dist). */
  widgetDir?: string;
  /** The built console, served at /console (packages/console/dist). */
  consoleDir?: string;
  /** Run the scheduled jobs (breach announcements, purges) on their intervals (default true). */
  jobs?: boolean;
  /**
   * Screen content against the apps' acceptable use policies before storing it (default true).
   * Off only to measure what screening costs (`pnpm bench`): never in production.
   */
  screening?: boolean;
}

export interface RouteInfo {
  method: string;
  url: string;
  hidden: boolean;
  /** What it needs (`config.access`); undefined for pages and the document itself. */
  access: string | undefined;
  /** It declares a request body schema. */
  hasBody: boolean;
}

export interface ParleyServer {
  fastify: FastifyInstance;
  io: Server;
  context: ServerContext;
  readiness: Readiness;
  jobs: Scheduler;
  /** Every HTTP route registered, with whether the API document leaves it out (pages, files). */
  routes: RouteInfo[];
  /** Listens and returns the base URL, e.g. http://127.0.0.1:3000. */
  listen(port: number, host: string): Promise<string>;
  /** Stops taking work: /readyz answers 503 from now on; close() follows. */
  drain(): void;
  close(): Promise<void>;
}

/** Reported in the OpenAPI document. */
export const SERVER_VERSION = '0.1.0';

/** Never written to a log: credentials, and the request paths that are capabilities. */
export const LOG_REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.token',
  '*.visitorToken',
];

/**
 * The composition root: builds the HTTP app and the Socket.IO server on one port from the
 * parts it is given. main.ts gives it the real environment; tests give it their own.
 */
export async function createServer(options: ServerOptions): Promise<ParleyServer> {
  if (options.secret.length < 32) throw new Error('secret must be at least 32 characters');
  const log = options.logger ?? pino({ level: 'info', redact: LOG_REDACT });
  const clock = options.clock ?? systemClock;

  let redis: RedisClient | undefined;
  if (options.redisUrl) {
    redis = await connectRedis(options.redisUrl, log, {
      ...(options.redisConnectTimeoutMs ? { connectTimeoutMs: options.redisConnectTimeoutMs } : {}),
    });
  }
  const now = () => clock().getTime();
  const prefix = options.redisPrefix ?? 'parley:';
  const shared: SharedState = redis ? new RedisSharedState(redis, prefix, now) : new MemorySharedState(now);
  const base = {
    store: options.store,
    tokens: new VisitorTokens(options.secret),
    box: new SecretBox(options.secret),
    csrf: new CsrfTokens(options.secret),
    clock,
    log,
    metrics: new Metrics(),
    limits: {
      ...DEFAULT_LIMITS,
      ...options.limits,
      webhooks: { ...DEFAULT_LIMITS.webhooks, ...options.limits?.webhooks },
    },
    screening: new ScreeningService(options.store, clock, log, shared, {
      enabled: options.screening !== false,
      cacheMs: 30_000,
    }),
    shared,
    events: new DomainEventBus(log),
  };
  // The services take the context they belong to.
  const context = base as ServerContext;
  context.conversations = new ConversationService(context);
  context.incidents = new IncidentService(context);
  context.access = new AccessService(options.store, clock);
  context.webhooks = new WebhookService(context);
  context.contacts = new ContactService(context);
  context.privacy = new PrivacyService(context);
  const deliverer = new WebhookDeliverer(context);
  context.events.on('webhook.queued', () => deliverer.wake());
  if (context.limits.webhooks.allowPrivateNetwork) {
    log.warn('webhooks may be delivered to private, loopback and plain-http addresses (development setting)');
  }
  const readiness = new Readiness(options.store, redis);

  const fastify = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    bodyLimit: 1_048_576,
    frameworkErrors,
    clientErrorHandler,
    // Attachment URLs are capabilities: the request log shows their route, never the id.
    childLoggerFactory: (logger, bindings, opts) =>
      logger.child(bindings, { ...opts, serializers: { ...opts.serializers, req: serializeRequest } }),
  });
  registerHttpErrors(fastify);
  const routes: RouteInfo[] = [];
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      const schema = route.schema as { hide?: boolean; body?: unknown } | undefined;
      routes.push({
        method,
        url: route.url,
        hidden: schema?.hide === true,
        access: (route.config as { access?: string } | undefined)?.access,
        hasBody: schema?.body !== undefined,
      });
    }
  });

  const io = new Server(fastify.server, {
    maxHttpBufferSize: LIMITS.maxFrameBytes,
    // Cross-origin polling needs CORS headers; which origins may connect is decided per app
    // in the namespace middleware, where the app is known.
    cors: { origin: true, credentials: false },
    serveClient: false,
    ...(redis
      ? {
          adapter: createAdapter(redis, {
            streamName: `${prefix}socket.io`,
            channelPrefix: `${prefix}socket.io`,
            sessionKeyPrefix: `${prefix}sio:session:`,
          }),
        }
      : {}),
  });
  coalesceWrites(io);
  const visitors = io.of('/visitor') as unknown as VisitorNamespace;
  const agents = io.of('/agent') as unknown as AgentNamespace;
  subscribeFanout(context, visitors, agents, redis !== undefined);
  subscribeMetrics(context);
  registerVisitorNamespace(visitors, context);
  registerAgentNamespace(agents, context);
  if (redis) {
    // A policy or app change made through one node reaches the others' caches at once.
    io.on('parley:invalidate', (appId: unknown) => {
      if (typeof appId === 'string') context.screening.dropCached(appId);
    });
    context.screening.onInvalidate((appId) => io.serverSideEmit('parley:invalidate', appId));
    io.on('parley:invalidate-webhooks', (appId: unknown) => {
      if (typeof appId === 'string') context.webhooks.dropCached(appId);
    });
    context.webhooks.onInvalidate((appId) => io.serverSideEmit('parley:invalidate-webhooks', appId));
  }

  // The REST API: routes by resource, each declaring its schemas and what access it needs;
  // the OpenAPI document is generated from those declarations.
  await fastify.register(fastifyCookie);
  await registerApiDocs(fastify, SERVER_VERSION);
  registerAuth(fastify, context);
  registerAudit(fastify, context);
  registerIdempotency(fastify, context);
  const api = fastify.withTypeProvider<ZodTypeProvider>();
  operationRoutes(api, context, readiness, { store: options.store.kind, adapter: redis ? 'redis' : 'memory' });
  agentRoutes(api, context);
  apiKeyRoutes(api, context);
  appRoutes(api, context);
  conversationRoutes(api, context);
  reviewRoutes(api, context);
  contactRoutes(api, context);
  auditRoutes(api, context);
  incidentRoutes(api, context);
  webhookRoutes(api, context);
  attachmentRoutes(api, context);
  consoleRoutes(api, context, options.consoleDir ? { consoleDir: options.consoleDir } : {});
  widgetRoutes(api, context, {
    ...(options.widgetDir ? { widgetDir: options.widgetDir } : {}),
    demoAppId: async () => (await options.store.apps.list()).find((a) => a.settings.demo === true)?.id,
  });

  const jobs = startJobs(
    context,
    [
      ...JOBS,
      // Polled as well as woken: retries fall due, and other nodes write to the same outbox.
      { name: 'webhook-deliveries', everyMs: 1000, run: () => deliverer.run() },
    ],
    { schedule: options.jobs !== false },
  );

  let closed = false;
  return {
    fastify,
    io,
    context,
    readiness,
    jobs,
    routes,
    async listen(port, host) {
      await fastify.listen({ port, host });
      const address = fastify.server.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return `http://${shownHost}:${address.port}`;
    },
    drain() {
      readiness.drain(clock());
    },
    async close() {
      if (closed) return;
      closed = true;
      readiness.drain(clock());
      jobs.stop();
      deliverer.stop();
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await fastify.close();
      if (redis) await redis.quit().catch(() => redis?.destroy());
    },
  };
}
