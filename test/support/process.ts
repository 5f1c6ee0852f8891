import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const MAIN = join(import.meta.dirname, '../../packages/server/dist/main.js');

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Everything it printed to stderr so far: the banner for the person at the terminal. */
  output(): string;
  /** Everything it printed to stdout so far: the JSON log, one event per line. */
  log(): string;
  /** Resolves with the exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** One secret for every server process a test run starts: they form one cluster. */
export const TEST_SECRET = 'parley-test-secret-0123456789abcdef-0123456789';
/** And one master key (encryption at rest): every node reads what the others wrote. */
export const TEST_MASTER_KEY = '7f1c2e9a4b6d8f0a1c3e5a7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f';

/**
 * Starts the built server as `pnpm start` does, and resolves once it prints its URL.
 * PARLEY_SECRET defaults to the test run's own; pass `PARLEY_SECRET: ''` to leave it unset.
 */
export function startServerProcess(
  env: Record<string, string>,
  options: { timeoutMs?: number } = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      PORT: '0',
      LOG_LEVEL: 'warn',
      PARLEY_SECRET: TEST_SECRET,
      ...(env.DATABASE_URL ? { PARLEY_MASTER_KEY: TEST_MASTER_KEY } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start:\n${out}\n${err}`));
    }, options.timeoutMs ?? 20_000);
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      const match = /Parley is running at (\S+)/.exec(err);
      // The banner is written in one call: once its first line is here, all of it is.
      if (match) {
        clearTimeout(timer);
        resolve({
          child,
          url: match[1]!,
          output: () => err,
          log: () => out,
          exited,
          async stop(signal = 'SIGTERM') {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${out}\n${err}`));
    });
  });
}

/** Reads a `label: value` line of the start-up banner. */
export function bannerValue(output: string, label: string): string {
  const match = new RegExp(`${label}:\\s+(\\S+)`).exec(output);
  if (!match) throw new Error(`no "${label}" in the banner:\n${output}`);
  return match[1]!;
}
