// A Parley server for the messaging benchmark: SQLite in a temp dir, rate limits out of the
// way (the load is deliberate), one app and one agent. Prints its address as one JSON line.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Server from '@parley/server';
import pino from 'pino';
import { answerMemoryProbes } from './memory-probe.js';

// The server as it ships: the built bundle (`pnpm bench` builds it first), not the sources
// through tsx, whose transform adds a call per closure created. `pnpm bench:ab` points
// BENCH_SERVER_BUNDLE at a kept earlier build to compare the two.
const bundle = process.env.BENCH_SERVER_BUNDLE ?? join(import.meta.dirname, '../../packages/server/dist/index.js');
const { createAgent, createApp, createServer, createSqliteStore } = (await import(
  pathToFileURL(bundle).href
)) as typeof Server;

// Encrypted at rest, as the server runs (BENCH_ENCRYPTION=off measures what it costs).
const store = await createSqliteStore(join(mkdtempSync(join(tmpdir(), 'parley-bench-')), 'parley.db'), {
  masterKey: process.env.BENCH_ENCRYPTION === 'off' ? undefined : randomBytes(32),
});
const unlimited = { perSecond: 1e9, burst: 1e9 };
const server = await createServer({
  store,
  secret: randomBytes(32).toString('hex'),
  logger: pino({ level: 'warn' }),
  limits: { visitorRate: unlimited, agentRate: unlimited },
  // The baseline run turns screening off to measure what it costs.
  screening: process.env.BENCH_SCREENING !== 'off',
});
const url = await server.listen(0, '127.0.0.1');
const clock = () => new Date();
const { app } = await createApp(store, server.context.box, { name: 'bench', origins: ['*'] }, clock);
const { token } = await createAgent(
  store,
  { appId: app.id, email: 'bench@parley.local', name: 'Bench', role: 'agent' },
  clock,
);
process.stdout.write(`${JSON.stringify({ url, appId: app.id, token })}\n`);
answerMemoryProbes();
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
