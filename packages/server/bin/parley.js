#!/usr/bin/env node
// The `parley` bin: `parley serve` (or `npx @parley/server` with no command) runs the server;
// any other command is the CLI (`parley help`). In a checkout of the Parley workspace the
// bundles are rebuilt first when a source changed (quietly: stdout carries only the command's
// own output, so `pnpm parley … --json` is valid JSON). An installed package has no sources
// and runs what it shipped.
import { existsSync } from 'node:fs';

const workspaceBuild = new URL('../../../scripts/build.mjs', import.meta.url);
if (existsSync(new URL('../src/main.ts', import.meta.url)) && existsSync(workspaceBuild)) {
  const { build } = await import(workspaceBuild.href);
  await build({ quiet: true, ifStale: true });
}
const [command] = process.argv.slice(2);
if (command === undefined || command === 'serve') await import('../dist/main.js');
else await import('../dist/cli.js');
