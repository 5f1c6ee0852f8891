import type { SecretBox } from './auth/secret-box.js';
import type { Clock } from './clock.js';
import { ParleyError } from './errors.js';
import type { SharedState } from './platform/shared-state.js';
import type { Store } from './store/index.js';
import { createAgent, createApp } from './tenancy/index.js';

export interface DemoInfo {
  appId: string;
  identitySecret: string;
  agentEmail: string;
  agentPassword: string;
  agentToken: string;
}

export const DEMO_AGENT_EMAIL = 'demo@parley.local';

/**
 * On a fresh store, creates the demo app (allowed on this server's own origin, where /demo is
 * served: that one is always allowed, whatever host and port the server runs on later) and an
 * admin agent, so a person can try Parley right away. Does nothing otherwise. Several nodes
 * starting together on one fresh database create it once: the first to claim it does.
 */
export async function ensureDemo(
  store: Store,
  box: SecretBox,
  clock: Clock,
  baseUrl: string,
  shared: SharedState,
): Promise<DemoInfo | undefined> {
  if ((await store.apps.count()) > 0) return undefined;
  if (!(await shared.claim('demo-setup', 60_000))) return undefined;
  if ((await store.apps.count()) > 0) return undefined;
  const url = new URL(baseUrl);
  const origins = [url.origin];
  if (url.hostname === '127.0.0.1') origins.push(`${url.protocol}//localhost:${url.port}`);
  if (url.hostname === 'localhost') origins.push(`${url.protocol}//127.0.0.1:${url.port}`);
  const { app, identitySecret } = await createApp(
    store,
    box,
    {
      name: 'Acme Analytics',
      origins,
      settings: {
        demo: true,
        replyTime: 'minutes',
        greeting: 'Ask us anything, or report a problem and we will look into it.',
      },
    },
    clock,
  );
  let agent: Awaited<ReturnType<typeof createAgent>>;
  try {
    agent = await createAgent(
      store,
      { appId: app.id, email: DEMO_AGENT_EMAIL, name: 'Demo Agent', role: 'admin' },
      clock,
    );
  } catch (err) {
    // Another node, started at the same moment without a shared claim (no Redis), set it up first.
    if (!(err instanceof ParleyError && err.code === 'conflict')) throw err;
    await store.apps.removeEmpty(app.id);
    return undefined;
  }
  const { password, token } = agent;
  return { appId: app.id, identitySecret, agentEmail: DEMO_AGENT_EMAIL, agentPassword: password, agentToken: token };
}
