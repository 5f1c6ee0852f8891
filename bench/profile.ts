// `pnpm bench:profile [parley.ts|echo.ts] [--off]`: drives one bench server with the messaging
// load (500 closed-loop visitors, 3 s warm-up, 10 s measured), prints the figures including the
// server's CPU time per message, and profiles the server with --cpu-prof. Then it prints where
// the server's time went in the measured window: the functions with the most time of their
// own, and our code and the libraries on the path with everything they call.
// `--off` turns screening off.
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load, SERVER_FLAGS } from './suites/messaging.js';
import { startServer } from './suites/server-process.js';
import { threadCpu } from './suites/threads.js';

const script = process.argv.find((a) => a.endsWith('.ts') && !a.includes('profile')) ?? 'parley.ts';
const dir = mkdtempSync(join(tmpdir(), 'parley-profile-'));
const server = await startServer(script, process.argv.includes('--off') ? { BENCH_SCREENING: 'off' } : {}, {
  profileDir: dir,
  nodeFlags: SERVER_FLAGS,
});
const window: number[] = [];
const threadsAt: Map<string, number>[] = [];
const result = await load(server.target, 500, 3000, 10_000, async () => {
  const { cpuMicros, atMicros } = await server.cpu();
  window.push(atMicros);
  threadsAt.push(threadCpu(server.child.pid!));
  return cpuMicros;
});
const exited = new Promise((resolve) => server.child.once('exit', resolve));
server.stop();
await exited;
console.log(script, JSON.stringify(result));

// CPU by thread in the measured window (Linux: /proc): the event loop, the SQLite connection
// thread, the checkpoint thread, V8's helpers. Threads are numbered in the order they started.
const [startCpu, endCpu] = threadsAt;
if (startCpu && endCpu && startCpu.size > 0) {
  console.log('\nCPU by thread, µs per message');
  let n = 0;
  for (const [thread, micros] of endCpu) {
    const used = micros - (startCpu.get(thread) ?? 0);
    const name = n++ === 0 ? 'event loop' : `thread ${thread}`;
    if (used > 0) console.log(`${(used / result.messages).toFixed(1).padStart(7)}  ${name}`);
  }
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

// The largest profile is the main thread's (a worker thread writes its own).
const file = readdirSync(dir)
  .filter((f) => f.endsWith('.cpuprofile'))
  .sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size)[0];
if (!file) throw new Error(`no profile in ${dir}`);
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = ({ callFrame: f }: ProfileNode) =>
  `${f.functionName || '(anonymous)'} ${f.url.replace(/.*node_modules\/\.pnpm\//, '').replace(/.*\/(packages|bench)\//, '$1/')}:${f.lineNumber + 1}`;

// Only the measured window counts (the server also started, warmed up and shut down).
const [from = 0, to = Number.POSITIVE_INFINITY] = window;
const times: number[] = [];
let t = profile.startTime;
for (const d of profile.timeDeltas) {
  t += d;
  times.push(t);
}
const self = new Map<string, number>();
const inclusive = new Map<string, number>();
/** Self time by where the code lives: our source file, a library, or the runtime. */
const byArea = new Map<string, number>();
const area = ({ callFrame: f }: ProfileNode) =>
  f.url.includes('/packages/')
    ? f.url.replace(/.*\/packages\//, 'packages/')
    : (f.url.match(/\.pnpm\/((@[^+/]+\+)?[^@/]+)@/)?.[1]?.replace('+', '/') ?? (f.url ? 'node' : f.functionName));
let total = 0;
profile.samples.forEach((sample, i) => {
  if (times[i]! < from || times[i]! > to) return;
  const d = profile.timeDeltas[i] ?? 0;
  total += d;
  let node = byId.get(sample);
  if (node) {
    self.set(label(node), (self.get(label(node)) ?? 0) + d);
    byArea.set(area(node), (byArea.get(area(node)) ?? 0) + d);
  }
  const seen = new Set<string>();
  while (node) {
    const l = label(node);
    if (!seen.has(l)) inclusive.set(l, (inclusive.get(l) ?? 0) + d);
    seen.add(l);
    node = byId.get(parent.get(node.id) ?? -1);
  }
});
const top = (m: Map<string, number>, n: number, keep: (l: string) => boolean = () => true) =>
  [...m]
    .filter(([l]) => keep(l))
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([l, v]) => `${((100 * v) / total).toFixed(1).padStart(5)}%  ${l}`)
    .join('\n');
console.log(`\nprofile: ${join(dir, file)}\n\nself time\n${top(self, 25)}`);
console.log(
  `\nwith callees (Parley, and the libraries on the path)\n${top(inclusive, 40, (l) => /^\S+ (packages\/|kysely|socket\.io@|engine\.io@|ws@|zod@)/.test(l))}`,
);
console.log(`\nself time by file or library\n${top(byArea, 30)}`);
