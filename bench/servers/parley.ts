// A Parley server for the messaging benchmark (parley-instance.ts) with one agent. Prints its
// address as one JSON line.
import { answerMemoryProbes } from './memory-probe.js';
import { parleyInstance } from './parley-instance.js';

const { parley, store, server, app, clock } = await parleyInstance();
const url = await server.listen(0, '127.0.0.1');
const { token } = await parley.createAgent(
  store,
  { appId: app.id, email: 'bench@parley.local', name: 'Bench', role: 'agent' },
  clock,
);
process.stdout.write(`${JSON.stringify({ url, appId: app.id, token })}\n`);
answerMemoryProbes();
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
