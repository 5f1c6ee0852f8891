// Headless clients

export {
  type AgentClient,
  type AgentClientEvents,
  type AgentClientOptions,
  createAgentClient,
  type IncidentListQuery,
} from './agent-client.js';
export {
  type ClientEvents,
  type ClientOptions,
  createClient,
  type IncidentInput,
  type ParleyClient,
  type SendOptions,
} from './client.js';
export type { ConnectionState, TransportOptions } from './connection.js';
// Error context for incident reports
export {
  CONTEXT_LIMITS,
  type CollectorOptions,
  type ErrorCollector,
  type ErrorRecorder,
  prefersNoTracking,
  snapshotOf,
  startErrorCollector,
  startErrorRecorder,
} from './error-context/collector.js';
export { SECRET_PARAM_PATTERNS, scrubText, scrubUrl } from './error-context/scrub.js';
export { ParleyClientError } from './errors.js';
// The messenger widget, from npm
export {
  type IncidentPrefill,
  loadMessenger,
  type Messenger,
  type MessengerBootOptions,
  type MessengerEvents,
  type MessengerUpdate,
} from './messenger.js';
export { indexedDbOutbox, memoryOutbox, type OutboxEntry, type OutboxStore } from './outbox-store.js';
// The wire contract
export * from './protocol/index.js';
// Redaction before sending (the server screens again)
export { redactBeforeSending } from './screening/redact.js';

// Persistence
export { browserStorage, type KeyValueStorage, memoryStorage } from './storage.js';
