import { Icon, Linkified, listTime } from '@parley/ui';
import { useSignal } from '@preact/signals';
import type { Inbox, ReviewItem } from '../inbox.js';
import { ActionError } from './ActionError.js';
import { sureness } from './ThreadPane.js';

const sender = (c: ReviewItem['contact']) => c.name ?? c.email ?? `Visitor ${c.id.slice(-4)}`;

/**
 * The review queue (admins): everything screening flagged and nobody reviewed, oldest first,
 * with the rule, category and clause; cleared (a false alarm) or confirmed, it leaves at once.
 */
export function ReviewPage({ inbox }: { inbox: Inbox }) {
  if (inbox.me.agent.role !== 'admin') {
    return (
      <main id="thread" class="thread page denied">
        <h1>Admins only</h1>
        <p class="muted">The review queue is for admins of this app. Ask one to change your role if you need it.</p>
      </main>
    );
  }
  const items = inbox.review.value;
  return (
    <main id="thread" class="thread page" aria-labelledby="review-title">
      <header class="page-header">
        <h1 id="review-title">
          Review queue <span class="muted">{items?.length ?? ''}</span>
        </h1>
        <p class="muted">Messages screening flagged, oldest first. Clear a false alarm, or confirm the flag.</p>
      </header>
      {items === null ? (
        <ul class="review-list" aria-busy="true">
          <li class="review-item skeleton" />
          <li class="review-item skeleton" />
        </ul>
      ) : items.length === 0 ? (
        <p class="empty">Nothing is waiting for review.</p>
      ) : (
        <ul class="review-list">
          {items.map((item) => (
            <ReviewRow key={item.message.id} inbox={inbox} item={item} />
          ))}
        </ul>
      )}
    </main>
  );
}

function ReviewRow({ inbox, item }: { inbox: Inbox; item: ReviewItem }) {
  const error = useSignal<string | null>(null);
  const m = item.message;
  const decide = (decision: 'cleared' | 'confirmed') => {
    error.value = null;
    inbox.decide(m.id, decision).catch((err: Error) => {
      error.value = err.message;
    });
  };
  const notes = m.screening?.notes.filter((n) => n.action === 'flag') ?? [];
  return (
    <li class="review-item">
      <p class="review-meta">
        <strong>{sender(item.contact)}</strong> ·{' '}
        <time dateTime={m.createdAt} title={new Date(m.createdAt).toLocaleString()}>
          {listTime(m.createdAt, inbox.now.value)}
        </time>{' '}
        · <a href={`/console/open/c/${m.conversationId}`}>Open conversation</a>
      </p>
      <blockquote class="review-text">
        <Linkified text={m.text} />
      </blockquote>
      <ul class="review-rules">
        {notes.map((n) => (
          <li key={n.rule}>
            <span class="chip warning">
              <Icon name="flag" /> {n.category.replace(/_/g, ' ')}
            </span>{' '}
            <span class="muted">
              rule <code>{n.rule}</code>
              {sureness(n)} · {n.clause.document} {n.clause.ref}: {n.clause.reason}
            </span>
          </li>
        ))}
      </ul>
      <div class="review-actions">
        <button type="button" class="button" onClick={() => decide('cleared')}>
          <Icon name="check" /> Clear — a false alarm
        </button>
        <button type="button" class="button" onClick={() => decide('confirmed')}>
          <Icon name="flag" /> Confirm the flag
        </button>
        <ActionError error={error.value} />
      </div>
    </li>
  );
}
