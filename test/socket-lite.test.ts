import { once } from 'node:events';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { LiteSocket } from '../packages/widget/src/socket-lite.js';
import { eventually } from './support/events.js';

// The widget's own Socket.IO client against a real Socket.IO 4 server (the protocol's other end).

interface Harness {
  io: Server;
  url: string;
}

const open: { http: HttpServer; io: Server; sockets: LiteSocket[] }[] = [];

async function startIo(options: { pingInterval?: number; pingTimeout?: number } = {}): Promise<Harness> {
  const http = createServer();
  const io = new Server(http, { transports: ['websocket'], ...options });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  open.push({ http, io, sockets: [] });
  return { io, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

function lite(url: string, options: ConstructorParameters<typeof LiteSocket>[1] = {}): LiteSocket {
  const socket = new LiteSocket(url, { WebSocket: WebSocket as unknown as typeof globalThis.WebSocket, ...options });
  open.at(-1)?.sockets.push(socket);
  return socket;
}

function next(socket: LiteSocket, event: string): Promise<unknown[]> {
  return new Promise((resolve) => {
    const listener = (...args: unknown[]) => {
      socket.off(event, listener);
      resolve(args);
    };
    socket.on(event, listener);
  });
}

afterEach(async () => {
  for (const { http, io, sockets } of open.splice(0)) {
    for (const s of sockets) s.disconnect();
    io.close();
    http.closeAllConnections();
  }
});

describe('the widget socket client against a Socket.IO 4 server', () => {
  it('connects to a namespace with its auth, receives events and gets acknowledgements', async () => {
    const { io, url } = await startIo();
    io.of('/visitor').on('connection', (socket) => {
      socket.emit('session', { hello: socket.handshake.auth.appId });
      socket.on('echo', (payload, ack) => ack({ ok: true, payload }));
    });
    const socket = lite(`${url}/visitor`, { auth: (cb) => cb({ appId: 'app_1' }) });
    const [session] = await next(socket, 'session');
    expect(session).toEqual({ hello: 'app_1' });
    expect(socket.connected).toBe(true);
    const answer = await new Promise((resolve) =>
      socket
        .timeout(5000)
        .emit('echo', { text: 'héllo, "world"' }, (err: Error | null, ack: unknown) => resolve({ err, ack })),
    );
    expect(answer).toEqual({ err: null, ack: { ok: true, payload: { text: 'héllo, "world"' } } });
  });

  it('buffers what is emitted before the connection and sends it once connected', async () => {
    const { io, url } = await startIo();
    const received: unknown[] = [];
    io.of('/visitor').on('connection', (socket) =>
      socket.on('note', (n, ack) => {
        received.push(n);
        ack('ok');
      }),
    );
    const socket = lite(`${url}/visitor`);
    const acks = await Promise.all(
      [1, 2, 3].map(
        (n) =>
          new Promise((resolve) =>
            socket.timeout(5000).emit('note', n, (err: Error | null, a: unknown) => resolve(err ?? a)),
          ),
      ),
    );
    expect(acks).toEqual(['ok', 'ok', 'ok']);
    expect(received).toEqual([1, 2, 3]);
  });

  it('fails an unanswered emit with a timeout error', async () => {
    const { io, url } = await startIo();
    io.of('/visitor').on('connection', (socket) => socket.on('ignored', () => undefined));
    const socket = lite(`${url}/visitor`);
    await next(socket, 'connect');
    const err = await new Promise<Error | null>((resolve) =>
      socket.timeout(50).emit('ignored', {}, (e: Error | null) => resolve(e)),
    );
    expect(err?.message).toMatch(/timed out/);
  });

  it('reports a refused handshake with its data, stays inactive, and connects again when asked', async () => {
    const { io, url } = await startIo();
    let refuse = true;
    io.of('/visitor').use((_socket, next) => {
      if (!refuse) return next();
      next(
        Object.assign(new Error('unauthorized'), {
          data: { code: 'unauthorized', fields: { visitorToken: 'invalid' } },
        }),
      );
    });
    const socket = lite(`${url}/visitor`);
    const [err] = (await next(socket, 'connect_error')) as [Error & { data?: unknown }];
    expect(err.message).toBe('unauthorized');
    expect(err.data).toEqual({ code: 'unauthorized', fields: { visitorToken: 'invalid' } });
    expect(socket.active).toBe(false);
    refuse = false;
    socket.connect();
    await next(socket, 'connect');
    expect(socket.connected).toBe(true);
  });

  it('answers heartbeats, so a quiet connection stays up', async () => {
    const { io, url } = await startIo({ pingInterval: 40, pingTimeout: 40 });
    const pongs: number[] = [];
    io.of('/visitor').on('connection', (socket) => socket.conn.on('heartbeat', () => pongs.push(1)));
    const disconnects: unknown[] = [];
    const socket = lite(`${url}/visitor`);
    socket.on('disconnect', (reason) => disconnects.push(reason));
    await next(socket, 'connect');
    await eventually(() => expect(pongs.length).toBeGreaterThanOrEqual(5));
    expect(disconnects).toEqual([]);
    expect(socket.connected).toBe(true);
  });

  it('reconnects after the transport is lost, and stays down when the server disconnects it', async () => {
    const { io, url } = await startIo();
    const connections: string[] = [];
    io.of('/visitor').on('connection', (socket) => connections.push(socket.id));
    const socket = lite(`${url}/visitor`, { reconnectionDelay: 10, reconnectionDelayMax: 20 });
    await next(socket, 'connect');
    const lost = next(socket, 'disconnect');
    for (const s of io.of('/visitor').sockets.values()) s.conn.close();
    expect(await lost).toEqual(['transport close']);
    await next(socket, 'connect');
    expect(connections).toHaveLength(2);

    const ended = next(socket, 'disconnect');
    for (const s of io.of('/visitor').sockets.values()) s.disconnect(true);
    expect(await ended).toEqual(['io server disconnect']);
    expect(socket.active).toBe(false);
  });
});
