import { io, type Socket } from 'socket.io-client';
import { TEST_ORIGIN } from './server.js';

/**
 * A plain socket.io-client, as a third-party client (or an attacker) would use: no sdk, so
 * tests see exactly what the protocol answers.
 */
export function rawSocket(
  url: string,
  namespace: '/visitor' | '/agent',
  auth: object,
  origin: string | null = TEST_ORIGIN,
  headers: Record<string, string> = {},
): Socket {
  return io(`${url}${namespace}`, {
    auth,
    forceNew: true,
    reconnection: false,
    transports: ['websocket'],
    extraHeaders: { ...(origin ? { origin } : {}), ...headers },
  });
}

export type HandshakeOutcome =
  | { connected: true; session: Record<string, unknown> }
  | { connected: false; message: string; data: { code: string; fields?: Record<string, string> } };

/** Connects and reports either the session the server sent or why the handshake was refused. */
export function handshake(socket: Socket): Promise<HandshakeOutcome> {
  return new Promise((resolve) => {
    socket.on('session', (session: Record<string, unknown>) => resolve({ connected: true, session }));
    socket.on('connect_error', (err: Error & { data?: { code: string } }) =>
      resolve({ connected: false, message: err.message, data: err.data ?? { code: 'transport' } }),
    );
  });
}
