import { createInterface } from 'node:readline';
import { runCli } from './cli/run.js';

runCli(process.argv.slice(2), {
  env: process.env,
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  lines: () => createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY }),
}).then((code) => {
  process.exitCode = code;
});
