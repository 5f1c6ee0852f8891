import type { Attributes, IncidentPrefill } from '@parley/sdk';
import { createClient, type ParleyClient } from '@parley/sdk';
import { effect, type Signal, signal } from '@preact/signals';
import type { PanelBridge } from './bridge.js';
import { type ConnectionModel, createConnectionModel } from './models/ConnectionModel.js';
import { type ConversationsModel, createConversationsModel } from './models/ConversationsModel.js';
import { createReportModel, type ReportModel } from './models/ReportModel.js';
import { createThreadModel, type ThreadModel } from './models/ThreadModel.js';
import { createUploadsModel, type UploadsModel } from './models/UploadsModel.js';
import { chime, notifyOnce } from './notify.js';
import type { Strings } from './strings.js';

export type View = { name: 'home' } | { name: 'list' } | { name: 'thread'; thread: ThreadModel } | { name: 'report' };

export interface WidgetContext {
  bridge: PanelBridge;
  strings: Strings;
  client: ParleyClient;
  connection: ConnectionModel;
  conversations: ConversationsModel;
  uploads: UploadsModel;
  view: Signal<View>;
  /** "Report a problem": its draft outlives the form. */
  report: ReportModel;
  open: Signal<boolean>;
  /** Text for the aria-live region: new messages are announced to screen readers. */
  announcement: Signal<string>;
  /** Drafts by conversation id, kept while the panel is closed. */
  drafts: Map<string, string>;
  /** Set by showNewMessage(prefill): the composer takes it once. */
  prefill: Signal<string | null>;
  openThread(conversationId: string): void;
  newConversation(prefill?: string): ThreadModel;
  showList(): void;
  showHome(): void;
  /** Opens "Report a problem", filled from the error context and the host's prefill. */
  openReport(prefill?: IncidentPrefill): void;
  /** Host conversation attributes: for the open conversation, or the next one started. */
  setConversationAttributes(attributes: Attributes): void;
  dispose(forget: boolean): Promise<void>;
}

const remember = (appId: string, name: string, value: string) => {
  try {
    localStorage.setItem(`parley:${appId}:${name}`, value);
  } catch {
    // Storage blocked: the visitor lasts as long as the page.
  }
};

/** Wires the models together around one sdk client. Components get this and only render. */
export function createWidgetContext(bridge: PanelBridge, strings: Strings): WidgetContext {
  const { options } = bridge;
  const client = createClient({
    url: bridge.baseUrl,
    appId: options.appId,
    ...(options.user ? { user: options.user } : {}),
    ...(options.userHash ? { userHash: options.userHash } : {}),
    ...(options.userJwt ? { userJwt: options.userJwt } : {}),
  });
  const connection = createConnectionModel(client);
  const conversations = createConversationsModel(client);
  const uploads = createUploadsModel(client);
  const view = signal<View>({ name: 'home' });
  const report = createReportModel(client, bridge.collector, strings);
  const open = signal(false);
  const announcement = signal('');
  const prefill = signal<string | null>(null);
  const drafts = new Map<string, string>();
  let pendingAttributes: Attributes | undefined;
  const applyAttributes = (conversationId: string) => {
    if (!pendingAttributes) return;
    const attributes = pendingAttributes;
    pendingAttributes = undefined;
    void client
      .updateConversation(conversationId, attributes)
      .catch((err: unknown) => console.warn('[parley] update failed:', err));
  };

  const setView = (next: View) => {
    const current = view.value;
    if (current.name === 'thread' && (next.name !== 'thread' || next.thread !== current.thread))
      current.thread.dispose();
    view.value = next;
  };

  const startThread = (id: string): ThreadModel => {
    const thread = createThreadModel(client, id);
    // A new conversation gets its id with the first stored message.
    const stop = thread.conversationId.subscribe((cid) => {
      if (cid === id || cid.startsWith('pending_')) return;
      stop();
      remember(options.appId, 'active', '1');
      applyAttributes(cid);
      bridge.emit('conversationStarted', { conversationId: cid });
    });
    setView({ name: 'thread', thread });
    return thread;
  };

  const offs = [
    client.on('session', (s) => {
      remember(options.appId, 'visitorId', s.visitorId);
    }),
    client.on('message', (m) => {
      bridge.emit('message', m);
      if (m.author.type !== 'agent') return;
      const name = m.author.name ?? strings.support;
      announcement.value = strings.newMessageFrom(name, m.text);
      const current = view.value;
      const visible = open.value && document.visibilityState === 'visible';
      if (visible && current.name === 'thread' && current.thread.conversationId.value === m.conversationId) {
        void current.thread.markRead(m.seq);
      } else {
        void notifyOnce(options.appId, m.id, chime);
      }
    }),
  ];

  // A returning visitor with conversations connects at boot next time, to show the badge.
  const stopActive = effect(() => {
    if (conversations.list.value.length > 0) remember(options.appId, 'active', '1');
  });

  // The launcher's badge and the host's unreadCountChange listeners follow the server's counts.
  const stopUnread = effect(() => {
    const total = conversations.unreadTotal.value;
    bridge.unread(total, strings.unread(total));
    bridge.emit('unreadCountChange', { total, conversations: conversations.unreadByConversation.value });
  });

  return {
    bridge,
    strings,
    client,
    connection,
    conversations,
    uploads,
    view,
    report,
    open,
    announcement,
    drafts,
    prefill,
    openThread: (id) => {
      const thread = startThread(id);
      void thread.load().then(() => (open.value ? thread.markRead() : undefined));
    },
    newConversation: (text) => {
      if (text !== undefined) prefill.value = text;
      return startThread(client.newConversationId());
    },
    showList: () => setView({ name: 'list' }),
    showHome: () => setView({ name: 'home' }),
    openReport(prefill) {
      report.begin(prefill);
      setView({ name: 'report' });
    },
    setConversationAttributes(attributes) {
      pendingAttributes = { ...pendingAttributes, ...attributes };
      const current = view.value;
      if (current.name === 'thread' && !current.thread.isPending())
        applyAttributes(current.thread.conversationId.value);
    },
    async dispose(forget) {
      stopUnread();
      stopActive();
      for (const off of offs) off();
      connection.dispose();
      conversations.dispose();
      if (view.value.name === 'thread') view.value.thread.dispose();
      if (forget) await client.forget();
      else client.close();
    },
  };
}
