import type { WidgetContext } from '../context.js';

export function Header({ ctx }: { ctx: WidgetContext }) {
  const { strings, view, bridge } = ctx;
  const name = view.value.name;
  return (
    <header class="header">
      {name !== 'home' ? (
        <button type="button" class="icon-button" aria-label={strings.backHome} onClick={() => ctx.showHome()}>
          <svg viewBox="0 0 24 24" aria-hidden="true">
            <path d="M15.4 5 8.4 12l7 7-1.4 1.4L5.6 12l8.4-8.4z" />
          </svg>
        </button>
      ) : null}
      <h2 class="title" id="parley-title">
        {name === 'report' ? strings.report : bridge.settings.name || strings.title}
      </h2>
      {name !== 'report' && name !== 'home' && !ctx.connection.refused.value ? (
        <button
          type="button"
          class="icon-button report-open"
          aria-label={strings.report}
          title={strings.report}
          onClick={() => ctx.openReport()}
        >
          <svg viewBox="0 0 24 24" aria-hidden="true">
            <path d="M12 2 1 21h22L12 2zm0 4.2L19.5 19h-15L12 6.2zM11 10v5h2v-5h-2zm0 6v2h2v-2h-2z" />
          </svg>
        </button>
      ) : null}
      <button type="button" class="icon-button" aria-label={strings.closeChat} onClick={() => bridge.requestClose()}>
        <svg viewBox="0 0 24 24" aria-hidden="true">
          <path d="M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z" />
        </svg>
      </button>
    </header>
  );
}
