// The baseline: a bare Socket.IO server that acknowledges every message and forwards it to
// the agent room, with nothing else: no validation, no store. Same protocol shape as Parley's.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { answerMemoryProbes } from './memory-probe.js';

const http = createServer();
const io = new Server(http, { serveClient: false });
let seq = 0;
io.of('/agent').on('connection', (socket) => {
  void socket.join('agents');
  socket.emit('session', { agent: { id: 'echo' } });
});
io.of('/visitor').on('connection', (socket) => {
  socket.emit('session', { visitorId: socket.id, visitorToken: 'x', identified: false });
  socket.on(
    'message:send',
    (payload: { clientId: string; conversationId?: string; text: string }, ack: (r: unknown) => void) => {
      const message = {
        id: String(++seq),
        conversationId: payload.conversationId ?? socket.id,
        seq,
        clientId: payload.clientId,
        author: { type: 'visitor', id: socket.id, name: null },
        text: payload.text,
        createdAt: new Date().toISOString(),
      };
      ack({ ok: true, message, conversation: { id: message.conversationId } });
      io.of('/agent').to('agents').emit('message:new', message);
    },
  );
});
http.listen(0, '127.0.0.1', () => {
  const { port } = http.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}`, appId: 'echo', token: 'pat_echo' })}\n`);
});
answerMemoryProbes();
process.on('SIGTERM', () => process.exit(0));
