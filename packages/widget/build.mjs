// Builds the files the script tag loads: dist/parley.js (the launcher script, a classic
// script) and dist/panel.js (an ES module it imports on demand). Minified, no dev code.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The widget speaks WebSocket only: every browser it supports has it, and with several Parley
 * nodes behind a load balancer long-polling would need sticky sessions. So the widget bundles
 * src/socket-lite.ts in place of socket.io-client: the same protocol and the part of the API
 * the sdk uses, over WebSocket, in about 1.5 KB instead of 12 KB (gzip). The Node sdk keeps
 * socket.io-client with polling as a fallback.
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
    'socket.io-client': join(here, 'src/socket-lite.ts'),
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
