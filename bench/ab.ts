// `pnpm bench:ab keep` keeps the current build of the server as the base
// (packages/server/.bench-base/). `pnpm bench:ab [rounds]` then builds the working tree and runs
// the messaging load of `pnpm bench` against three servers, interleaved so that each gets early
// and late runs (echo, base, new, new, base, echo, …): the echo baseline, the kept base and the
// working tree. It prints each one's throughput, its ratio to echo, the server's CPU time per
// message and the ack p99.
//
// A change to the message path moves throughput by a few percent, and this machine's speed
// drifts by more than that over a minute: only figures measured side by side, over several
// rounds, tell a change from the weather. CPU per message is the steadier figure.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { combine, type LoadResult, runOnce } from './suites/messaging.js';
import { round } from './suites/stats.js';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'packages/server/dist');
// Inside the server package, so that the kept bundle resolves the server's dependencies.
const base = join(root, 'packages/server/.bench-base');
const build = () => execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), '--quiet'], { stdio: 'inherit' });

if (process.argv[2] === 'keep') {
  build();
  rmSync(base, { recursive: true, force: true });
  cpSync(dist, base, { recursive: true });
  console.log(`kept the current build as the base: ${base}`);
  process.exit(0);
}
if (!existsSync(join(base, 'index.js'))) {
  console.error('no base kept: run `pnpm bench:ab keep` on the version to compare against first');
  process.exit(1);
}
build();
const rounds = Number(process.argv[2] ?? 2);
const options = { visitors: 500, warmupMs: 3000, measureMs: 7000 };
const servers = [
  { name: 'echo', script: 'echo.ts', env: {} },
  { name: 'base', script: 'parley.ts', env: { BENCH_SERVER_BUNDLE: join(base, 'index.js') } },
  { name: 'new', script: 'parley.ts', env: {} },
];
const runs = new Map<string, LoadResult[]>(servers.map((s) => [s.name, []]));
for (let r = 0; r < rounds; r++) {
  for (const server of r % 2 === 0 ? servers : [...servers].reverse()) {
    const result = await runOnce(server.script, server.env, options);
    runs.get(server.name)!.push(result);
    console.log(`round ${r + 1}  ${server.name.padEnd(4)}  ${result.msgsPerS} msgs/s`);
  }
}
const echo = combine(runs.get('echo')!);
console.log('\nserver  msgs/s  ratio vs echo  server CPU µs/msg (each run)  ack p99 ms');
for (const [name, results] of runs) {
  const all = combine(results);
  const cpu = results.map((r) => r.serverCpuMicrosPerMessage).join(' / ');
  console.log(
    `${name.padEnd(6)}  ${String(all.msgsPerS).padStart(6)}  ${String(round(all.msgsPerS / echo.msgsPerS, 3)).padStart(13)}  ${cpu.padStart(27)}  ${all.ackP99Ms}`,
  );
}
