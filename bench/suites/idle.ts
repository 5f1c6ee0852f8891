import type { Socket } from 'socket.io-client';
import { connect } from './messaging.js';
import { startServer } from './server-process.js';
import { round } from './stats.js';

export interface IdleResult {
  /** Connections asked for, and held at once (fewer when the machine ran out of something). */
  asked: number;
  held: number;
  heapBytesBefore: number;
  heapBytesWith: number;
  rssBytesBefore: number;
  rssBytesWith: number;
  heapBytesPerConnection: number;
  rssBytesPerConnection: number;
  connectSeconds: number;
}

/**
 * Opens `count` visitor connections that then do nothing, and measures what the server keeps
 * for them: heap and RSS after two full collections, with them minus without them, divided by
 * how many it held. Connections open in batches; a batch that fails ends the ramp (file
 * descriptors, ports) and the figure is for what was held, which the table prints.
 */
async function measure(script: string, count: number): Promise<IdleResult> {
  const server = await startServer(script);
  const sockets: Socket[] = [];
  try {
    // Warm the server up first (code paths compiled, pools filled) so that the baseline does
    // not count what the first connections merely trigger once.
    const warm = await Promise.all(
      Array.from({ length: 20 }, () => connect(server.target.url, '/visitor', { appId: server.target.appId })),
    );
    for (const s of warm) s.close();
    const before = await server.memory();
    const started = performance.now();
    const batch = 100;
    for (let i = 0; i < count; i += batch) {
      const results = await Promise.allSettled(
        Array.from({ length: Math.min(batch, count - i) }, () =>
          connect(server.target.url, '/visitor', { appId: server.target.appId }),
        ),
      );
      for (const r of results) if (r.status === 'fulfilled') sockets.push(r.value);
      if (results.some((r) => r.status === 'rejected')) break;
    }
    const connectSeconds = (performance.now() - started) / 1000;
    const withThem = await server.memory();
    const held = sockets.length;
    return {
      asked: count,
      held,
      heapBytesBefore: before.heapUsed,
      heapBytesWith: withThem.heapUsed,
      rssBytesBefore: before.rss,
      rssBytesWith: withThem.rss,
      heapBytesPerConnection: Math.round((withThem.heapUsed - before.heapUsed) / held),
      rssBytesPerConnection: Math.round((withThem.rss - before.rss) / held),
      connectSeconds: round(connectSeconds),
    };
  } finally {
    for (const s of sockets) s.close();
    server.stop();
  }
}

/** Idle visitors on a bare Socket.IO server and on Parley, in the same run. */
export async function runIdle(options: { connections: number }) {
  const bare = await measure('echo.ts', options.connections);
  const parley = await measure('parley.ts', options.connections);
  return {
    connections: Math.min(bare.held, parley.held),
    bare,
    parley,
    /** Goal: at most 12 KB of heap per idle visitor. */
    heap_kb_per_visitor: round(parley.heapBytesPerConnection / 1024, 2),
    rss_kb_per_visitor: round(parley.rssBytesPerConnection / 1024, 2),
    /** Goal: at most 1.3 times the bare server's heap per connection. */
    heap_ratio_vs_bare: round(parley.heapBytesPerConnection / bare.heapBytesPerConnection, 3),
    rss_ratio_vs_bare: round(parley.rssBytesPerConnection / bare.rssBytesPerConnection, 3),
  };
}
