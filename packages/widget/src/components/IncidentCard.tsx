import { type ConversationIncident, PRIORITY_RESPONSE_HOURS } from '@parley/sdk/protocol';
import { sameDay } from '@parley/ui';
import type { Strings } from '../strings.js';

/** "16:30" today, "Tue 09:00" on another day: when a reply is due, in the visitor's time. */
export function dueBy(iso: string, now = new Date()): string {
  const d = new Date(iso);
  const time = d.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' });
  return sameDay(d, now) ? time : `${d.toLocaleDateString(undefined, { weekday: 'short' })} ${time}`;
}

/** "We aim to reply within 2 hours, by 16:30." */
export const promise = (strings: Strings, i: Pick<ConversationIncident, 'priority' | 'responseDueAt'>) =>
  strings.aimToReply(strings.within(PRIORITY_RESPONSE_HOURS[i.priority]), dueBy(i.responseDueAt));

/**
 * The report at the top of its conversation (UX.md §2.2): its reference, what it is about, its
 * priority, and where it stands: the reply we aim for, answered, late, or resolved.
 */
export function IncidentCard(props: {
  incident: ConversationIncident;
  answered: string | undefined;
  strings: Strings;
}) {
  const { incident: i, strings } = props;
  // The first answer: as the server last said, or as it arrived in the thread since.
  const answered = i.firstResponseAt ?? props.answered;
  const where =
    i.status === 'resolved'
      ? strings.resolved
      : answered
        ? strings.answeredAt(dueBy(answered))
        : Date.parse(i.responseDueAt) < Date.now()
          ? strings.late
          : promise(strings, i);
  return (
    <section class="incident-card" aria-label={`${strings.problemReported} #${i.number}`}>
      <p class="incident-title">
        {strings.problemReported} <span class="ref">#{i.number}</span>
        <span class={`prio ${i.priority.toLowerCase()}`}>{i.priority}</span>
      </p>
      <p class="incident-area">
        <bdi>{i.area}</bdi>
      </p>
      <p class="incident-where">{where}</p>
    </section>
  );
}
