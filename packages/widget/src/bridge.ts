import type { IncidentPrefill, MessengerBootOptions, MessengerEvents, MessengerUpdate } from '@parley/sdk';
import type { ErrorRecorder } from '@parley/sdk/error-context';
import type { WidgetSettings } from '@parley/sdk/protocol';
import type { Locale } from './launcher-strings.js';

/** `Parley('boot', …)` options and host events: the sdk's typed messenger API defines them. */
export type BootOptions = MessengerBootOptions;
export type HostEvents = MessengerEvents;
export type UnreadCounts = MessengerEvents['unreadCountChange'];

/** What the launcher script hands the lazily loaded panel. */
export interface PanelBridge {
  baseUrl: string;
  options: BootOptions;
  settings: WidgetSettings;
  locale: Locale;
  /** Where the panel renders, inside the widget's shadow root. */
  container: HTMLElement;
  /** The error context kept since boot; undefined when the host turned it off. */
  collector: ErrorRecorder | undefined;
  emit<K extends keyof HostEvents>(event: K, value: HostEvents[K]): void;
  /** The launcher's badge: the unread count, and its words in the visitor's language. */
  unread(total: number, words: string): void;
  /** The panel asks to close (Escape, the close button). */
  requestClose(): void;
  isOpen(): boolean;
}

/** `Parley('update', …)`: a new user id re-boots; the rest is sent to the server. */
export type HostUpdate = MessengerUpdate;

/** What the panel module gives back to the launcher script. */
export interface PanelHandle {
  open(): void;
  close(): void;
  showNewMessage(prefill?: string): void;
  startConversation(message?: string): void;
  openConversation(conversationId: string): void;
  reportIncident(prefill?: IncidentPrefill): void;
  update(update: HostUpdate): void;
  visitorId(): string | null;
  /** Disconnects; `forget` also drops the visitor and the outbox (logout). */
  destroy(forget: boolean): Promise<void>;
}

/** Mounts the panel once its language is loaded (English is built in; others are fetched). */
export type MountPanel = (bridge: PanelBridge) => Promise<PanelHandle>;
