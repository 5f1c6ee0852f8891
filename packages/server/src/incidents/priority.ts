import { type IncidentImpact, type IncidentPriority, PRIORITY_RESPONSE_HOURS } from '@parley/sdk/protocol';

/**
 * The priority section C of the support policy gives an incident:
 * - P1: the platform is not responding or serving content, for a large number of users, with
 *   no workaround;
 * - P2: the platform responds but is degraded, or the impact is potentially severe for several
 *   users (a P1 situation with a workaround, or for fewer users, lands here);
 * - P3: everything else (no significant impact on the platform).
 */
export function suggestPriority(impact: IncidentImpact): IncidentPriority {
  if (impact.platformState === 'down' && impact.usersAffected === 'many' && !impact.workaround) return 'P1';
  if (impact.platformState === 'down' || impact.platformState === 'degraded') return 'P2';
  if (impact.usersAffected !== 'one' && !impact.workaround) return 'P2';
  return 'P3';
}

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
