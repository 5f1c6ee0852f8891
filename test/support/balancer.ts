import net from 'node:net';

/**
 * A loopback TCP load balancer in front of several server nodes, as a cluster runs behind
 * one: each new connection goes to the next node in turn, and a node that refuses the
 * connection (it died) is skipped for the next one. No stickiness: WebSocket clients need none.
 */
export interface Balancer {
  url: string;
  /** Connections each backend received (by its URL). */
  counts(): Record<string, number>;
  close(): Promise<void>;
}

export async function startBalancer(backends: string[]): Promise<Balancer> {
  const targets = backends.map((u) => new URL(u));
  const counts: Record<string, number> = Object.fromEntries(backends.map((b) => [b, 0]));
  const open = new Set<net.Socket>();
  let next = 0;

  const connectTo = (client: net.Socket, tried: number) => {
    if (tried >= targets.length) {
      client.destroy();
      return;
    }
    const i = next++ % targets.length;
    const target = targets[i]!;
    const upstream = net.connect({ host: target.hostname, port: Number(target.port) });
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      counts[backends[i]!] = (counts[backends[i]!] ?? 0) + 1;
      open.add(upstream);
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
    // Refused: that node is down, try the next. Once connected, either side's end ends both.
    upstream.on('error', () => {
      if (!connected) connectTo(client, tried + 1);
    });
    upstream.on('close', () => {
      open.delete(upstream);
      if (connected) client.destroy();
    });
    client.on('close', () => upstream.destroy());
  };

  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    open.add(client);
    client.on('error', () => client.destroy());
    client.on('close', () => open.delete(client));
    connectTo(client, 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts: () => ({ ...counts }),
    async close() {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
