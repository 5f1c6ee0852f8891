/**
 * The Socket.IO client the widget ships. The widget build aliases `socket.io-client` to this
 * module (see build.mjs): it implements the part of socket.io-client's API the sdk uses —
 * `io(url, { auth, reconnectionDelay, reconnectionDelayMax })`, `on`, `connect`, `disconnect`,
 * `active` and `timeout(ms).emit(event, payload, ack)` — and speaks the same protocol
 * (Engine.IO 4 and Socket.IO 5, documented at socket.io/docs/v4) over WebSocket only, to the
 * same Socket.IO 4 server. It is about 1.5 KB gzipped where socket.io-client is about 12 KB,
 * which is what lets the incident form and the error-context collector fit the 35 KB budget.
 * The Node sdk and the tests keep socket.io-client; test/socket-lite.test.ts runs this one
 * against a real Socket.IO server.
 *
 * Behaviour matches socket.io-client where the sdk depends on it: events emitted while
 * disconnected are buffered and sent on connect; an ack that times out is dropped (and its
 * buffered packet with it); a handshake refused by the server (`connect_error` with `data`)
 * leaves the socket inactive until `connect()`; transport loss reconnects with exponential
 * back-off and jitter; a missed heartbeat (no ping within pingInterval + pingTimeout) counts
 * as transport loss.
 */

// biome-ignore lint/suspicious/noExplicitAny: listeners receive whatever the server sent
type Listener = (...args: any[]) => void;

export interface LiteOptions {
  auth?: (cb: (data: object) => void) => void;
  reconnectionDelay?: number;
  reconnectionDelayMax?: number;
  /** The WebSocket constructor: the page's by default; tests in Node pass `ws`. */
  WebSocket?: typeof WebSocket;
}

// Engine.IO packet types (first character of a frame).
const EIO_OPEN = '0';
const EIO_CLOSE = '1';
const EIO_PING = '2';
const EIO_PONG = '3';
const EIO_MESSAGE = '4';
// Socket.IO packet types (first character after EIO_MESSAGE).
const SIO_CONNECT = 0;
const SIO_DISCONNECT = 1;
const SIO_EVENT = 2;
const SIO_ACK = 3;
const SIO_CONNECT_ERROR = 4;

export class LiteSocket {
  /** True while the socket wants to be connected (reconnects on its own). */
  active = false;
  connected = false;
  private ws: WebSocket | undefined;
  private readonly listeners = new Map<string, Listener[]>();
  private readonly acks = new Map<number, Listener>();
  private buffer: { id: number; frame: string }[] = [];
  private nextId = 0;
  private attempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private heartbeatTimer: ReturnType<typeof setTimeout> | undefined;
  private pingWindow = 45_000;
  private readonly endpoint: string;
  private readonly prefix: string;

  constructor(
    uri: string,
    private readonly opts: LiteOptions = {},
  ) {
    const url = new URL(uri);
    const nsp = url.pathname.replace(/\/+$/, '') || '/';
    this.prefix = nsp === '/' ? '' : `${nsp},`;
    this.endpoint = `${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.host}/socket.io/?EIO=4&transport=websocket`;
    this.connect();
  }

  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  off(event: string, listener: Listener): this {
    this.listeners.set(
      event,
      (this.listeners.get(event) ?? []).filter((l) => l !== listener),
    );
    return this;
  }

  connect(): this {
    if (this.ws) return this;
    this.active = true;
    clearTimeout(this.retryTimer);
    const ws = new (this.opts.WebSocket ?? WebSocket)(this.endpoint);
    this.ws = ws;
    ws.onmessage = (e) => {
      if (this.ws === ws) this.onFrame(String(e.data));
    };
    ws.onclose = () => {
      if (this.ws === ws) this.onTransportClose();
    };
    return this;
  }

  disconnect(): this {
    const wasConnected = this.connected;
    if (wasConnected) this.send(`${SIO_DISCONNECT}${this.prefix}`);
    this.active = false;
    this.teardown();
    if (wasConnected) this.fire('disconnect', 'io client disconnect');
    return this;
  }

  /** `socket.timeout(ms).emit(event, ...args, ack)`: the ack gets `(err, ...answer)`. */
  timeout(ms: number): { emit: (event: string, ...args: unknown[]) => void } {
    return {
      emit: (event, ...args) => {
        const ack = args.pop() as Listener;
        const id = this.nextId++;
        const timer = setTimeout(() => {
          this.acks.delete(id);
          this.buffer = this.buffer.filter((b) => b.id !== id);
          ack(new Error('operation has timed out'));
        }, ms);
        this.acks.set(id, (...answer) => {
          clearTimeout(timer);
          ack(null, ...answer);
        });
        const frame = `${SIO_EVENT}${this.prefix}${id}${JSON.stringify([event, ...args])}`;
        if (this.connected) this.send(frame);
        else this.buffer.push({ id, frame });
      },
    };
  }

  private fire(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }

  private send(socketPacket: string): void {
    this.ws?.send(`${EIO_MESSAGE}${socketPacket}`);
  }

  private heartbeat(windowMs: number): void {
    clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = setTimeout(() => this.ws?.close(), windowMs);
  }

  private onFrame(frame: string): void {
    const type = frame[0];
    if (type === EIO_OPEN) {
      const { pingInterval, pingTimeout } = JSON.parse(frame.slice(1)) as { pingInterval: number; pingTimeout: number };
      this.pingWindow = pingInterval + pingTimeout;
      this.heartbeat(this.pingWindow);
      const connect = (auth?: object) => this.send(`${SIO_CONNECT}${this.prefix}${auth ? JSON.stringify(auth) : ''}`);
      if (this.opts.auth) this.opts.auth(connect);
      else connect();
    } else if (type === EIO_PING) {
      this.heartbeat(this.pingWindow);
      this.ws?.send(EIO_PONG);
    } else if (type === EIO_CLOSE) {
      this.ws?.close();
    } else if (type === EIO_MESSAGE) {
      this.onPacket(frame.slice(1));
    }
  }

  private onPacket(packet: string): void {
    const type = Number(packet[0]);
    let i = 1;
    if (packet[i] === '/') {
      const comma = packet.indexOf(',', i);
      if (packet.slice(1, comma + 1) !== this.prefix) return; // another namespace
      i = comma + 1;
    } else if (this.prefix) {
      return;
    }
    const idStart = i;
    while (i < packet.length && packet.charCodeAt(i) >= 48 && packet.charCodeAt(i) <= 57) i++;
    const id = i > idStart ? Number(packet.slice(idStart, i)) : undefined;
    const data = i < packet.length ? JSON.parse(packet.slice(i)) : undefined;

    if (type === SIO_CONNECT) {
      this.connected = true;
      this.attempts = 0;
      const buffered = this.buffer;
      this.buffer = [];
      for (const b of buffered) this.send(b.frame);
      this.fire('connect');
    } else if (type === SIO_CONNECT_ERROR) {
      // Refused by the server's middleware: no automatic retry (socket.io-client does the same).
      this.active = false;
      this.teardown();
      const err = Object.assign(new Error(data?.message ?? 'refused'), { data: data?.data });
      this.fire('connect_error', err);
    } else if (type === SIO_EVENT && Array.isArray(data)) {
      const [event, ...args] = data as [string, ...unknown[]];
      this.fire(event, ...args);
    } else if (type === SIO_ACK && id !== undefined && Array.isArray(data)) {
      const ack = this.acks.get(id);
      this.acks.delete(id);
      ack?.(...data);
    } else if (type === SIO_DISCONNECT) {
      // The server ended this session on purpose: stay disconnected, as socket.io-client does.
      this.active = false;
      this.teardown();
      this.fire('disconnect', 'io server disconnect');
    }
  }

  private onTransportClose(): void {
    const wasConnected = this.connected;
    this.teardown();
    if (wasConnected) this.fire('disconnect', 'transport close');
    else this.fire('connect_error', new Error('websocket error'));
    if (!this.active) return;
    const max = this.opts.reconnectionDelayMax ?? 5000;
    const base = Math.min((this.opts.reconnectionDelay ?? 1000) * 2 ** this.attempts++, max);
    this.retryTimer = setTimeout(() => this.connect(), Math.min(base * (0.5 + Math.random()), max));
  }

  private teardown(): void {
    const ws = this.ws;
    this.ws = undefined;
    this.connected = false;
    clearTimeout(this.heartbeatTimer);
    clearTimeout(this.retryTimer);
    if (ws && ws.readyState < 2) ws.close();
  }
}

export function io(uri: string, opts?: LiteOptions): LiteSocket {
  return new LiteSocket(uri, opts);
}

export type Socket = LiteSocket;
