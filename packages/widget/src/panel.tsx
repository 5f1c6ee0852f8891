/**
 * The panel module (`/widget/panel.js`), loaded by the launcher script on demand: Preact, the
 * sdk client and its socket. It renders into the launcher's shadow root.
 */
import { render } from 'preact';
import type { MountPanel, PanelHandle } from './bridge.js';
import { Panel } from './components/Panel.js';
import { createWidgetContext } from './context.js';
import { loadStrings } from './load-strings.js';
import { PANEL_CSS } from './panel-styles.js';
import { coarsePointer } from './pointer.js';

const reportUpdate = (err: unknown) => console.warn('[parley] update failed:', err);

export const mountPanel: MountPanel = async (bridge) => {
  const strings = await loadStrings(bridge.baseUrl, bridge.locale);
  const root = bridge.container.getRootNode() as ShadowRoot;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(PANEL_CSS);
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];

  const ctx = createWidgetContext(bridge, strings);
  // Dark when the host asks for it, or by the visitor's system setting unless the host said light.
  const theme = bridge.options.theme ?? 'auto';
  const system = matchMedia('(prefers-color-scheme: dark)');
  const applyTheme = () =>
    bridge.container.parentElement?.classList.toggle('dark', theme === 'dark' || (theme === 'auto' && system.matches));
  applyTheme();
  system.addEventListener('change', applyTheme);
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
      if (ctx.view.value.name === 'home' || ctx.view.value.name === 'list') {
        void ctx.conversations.refresh().then(focusInside, focusInside);
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
      system.removeEventListener('change', applyTheme);
      render(null, bridge.container);
      await ctx.dispose(forget);
    },
  };
  return handle;
};
