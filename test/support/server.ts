import { randomBytes } from 'node:crypto';
import {
  type AgentClient,
  type AgentClientOptions,
  type ClientOptions,
  createAgentClient,
  createClient,
  type ParleyClient,
} from '@parley/sdk';
import {
  type Clock,
  createAgent,
  createApp,
  createServer,
  type ParleyServer,
  type ServerOptions,
  type Store,
} from '@parley/server';
import pino, { type Logger } from 'pino';
import type { RawStore, StoreKit } from './stores.js';

// A loopback origin: Chromium blocks a public page from reaching the loopback server (Private
// Network Access), as it would in production with a public host and a public Parley.
export const TEST_ORIGIN = 'http://shop.localhost:8080';

export interface TestApp {
  id: string;
  identitySecret: string;
  agentToken: string;
  agentId: string;
}

export interface Parley {
  url: string;
  /** This server's Redis key prefix, for another node of the same cluster. */
  redisPrefix: string;
  server: ParleyServer;
  store: Store;
  /** The store read behind its back (absent for a store a test passed in). */
  raw: RawStore | undefined;
  app: TestApp;
  /** Another app with its own agent, for isolation tests. */
  newApp(options?: {
    identityVerification?: boolean;
    origins?: string[];
    settings?: Record<string, unknown>;
  }): Promise<TestApp>;
  visitor(options?: Partial<ClientOptions>): ParleyClient;
  agent(options?: Partial<AgentClientOptions>): AgentClient;
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  /** Run the scheduled jobs on their intervals (default true). */
  jobs?: boolean;
  /** Where the server logs (silent unless PARLEY_TEST_LOG names a level). */
  logger?: Logger;
  limits?: ServerOptions['limits'];
  redisUrl?: string;
  /** Keys in Redis: a fresh prefix per server unless given (nodes of one cluster share one). */
  redisPrefix?: string;
  /** Share a store with another server (multi-node tests); the caller closes it. */
  store?: Store;
  /** Serve the built widget from here. */
  widgetDir?: string;
  /** Serve the built console from here. */
  consoleDir?: string;
  /** Make the test app the /demo app, allowed on the server's own origin too. */
  demoApp?: boolean;
  /** More origins the test app allows. */
  extraOrigins?: string[];
}

/** A real server on 127.0.0.1 port 0 over a real store, with one app and one agent in it. */
export async function startParley(kit: StoreKit, options: StartOptions = {}): Promise<Parley> {
  const opened = options.store ? { store: options.store, raw: undefined, cleanup: async () => {} } : await kit.open();
  const store = opened.store;
  const redisPrefix = options.redisPrefix ?? `parley-test-${randomBytes(6).toString('hex')}:`;
  const server = await createServer({
    store,
    secret: randomBytes(32).toString('hex'),
    logger: options.logger ?? pino({ level: process.env.PARLEY_TEST_LOG ?? 'silent' }),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.redisUrl ? { redisUrl: options.redisUrl, redisPrefix } : {}),
    ...(options.widgetDir ? { widgetDir: options.widgetDir } : {}),
    ...(options.consoleDir ? { consoleDir: options.consoleDir } : {}),
    ...(options.jobs === false ? { jobs: false } : {}),
  });
  const url = await server.listen(0, '127.0.0.1');
  const clock = options.clock ?? (() => new Date());
  const clients: { close(): void }[] = [];

  const newApp = async (
    o: { identityVerification?: boolean; origins?: string[]; settings?: Record<string, unknown> } = {},
  ): Promise<TestApp> => {
    const { app, identitySecret } = await createApp(
      store,
      server.context.box,
      {
        name: 'Test shop',
        origins: o.origins ?? [TEST_ORIGIN],
        identityVerification: o.identityVerification ?? false,
        ...(o.settings ? { settings: o.settings } : {}),
      },
      clock,
    );
    const { agent, token } = await createAgent(
      store,
      { appId: app.id, email: `agent-${randomBytes(4).toString('hex')}@shop.test`, name: 'Alex Agent', role: 'admin' },
      clock,
    );
    return { id: app.id, identitySecret, agentToken: token, agentId: agent.id };
  };
  const app = await newApp(
    options.demoApp
      ? {
          origins: [TEST_ORIGIN, new URL(url).origin, ...(options.extraOrigins ?? [])],
          settings: { demo: true, greeting: 'Hi! Ask us anything.' },
        }
      : {},
  );

  return {
    url,
    redisPrefix,
    server,
    store,
    raw: opened.raw,
    app,
    newApp,
    visitor(o = {}) {
      const client = createClient({
        url,
        appId: app.id,
        origin: TEST_ORIGIN,
        reconnectionDelayMs: 50,
        reconnectionDelayMaxMs: 200,
        ...o,
      });
      clients.push(client);
      return client;
    },
    agent(o = {}) {
      const client = createAgentClient({
        url,
        token: app.agentToken,
        reconnectionDelayMs: 50,
        reconnectionDelayMaxMs: 200,
        ...o,
      });
      clients.push(client);
      return client;
    },
    async close() {
      for (const c of clients) c.close();
      await server.close();
      await opened.cleanup();
    },
  };
}
