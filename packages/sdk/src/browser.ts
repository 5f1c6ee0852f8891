// The browser entry: everything of '@parley/sdk', and what only a page can use. Its types
// need the DOM library (lib: ["DOM"]).

export {
  CONTEXT_LIMITS,
  type CollectorOptions,
  type ErrorRecorder,
  prefersNoTracking,
  snapshotOf,
  startErrorCollector,
  startErrorRecorder,
} from './error-context/collector.js';
export * from './index.js';
export { indexedDbOutbox } from './indexeddb-outbox.js';
export { loadMessenger } from './messenger.js';
export { browserStorage } from './storage.js';
