// Builds the files the script tag loads: dist/parley.js (the launcher script, a classic
// script) and dist/panel.js (an ES module it imports on demand). Minified, no dev code.
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * parley.js, the one file every host page loads, holds the launcher only and opens no socket:
 * the panel (Preact, the sdk and socket.io-client) is fetched when the visitor first opens it
 * or a message arrives for them. socket.io-client tries WebSocket first and falls back to
 * long-polling where a proxy blocks WebSocket.
 */
/**
 * engine.io-client lists three transports; the widget uses two: WebSocket, and long-polling over
 * fetch() (engine.io-client's own Fetch transport, a quarter of its XMLHttpRequest one).
 * WebTransport (HTTP/3, which a Parley server does not offer) stays out of the bundle: the
 * client's transport list resolves to ours.
 */
const twoTransports = {
  name: 'parley-transports',
  setup(build) {
    build.onResolve({ filter: /^\.\/transports\/index\.js$/ }, (args) =>
      args.importer.includes(`${sep}engine.io-client${sep}`)
        ? { path: join(args.resolveDir, 'transports'), namespace: 'parley-transports' }
        : undefined,
    );
    // The transports the widget does not use are re-exported by the package's index: marked
    // free of side effects, esbuild drops them (the package does not say so itself).
    build.onResolve({ filter: /^\.\/transports\/(?:polling-xhr|webtransport)[.a-z]*\.js$/ }, async (args) => {
      if (args.pluginData === 'resolving' || !args.importer.includes(`${sep}engine.io-client${sep}`)) return undefined;
      const resolved = await build.resolve(args.path, {
        importer: args.importer,
        resolveDir: args.resolveDir,
        kind: args.kind,
        pluginData: 'resolving',
      });
      return { ...resolved, sideEffects: false };
    });
    build.onLoad({ filter: /.*/, namespace: 'parley-transports' }, (args) => ({
      contents: `import { Fetch } from './polling-fetch.js';\nimport { WS } from './websocket.js';\nexport const transports = { websocket: WS, polling: Fetch };`,
      resolveDir: args.path,
      loader: 'js',
    }));
  },
};

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
  plugins: [twoTransports],
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
    // One file per language, English too: a page fetches only its own.
    esbuild.build({
      ...common,
      entryPoints: Object.fromEntries(TRANSLATIONS.map((l) => [`locale-${l}`, join(here, `src/locales/${l}.ts`)])),
      outdir: join(here, 'dist'),
      format: 'esm',
    }),
  ]);
}

/** The languages the widget speaks, each a file of its own. */
export const TRANSLATIONS = ['en', 'es', 'fr', 'de', 'pt'];

/** The files a page can load: the launcher, the panel, and at most one language. */
export const SHIPPED_FILES = ['parley.js', 'panel.js', ...TRANSLATIONS.map((l) => `locale-${l}.js`)];
export const DIST = join(here, 'dist');
