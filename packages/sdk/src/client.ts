import type { Socket } from 'socket.io-client';
import {
  type ConnectionState,
  checkText,
  httpRequest,
  newClientId,
  openSocket,
  type RequestBody,
  randomId,
  request,
  type TransportOptions,
} from './connection.js';
import { Emitter } from './emitter.js';
import type { ErrorCollector } from './error-context/types.js';
import { ParleyClientError } from './errors.js';
import { MessageStream } from './message-stream.js';
import { defaultOutbox, type OutboxEntry, type OutboxStore } from './outbox-store.js';
import {
  type AckOf,
  ATTACHMENT_LIMITS,
  type Attachment,
  type Attributes,
  type Conversation,
  type ErrorContext,
  type HandshakeErrorData,
  type HostUser,
  type IncidentReport,
  type Message,
  type MessagePage,
  NAMESPACES,
  type PayloadOf,
  RETRYABLE_CODES,
  type ReadEvent,
  type TypingEvent,
  type UnreadEvent,
  type VisitorAuth,
  type VisitorClientToServerEvents,
  type VisitorIncident,
  type VisitorProfile,
  type VisitorSession,
  type VisitorUpdatePayload,
} from './protocol/index.js';
import { redactBeforeSending } from './screening/redact.js';
import { browserStorage, type KeyValueStorage, memoryStorage, STORAGE_PREFIX } from './storage.js';

export interface ClientOptions extends TransportOptions {
  appId: string;
  /** The host app's signed-in user; omit for an anonymous visitor. */
  user?: HostUser;
  /** Proof of `user.id` when the app verifies identities: hex HMAC-SHA256 of the id. */
  userHash?: string;
  /** Or a short-lived HS256 JWT whose `sub` is the user id. */
  userJwt?: string;
  /** Keeps the visitor token: localStorage in browsers, memory in Node by default. */
  storage?: KeyValueStorage;
  /** Keeps unsent messages: IndexedDB in browsers, memory in Node by default. */
  outbox?: OutboxStore;
  /** Attached to incident reports: `startErrorCollector(window)`. */
  errorContext?: ErrorCollector;
}

/** What `reportIncident` takes: the report, with defaults for what the context can tell. */
export type IncidentInput = Omit<IncidentReport, 'clientId' | 'startedAt' | 'steps' | 'errorMessage' | 'context'> & {
  /** Resending with the same clientId returns the incident stored the first time. */
  clientId?: string;
  startedAt?: string | Date;
  steps?: string[];
  errorMessage?: string;
  context?: ErrorContext | null;
};

export interface ClientEvents {
  /** Every message of the visitor's conversations, once each, in `seq` order per conversation. */
  message: Message;
  typing: TypingEvent;
  read: ReadEvent;
  unread: UnreadEvent;
  /** The team changed a conversation's status (resolved it, say) or its attributes. */
  conversationUpdated: Conversation;
  connection: ConnectionState;
  session: VisitorSession;
  /** A queued message the server refused for good (it is removed from the outbox). */
  failed: { entry: OutboxEntry; error: ParleyClientError };
  /** The handshake was refused; the client stays disconnected. */
  error: ParleyClientError;
}

export interface SendOptions {
  /** A conversation id, or one from `newConversationId()`; omit to start a new conversation. */
  conversationId?: string;
  /** Your own id for this message (unique, ≤ 64 characters), to match it in the UI before it is stored. */
  clientId?: string;
  /** Files from `upload()`; the text may then be empty. */
  attachmentIds?: string[];
}

export interface ParleyClient {
  readonly state: ConnectionState;
  readonly visitorId: string | null;
  /** Resolves with the first session; rejects if the handshake is refused. */
  ready(): Promise<VisitorSession>;
  /**
   * Queues a message and resolves with it once stored. Offline, it waits in the outbox and
   * is sent after reconnecting, with the same clientId: stored exactly once. Card numbers,
   * IBANs, private keys, tokens and passwords are redacted before it leaves (`redactBeforeSending`).
   * A message the app's policy blocks rejects with `policy_blocked` and its `refusal`.
   */
  send(text: string, options?: SendOptions): Promise<Message>;
  /** An id for a conversation that does not exist yet: messages sent to it land in one new conversation. */
  newConversationId(): string;
  /** The server id of a `pending_…` conversation once its first message is stored. */
  resolveConversationId(id: string): string;
  /** Messages waiting for an acknowledgement, oldest first. */
  pending(): readonly OutboxEntry[];
  conversations(): Promise<Conversation[]>;
  history(conversationId: string, options?: { beforeSeq?: number; limit?: number }): Promise<MessagePage>;
  markRead(conversationId: string, seq?: number): Promise<Conversation>;
  setTyping(conversationId: string, typing: boolean): void;
  /**
   * Uploads a file over HTTP (not the socket) and returns it, to send with
   * `send(text, { attachmentIds: [attachment.id] })`. Limits: see ATTACHMENT_LIMITS.
   */
  upload(file: Blob, name: string): Promise<Attachment>;
  /**
   * Reports an incident over HTTP: it opens a conversation and reaches agents at once with a
   * priority and a response deadline. The error context comes from `options.errorContext`
   * unless given (`null` sends none); the error message and start time default to the
   * latest and the first captured error. Per-field problems reject with `fields`.
   */
  reportIncident(report: IncidentInput): Promise<VisitorIncident>;
  /** Updates the visitor's name, email or attributes (merged; null removes a key). */
  updateVisitor(update: VisitorUpdatePayload): Promise<VisitorProfile>;
  /** Merges attributes into a conversation (null removes a key). */
  updateConversation(conversationId: string, attributes: Attributes): Promise<Conversation>;
  on<K extends keyof ClientEvents>(event: K, listener: (value: ClientEvents[K]) => void): () => void;
  off<K extends keyof ClientEvents>(event: K, listener: (value: ClientEvents[K]) => void): void;
  /** Disconnects. Unsent messages stay in the outbox for the next client. */
  close(): void;
  /** Disconnects and forgets the visitor: token and outbox (for logout). */
  forget(): Promise<void>;
}

const TYPING_REFRESH_MS = 3000;
const BACKOFF_MAX_MS = 30_000;

/**
 * Creates a visitor client: the headless core of the widget, usable from Node too.
 *
 * @example
 * const client = createClient({ url: 'https://chat.example.com', appId: 'app_…' });
 * client.on('message', (m) => console.log(m.author.type, m.text));
 * const first = await client.send('Hello!');
 * await client.send('Are you there?', { conversationId: first.conversationId });
 */
export function createClient(options: ClientOptions): ParleyClient {
  if (!options || typeof options.url !== 'string' || typeof options.appId !== 'string' || !options.appId) {
    throw new TypeError('createClient({ url, appId }) needs the server url and your app id');
  }
  return new VisitorClient(options);
}

class VisitorClient implements ParleyClient {
  state: ConnectionState = 'connecting';
  visitorId: string | null = null;

  private readonly events = new Emitter<ClientEvents>();
  private readonly storage: KeyValueStorage;
  private readonly outbox: OutboxStore;
  private readonly tokenKey: string;
  private readonly ackTimeoutMs: number;
  private readonly socket: Socket;
  private readonly stream: MessageStream;
  private queue: OutboxEntry[] = [];
  private readonly waiters = new Map<string, { resolve: (m: Message) => void; reject: (e: unknown) => void }>();
  private readonly pendingConversations = new Map<string, string>();
  private readonly typingSentAt = new Map<string, number>();
  private loaded: Promise<void>;
  private flushing = false;
  private attempt = 0;
  private wake: (() => void) | undefined;
  private sessionSeen = false;
  private live = false;
  private droppedToken = false;
  private lastOrder = 0;
  private readyPromise: Promise<VisitorSession>;
  /** Set when the server refused the handshake for good (origin, app, identity). */
  private refusal: ParleyClientError | undefined;
  private handshakeAttempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private settleReady!: { resolve: (s: VisitorSession) => void; reject: (e: unknown) => void };

  constructor(private readonly options: ClientOptions) {
    const inBrowser = typeof window !== 'undefined' && typeof document !== 'undefined';
    this.storage = options.storage ?? (inBrowser ? browserStorage() : memoryStorage());
    this.outbox = options.outbox ?? defaultOutbox(options.appId);
    this.tokenKey = `${STORAGE_PREFIX}${options.appId}:visitorToken`;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    this.readyPromise = new Promise((resolve, reject) => {
      this.settleReady = { resolve, reject };
    });
    // A refused handshake with nobody awaiting ready() must not be an unhandled rejection.
    this.readyPromise.catch(() => undefined);
    this.stream = new MessageStream(
      (conversationId, afterSeq) => this.call('message:sync', { conversationId, afterSeq }),
      (message) => this.events.emit('message', message),
      () => {
        // A catch-up that failed (disconnect, timeout) is retried by the next session.
      },
    );
    this.loaded = this.outbox.load().then(
      (entries) => {
        this.queue = [...entries, ...this.queue];
        this.lastOrder = Math.max(this.lastOrder, ...entries.map((e) => e.order));
      },
      () => undefined,
    );
    this.socket = openSocket({ ...options, namespace: NAMESPACES.visitor, auth: () => this.auth() });
    this.wire();
  }

  private auth(): VisitorAuth {
    const auth: VisitorAuth = { appId: this.options.appId };
    const token = this.storage.get(this.tokenKey);
    if (token) auth.visitorToken = token;
    if (this.options.user) auth.user = this.options.user;
    if (this.options.userHash) auth.userHash = this.options.userHash;
    if (this.options.userJwt) auth.userJwt = this.options.userJwt;
    // In a page, where the visitor is, for the agents: unless the browser asks not to be tracked.
    if (typeof location !== 'undefined' && typeof navigator !== 'undefined') {
      const n = navigator as Navigator & { globalPrivacyControl?: boolean };
      if (n.globalPrivacyControl !== true && n.doNotTrack !== '1') {
        auth.page = location.href.slice(0, 2000);
        auth.locale = n.language;
        auth.timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      }
    }
    return auth;
  }

  private setState(state: ConnectionState): void {
    if (this.state === state || this.state === 'closed') return;
    this.state = state;
    this.events.emit('connection', state);
  }

  private wire(): void {
    const s = this.socket;
    s.on('session', (session: VisitorSession) => void this.onSession(session));
    s.on('message:new', (m: Message) => void this.stream.push(m));
    s.on('typing', (e: TypingEvent) => this.events.emit('typing', e));
    s.on('read:updated', (e: ReadEvent) => this.events.emit('read', e));
    s.on('unread:updated', (e: UnreadEvent) => this.events.emit('unread', e));
    s.on('conversation:updated', (c: Conversation) => this.events.emit('conversationUpdated', c));
    s.on('disconnect', () => {
      this.live = false;
      this.setState(s.active ? 'connecting' : 'disconnected');
      this.wake?.();
    });
    s.on('connect_error', (err: Error & { data?: HandshakeErrorData }) => {
      const data = err.data;
      if (!data?.code) {
        this.setState('connecting'); // transport trouble: Socket.IO keeps trying
        return;
      }
      // A stale or foreign visitor token: start over as a new visitor, once.
      if (data.fields?.visitorToken && !this.droppedToken) {
        this.droppedToken = true;
        this.storage.remove(this.tokenKey);
        s.connect();
        return;
      }
      const error = new ParleyClientError({ code: data.code, message: err.message });
      // The server could not check the handshake just now (its database restarting): try
      // again, as Socket.IO itself does not after a refusal.
      if ((RETRYABLE_CODES as readonly string[]).includes(data.code)) {
        this.setState('connecting');
        const delay = Math.min(BACKOFF_MAX_MS, 500 * 2 ** this.handshakeAttempts++) * (0.5 + Math.random() / 2);
        this.retryTimer = setTimeout(() => this.state !== 'closed' && s.connect(), delay);
        return;
      }
      this.refusal = error;
      this.setState('disconnected');
      this.events.emit('error', error);
      this.settleReady.reject(error);
      // Nothing queued can be sent on a refused connection: every waiting send settles now.
      void this.failQueued(error);
    });
  }

  /** Gives up every queued message with `error`: each waiting send() rejects, `failed` fires. */
  private async failQueued(error: ParleyClientError): Promise<void> {
    await this.loaded;
    const entries = this.queue.splice(0);
    for (const entry of entries) {
      await this.outbox.delete(entry.clientId).catch(() => undefined);
      this.waiters.get(entry.clientId)?.reject(error);
      this.waiters.delete(entry.clientId);
      this.events.emit('failed', { entry, error });
    }
  }

  private async onSession(session: VisitorSession): Promise<void> {
    if (this.visitorId !== null && this.visitorId !== session.visitorId) this.stream.reset();
    this.storage.set(this.tokenKey, session.visitorToken);
    this.visitorId = session.visitorId;
    try {
      const { conversations } = await this.call('conversation:list', {});
      for (const c of conversations) {
        const cursor = this.stream.cursor(c.id);
        if (cursor === undefined && !this.sessionSeen) this.stream.follow(c.id, c.lastSeq);
        else if ((cursor ?? 0) < c.lastSeq) void this.stream.catchUp(c.id);
      }
    } catch {
      // Catch-up is retried at the next session; live messages still flow.
    }
    this.sessionSeen = true;
    this.live = true;
    this.setState('connected');
    this.events.emit('session', session);
    this.settleReady.resolve(session);
    this.attempt = 0;
    this.handshakeAttempts = 0;
    this.wake?.();
    void this.flush();
  }

  ready(): Promise<VisitorSession> {
    return this.readyPromise;
  }

  /** One request over the socket; fails at once, with the reason, once the server refused us. */
  private call<K extends keyof VisitorClientToServerEvents & string>(
    event: K,
    payload: PayloadOf<VisitorClientToServerEvents[K]>,
  ): Promise<AckOf<VisitorClientToServerEvents[K]>> {
    if (this.refusal) return Promise.reject(this.refusal);
    return request<VisitorClientToServerEvents, K>(this.socket, event, payload, this.ackTimeoutMs);
  }

  newConversationId(): string {
    return `pending_${randomId()}`;
  }

  resolveConversationId(id: string): string {
    return this.pendingConversations.get(id) ?? id;
  }

  pending(): readonly OutboxEntry[] {
    return this.queue;
  }

  async send(text: string, options: SendOptions = {}): Promise<Message> {
    if (this.state === 'closed') throw new ParleyClientError({ code: 'closed', message: 'this client was closed' });
    if (this.refusal) throw this.refusal;
    checkText(text, (options.attachmentIds?.length ?? 0) > 0);
    let conversationId = options.conversationId;
    if (conversationId?.startsWith('pending_'))
      conversationId = this.pendingConversations.get(conversationId) ?? conversationId;
    this.lastOrder = Math.max(Date.now(), this.lastOrder + 1);
    const entry: OutboxEntry = {
      clientId: options.clientId ?? newClientId(),
      // Card numbers, IBANs, keys and passwords never leave the page (the server checks again).
      text: redactBeforeSending(text).text,
      ...(options.attachmentIds?.length ? { attachmentIds: options.attachmentIds } : {}),
      createdAt: new Date().toISOString(),
      order: this.lastOrder,
      ...(conversationId ? { conversationId } : {}),
    };
    const stored = new Promise<Message>((resolve, reject) => this.waiters.set(entry.clientId, { resolve, reject }));
    this.queue.push(entry);
    await this.outbox.put(entry).catch(() => undefined);
    void this.flush();
    return stored;
  }

  /** Sends queued messages one at a time, in order, until the queue is empty or we go offline. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      await this.loaded;
      while (this.queue.length > 0 && this.live && this.state !== 'closed') {
        const entry = this.queue[0]!;
        const target = entry.conversationId?.startsWith('pending_')
          ? this.pendingConversations.get(entry.conversationId)
          : entry.conversationId;
        try {
          const result = await this.call('message:send', {
            clientId: entry.clientId,
            text: entry.text,
            ...(target ? { conversationId: target } : {}),
            ...(entry.attachmentIds ? { attachmentIds: entry.attachmentIds } : {}),
          });
          await this.settled(entry, result.message);
        } catch (err) {
          const error =
            err instanceof ParleyClientError ? err : new ParleyClientError({ code: 'internal', message: String(err) });
          if (error.code === 'timeout' || (RETRYABLE_CODES as readonly string[]).includes(error.code)) {
            await this.backoff(error.retryAfterMs);
            continue;
          }
          this.queue.shift();
          await this.outbox.delete(entry.clientId).catch(() => undefined);
          this.waiters.get(entry.clientId)?.reject(error);
          this.waiters.delete(entry.clientId);
          this.events.emit('failed', { entry, error });
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private async settled(entry: OutboxEntry, message: Message): Promise<void> {
    if (entry.conversationId?.startsWith('pending_')) {
      this.pendingConversations.set(entry.conversationId, message.conversationId);
      for (const later of this.queue) {
        if (later !== entry && later.conversationId === entry.conversationId) {
          later.conversationId = message.conversationId;
          await this.outbox.put(later).catch(() => undefined);
        }
      }
    }
    this.queue.shift();
    this.attempt = 0;
    await this.outbox.delete(entry.clientId).catch(() => undefined);
    void this.stream.push(message);
    this.waiters.get(entry.clientId)?.resolve(message);
    this.waiters.delete(entry.clientId);
  }

  /** Waits before a resend: exponential with jitter, cut short by a new session or close. */
  private backoff(retryAfterMs?: number): Promise<void> {
    const base = retryAfterMs ?? Math.min(BACKOFF_MAX_MS, 500 * 2 ** this.attempt);
    this.attempt += 1;
    const delay = retryAfterMs ?? base * (0.5 + Math.random() / 2);
    return new Promise((resolve) => {
      const timer = setTimeout(done, delay);
      const self = this;
      function done() {
        clearTimeout(timer);
        if (self.wake === done) self.wake = undefined;
        resolve();
      }
      this.wake = done;
    });
  }

  async conversations(): Promise<Conversation[]> {
    const { conversations } = await this.call('conversation:list', {});
    return conversations;
  }

  history(conversationId: string, options: { beforeSeq?: number; limit?: number } = {}): Promise<MessagePage> {
    return this.call('message:history', { conversationId, ...options });
  }

  async markRead(conversationId: string, seq?: number): Promise<Conversation> {
    const upTo = seq ?? this.stream.cursor(conversationId) ?? Number.MAX_SAFE_INTEGER;
    const { conversation } = await this.call('read:mark', {
      conversationId,
      seq: upTo,
    });
    return conversation;
  }

  setTyping(conversationId: string, typing: boolean): void {
    if (!this.live || conversationId.startsWith('pending_')) return;
    // "Still typing" is refreshed every few seconds at most; "stopped" goes at once.
    const now = Date.now();
    const last = this.typingSentAt.get(conversationId);
    if (typing && last !== undefined && now - last < TYPING_REFRESH_MS) return;
    if (!typing && last === undefined) return;
    if (typing) this.typingSentAt.set(conversationId, now);
    else this.typingSentAt.delete(conversationId);
    this.call('typing:set', { conversationId, typing }).catch(() => undefined);
  }

  async upload(file: Blob, name: string): Promise<Attachment> {
    if (file.size > ATTACHMENT_LIMITS.maxBytes) {
      throw new ParleyClientError({
        code: 'payload_too_large',
        message: `a file holds at most ${ATTACHMENT_LIMITS.maxBytes / 1024 / 1024} MB`,
      });
    }
    const { attachment } = await this.post<{ attachment: Attachment }>('/v1/attachments', file, {
      'content-type': 'application/octet-stream',
      'x-filename': encodeURIComponent(name),
    });
    return attachment;
  }

  async reportIncident(input: IncidentInput): Promise<VisitorIncident> {
    const context = input.context === undefined ? (this.options.errorContext?.snapshot() ?? null) : input.context;
    const errors = context?.errors ?? [];
    const report: IncidentReport = {
      clientId: input.clientId ?? newClientId(),
      area: input.area,
      ...(input.details ? { details: input.details } : {}),
      impact: input.impact,
      startedAt: new Date(input.startedAt ?? errors[0]?.firstAt ?? Date.now()).toISOString(),
      steps: input.steps ?? [],
      errorMessage: input.errorMessage ?? errors.at(-1)?.message ?? '',
      ...(input.attachmentIds?.length ? { attachmentIds: input.attachmentIds } : {}),
      context,
    };
    const { incident } = await this.post<{ incident: VisitorIncident }>('/v1/incidents', JSON.stringify(report), {
      'content-type': 'application/json',
    });
    return incident;
  }

  /** An HTTP request as this visitor (for what is too big for a socket frame). */
  private async post<T>(path: string, body: RequestBody, headers: Record<string, string>): Promise<T> {
    await this.readyPromise;
    const authorization = `Visitor ${this.storage.get(this.tokenKey) ?? ''}`;
    return httpRequest<T>(this.options, 'POST', path, { ...headers, authorization }, body);
  }

  async updateVisitor(update: VisitorUpdatePayload): Promise<VisitorProfile> {
    const { visitor } = await this.call('visitor:update', update);
    return visitor;
  }

  async updateConversation(conversationId: string, attributes: Attributes): Promise<Conversation> {
    const { conversation } = await this.call('conversation:update', {
      conversationId: this.resolveConversationId(conversationId),
      attributes,
    });
    return conversation;
  }

  on<K extends keyof ClientEvents>(event: K, listener: (value: ClientEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  off<K extends keyof ClientEvents>(event: K, listener: (value: ClientEvents[K]) => void): void {
    this.events.off(event, listener);
  }

  close(): void {
    if (this.state === 'closed') return;
    this.live = false;
    clearTimeout(this.retryTimer);
    this.socket.disconnect();
    this.setState('closed');
    this.state = 'closed';
    this.wake?.();
    const closed = new ParleyClientError({
      code: 'closed',
      message: 'the client was closed before the message was stored',
    });
    for (const waiter of this.waiters.values()) waiter.reject(closed);
    this.waiters.clear();
    this.settleReady.reject(closed);
    this.events.clear();
  }

  async forget(): Promise<void> {
    this.close();
    this.storage.remove(this.tokenKey);
    this.queue = [];
    await this.outbox.clear().catch(() => undefined);
  }
}
