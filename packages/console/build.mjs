// Builds the console into dist/: index.html (no inline script or style: the server's CSP
// forbids them), console.js (one ES module, minified) and console.css.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
export const DIST = join(here, 'dist');
/** Every file the console's page loads (the size budget counts these). */
export const SHIPPED_FILES = ['console.js', 'console.css', 'index.html', 'favicon.svg'];

export async function buildConsole() {
  mkdirSync(DIST, { recursive: true });
  await esbuild.build({
    entryPoints: { console: join(here, 'src/main.tsx') },
    outdir: DIST,
    bundle: true,
    minify: true,
    sourcemap: 'linked',
    format: 'esm',
    target: ['es2022', 'chrome111', 'firefox115', 'safari16.4'],
    legalComments: 'none',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define: { 'process.env.NODE_ENV': '"production"' },
    alias: { '@parley/sdk/protocol': join(here, '../sdk/src/protocol/index.ts') },
    logLevel: 'warning',
  });
  await esbuild.build({
    entryPoints: { console: join(here, 'src/console.css') },
    outdir: DIST,
    bundle: true,
    minify: true,
    logLevel: 'warning',
  });
  copyFileSync(join(here, 'src/index.html'), join(DIST, 'index.html'));
  copyFileSync(join(here, 'src/favicon.svg'), join(DIST, 'favicon.svg'));
}
