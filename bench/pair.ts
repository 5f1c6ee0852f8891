// `pnpm bench:pair [seconds]` compares the working tree's message path with the base kept by
// `pnpm bench:ab keep`, without sockets or a load generator: servers/send-loop.ts of both builds
// runs at the same time, twice (each build started first once), and their per-second windows
// are paired. Both see the same machine at the same moment, so a change of a few percent shows
// through the drift that hides it from two runs one after the other. It prints, per thread, each
// build's median CPU per message and the median of the paired ratios (new / base).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SERVER_FLAGS } from './suites/messaging.js';
import { round } from './suites/stats.js';

interface Window {
  total: number;
  eventLoop: number;
  thread: number;
  messages: number;
}

const root = join(import.meta.dirname, '..');
const base = join(root, 'packages/server/.bench-base/index.js');
if (!existsSync(base)) {
  console.error('no base kept: run `pnpm bench:ab keep` on the version to compare against first');
  process.exit(1);
}
execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), '--quiet'], { stdio: 'inherit' });
const seconds = process.argv[2] ?? '10';

function sendLoop(bundle?: string): Promise<Window[]> {
  const child = spawn(
    process.execPath,
    [...SERVER_FLAGS, '--import', 'tsx', join(import.meta.dirname, 'servers/send-loop.ts')],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, SEND_LOOP_SECONDS: seconds, ...(bundle ? { BENCH_SERVER_BUNDLE: bundle } : {}) },
    },
  );
  const windows: Window[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => windows.push(JSON.parse(line) as Window));
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve(windows) : reject(new Error(`send-loop exited with ${code}`)))),
  );
}

const median = (values: number[]) => values.toSorted((a, b) => a - b)[values.length >> 1] ?? Number.NaN;
const baseWindows: Window[] = [];
const newWindows: Window[] = [];
for (const baseFirst of [true, false]) {
  const [b, n] = baseFirst
    ? await Promise.all([sendLoop(base), sendLoop()])
    : await Promise.all([sendLoop(), sendLoop(base)]).then(([n, b]) => [b, n] as const);
  const pairs = Math.min(b.length, n.length);
  baseWindows.push(...b.slice(0, pairs));
  newWindows.push(...n.slice(0, pairs));
}
console.log('CPU µs per message   base    new   new/base (median of paired seconds)');
for (const [label, key] of [
  ['process', 'total'],
  ['event loop', 'eventLoop'],
  ['SQLite thread', 'thread'],
] as const) {
  const ratio = median(baseWindows.map((b, i) => newWindows[i]![key] / b[key]));
  console.log(
    `${label.padEnd(18)}  ${String(round(median(baseWindows.map((w) => w[key])), 1)).padStart(6)}  ${String(round(median(newWindows.map((w) => w[key])), 1)).padStart(6)}  ${round(ratio, 3)}`,
  );
}
