import type { WidgetContext } from '../context.js';
import { ConversationList } from './ConversationList.js';
import { Header } from './Header.js';
import { Home } from './Home.js';
import { ReportForm } from './ReportForm.js';
import { Thread } from './Thread.js';

export function Panel({ ctx }: { ctx: WidgetContext }) {
  const { strings, view, open, connection } = ctx;
  const current = view.value;
  return (
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
      {connection.offlineWithOutbox.value ? <output class="banner">{strings.offline}</output> : null}
      {connection.refused.value ? (
        <output class="unavailable">
          <p class="unavailable-title">{strings.unavailableTitle}</p>
          <p>{connection.refused.value === 'unauthorized' ? strings.unverified : strings.notSetUp}</p>
        </output>
      ) : current.name === 'thread' ? (
        <Thread key={current.thread.key} ctx={ctx} thread={current.thread} />
      ) : current.name === 'report' ? (
        <ReportForm ctx={ctx} />
      ) : current.name === 'list' ? (
        <ConversationList ctx={ctx} />
      ) : (
        <Home ctx={ctx} />
      )}
      <p class="sr-only" aria-live="polite">
        {ctx.announcement.value}
      </p>
    </div>
  );
}
