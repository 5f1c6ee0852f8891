import { type IncidentPriority, PRIORITY_RESPONSE_HOURS } from '@parley/sdk/protocol';

// Shared with the widget, which tells the reporter the outcome as they answer.
export { suggestPriority } from '@parley/sdk/protocol';

/**
 * When a response is due: submission plus the target, counted around the clock (section A says
 * support runs 24/7, so nights and weekends count). A priority change moves the deadline, still
 * counted from submission.
 */
export function responseDueAt(submittedAt: Date, priority: IncidentPriority): Date {
  return new Date(submittedAt.getTime() + PRIORITY_RESPONSE_HOURS[priority] * 3_600_000);
}

/** Breached: the deadline passed with no agent reply, or the first reply came after it. */
export function isBreached(dueAt: Date, firstResponseAt: Date | null, now: Date): boolean {
  return firstResponseAt ? firstResponseAt.getTime() > dueAt.getTime() : now.getTime() > dueAt.getTime();
}
