import type { IncidentPriority } from '@parley/sdk/protocol';
import { shortDuration } from '@parley/ui';

/** The support policy's response windows: P1 2 hours, P2 1 day, P3 3 days, around the clock. */
export const RESPONSE_WINDOW_MS: Record<IncidentPriority, number> = {
  P1: 2 * 3600_000,
  P2: 24 * 3600_000,
  P3: 72 * 3600_000,
};

export type DeadlineState = 'on_track' | 'due_soon' | 'overdue' | 'met' | 'missed' | 'stopped';

export interface Deadline {
  state: DeadlineState;
  /** The chip's words: "1h 40m left", "Overdue 12m", "Replied in 48m". */
  label: string;
  /** The due time, for hover, focus and the card: "due 16:30 today". */
  due: string;
}

export interface DeadlineInput {
  priority: IncidentPriority;
  createdAt: string;
  responseDueAt: string;
  firstResponseAt?: string | null;
  /** Resolved without a reply: the clock stops. */
  stopped?: boolean;
}

function dueLabel(due: Date, now: Date): string {
  const time = due.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  const sameDay = due.toDateString() === now.toDateString();
  return sameDay
    ? `due ${time} today`
    : `due ${due.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short' })} ${time}`;
}

/**
 * Where an incident stands against its response deadline (UX.md §1.3): on track, due soon (a
 * quarter of the window or less left), overdue (counting up), or, once answered, met or missed
 * (frozen).
 */
export function deadlineOf(input: DeadlineInput, now: Date): Deadline {
  const due = new Date(input.responseDueAt);
  const created = Date.parse(input.createdAt);
  const dueText = dueLabel(due, now);
  if (input.firstResponseAt) {
    const at = Date.parse(input.firstResponseAt);
    return at <= due.getTime()
      ? { state: 'met', label: `Replied in ${shortDuration(at - created)}`, due: dueText }
      : { state: 'missed', label: `Replied ${shortDuration(at - due.getTime())} late`, due: dueText };
  }
  if (input.stopped) return { state: 'stopped', label: 'Resolved without a reply', due: dueText };
  const left = due.getTime() - now.getTime();
  if (left <= 0) return { state: 'overdue', label: `Overdue ${shortDuration(-left)}`, due: dueText };
  const quarter = RESPONSE_WINDOW_MS[input.priority] / 4;
  return { state: left <= quarter ? 'due_soon' : 'on_track', label: `${shortDuration(left)} left`, due: dueText };
}
