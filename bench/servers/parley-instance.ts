// The Parley server both message-path benchmarks run: the built bundle, SQLite in a temp dir,
// encryption at rest and screening as the server runs them, rate limits out of the way (the
// load is deliberate), and one app.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Server from '@parley/server';
import pino from 'pino';

export async function parleyInstance() {
  // The server as it ships: the built bundle (`pnpm bench` builds it first), not the sources
  // through tsx, whose transform adds a call per closure created. `pnpm bench:ab` and
  // `pnpm bench:pair` point BENCH_SERVER_BUNDLE at a kept earlier build to compare the two.
  const bundle = process.env.BENCH_SERVER_BUNDLE ?? join(import.meta.dirname, '../../packages/server/dist/index.js');
  const parley = (await import(pathToFileURL(bundle).href)) as typeof Server;
  // Encrypted at rest, as the server runs (BENCH_ENCRYPTION=off measures what it costs).
  const store = await parley.createSqliteStore(join(mkdtempSync(join(tmpdir(), 'parley-bench-')), 'parley.db'), {
    masterKey: process.env.BENCH_ENCRYPTION === 'off' ? undefined : randomBytes(32),
  });
  const unlimited = { perSecond: 1e9, burst: 1e9 };
  const server = await parley.createServer({
    store,
    secret: randomBytes(32).toString('hex'),
    logger: pino({ level: 'warn' }),
    limits: { visitorRate: unlimited, agentRate: unlimited },
    // The baseline run turns screening off to measure what it costs.
    screening: process.env.BENCH_SCREENING !== 'off',
  });
  const clock = () => new Date();
  const { app } = await parley.createApp(store, server.context.box, { name: 'bench', origins: ['*'] }, clock);
  return { parley, store, server, app, clock };
}
