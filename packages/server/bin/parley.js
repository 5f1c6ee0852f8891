#!/usr/bin/env node
// The `parley` CLI. In a checkout of the Parley workspace it is built first when a source
// changed (quietly: stdout carries only the command's own output, so `pnpm parley … --json`
// is valid JSON).
import { existsSync } from 'node:fs';

const workspaceBuild = new URL('../../../scripts/build.mjs', import.meta.url);
if (existsSync(workspaceBuild)) {
  const { build } = await import(workspaceBuild.href);
  await build({ quiet: true, ifStale: true });
}
await import('../dist/cli.js');
