// Packs @parley/sdk and @parley/server as they would be published, lints the tarballs (publint,
// Are the Types Wrong?), installs them into an empty project and uses them as the README says:
// strict TypeScript for Node (no DOM) and for the browser, plain Node ESM and CommonJS, and a
// visitor/agent round trip against a server started from the packed `parley` bin.
//
// Used by test/pack.test.ts and by `pnpm release:dry` (scripts/release-dry.mjs).
import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const exec = promisify(execFile);

/** The packages that are published, by folder. The others are bundled into the server. */
export const PUBLISHED = ['sdk', 'server'];

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
/** A dev tool of the workspace root (its package.json may not be exported). */
const manifestOf = (name) => join(root, 'node_modules', name, 'package.json');
const binOf = (name, bin) => {
  const manifest = manifestOf(name);
  const bins = readJson(manifest).bin;
  return join(dirname(manifest), typeof bins === 'string' ? bins : bins[bin]);
};

async function run(command, args, options = {}) {
  try {
    const { stdout, stderr } = await exec(command, args, { maxBuffer: 64 * 1024 * 1024, ...options });
    return `${stdout}${stderr}`;
  } catch (err) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${err.code}):\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
}

/** Starts the packed server on a free loopback port; resolves with its URL and demo credentials. */
function startPackedServer(project, dataDir) {
  const child = spawn(process.execPath, [join(project, 'node_modules/@parley/server/bin/parley.js'), 'serve'], {
    cwd: project,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', PARLEY_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let banner = '';
  const started = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the packed server did not start:\n${banner}`)), 60_000);
    child.stderr.on('data', (chunk) => {
      banner += chunk;
      const url = /Parley is running at (\S+)/.exec(banner)?.[1];
      const appId = /app id:\s+(\S+)/.exec(banner)?.[1];
      const token = /agent token:\s+(\S+)/.exec(banner)?.[1];
      if (url && appId && token) {
        clearTimeout(timer);
        resolve({ url, appId, token });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the packed server exited with ${code}:\n${banner}`));
    });
  });
  return { started, stop: () => child.kill('SIGINT') };
}

/**
 * Runs the whole check. `log` receives one line per step. Returns what was packed and what the
 * consumer saw; throws with the failing command's output otherwise.
 */
export async function packAndCheck({ log = () => {}, keep = false } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'parley-pack-'));
  const packs = join(work, 'packs');
  const project = join(work, 'consumer');
  const timings = {};
  const step = async (name, fn) => {
    const t = Date.now();
    const result = await fn();
    timings[name] = Date.now() - t;
    log(`${name} (${timings[name]} ms)`);
    return result;
  };
  try {
    const tarballs = {};
    await step('pack', async () => {
      for (const name of PUBLISHED) {
        const dir = join(root, 'packages', name);
        const { version } = readJson(join(dir, 'package.json'));
        await run('pnpm', ['pack', '--pack-destination', packs], { cwd: dir });
        const file = join(packs, `parley-${name}-${version}.tgz`);
        tarballs[name] = { file, bytes: statSync(file).size };
      }
    });

    const lint = await step('publint and attw', async () => {
      const out = {};
      for (const [name, { file }] of Object.entries(tarballs)) {
        const publint = await run(process.execPath, [binOf('publint', 'publint'), 'run', file, '--strict']);
        if (!/All good/.test(publint)) throw new Error(`publint on ${name}:\n${publint}`);
        // ESM only, so node10 and require() resolutions are not judged: Node 20.19 and later
        // load ESM from require() (checked below). attw exits non-zero on any other problem.
        await run(process.execPath, [binOf('@arethetypeswrong/cli', 'attw'), file, '--profile', 'esm-only']);
        out[name] = { publint: 'All good!', attw: 'No problems (esm-only profile)' };
      }
      return out;
    });

    await step('install into an empty project', async () => {
      mkdirSync(project, { recursive: true });
      cpSync(join(root, 'test/fixtures/consumer'), project, { recursive: true });
      const file = (name) => `file:${tarballs[name].file}`;
      const version = (name) => readJson(manifestOf(name)).version;
      writeFileSync(
        join(project, 'package.json'),
        JSON.stringify(
          {
            name: 'parley-consumer',
            private: true,
            type: 'module',
            dependencies: { '@parley/sdk': file('sdk'), '@parley/server': file('server') },
            devDependencies: { typescript: version('typescript'), '@types/node': version('@types/node') },
            // The server's dependency on @parley/sdk is the packed one, not the registry's.
            pnpm: { overrides: { '@parley/sdk': file('sdk') }, onlyBuiltDependencies: ['better-sqlite3'] },
          },
          null,
          2,
        ),
      );
      await run('pnpm', ['install', '--prefer-offline', '--config.confirmModulesPurge=false'], {
        cwd: project,
        env: { ...process.env, CI: 'true' },
      });
    });

    await step('type-check as Node (no DOM) and as a browser app', async () => {
      const tsc = join(project, 'node_modules/typescript/bin/tsc');
      await run(process.execPath, [tsc, '-p', 'tsconfig.node.json'], { cwd: project });
      await run(process.execPath, [tsc, '-p', 'tsconfig.browser.json'], { cwd: project });
    });

    const loads = await step('import from Node (ESM and require)', async () => {
      const esm = await run(
        process.execPath,
        ['--input-type=module', '-e', "const s = await import('@parley/sdk'); console.log(typeof s.createClient);"],
        { cwd: project },
      );
      const cjs = await run(
        process.execPath,
        ['--no-warnings', '-e', "console.log(typeof require('@parley/sdk/protocol').LIMITS.messageMaxChars);"],
        { cwd: project },
      );
      return { esm: esm.trim(), require: cjs.trim() };
    });

    const roundTrip = await step('round trip against the packed server', async () => {
      const server = startPackedServer(project, join(work, 'data'));
      try {
        const { url, appId, token } = await server.started;
        const out = await run(process.execPath, ['round-trip.mjs', url, appId, token], { cwd: project });
        return JSON.parse(out.trim().split('\n').at(-1));
      } finally {
        server.stop();
      }
    });

    return {
      tarballs: Object.fromEntries(Object.entries(tarballs).map(([n, t]) => [n, t.bytes])),
      lint,
      loads,
      roundTrip,
      timings,
    };
  } finally {
    if (keep) log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}
