import type { Socket } from 'socket.io-client';
import {
  type ConnectionState,
  checkText,
  httpRequest,
  newClientId,
  openSocket,
  request,
  type TransportOptions,
} from './connection.js';
import { Emitter } from './emitter.js';
import { ParleyClientError } from './errors.js';
import { MessageStream } from './message-stream.js';
import {
  type AckOf,
  type AgentClientToServerEvents,
  type AgentConversation,
  type AgentProfile,
  type ConversationListPayload,
  type HandshakeErrorData,
  type Incident,
  type IncidentPriority,
  type IncidentStatus,
  type Message,
  type MessagePage,
  NAMESPACES,
  type Note,
  type PayloadOf,
  RETRYABLE_CODES,
  type ReadEvent,
  type TypingEvent,
} from './protocol/index.js';

export interface AgentClientOptions extends TransportOptions {
  /**
   * An agent API token (`pat_…` from the CLI, `ses_…` from `POST /v1/agents/login`). Leave it
   * out in a page of the server itself that signed in with `session: "cookie"` (the console):
   * the session cookie then speaks for the agent, and `csrfToken` goes with every change.
   */
  token?: string;
  /** The `csrfToken` of a cookie sign-in. */
  csrfToken?: string;
}

export interface AgentClientEvents {
  /** Every message of the app's conversations, once each, in `seq` order per conversation. */
  message: Message;
  /** A visitor started a conversation. */
  conversation: AgentConversation;
  /** A conversation's status, assignee or attributes changed. */
  conversationUpdated: AgentConversation;
  /** An internal note was added. */
  note: Note;
  typing: TypingEvent;
  read: ReadEvent;
  /** A new incident, with every field, the moment it is reported. */
  incident: Incident;
  /** An incident's priority, status or first response changed. */
  incidentUpdated: Incident;
  /** A contact was erased: drop what you hold of them (their conversations are gone). */
  contactErased: { contactId: string };
  connection: ConnectionState;
  error: ParleyClientError;
}

export interface IncidentListQuery {
  priority?: IncidentPriority;
  status?: IncidentStatus;
  breached?: boolean;
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

export interface AgentClient {
  readonly state: ConnectionState;
  ready(): Promise<AgentProfile>;
  conversations(query?: ConversationListPayload): Promise<AgentConversation[]>;
  conversation(conversationId: string): Promise<AgentConversation>;
  history(conversationId: string, options?: { beforeSeq?: number; limit?: number }): Promise<MessagePage>;
  /**
   * Replies; resends with the same clientId after a timeout, so it is stored once. Give your
   * own `clientId` to resend later (after a reload, say) without a duplicate.
   */
  send(conversationId: string, text: string, options?: { clientId?: string }): Promise<Message>;
  markRead(conversationId: string, seq: number): Promise<AgentConversation>;
  setTyping(conversationId: string, typing: boolean): Promise<void>;
  /** Incidents by response deadline, soonest first (REST: GET /v1/incidents). */
  incidents(query?: IncidentListQuery): Promise<{ incidents: Incident[]; nextCursor: string | null }>;
  /** Changes the priority (the deadline moves, counted from submission) or the status. */
  updateIncident(id: string, change: { priority?: IncidentPriority; status?: IncidentStatus }): Promise<Incident>;
  /**
   * Any route of the REST API (`/v1/…`) with this client's credentials: JSON in and out; a
   * problem answer rejects with a ParleyClientError carrying its code.
   */
  api<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T>;
  on<K extends keyof AgentClientEvents>(event: K, listener: (value: AgentClientEvents[K]) => void): () => void;
  close(): void;
}

const SEND_ATTEMPTS = 5;

/**
 * Creates an agent client, for tools, bots and tests: it sees every conversation of its app
 * live and catches up after a reconnect.
 *
 * @example
 * const agent = createAgentClient({ url: 'https://chat.example.com', token: 'pat_…' });
 * agent.on('message', (m) => m.author.type === 'visitor' && agent.send(m.conversationId, 'On it!'));
 */
export function createAgentClient(options: AgentClientOptions): AgentClient {
  if (!options || typeof options.url !== 'string' || !['string', 'undefined'].includes(typeof options.token)) {
    throw new TypeError('createAgentClient({ url, token }) needs the server url and an agent token');
  }
  // With a token: a bearer header. Without: the session cookie, and the CSRF token on changes.
  const credentials = (method: string): Record<string, string> =>
    options.token !== undefined
      ? { authorization: `Bearer ${options.token}` }
      : method === 'GET' || options.csrfToken === undefined
        ? {}
        : { 'x-csrf-token': options.csrfToken };
  const api = <T>(method: string, path: string, body?: unknown): Promise<T> =>
    httpRequest<T>(
      options,
      method,
      path,
      { ...credentials(method), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body === undefined ? undefined : JSON.stringify(body),
    );
  const events = new Emitter<AgentClientEvents>();
  const timeout = options.ackTimeoutMs ?? 10_000;
  let state: ConnectionState = 'connecting';
  let sessions = 0;
  let settle!: { resolve: (a: AgentProfile) => void; reject: (e: unknown) => void };
  const ready = new Promise<AgentProfile>((resolve, reject) => {
    settle = { resolve, reject };
  });
  ready.catch(() => undefined);

  const socket: Socket = openSocket({
    ...options,
    namespace: NAMESPACES.agent,
    auth: () => (options.token === undefined ? {} : { token: options.token }),
  });
  // Set once the server refused the handshake for good: every call fails at once with it.
  let refusal: ParleyClientError | undefined;
  let handshakeAttempts = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  const call = <K extends keyof AgentClientToServerEvents & string>(
    event: K,
    payload: PayloadOf<AgentClientToServerEvents[K]>,
  ): Promise<AckOf<AgentClientToServerEvents[K]>> =>
    refusal ? Promise.reject(refusal) : request<AgentClientToServerEvents, K>(socket, event, payload, timeout);
  const stream = new MessageStream(
    (conversationId, afterSeq) => call('message:sync', { conversationId, afterSeq }),
    (m) => events.emit('message', m),
    () => undefined,
  );
  const setState = (next: ConnectionState) => {
    if (state === next || state === 'closed') return;
    state = next;
    events.emit('connection', next);
  };

  socket.on('session', async ({ agent }: { agent: AgentProfile }) => {
    const first = sessions === 0;
    sessions += 1;
    try {
      const { conversations } = await call('conversation:list', {});
      for (const c of conversations) {
        const cursor = stream.cursor(c.id);
        if (cursor === undefined && first) stream.follow(c.id, c.lastSeq);
        else if ((cursor ?? 0) < c.lastSeq) void stream.catchUp(c.id);
      }
    } catch {
      // Retried at the next session.
    }
    handshakeAttempts = 0;
    setState('connected');
    settle.resolve(agent);
  });
  socket.on('conversation:new', (c: AgentConversation) => {
    stream.follow(c.id, 0);
    events.emit('conversation', c);
  });
  socket.on('conversation:updated', (c: AgentConversation) => events.emit('conversationUpdated', c));
  socket.on('note:new', (n: Note) => events.emit('note', n));
  socket.on('message:new', (m: Message) => void stream.push(m));
  socket.on('typing', (e: TypingEvent) => events.emit('typing', e));
  socket.on('read:updated', (e: ReadEvent) => events.emit('read', e));
  socket.on('incident:new', (i: Incident) => events.emit('incident', i));
  socket.on('incident:updated', (i: Incident) => events.emit('incidentUpdated', i));
  socket.on('contact:erased', (e: { contactId: string }) => events.emit('contactErased', e));
  socket.on('disconnect', () => setState(socket.active ? 'connecting' : 'disconnected'));
  socket.on('connect_error', (err: Error & { data?: HandshakeErrorData }) => {
    if (!err.data?.code) return;
    const error = new ParleyClientError({ code: err.data.code, message: err.message });
    // Not checked just now (the server's database restarting): try again with back-off.
    if ((RETRYABLE_CODES as readonly string[]).includes(err.data.code)) {
      const delay = Math.min(30_000, 500 * 2 ** handshakeAttempts++) * (0.5 + Math.random() / 2);
      retryTimer = setTimeout(() => state !== 'closed' && socket.connect(), delay);
      return;
    }
    refusal = error;
    setState('disconnected');
    events.emit('error', error);
    settle.reject(error);
  });

  return {
    get state() {
      return state;
    },
    ready: () => ready,
    async conversations(query = {}) {
      return (await call('conversation:list', query)).conversations;
    },
    async conversation(conversationId) {
      return (await call('conversation:get', { conversationId })).conversation;
    },
    history: (conversationId, opts = {}) => call('message:history', { conversationId, ...opts }),
    async send(conversationId, text, options = {}) {
      checkText(text);
      const clientId = options.clientId ?? newClientId();
      for (let attempt = 1; ; attempt++) {
        try {
          const { message } = await call('message:send', { clientId, conversationId, text });
          void stream.push(message);
          return message;
        } catch (err) {
          const code = err instanceof ParleyClientError ? err.code : 'internal';
          const retryable = code === 'timeout' || (RETRYABLE_CODES as readonly string[]).includes(code);
          if (!retryable || attempt >= SEND_ATTEMPTS || state === 'closed') throw err;
          await new Promise((r) => setTimeout(r, Math.min(10_000, 250 * 2 ** attempt)));
        }
      }
    },
    async markRead(conversationId, seq) {
      return (await call('read:mark', { conversationId, seq })).conversation;
    },
    async setTyping(conversationId, typing) {
      await call('typing:set', { conversationId, typing });
    },
    incidents(query = {}) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
      return api('GET', `/v1/incidents?${params}`);
    },
    async updateIncident(id, change) {
      const { incident } = await api<{ incident: Incident }>(
        'PATCH',
        `/v1/incidents/${encodeURIComponent(id)}`,
        change,
      );
      return incident;
    },
    api,
    on: (event, listener) => events.on(event, listener),
    close() {
      clearTimeout(retryTimer);
      socket.disconnect();
      setState('closed');
      state = 'closed';
      events.clear();
    },
  };
}
