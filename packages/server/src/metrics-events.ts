import type { ServerContext } from './context.js';

/** The metrics the domain events count: they listen like every other subscriber. */
export function subscribeMetrics(ctx: ServerContext): void {
  const { events, metrics } = ctx;
  events.on('message.created', ({ message }) =>
    metrics.inc('parley_messages_stored_total', 'Messages stored', { author: message.author.type }),
  );
  events.on('message.flagged', () => metrics.inc('parley_messages_flagged_total', 'Messages screening flagged'));
  events.on('conversation.created', () => metrics.inc('parley_conversations_created_total', 'Conversations started'));
  events.on('note.created', () => metrics.inc('parley_notes_created_total', 'Internal notes added'));
  events.on('incident.created', ({ incident }) =>
    metrics.inc('parley_incidents_reported_total', 'Incidents reported', { priority: incident.priority }),
  );
  events.on('incident.breached', ({ incident }) =>
    metrics.inc('parley_incidents_breached_total', 'Incidents whose deadline passed unanswered', {
      priority: incident.priority,
    }),
  );
}
