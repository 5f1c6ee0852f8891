// Builds the files the script tag loads: dist/parley.js (the launcher script, a classic
// script) and dist/panel.js (an ES module it imports on demand). Minified, no dev code.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * parley.js, the one file every host page loads, holds the launcher only and opens no socket:
 * the panel (Preact, the sdk and socket.io-client) is fetched when the visitor first opens it
 * or a message arrives for them. socket.io-client tries WebSocket first and falls back to
 * long-polling where a proxy blocks WebSocket.
 */
const common = {
  bundle: true,
  minify: true,
  sourcemap: 'linked',
  target: ['es2022', 'chrome111', 'firefox115', 'safari16.4'],
  legalComments: 'none',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  define: { 'process.env.NODE_ENV': '"production"' },
  alias: {
    '@parley/sdk/protocol': join(here, '../sdk/src/protocol/index.ts'),
  },
  logLevel: 'warning',
};

export async function buildWidget() {
  await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: [join(here, 'src/loader.ts')],
      outfile: join(here, 'dist/parley.js'),
      format: 'iife',
    }),
    esbuild.build({
      ...common,
      entryPoints: [join(here, 'src/panel.tsx')],
      outfile: join(here, 'dist/panel.js'),
      format: 'esm',
    }),
  ]);
}

/** The files a page can ever load, in the order it loads them. */
export const SHIPPED_FILES = ['parley.js', 'panel.js'];
export const DIST = join(here, 'dist');
