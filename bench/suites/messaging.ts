import { newClientId } from '@parley/sdk';
import { io, type Socket } from 'socket.io-client';
import { startServer, type Target } from './server-process.js';
import { percentile, round } from './stats.js';

/**
 * Node flags for both servers, echo and Parley alike: Parley runs with them in production
 * (README, "Operations"). A larger young generation lets short-lived objects die young: it
 * takes Parley from ~320 to ~280 µs of CPU per message and does nothing for the echo, which
 * allocates little.
 */
export const SERVER_FLAGS = ['--max-semi-space-size=64'];

export interface LoadResult {
  messages: number;
  /** Server CPU time per message in the measured window (µs): steadier than throughput. */
  serverCpuMicrosPerMessage?: number;
  /**
   * The load generator's own CPU time per message (µs). It shares the machine's two cores with
   * the server, so what it spends decoding bigger answers is throughput the server cannot have.
   */
  clientCpuMicrosPerMessage: number;
  seconds: number;
  msgsPerS: number;
  ackP50Ms: number;
  ackP99Ms: number;
  deliveryP50Ms: number;
  deliveryP99Ms: number;
  errors: number;
}

export function connect(url: string, namespace: string, auth: object): Promise<Socket> {
  const socket = io(`${url}${namespace}`, { auth, forceNew: true, transports: ['websocket'], reconnection: false });
  return new Promise((resolve, reject) => {
    socket.once('session', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/**
 * N visitors each send in a closed loop (send, wait for the ack, send again) while one agent
 * receives everything. Latency: send→ack at the visitor, send→message:new at the agent (one
 * process, one clock). Only the measured window counts; warm-up is discarded.
 */
export async function load(
  target: Target,
  visitors: number,
  warmupMs: number,
  measureMs: number,
  cpu?: () => Promise<number>,
): Promise<LoadResult> {
  const agent = await connect(target.url, '/agent', { token: target.token });
  const sockets: Socket[] = [];
  for (let i = 0; i < visitors; i += 50) {
    sockets.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(50, visitors - i) }, () =>
          connect(target.url, '/visitor', { appId: target.appId }),
        ),
      )),
    );
  }
  const ack: number[] = [];
  const delivery: number[] = [];
  let measuring = false;
  let stopped = false;
  let errors = 0;
  let count = 0;
  agent.on('message:new', (m: { text: string }) => {
    if (!measuring) return;
    const sentAt = Number(m.text.slice(m.text.lastIndexOf(' ') + 1));
    delivery.push(performance.now() - sentAt);
  });

  const loops = sockets.map(async (socket) => {
    let conversationId: string | undefined;
    while (!stopped) {
      const sentAt = performance.now();
      // As the sdk makes them: the time first (the server's idempotency index grows at its end).
      const payload = {
        clientId: newClientId(),
        text: `bench message ${sentAt}`,
        ...(conversationId ? { conversationId } : {}),
      };
      const answer = await socket.emitWithAck('message:send', payload);
      const took = performance.now() - sentAt;
      if (!answer.ok) {
        errors++;
        continue;
      }
      conversationId = answer.message.conversationId;
      if (measuring) {
        ack.push(took);
        count++;
      }
    }
  });

  await new Promise((r) => setTimeout(r, warmupMs));
  measuring = true;
  const cpuBefore = await cpu?.();
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  await new Promise((r) => setTimeout(r, measureMs));
  measuring = false;
  const client = process.cpuUsage(clientBefore);
  const cpuAfter = await cpu?.();
  const seconds = (performance.now() - started) / 1000;
  stopped = true;
  await Promise.all(loops);
  for (const s of sockets) s.close();
  agent.close();
  return {
    messages: count,
    ...(cpuBefore !== undefined && cpuAfter !== undefined
      ? { serverCpuMicrosPerMessage: round((cpuAfter - cpuBefore) / count, 1) }
      : {}),
    clientCpuMicrosPerMessage: round((client.user + client.system) / count, 1),
    seconds: round(seconds),
    msgsPerS: round(count / seconds, 0),
    ackP50Ms: round(percentile(ack, 50)),
    ackP99Ms: round(percentile(ack, 99)),
    deliveryP50Ms: round(percentile(delivery, 50)),
    deliveryP99Ms: round(percentile(delivery, 99)),
    errors,
  };
}

export async function runOnce(
  script: string,
  env: NodeJS.ProcessEnv,
  options: { visitors: number; warmupMs: number; measureMs: number },
) {
  const server = await startServer(script, env, { nodeFlags: SERVER_FLAGS });
  try {
    return await load(
      server.target,
      options.visitors,
      options.warmupMs,
      options.measureMs,
      async () => (await server.cpu()).cpuMicros,
    );
  } finally {
    server.stop();
  }
}

/**
 * The echo baseline around Parley, with and without screening, and without encryption at
 * rest, in the order E A B C C B A E:
 * whichever runs right after another server measures lower on this machine, and a shared
 * machine's speed drifts over a minute, so each variant (the baseline too) gets one early and
 * one late run and the figures are their throughput-weighted means.
 */
export async function runMessaging(options: { visitors: number; warmupMs: number; measureMs: number }) {
  const echoRuns = [await runOnce('echo.ts', {}, options)];
  const off = { BENCH_SCREENING: 'off' };
  const clear = { BENCH_ENCRYPTION: 'off' };
  const runs = {
    screened: [] as LoadResult[],
    unscreened: [] as LoadResult[],
    unencrypted: [] as LoadResult[],
  };
  runs.screened.push(await runOnce('parley.ts', {}, options));
  runs.unscreened.push(await runOnce('parley.ts', off, options));
  runs.unencrypted.push(await runOnce('parley.ts', clear, options));
  runs.unencrypted.push(await runOnce('parley.ts', clear, options));
  runs.unscreened.push(await runOnce('parley.ts', off, options));
  runs.screened.push(await runOnce('parley.ts', {}, options));
  echoRuns.push(await runOnce('echo.ts', {}, options));
  const echo = combine(echoRuns);
  const parley = combine(runs.screened);
  const unscreened = combine(runs.unscreened);
  const unencrypted = combine(runs.unencrypted);
  return {
    visitors: options.visitors,
    store: 'sqlite',
    echo,
    parley,
    runs: { ...runs, echo: echoRuns },
    send_ack_p50_ms: parley.ackP50Ms,
    send_ack_p99_ms: parley.ackP99Ms,
    delivery_p50_ms: parley.deliveryP50Ms,
    delivery_p99_ms: parley.deliveryP99Ms,
    msgs_per_s: parley.msgsPerS,
    throughput_ratio_vs_echo: round(parley.msgsPerS / echo.msgsPerS, 3),
    ack_p99_ratio_vs_echo: round(parley.ackP99Ms / echo.ackP99Ms, 3),
    unscreened,
    /** Throughput lost to screening: 1 − screened / unscreened (goal ≤ 0.15). */
    screening_cost: round(1 - parley.msgsPerS / unscreened.msgsPerS, 3),
    unencrypted,
    /** Throughput lost to encryption at rest: 1 − encrypted / unencrypted (goal ≤ 0.10). */
    encryption_cost: round(1 - parley.msgsPerS / unencrypted.msgsPerS, 3),
  };
}

/** Two runs as one: messages and seconds add up; latency percentiles are the runs' mean. */
export function combine(results: LoadResult[]): LoadResult {
  const sum = (f: (r: LoadResult) => number) => results.reduce((a, r) => a + f(r), 0);
  const mean = (f: (r: LoadResult) => number) => round(sum(f) / results.length);
  return {
    messages: sum((r) => r.messages),
    seconds: sum((r) => r.seconds),
    msgsPerS: Math.round(sum((r) => r.messages) / sum((r) => r.seconds)),
    clientCpuMicrosPerMessage: mean((r) => r.clientCpuMicrosPerMessage),
    ackP50Ms: mean((r) => r.ackP50Ms),
    ackP99Ms: mean((r) => r.ackP99Ms),
    deliveryP50Ms: mean((r) => r.deliveryP50Ms),
    deliveryP99Ms: mean((r) => r.deliveryP99Ms),
    errors: sum((r) => r.errors),
  };
}
