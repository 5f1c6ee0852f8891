/**
 * The panel module (`/widget/panel.js`), loaded by the launcher script on demand: Preact, the
 * sdk client and its socket. It renders into the launcher's shadow root.
 */
import { render } from 'preact';
import type { MountPanel, PanelHandle } from './bridge.js';
import { Panel } from './components/Panel.js';
import { createWidgetContext } from './context.js';
import { PANEL_CSS } from './panel-styles.js';
import { coarsePointer } from './pointer.js';

const reportUpdate = (err: unknown) => console.warn('[parley] update failed:', err);

export const mountPanel: MountPanel = (bridge) => {
  const root = bridge.container.getRootNode() as ShadowRoot;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(PANEL_CSS);
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];

  const ctx = createWidgetContext(bridge);
  render(<Panel ctx={ctx} />, bridge.container);

  const focusInside = () => {
    // After the render that shows the panel: the composer (not on a touch screen, where that
    // raises the keyboard), else the first button.
    requestAnimationFrame(() => {
      const target =
        (coarsePointer() ? null : root.querySelector<HTMLElement>('#parley-composer')) ??
        root.querySelector<HTMLElement>('#parley-area') ??
        root.querySelector<HTMLElement>('.panel button.primary') ??
        root.querySelector<HTMLElement>('.header button');
      target?.focus();
    });
  };

  const handle: PanelHandle = {
    open() {
      ctx.open.value = true;
      if (ctx.view.value.name === 'list') {
        void ctx.conversations.refresh().then(
          () => {
            // Nothing to list yet: go straight to a new conversation, as other messengers do.
            if (ctx.conversations.list.value.length === 0 && ctx.view.value.name === 'list') ctx.newConversation();
            focusInside();
          },
          () => focusInside(),
        );
      } else {
        const view = ctx.view.value;
        if (view.name === 'thread') void view.thread.markRead();
        focusInside();
      }
    },
    close() {
      ctx.open.value = false;
    },
    showNewMessage(prefill) {
      ctx.newConversation(prefill ?? '');
      focusInside();
    },
    startConversation(message) {
      const thread = ctx.newConversation();
      if (message?.trim()) thread.send(message);
      focusInside();
    },
    openConversation(id) {
      ctx.openThread(id);
      focusInside();
    },
    reportIncident(prefill) {
      ctx.openReport(prefill);
      focusInside();
    },
    update(update) {
      const { attributes, conversationAttributes, user } = update;
      const profile = {
        ...(user?.name !== undefined ? { name: user.name } : {}),
        ...(user?.email !== undefined ? { email: user.email } : {}),
        ...(attributes ? { attributes } : {}),
      };
      if (Object.keys(profile).length > 0) void ctx.client.updateVisitor(profile).catch(reportUpdate);
      if (conversationAttributes) ctx.setConversationAttributes(conversationAttributes);
    },
    visitorId: () => ctx.client.visitorId,
    async destroy(forget) {
      render(null, bridge.container);
      await ctx.dispose(forget);
    },
  };
  return handle;
};
