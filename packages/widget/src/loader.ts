/**
 * The launcher script (`/widget/parley.js`): the only file a page loads before the user
 * interacts. It replaces the snippet's queue with the real `Parley` function, replays the
 * queued calls in order, draws the launcher button, and loads the panel (Preact, the socket)
 * on first open, on idle, or at once when this visitor already has a conversation.
 */
import { type ErrorRecorder, startErrorRecorder } from '@parley/sdk/error-context';
import type { WidgetSettings } from '@parley/sdk/protocol';
import type { BootOptions, HostEvents, HostUpdate, MountPanel, PanelHandle } from './bridge.js';
import { type LauncherStrings, type Locale, launcherStrings, pickLocale } from './launcher-strings.js';
import { LAUNCHER_CSS, themeCss } from './styles.js';

type Listener = (value: unknown) => void;
type Command = (...args: unknown[]) => unknown;

/** The commands `Parley(…)` takes: the keys of `handlers` below (the README's table). */
type CommandName =
  | 'boot'
  | 'shutdown'
  | 'show'
  | 'hide'
  | 'toggle'
  | 'showNewMessage'
  | 'update'
  | 'startConversation'
  | 'openConversation'
  | 'reportIncident'
  | 'on'
  | 'off'
  | 'getVisitorId';
const EVENTS = ['ready', 'show', 'hide', 'unreadCountChange', 'message', 'conversationStarted', 'incidentReported'];
const ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>';
const CLOSE_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z"/></svg>';

interface WindowWithParley extends Window {
  Parley?: ((...args: unknown[]) => unknown) & { q?: IArguments[] | unknown[][]; loaded?: boolean };
}

const w = window as WindowWithParley;
const script = document.currentScript as HTMLScriptElement | null;
// The server this script came from: the snippet's data-parley-url, else the script's own URL.
const baseUrl = (script?.dataset.parleyUrl || script?.src.replace(/\/widget\/[^/]*$/, '') || location.origin).replace(
  /\/+$/,
  '',
);
const warn = (message: string) => console.warn(`[parley] ${message}`);

const listeners = new Map<string, Set<Listener>>();
let booted: { key: string; options: BootOptions; ready: Promise<void> } | undefined;
let settings: WidgetSettings | undefined;
let locale: Locale = 'en';
let strings: LauncherStrings = launcherStrings('en');
let host: HTMLElement | undefined;
let shadow: ShadowRoot | undefined;
let launcher: HTMLButtonElement | undefined;
let visibleLabel: string | null = null;
let badge: HTMLElement | undefined;
let panelSlot: HTMLElement | undefined;
let themeSheet: CSSStyleSheet | undefined;
let panel: PanelHandle | undefined;
let panelLoading: Promise<PanelHandle | undefined> | undefined;
let isOpen = false;
let generation = 0;
let observer: MutationObserver | undefined;
let collector: ErrorRecorder | undefined;

function emit<K extends keyof HostEvents>(event: K, value: HostEvents[K]): void {
  for (const listener of [...(listeners.get(event) ?? [])]) {
    try {
      listener(value);
    } catch (err) {
      // A host callback that throws must not break the messenger or the other callbacks.
      console.error(`[parley] a "${event}" listener threw:`, err);
    }
  }
}

const storageKey = (appId: string, name: string) => `parley:${appId}:${name}`;
function readStorage(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function sheet(css: string): CSSStyleSheet {
  const s = new CSSStyleSheet();
  s.replaceSync(css);
  return s;
}

function mountHost(options: BootOptions): void {
  host = document.createElement('parley-messenger');
  shadow = host.attachShadow({ mode: 'open' });
  themeSheet = sheet(themeCss('#4f46e5', options.zIndex ?? 2147483000));
  shadow.adoptedStyleSheets = [sheet(LAUNCHER_CSS), themeSheet];
  const root = document.createElement('div');
  root.className = 'root';
  panelSlot = document.createElement('div');
  launcher = document.createElement('button');
  launcher.type = 'button';
  launcher.className = 'launcher';
  launcher.setAttribute('aria-expanded', 'false');
  launcher.setAttribute('aria-haspopup', 'dialog');
  launcher.hidden = true;
  launcher.innerHTML = ICON; // a constant: no user text ever goes through innerHTML
  badge = document.createElement('span');
  badge.className = 'badge';
  badge.hidden = true;
  launcher.append(badge);
  launcher.addEventListener('click', () => (isOpen ? hide() : show()));
  root.append(panelSlot, launcher);
  shadow.append(root);
  document.body.append(host);
  // Frameworks that re-render <body> may drop us on a route change: put the same element back.
  observer = new MutationObserver(() => {
    if (host && !host.isConnected) document.body.append(host);
  });
  observer.observe(document.body, { childList: true });
}

function applySettings(s: WidgetSettings, options: BootOptions): void {
  if (!launcher || !shadow || !themeSheet) return;
  themeSheet.replaceSync(themeCss(s.accentColor, options.zIndex ?? 2147483000));
  shadow.firstElementChild?.setAttribute('data-position', s.position);
  visibleLabel = s.launcherLabel;
  if (visibleLabel) {
    const label = document.createElement('span');
    label.textContent = visibleLabel;
    launcher.insertBefore(label, badge ?? null);
    launcher.className += ' labelled';
  }
  renderLauncher();
  launcher.hidden = options.hideLauncher === true;
}

/** The launcher's name: what it does, after the label it shows (WCAG 2.5.3, label in name). */
function launcherName(): string {
  const does = strings[isOpen ? 1 : 0];
  return visibleLabel ? `${visibleLabel} – ${does}` : does;
}

function renderLauncher(): void {
  if (!launcher) return;
  launcher.setAttribute('aria-label', launcherName());
  launcher.setAttribute('aria-expanded', String(isOpen));
  const icon = launcher.querySelector('svg');
  const wanted = isOpen ? CLOSE_ICON : ICON;
  if (icon && icon.outerHTML !== wanted) icon.outerHTML = wanted;
}

function setUnread(total: number, words: string): void {
  if (!badge || !launcher) return;
  badge.hidden = total === 0;
  badge.textContent = total > 99 ? '99+' : String(total);
  const label = launcherName();
  launcher.setAttribute('aria-label', total > 0 ? `${label} (${words})` : label);
}

/** Loads the panel module once per boot; resolves undefined if the boot was replaced meanwhile. */
function loadPanel(): Promise<PanelHandle | undefined> {
  if (panel) return Promise.resolve(panel);
  if (panelLoading) return panelLoading;
  const mine = generation;
  panelLoading = import(/* @vite-ignore */ `${baseUrl}/widget/panel.js`).then(
    async (module: { mountPanel: MountPanel }) => {
      if (mine !== generation || !booted || !settings || !panelSlot) return undefined;
      const mounted = await module.mountPanel({
        baseUrl,
        options: booted.options,
        settings,
        locale,
        container: panelSlot,
        collector,
        emit,
        unread: setUnread,
        requestClose: () => hide(),
        isOpen: () => isOpen,
      });
      // Replaced while the panel's language loaded: this one goes.
      if (mine !== generation) return void mounted.destroy(false);
      panel = mounted;
      return panel;
    },
    (err: unknown) => {
      panelLoading = undefined;
      warn(`could not load the messenger panel: ${String(err)}`);
      return undefined;
    },
  );
  return panelLoading;
}

function boot(options: unknown): Promise<void> {
  const o = options as BootOptions;
  if (!o || typeof o !== 'object' || typeof o.appId !== 'string' || !o.appId) {
    warn("boot needs an appId: Parley('boot', { appId: 'app_…' })");
    return Promise.resolve();
  }
  const key = JSON.stringify(o);
  if (booted?.key === key) return booted.ready; // the same boot again: never a second launcher
  const previous = booted ? shutdown() : Promise.resolve();
  const mine = ++generation;
  const ready = previous.then(() => start(o, mine));
  booted = { key, options: o, ready };
  return ready;
}

async function start(o: BootOptions, mine: number): Promise<void> {
  // From boot, in memory only: what went wrong in the page, for a report the user may send.
  if (o.errorContext !== false) {
    collector = startErrorRecorder(window, {
      ...(o.errorContext?.maxBreadcrumbs ? { maxBreadcrumbs: o.errorContext.maxBreadcrumbs } : {}),
      ...(o.appVersion ? { appVersion: o.appVersion } : {}),
      ...(o.user?.id ? { userId: o.user.id } : {}),
    });
  }
  locale = pickLocale(o.locale, navigator.languages ?? [navigator.language]);
  strings = launcherStrings(locale);
  if (!document.body) await new Promise((r) => document.addEventListener('DOMContentLoaded', r, { once: true }));
  if (mine !== generation) return;
  mountHost(o);
  try {
    const response = await fetch(`${baseUrl}/v1/apps/${encodeURIComponent(o.appId)}/widget`);
    // A page its app does not allow (or an unknown app id) still gets a launcher: the panel
    // then tells the person that this site is not set up for chat, rather than nothing at all.
    const refused = response.status === 403 || response.status === 404;
    if (!response.ok && !refused) throw new Error(`${response.status} ${(await response.text()).slice(0, 200)}`);
    if (refused) warn(`this page may not use app ${o.appId}: ${(await response.text()).slice(0, 200)}`);
    const s: WidgetSettings = refused
      ? ({ appId: o.appId, accentColor: '#4f46e5' } as WidgetSettings) // the rest unset: defaults
      : await response.json();
    if (mine !== generation) return;
    settings = s;
    applySettings(s, o);
  } catch (err) {
    warn(`could not load the settings of app ${o.appId}: ${String(err)}`);
    return;
  }
  // A returning visitor with a conversation connects now, to show unread replies on the badge;
  // anyone else loads the panel code when the page is idle, and the socket only on open.
  if (readStorage(storageKey(o.appId, 'active')) === '1') void loadPanel();
  else if ('requestIdleCallback' in window) requestIdleCallback(() => void preload(mine), { timeout: 5000 });
  else setTimeout(() => void preload(mine), 2000);
  emit('ready', { visitorId: readStorage(storageKey(o.appId, 'visitorId')) });
}

function preload(mine: number): void {
  if (mine !== generation) return;
  // Fetch and compile the panel and its language without running them: no socket until needed.
  for (const file of ['panel', `locale-${locale}`]) {
    const link = document.createElement('link');
    link.rel = 'modulepreload';
    link.href = `${baseUrl}/widget/${file}.js`;
    link.crossOrigin = 'anonymous';
    document.head.append(link);
  }
}

async function shutdown(): Promise<void> {
  generation++;
  const current = panel;
  const appId = booted?.options.appId;
  panel = undefined;
  panelLoading = undefined;
  booted = undefined;
  settings = undefined;
  isOpen = false;
  observer?.disconnect();
  // The page's own console, fetch, XHR and history get their originals back.
  collector?.stop();
  collector = undefined;
  host?.remove();
  host = shadow = launcher = badge = panelSlot = undefined;
  if (current) await current.destroy(true);
  else if (appId) {
    // The panel never loaded: forget the visitor all the same.
    for (const name of ['visitorToken', 'visitorId', 'active']) {
      try {
        localStorage.removeItem(storageKey(appId, name));
      } catch {
        // Storage blocked: there was nothing kept.
      }
    }
  }
}

async function withPanel(action: (p: PanelHandle) => void): Promise<void> {
  if (!booted) {
    warn("call Parley('boot', { appId }) first");
    return;
  }
  await booted.ready;
  const p = await loadPanel();
  if (p) action(p);
}

function show(): Promise<void> {
  return withPanel((p) => {
    if (isOpen) return;
    isOpen = true;
    shadow?.firstElementChild?.classList.add('open');
    renderLauncher();
    p.open();
    emit('show', undefined);
  });
}

function hide(): void {
  if (!isOpen || !panel) return;
  isOpen = false;
  shadow?.firstElementChild?.classList.remove('open');
  renderLauncher();
  panel.close();
  launcher?.focus();
  emit('hide', undefined);
}

const handlers: Record<CommandName, Command> = {
  boot: (options) => boot(options),
  shutdown: () => shutdown(),
  show: () => show(),
  hide: () => hide(),
  toggle: () => (isOpen ? hide() : show()),
  showNewMessage: (prefill) =>
    show().then(() => panel?.showNewMessage(typeof prefill === 'string' ? prefill : undefined)),
  startConversation: (message) =>
    show().then(() => panel?.startConversation(typeof message === 'string' ? message : undefined)),
  openConversation: (id) => {
    if (typeof id !== 'string') return warn('openConversation needs a conversation id');
    return show().then(() => panel?.openConversation(id));
  },
  reportIncident: (prefill) =>
    show().then(() => panel?.reportIncident(prefill && typeof prefill === 'object' ? prefill : undefined)),
  update: (update) => {
    if (!booted || !update || typeof update !== 'object') return warn('update needs an object and a booted messenger');
    const u = update as HostUpdate & { userHash?: string; userJwt?: string };
    // A different user is a different visitor: boot again as them.
    if (u.user && u.user.id !== booted.options.user?.id) {
      const { attributes: _a, conversationAttributes: _c, ...identity } = u;
      return boot({ ...booted.options, ...identity });
    }
    return withPanel((p) => p.update(u));
  },
  on: (event, callback) => {
    if (typeof event !== 'string' || !EVENTS.includes(event) || typeof callback !== 'function') {
      return warn(`on(event, callback): event is one of ${EVENTS.join(', ')}`);
    }
    const set = listeners.get(event) ?? new Set<Listener>();
    listeners.set(event, set);
    set.add(callback as Listener);
  },
  off: (event, callback) => listeners.get(String(event))?.delete(callback as Listener),
  getVisitorId: () =>
    panel?.visitorId() ?? (booted ? readStorage(storageKey(booted.options.appId, 'visitorId')) : null),
};

/** The real `Parley` function. Every command is caught: nothing here throws into the host page. */
function Parley(command: unknown, ...args: unknown[]): unknown {
  const handler = typeof command === 'string' ? handlers[command as CommandName] : undefined;
  if (!handler || !Object.hasOwn(handlers, command as string)) {
    warn(`unknown command ${JSON.stringify(command)}; valid commands: ${Object.keys(handlers).join(', ')}`);
    return undefined;
  }
  try {
    const result = handler(...args);
    if (result instanceof Promise) {
      result.catch((err: unknown) => console.error(`[parley] ${String(command)} failed:`, err));
      return undefined;
    }
    return result;
  } catch (err) {
    console.error(`[parley] ${String(command)} failed:`, err);
    return undefined;
  }
}

if (!w.Parley?.loaded) {
  const queued = [...(w.Parley?.q ?? [])];
  const api = Object.assign(Parley, { loaded: true });
  w.Parley = api;
  // Replay in order. boot registers the messenger at once and finishes in the background;
  // commands that need it (show, …) wait for it, and listeners are in place before it is ready.
  for (const call of queued) {
    const [command, ...args] = Array.from(call as ArrayLike<unknown>);
    Parley(command, ...args);
  }
}
