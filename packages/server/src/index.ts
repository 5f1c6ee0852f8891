// Composition
export { createServer, LOG_REDACT, type ParleyServer, type RouteInfo, type ServerOptions } from './app.js';
export { signUserJwt, userHashFor } from './auth/identity.js';
export { type CliIo, runCli } from './cli/run.js';
export type { Clock } from './clock.js';
export { type Config, ConfigError, loadConfig, resolveSecret } from './config.js';
export { DEFAULT_LIMITS, type ServerLimits } from './context.js';
export { ParleyError } from './errors.js';
export { snippet } from './http/routes/widget.js';
// Privacy
export { APP_DATA, NOT_PERSONAL, PERSONAL_DATA, type PersonalTable } from './privacy/personal-data.js';
export { DEFAULT_RETENTION, type PurgeSummary, purgeExpired } from './privacy/retention.js';
export { cardVectors, evaluateHeldOut } from './screening/evaluation.js';
// Screening
export { DEFAULT_POLICY, type Policy, PolicyError, type PolicyRule, validatePolicy } from './screening/policy.js';
export { type CompiledPolicy, compilePolicy, screenText, summary, type Verdict } from './screening/screener.js';
export type { ScreenContext } from './screening/types.js';
// Storage
export { createPostgresStore, createSqliteStore, type PostgresOptions, type Store } from './store/index.js';
// Tenancy and identity
export { createAgent, createApp } from './tenancy/index.js';
