import type { Attributes, IncidentImpact, Message, VisitorIncident } from './protocol/index.js';

/** `boot` options of the messenger widget. */
export interface MessengerBootOptions {
  appId: string;
  /** The host app's signed-in user; omit for an anonymous visitor. */
  user?: { id: string; email?: string; name?: string };
  userHash?: string;
  userJwt?: string;
  /** `en`, `es`, `fr`, `de` or `pt`; the browser's languages otherwise, then English. */
  locale?: string;
  /** Light or dark panel; `auto` (the default) follows the visitor's system setting. */
  theme?: 'light' | 'dark' | 'auto';
  /** Drive the messenger from your own button instead of the launcher. */
  hideLauncher?: boolean;
  zIndex?: number;
  /** The parts of your product a user can pick in "Report a problem" (free text otherwise). */
  incidentAreas?: string[];
  /** Your app's version, attached to incident reports. */
  appVersion?: string;
  /**
   * The error context kept from boot for incident reports: breadcrumbs to keep (50 by default,
   * at most 100), or `false` to keep none. Nothing is sent until the user submits a report.
   */
  errorContext?: { maxBreadcrumbs?: number } | false;
}

/** What the host may fill in before the user sees the report form; the user can change it. */
export interface IncidentPrefill {
  area?: string;
  details?: string;
  usersAffected?: IncidentImpact['usersAffected'];
  platformState?: IncidentImpact['platformState'];
  workaround?: boolean;
  startedAt?: string;
  steps?: string[];
  errorMessage?: string;
}

export interface MessengerEvents {
  ready: { visitorId: string | null };
  show: undefined;
  hide: undefined;
  unreadCountChange: { total: number; conversations: Record<string, number> };
  message: Message;
  conversationStarted: { conversationId: string };
  /** The user sent an incident report: its priority and when a reply is due. */
  incidentReported: VisitorIncident;
}

export interface MessengerUpdate {
  user?: MessengerBootOptions['user'];
  userHash?: string;
  userJwt?: string;
  attributes?: Attributes;
  conversationAttributes?: Attributes;
}

/** The typed handle `loadMessenger` returns: the same verbs as `Parley('…')`. */
export interface Messenger {
  boot(options: MessengerBootOptions): void;
  shutdown(): void;
  show(): void;
  hide(): void;
  toggle(): void;
  showNewMessage(prefill?: string): void;
  update(update: MessengerUpdate): void;
  startConversation(message?: string): void;
  openConversation(conversationId: string): void;
  /** Opens "Report a problem", with fields filled in from your own error handling. */
  reportIncident(prefill?: IncidentPrefill): void;
  on<K extends keyof MessengerEvents>(event: K, callback: (value: MessengerEvents[K]) => void): () => void;
  off<K extends keyof MessengerEvents>(event: K, callback: (value: MessengerEvents[K]) => void): void;
  getVisitorId(): string | null;
}

type ParleyFn = ((...args: unknown[]) => unknown) & { q?: unknown[][] };

/**
 * Loads the messenger widget into the page, as the script-tag snippet does, and boots it.
 * Calls made before the widget script arrives are queued and replayed in order.
 *
 * @example
 * import { loadMessenger } from '@parley/sdk/browser';
 * const messenger = loadMessenger({ url: 'https://chat.example.com', appId: 'app_…', user: { id: 'u-42' }, userHash });
 * messenger.on('unreadCountChange', ({ total }) => setBadge(total));
 * document.querySelector('#help')!.addEventListener('click', () => messenger.show());
 */
export function loadMessenger(options: MessengerBootOptions & { url: string }): Messenger {
  if (typeof window === 'undefined') throw new Error('loadMessenger runs in a browser; in Node use createClient()');
  if (!options?.url || !options.appId)
    throw new TypeError('loadMessenger({ url, appId }) needs the server url and your app id');
  const w = window as unknown as { Parley?: ParleyFn };
  const url = options.url.replace(/\/+$/, '');
  if (!w.Parley) {
    const queue: ParleyFn = (...args: unknown[]) => {
      queue.q?.push(args);
    };
    queue.q = [];
    w.Parley = queue;
    const script = document.createElement('script');
    script.async = true;
    script.src = `${url}/widget/parley.js`;
    script.dataset.parleyUrl = url;
    document.head.appendChild(script);
  }
  const call = (...args: unknown[]) => w.Parley?.(...args);
  const { url: _url, ...boot } = options;
  call('boot', boot);
  return {
    boot: (o) => call('boot', o),
    shutdown: () => call('shutdown'),
    show: () => call('show'),
    hide: () => call('hide'),
    toggle: () => call('toggle'),
    showNewMessage: (prefill) => call('showNewMessage', prefill),
    update: (u) => call('update', u),
    startConversation: (m) => call('startConversation', m),
    openConversation: (id) => call('openConversation', id),
    reportIncident: (prefill) => call('reportIncident', prefill),
    on(event, callback) {
      call('on', event, callback);
      return () => call('off', event, callback);
    },
    off: (event, callback) => call('off', event, callback),
    getVisitorId: () => (call('getVisitorId') as string | null | undefined) ?? null,
  };
}
