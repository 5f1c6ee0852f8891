import type { WidgetContext } from '../context.js';
import { ConversationList } from './ConversationList.js';
import { Header } from './Header.js';
import { Thread } from './Thread.js';

export function Panel({ ctx }: { ctx: WidgetContext }) {
  const { strings, view, open, connection } = ctx;
  const current = view.value;
  return (
    // A non-modal floating panel: <dialog> would bring top-layer and UA styles the host page and
    // our shadow CSS then fight over; role="dialog" with a label says the same to assistive tech.
    // biome-ignore lint/a11y/useSemanticElements: see above
    <div
      class="panel"
      id="parley-panel"
      role="dialog"
      aria-labelledby="parley-title"
      hidden={!open.value}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          ctx.bridge.requestClose();
        }
      }}
    >
      <Header ctx={ctx} />
      {connection.offlineWithOutbox.value ? (
        <p class="banner" role="status">
          {strings.offline}
        </p>
      ) : null}
      {current.name === 'thread' ? (
        <Thread key={current.thread.key} ctx={ctx} thread={current.thread} />
      ) : (
        <ConversationList ctx={ctx} />
      )}
      <p class="sr-only" aria-live="polite">
        {ctx.announcement.value}
      </p>
    </div>
  );
}
