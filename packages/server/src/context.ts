import type { Logger } from 'pino';
import type { SecretBox } from './auth/secret-box.js';
import type { VisitorTokens } from './auth/tokens.js';
import type { Clock } from './clock.js';
import type { Metrics } from './metrics.js';
import type { RateLimit } from './realtime/rate-limit.js';
import type { ScreeningService } from './screening/service.js';
import type { Store } from './store/index.js';

export interface ServerLimits {
  visitorRate: RateLimit;
  agentRate: RateLimit;
  /** Per client address: password guesses. */
  loginRate: RateLimit;
  /** Per client address: file uploads. */
  uploadRate: RateLimit;
  /** Per client address: incident reports. */
  reportRate: RateLimit;
}

export const DEFAULT_LIMITS: ServerLimits = {
  // A person types a few messages a minute; these leave room for bursts of reads and typing.
  visitorRate: { perSecond: 10, burst: 30 },
  agentRate: { perSecond: 30, burst: 90 },
  loginRate: { perSecond: 0.1, burst: 10 },
  uploadRate: { perSecond: 0.5, burst: 20 },
  reportRate: { perSecond: 0.1, burst: 10 },
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
}
