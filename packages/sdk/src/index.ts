// The entry for every runtime: Node, browsers, workers. Its types need no DOM library;
// what only a page can use (the messenger loader, the error collector, IndexedDB and
// localStorage stores) is in '@parley/sdk/browser', which also re-exports all of this.

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
export { type ConnectionState, newClientId, type TransportOptions } from './connection.js';
export { SECRET_PARAM_PATTERNS, scrubText, scrubUrl } from './error-context/scrub.js';
// Error context for incident reports: the scrubber (the collector is in the browser entry)
export type { ErrorCollector } from './error-context/types.js';
export { ParleyClientError } from './errors.js';
// The messenger widget's options and events (loadMessenger is in the browser entry)
export type {
  IncidentPrefill,
  Messenger,
  MessengerBootOptions,
  MessengerEvents,
  MessengerUpdate,
} from './messenger.js';
export { memoryOutbox, type OutboxEntry, type OutboxStore } from './outbox-store.js';
// The wire contract
export * from './protocol/index.js';
// Redaction before sending (the server screens again)
export { redactBeforeSending } from './screening/redact.js';

// Persistence
export { type KeyValueStorage, memoryStorage } from './storage.js';
