import { dayKey, dayLabel, fileSize, formatTime, Linkified } from '@parley/ui';
import { useEffect, useRef } from 'preact/hooks';
import type { WidgetContext } from '../context.js';
import type { ThreadMessage, ThreadModel } from '../models/ThreadModel.js';
import { Composer } from './Composer.js';
import { IncidentCard } from './IncidentCard.js';

function Bubble({
  item,
  ctx,
  thread,
  seen,
}: {
  item: ThreadMessage;
  ctx: WidgetContext;
  thread: ThreadModel;
  seen: boolean;
}) {
  const { strings } = ctx;
  return (
    <li class={item.mine ? 'message mine' : 'message theirs'}>
      {!item.mine ? <bdi class="author">{item.authorName ?? strings.support}</bdi> : null}
      {item.text.trim() !== '' ? (
        <div class={`bubble ${item.state}`}>
          <Linkified text={item.text} />
        </div>
      ) : null}
      {item.attachments.map((a) => {
        const href = new URL(a.path, ctx.bridge.baseUrl).toString();
        return a.contentType.startsWith('image/') ? (
          <a key={a.id} class="file" href={href} target="_blank" rel="noopener noreferrer">
            <img class="thumb" src={href} alt={a.name} loading="lazy" />
          </a>
        ) : (
          <a key={a.id} class="file bubble" href={href} target="_blank" rel="noopener noreferrer" download={a.name}>
            {strings.attachment}: <bdi>{a.name}</bdi> ({fileSize(a.size)})
          </a>
        );
      })}
      {item.mine ? <ScreeningNotes item={item} ctx={ctx} /> : null}
      <span class="meta">
        {item.state === 'sending' ? strings.sending : null}
        {item.state === 'failed' ? (
          <>
            <span class="error">{strings.failed}</span>{' '}
            <button type="button" class="link-button" onClick={() => thread.retry(item.key)}>
              {strings.retry}
            </button>
          </>
        ) : null}
        {item.state === 'sent' ? <time dateTime={item.createdAt}>{formatTime(item.createdAt, strings)}</time> : null}
        {seen ? ` · ${strings.seen}` : null}
      </span>
    </li>
  );
}

/** What was taken out of the visitor's own message, and why. */
function ScreeningNotes({ item, ctx }: { item: ThreadMessage; ctx: WidgetContext }) {
  const { strings } = ctx;
  const notes = (item.message?.screening?.notes ?? []).filter((n) => n.action === 'redact');
  if (!item.removedBeforeSending && notes.length === 0) return null;
  return (
    <span class="note">
      {notes.length
        ? notes.map((n) => strings.removed(n.replacements?.join(', ') ?? '', n.clause.reason)).join(' ')
        : strings.removedBeforeSending}
    </span>
  );
}

export function Thread({ ctx, thread }: { ctx: WidgetContext; thread: ThreadModel }) {
  const { strings, bridge } = ctx;
  const items = thread.items.value;
  const id = thread.conversationId.value;
  const incident = ctx.conversations.list.value.find((c) => c.id === id)?.incident;
  const scroller = useRef<HTMLDivElement>(null);
  const typing = thread.typingName.value;

  // Keep the newest message in view as messages arrive.
  useEffect(() => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [items.length, typing]);

  const rows: preact.JSX.Element[] = [];
  let lastDay = '';
  for (const item of items) {
    const day = dayKey(item.createdAt);
    if (day !== lastDay) {
      rows.push(
        <li key={`day-${day}`} class="day">
          {dayLabel(item.createdAt, strings)}
        </li>,
      );
      lastDay = day;
    }
    rows.push(<Bubble key={item.key} item={item} ctx={ctx} thread={thread} seen={thread.seenKey.value === item.key} />);
  }

  return (
    <div class="thread">
      <div class="scroller" ref={scroller}>
        {incident ? (
          <IncidentCard
            incident={incident}
            answered={items.find((m) => m.message?.author.type === 'agent')?.createdAt}
            strings={strings}
          />
        ) : null}
        {thread.hasMore.value ? (
          <button type="button" class="link-button older" onClick={() => void thread.loadOlder()}>
            {strings.loadOlder}
          </button>
        ) : null}
        {items.length === 0 && !incident && bridge.settings.greeting ? (
          <div class="greeting">
            <span class="author">{bridge.settings.name}</span>
            <p class="bubble">{bridge.settings.greeting}</p>
          </div>
        ) : null}
        <ol class="messages" aria-label={strings.title}>
          {rows}
        </ol>
        {typing !== null ? <p class="typing">{strings.typing(`\u2068${typing || strings.support}\u2069`)}</p> : null}
      </div>
      <Composer ctx={ctx} thread={thread} />
    </div>
  );
}
