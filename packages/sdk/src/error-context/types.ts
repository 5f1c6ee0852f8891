import type { EnvironmentInfo, ErrorContext } from '../protocol/index.js';

/**
 * A running error collector (startErrorCollector, in the browser entry). Declared apart from
 * the collector so that clients can take one without their types needing the DOM library.
 */
export interface ErrorCollector {
  /** What would be attached now: a copy, scrubbed and within the limits. */
  snapshot(): ErrorContext & { environment: EnvironmentInfo };
  /** Restores every global it wrapped and stops listening. */
  stop(): void;
}
