import { io, type Socket } from 'socket.io-client';
import { ParleyClientError } from './errors.js';
import { type Ack, type AckOf, LIMITS, type PayloadOf, type WireError } from './protocol/index.js';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected' | 'closed';

/** What both clients take about the connection itself. */
export interface TransportOptions {
  /** The Parley server, e.g. `https://chat.example.com`. */
  url: string;
  /** How long to wait for an acknowledgement before resending (ms). Default 10 000. */
  ackTimeoutMs?: number;
  /** Node only: send this Origin header, as a browser on that page would. */
  origin?: string;
  transports?: ('websocket' | 'polling')[];
  /** Socket.IO's reconnection delays; tests shorten them. */
  reconnectionDelayMs?: number;
  reconnectionDelayMaxMs?: number;
}

export interface ConnectionOptions extends TransportOptions {
  namespace: string;
  auth: () => object;
}

/**
 * Opens the Socket.IO connection. WebSocket first: it is what nearly every browser gets, and
 * it needs no sticky sessions in a cluster. Where a proxy or antivirus refuses WebSocket, the
 * client falls back to HTTP long-polling on the same connection attempt (`tryAllTransports`).
 */
export function openSocket(options: ConnectionOptions): Socket {
  const base = options.url.replace(/\/+$/, '');
  return io(`${base}${options.namespace}`, {
    auth: (cb) => cb(options.auth()),
    // One connection per client: a multiplexed one would share one client's headers with another.
    forceNew: true,
    transports: options.transports ?? ['websocket', 'polling'],
    tryAllTransports: true,
    reconnectionDelay: options.reconnectionDelayMs ?? 1000,
    reconnectionDelayMax: options.reconnectionDelayMaxMs ?? 10_000,
    ...(options.origin ? { extraHeaders: { origin: options.origin } } : {}),
  });
}

/**
 * Sends one event and waits for its acknowledgement. Resolves with the ack's fields; rejects
 * with a ParleyClientError carrying the server's code, `timeout`, or `closed`. The event, its
 * payload and the answer are typed by the namespace's event map (`Events`): a change to the
 * protocol fails to compile here as it does in the server's handlers.
 */
export function request<Events, K extends keyof Events & string>(
  socket: Socket,
  event: K,
  payload: PayloadOf<Events[K]>,
  timeoutMs: number,
): Promise<AckOf<Events[K]>> {
  type T = AckOf<Events[K]>;
  return new Promise((resolve, reject) => {
    socket.timeout(timeoutMs).emit(event, payload, (err: Error | null, ack: Ack<T & object>) => {
      if (err) {
        reject(new ParleyClientError({ code: 'timeout', message: `no answer to ${event} within ${timeoutMs} ms` }));
      } else if (ack && ack.ok === true) {
        const { ok: _ok, ...rest } = ack as { ok: true } & T;
        resolve(rest as unknown as T);
      } else if (ack && ack.ok === false) {
        reject(new ParleyClientError(ack.error));
      } else {
        reject(new ParleyClientError({ code: 'internal', message: `malformed answer to ${event}` }));
      }
    });
  });
}

/** Checks a message before it is queued, so misuse fails at the call, not minutes later. */
export function checkText(text: unknown, hasAttachments = false): string {
  if (typeof text !== 'string' || (text.trim() === '' && !hasAttachments)) {
    throw new ParleyClientError({ code: 'invalid_payload', message: 'send(text) needs a non-empty string' });
  }
  if (text.length > LIMITS.messageMaxChars) {
    throw new ParleyClientError({
      code: 'payload_too_large',
      message: `a message holds at most ${LIMITS.messageMaxChars} characters; this one has ${text.length}`,
    });
  }
  return text;
}

/**
 * A clientId: the time (base 36, fixed width) and a random id. Ids that grow with time land at
 * the end of the server's idempotency index, where the messages it stores together share a page.
 */
export function newClientId(): string {
  return `${Date.now().toString(36).padStart(9, '0')}-${randomId()}`;
}

/** A random id: crypto.randomUUID where the page is a secure context. */
export function randomId(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A request body: what fetch takes, named so in Node's types and the DOM's alike. */
export type RequestBody = NonNullable<RequestInit['body']>;

/** An error answer of the REST API: a problem document with Parley's extensions. */
type Problem = Partial<Omit<WireError, 'message'>> & {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
};

/**
 * One HTTP call to the Parley server, for what does not suit a socket frame (files, incident
 * reports) and for the REST-only agent calls. Rejects with the server's wire error.
 */
export async function httpRequest<T>(
  options: TransportOptions,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: RequestBody,
): Promise<T> {
  const response = await fetch(`${options.url.replace(/\/+$/, '')}${path}`, {
    method,
    headers: { ...headers, ...(options.origin ? { origin: options.origin } : {}) },
    // A page of the server itself signed in with a cookie (the console): send it.
    credentials: 'same-origin',
    ...(body === undefined ? {} : { body }),
  });
  const answer = (await response.json().catch(() => ({}))) as T & Problem;
  if (!response.ok) {
    // An RFC 9457 problem with the protocol's code (docs/API.md#errors).
    const { code, detail, type: _type, title: _title, status: _status, ...extra } = answer;
    throw new ParleyClientError(
      code
        ? { ...extra, code, message: detail ?? `${method} ${path} failed with HTTP ${response.status}` }
        : { code: 'internal', message: `${method} ${path} failed with HTTP ${response.status}` },
    );
  }
  return answer;
}
