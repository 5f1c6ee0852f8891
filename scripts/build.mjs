// Builds what `pnpm start`, the CLI and the browser tests run: the server bundle (Node), the
// files the widget's script tag loads and the agents' console.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The newest modification time of the files under `dir` (0 when it does not exist). */
function newest(dir) {
  if (!existsSync(dir)) return 0;
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

/** True when a source is newer than the built CLI (or there is none yet). */
function stale() {
  const built = join(root, 'packages/server/dist/cli.js');
  if (!existsSync(built)) return true;
  const sources = ['sdk', 'server', 'ui', 'widget', 'console'].map((p) => newest(join(root, 'packages', p, 'src')));
  return Math.max(...sources) > statSync(built).mtimeMs;
}

/**
 * Builds everything; `quiet` prints nothing (the CLI's stdout is for its own output).
 * `ifStale` skips the build when nothing changed since the last one, so that running the CLI
 * never rewrites files a running server or test is reading.
 */
export async function build({ quiet = false, ifStale = false } = {}) {
  if (ifStale && !stale()) return;
  const started = Date.now();
  await esbuild.build({
    entryPoints: {
      main: join(root, 'packages/server/src/main.ts'),
      cli: join(root, 'packages/server/src/cli.ts'),
      // The library entry (createServer, screenText …) as it ships; the bench measures this.
      index: join(root, 'packages/server/src/index.ts'),
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
  const consoleBuild = join(root, 'packages/console/build.mjs');
  if (existsSync(consoleBuild)) {
    const { buildConsole } = await import(pathToFileURL(consoleBuild).href);
    await buildConsole();
  }
  if (!quiet) console.log(`built in ${Date.now() - started} ms`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await build({ quiet: process.argv.includes('--quiet') });
}
