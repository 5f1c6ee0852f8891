import net from 'node:net';

/**
 * A loopback TCP proxy that can cut the network: `cut()` drops every open connection and
 * refuses new ones until `restore()`. Real sockets see a real outage. With `refuseWebSocket`
 * it answers every WebSocket handshake 403, as corporate proxies and some antivirus do, and
 * passes plain HTTP through.
 */
export interface TcpProxy {
  url: string;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

const WEBSOCKET_HANDSHAKE = /\r\nupgrade:[ \t]*websocket\r\n/i;

export async function startTcpProxy(targetUrl: string, options: { refuseWebSocket?: boolean } = {}): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const open = new Set<net.Socket>();
  let down = false;
  const server = net.createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = net.connect({ host: target.hostname, port: Number(target.port) });
    open.add(client);
    open.add(upstream);
    if (options.refuseWebSocket) {
      client.on('data', (chunk: Buffer) => {
        if (WEBSOCKET_HANDSHAKE.test(chunk.toString('latin1'))) {
          client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
          upstream.destroy();
        } else {
          upstream.write(chunk);
        }
      });
    } else {
      client.pipe(upstream);
    }
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    cut() {
      down = true;
      for (const s of open) s.destroy();
      open.clear();
    },
    restore() {
      down = false;
    },
    async close() {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
