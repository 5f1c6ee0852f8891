import type { Logger } from 'pino';
import type { SecretBox } from './auth/secret-box.js';
import type { CsrfTokens } from './auth/session-cookie.js';
import type { VisitorTokens } from './auth/tokens.js';
import type { Clock } from './clock.js';
import type { ContactService } from './contacts/service.js';
import type { ConversationService } from './conversations/service.js';
import type { DomainEventBus } from './events.js';
import type { IncidentService } from './incidents/service.js';
import type { Metrics } from './metrics.js';
import type { SharedState, WindowLimit } from './platform/shared-state.js';
import { DEFAULT_RETENTION, type RetentionSettings } from './privacy/retention.js';
import type { PrivacyService } from './privacy/service.js';
import type { RateLimit } from './realtime/rate-limit.js';
import type { ScreeningService } from './screening/service.js';
import type { Store } from './store/index.js';
import type { AccessService } from './tenancy/index.js';
import { DEFAULT_WEBHOOK_SETTINGS, type WebhookSettings } from './webhooks/deliverer.js';
import type { WebhookService } from './webhooks/service.js';

export interface ServerLimits {
  /** Per connection (a token bucket: a connection lives on one node). */
  visitorRate: RateLimit;
  agentRate: RateLimit;
  /** Per client address, across the cluster: password guesses. */
  loginRate: WindowLimit;
  /** Failed sign-ins per email before that account is locked for the rest of the window. */
  loginFailures: WindowLimit;
  /** Per client address, across the cluster: file uploads. */
  uploadRate: WindowLimit;
  /** Per client address, across the cluster: incident reports. */
  reportRate: WindowLimit;
  /** Per API key or agent, across the cluster: REST requests. */
  apiRate: WindowLimit;
  webhooks: WebhookSettings;
  /** How long verdicts and the audit trail are kept; the apps set their conversations' own. */
  retention: RetentionSettings;
}

export const DEFAULT_LIMITS: ServerLimits = {
  // A person types a few messages a minute; these leave room for bursts of reads and typing.
  visitorRate: { perSecond: 10, burst: 30 },
  agentRate: { perSecond: 30, burst: 90 },
  loginRate: { points: 10, perSeconds: 100 },
  loginFailures: { points: 5, perSeconds: 900 },
  uploadRate: { points: 20, perSeconds: 40 },
  reportRate: { points: 10, perSeconds: 100 },
  apiRate: { points: 600, perSeconds: 60 },
  webhooks: DEFAULT_WEBHOOK_SETTINGS,
  retention: DEFAULT_RETENTION,
};

/** The parts every handler uses, built once by createServer. */
export interface ServerContext {
  store: Store;
  tokens: VisitorTokens;
  box: SecretBox;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  limits: ServerLimits;
  screening: ScreeningService;
  /** What every node must agree on: limits, counters, claims (memory on one node, Redis on several). */
  shared: SharedState;
  /** Services announce what they changed here; fan-out, metrics and webhooks listen. */
  events: DomainEventBus;
  conversations: ConversationService;
  incidents: IncidentService;
  /** Sign-in, sessions, tokens and API keys. */
  access: AccessService;
  /** CSRF tokens of the console's cookie sessions. */
  csrf: CsrfTokens;
  webhooks: WebhookService;
  contacts: ContactService;
  privacy: PrivacyService;
}
