import type { Server } from 'socket.io';

/** The parts of engine.io's WebSocket transport this reaches into (engine.io 6). */
interface WebSocketTransport {
  name: string;
  send(packets: unknown[]): void;
  /** The `ws` WebSocket, and under it the TCP socket. */
  socket?: { _socket?: { cork(): void; uncork(): void } };
}

/**
 * When packets queue up for one connection (an agent receiving a burst of messages: a group
 * commit acknowledges hundreds of sends at once), engine.io writes each as its own frame, one
 * system call apiece. Corking the TCP socket around the batch sends the frames in one write;
 * what the client receives is unchanged, frame for frame.
 */
export function coalesceWrites(io: Server): void {
  const wrap = (transport: WebSocketTransport) => {
    if (transport.name !== 'websocket') return;
    const send = transport.send.bind(transport);
    transport.send = (packets) => {
      const tcp = packets.length > 1 ? transport.socket?._socket : undefined;
      tcp?.cork();
      try {
        send(packets);
      } finally {
        tcp?.uncork();
      }
    };
  };
  io.engine.on(
    'connection',
    (socket: { transport: WebSocketTransport; on(e: 'upgrade', f: (t: WebSocketTransport) => void): void }) => {
      wrap(socket.transport);
      socket.on('upgrade', wrap);
    },
  );
}
