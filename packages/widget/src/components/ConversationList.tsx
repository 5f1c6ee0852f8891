import type { Conversation } from '@parley/sdk';
import { formatTime } from '@parley/ui';
import type { WidgetContext } from '../context.js';

/** One conversation: who wrote last, what, when, and how many unread; a report says so. */
export function ConversationRow({ ctx, conversation: c }: { ctx: WidgetContext; conversation: Conversation }) {
  const { strings } = ctx;
  const last = c.lastMessage;
  const who = last ? (last.author.type === 'visitor' ? strings.you : (last.author.name ?? strings.support)) : '';
  const when = last ? formatTime(last.createdAt, strings) : '';
  const tag = c.incident ? `${strings.problemReported} #${c.incident.number} · ${c.incident.priority}` : '';
  // The name says all the row shows, the time included (WCAG 2.5.3). Names and texts are
  // isolated (<bdi>): a right-to-left override in one cannot turn the row's words around.
  return (
    <li>
      <button
        type="button"
        class={c.unread > 0 ? 'conversation unread' : 'conversation'}
        onClick={() => ctx.openThread(c.id)}
        aria-label={`${tag ? `${tag}. ` : ''}${who}: ${last?.text ?? ''}${when ? `, ${when}` : ''}${c.unread > 0 ? `, ${strings.unread(c.unread)}` : ''}`}
      >
        <bdi class="who">{who}</bdi>
        <span class="when">{when}</span>
        {tag ? <span class="tag">{tag}</span> : null}
        <bdi class="preview">{last?.text ?? ''}</bdi>
        {c.unread > 0 ? (
          <span class="count" aria-hidden="true">
            {c.unread}
          </span>
        ) : null}
      </button>
    </li>
  );
}

export function ConversationList({ ctx }: { ctx: WidgetContext }) {
  const { strings, conversations } = ctx;
  const list = conversations.list.value;
  return (
    <div class="list">
      {list.length === 0 && conversations.loaded.value ? <p class="empty">{strings.noConversations}</p> : null}
      <ul class="conversations">
        {list.map((c) => (
          <ConversationRow key={c.id} ctx={ctx} conversation={c} />
        ))}
      </ul>
      <button type="button" class="primary new-conversation" onClick={() => ctx.newConversation()}>
        {strings.newConversation}
      </button>
    </div>
  );
}
