import { formatTime } from '@parley/ui';
import type { WidgetContext } from '../context.js';

export function ConversationList({ ctx }: { ctx: WidgetContext }) {
  const { strings, conversations } = ctx;
  const list = conversations.list.value;
  return (
    <div class="list">
      <button type="button" class="primary new-conversation" onClick={() => ctx.newConversation()}>
        {strings.newConversation}
      </button>
      <button type="button" class="secondary report-problem" onClick={() => ctx.openReport()}>
        {strings.report}
      </button>
      {list.length === 0 && conversations.loaded.value ? <p class="empty">{strings.noConversations}</p> : null}
      <ul class="conversations">
        {list.map((c) => {
          const last = c.lastMessage;
          const who = last
            ? last.author.type === 'visitor'
              ? strings.you
              : (last.author.name ?? strings.support)
            : '';
          const when = last ? formatTime(last.createdAt, strings) : '';
          // The name says all the row shows, the time included (WCAG 2.5.3). Names and texts are
          // isolated (<bdi>): a right-to-left override in one cannot turn the row's words around.
          return (
            <li key={c.id}>
              <button
                type="button"
                class={c.unread > 0 ? 'conversation unread' : 'conversation'}
                onClick={() => ctx.openThread(c.id)}
                aria-label={`${who}: ${last?.text ?? ''}${when ? `, ${when}` : ''}${c.unread > 0 ? `, ${strings.unread(c.unread)}` : ''}`}
              >
                <bdi class="who">{who}</bdi>
                <bdi class="preview">{last?.text ?? ''}</bdi>
                <span class="when">{when}</span>
                {c.unread > 0 ? (
                  <span class="count" aria-hidden="true">
                    {c.unread}
                  </span>
                ) : null}
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
