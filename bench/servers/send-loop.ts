// Parley's own cost per message, without sockets: 500 visitors each send in a closed loop
// straight into the message service (conversations.send: screen, seal, store, announce), the
// way a socket's handler calls it. After a 2 s warm-up it prints one JSON line a second for
// SEND_LOOP_SECONDS seconds: CPU µs per message for the whole process, its event loop and the
// busiest other thread (SQLite's connection thread), and the messages sent. bench/pair.ts runs
// two builds of it side by side.
import { randomBytes } from 'node:crypto';
import { threadCpu } from '../suites/threads.js';
import { parleyInstance } from './parley-instance.js';

const { store, server, app } = await parleyInstance();
const visitorIds: string[] = [];
for (let i = 0; i < 500; i++) {
  const at = new Date().toISOString();
  const id = `vis_${Date.now().toString(36).padStart(9, '0')}${randomBytes(12).toString('base64url')}`;
  await store.visitors.create({
    id,
    appId: app.id,
    userId: null,
    verified: false,
    email: null,
    name: null,
    attributes: {},
    device: null,
    createdAt: at,
    lastSeenAt: at,
  });
  visitorIds.push(id);
}

let sent = 0;
let stopped = false;
let next = 0;
const suffix = randomBytes(6).toString('hex');
const loops = visitorIds.map(async (visitorId) => {
  let conversationId: string | undefined;
  while (!stopped) {
    const { message } = await server.context.conversations.send({
      appId: app.id,
      author: { type: 'visitor', id: visitorId, name: null },
      visitorId,
      conversationId,
      // Time first, as the sdk makes them.
      clientId: `${Date.now().toString(36).padStart(9, '0')}${(next++).toString(36).padStart(6, '0')}${suffix}`,
      text: `bench message ${performance.now()}`,
      origin: 'bench',
    });
    conversationId = message.conversationId;
    sent++;
  }
});

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
await wait(2000);
for (let window = 0; window < Number(process.env.SEND_LOOP_SECONDS ?? 10); window++) {
  const threadsBefore = threadCpu('self');
  const before = process.cpuUsage();
  sent = 0;
  await wait(1000);
  const used = process.cpuUsage(before);
  const perThread = [...threadCpu('self')].map(
    ([thread, micros]) => (micros - (threadsBefore.get(thread) ?? 0)) / sent,
  );
  const [eventLoop = 0, ...others] = perThread;
  process.stdout.write(
    `${JSON.stringify({ total: (used.user + used.system) / sent, eventLoop, thread: Math.max(0, ...others), messages: sent })}\n`,
  );
}
stopped = true;
await Promise.all(loops);
await server.close();
process.exit(0);
