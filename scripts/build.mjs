// Builds what `pnpm start`, the CLI and the browser tests run: the server bundle (Node) and,
// from the widget package when present, the files the script tag loads.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Builds everything; `quiet` prints nothing (the CLI's stdout is for its own output). */
export async function build({ quiet = false } = {}) {
  const started = Date.now();
  await esbuild.build({
    entryPoints: {
      main: join(root, 'packages/server/src/main.ts'),
      cli: join(root, 'packages/server/src/cli.ts'),
    },
    outdir: join(root, 'packages/server/dist'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    sourcemap: true,
    // Third-party packages stay in node_modules; only our workspace sources are bundled.
    packages: 'external',
    alias: {
      '@parley/sdk/protocol': join(root, 'packages/sdk/src/protocol/index.ts'),
      '@parley/sdk/scrub': join(root, 'packages/sdk/src/error-context/scrub.ts'),
      '@parley/sdk/screening': join(root, 'packages/sdk/src/screening/redact.ts'),
    },
    logLevel: 'warning',
  });

  const widgetBuild = join(root, 'packages/widget/build.mjs');
  if (existsSync(widgetBuild)) {
    const { buildWidget } = await import(pathToFileURL(widgetBuild).href);
    await buildWidget({ quiet });
  }
  if (!quiet) console.log(`built in ${Date.now() - started} ms`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await build({ quiet: process.argv.includes('--quiet') });
}
