import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';

export interface Target {
  url: string;
  appId: string;
  token: string;
}

export interface ServerProcess {
  child: ChildProcess;
  target: Target;
  /** Heap and RSS of the server after two full garbage collections (see servers/memory-probe.ts). */
  memory(): Promise<{ heapUsed: number; rss: number }>;
  /** CPU time the server process has used so far, and its monotonic clock, in microseconds. */
  cpu(): Promise<{ cpuMicros: number; atMicros: number }>;
  stop(): void;
}

/**
 * Starts one of bench/servers/*.ts in its own process (the load comes from this one) and
 * resolves with the address it prints as its first line. Later lines answer `memory()`.
 */
export function startServer(
  script: string,
  env: NodeJS.ProcessEnv = {},
  options: { profileDir?: string; nodeFlags?: string[] } = {},
): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [
      '--expose-gc',
      ...(options.nodeFlags ?? []),
      // V8 writes a .cpuprofile of the server there when it exits (bench/profile.ts).
      ...(options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : []),
      '--import',
      'tsx',
      join(import.meta.dirname, '../servers', script),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...env } },
  );
  const lines: Interface = createInterface({ input: child.stdout! });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`${script} exited with ${code}`));
      child.once('exit', onExit);
      lines.once('line', (line) => {
        child.off('exit', onExit);
        resolve(line);
      });
    });
  return next().then((first) => ({
    child,
    target: JSON.parse(first) as Target,
    async memory() {
      const answer = next();
      child.stdin!.write('memory\n');
      return JSON.parse(await answer) as { heapUsed: number; rss: number };
    },
    async cpu() {
      const answer = next();
      child.stdin!.write('cpu\n');
      return JSON.parse(await answer) as { cpuMicros: number; atMicros: number };
    },
    stop() {
      child.kill('SIGTERM');
    },
  }));
}
