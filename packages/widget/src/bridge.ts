import type { Attributes, Message, WidgetSettings } from '@parley/sdk/protocol';
import type { Locale } from './launcher-strings.js';

/** `Parley('boot', …)` options. */
export interface BootOptions {
  appId: string;
  user?: { id: string; email?: string; name?: string };
  userHash?: string;
  userJwt?: string;
  locale?: string;
  hideLauncher?: boolean;
  zIndex?: number;
}

export interface UnreadCounts {
  total: number;
  conversations: Record<string, number>;
}

/** Host-facing events, delivered to `Parley('on', name, callback)` listeners. */
export interface HostEvents {
  ready: { visitorId: string | null };
  show: undefined;
  hide: undefined;
  unreadCountChange: UnreadCounts;
  message: Message;
  conversationStarted: { conversationId: string };
}

/** What the launcher script hands the lazily loaded panel. */
export interface PanelBridge {
  baseUrl: string;
  options: BootOptions;
  settings: WidgetSettings;
  locale: Locale;
  /** Where the panel renders, inside the widget's shadow root. */
  container: HTMLElement;
  emit<K extends keyof HostEvents>(event: K, value: HostEvents[K]): void;
  /** The panel asks to close (Escape, the close button). */
  requestClose(): void;
  isOpen(): boolean;
}

/** `Parley('update', …)`: a new user id re-boots; the rest is sent to the server. */
export interface HostUpdate {
  user?: BootOptions['user'];
  attributes?: Attributes;
  /** Applied to the open conversation, and to the next one when none is open. */
  conversationAttributes?: Attributes;
}

/** What the panel module gives back to the launcher script. */
export interface PanelHandle {
  open(): void;
  close(): void;
  showNewMessage(prefill?: string): void;
  startConversation(message?: string): void;
  openConversation(conversationId: string): void;
  update(update: HostUpdate): void;
  visitorId(): string | null;
  /** Disconnects; `forget` also drops the visitor and the outbox (logout). */
  destroy(forget: boolean): Promise<void>;
}

export type MountPanel = (bridge: PanelBridge) => PanelHandle;
