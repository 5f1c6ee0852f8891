import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HostPageOptions {
  /** Extra <head> content: hostile CSS… */
  head?: string;
  /** Body content before the snippet. */
  body?: string;
  /** The snippet and anything after it. */
  script: string;
  /** A Content-Security-Policy response header. */
  csp?: string;
}

export interface HostPages {
  /** The host site's origin, e.g. http://localhost:41234: another origin than Parley's. */
  origin: string;
  /** Serves a page under a path of its own (every path below it, so pushState and reloads work). */
  add(options: HostPageOptions): string;
  close(): Promise<void>;
}

/**
 * A real host site on loopback, on another origin than the Parley server: the widget loads
 * cross-origin as it does on a customer's site. (Chromium refuses a page that did not come
 * from the network access to loopback, so the pages are served, not injected.)
 */
export async function startHostPages(): Promise<HostPages> {
  const pages = new Map<string, HostPageOptions>();
  const server: Server = createServer((req, res) => {
    // The host's own API failing: /status/500/… answers 500, for pages that need a failed request.
    const failing = /^\/status\/(\d{3})\//.exec(req.url ?? '');
    if (failing) {
      res.writeHead(Number(failing[1]), { 'content-type': 'application/json' }).end('{"error":"boom"}');
      return;
    }
    const prefix = (req.url ?? '/').split('/')[1] ?? '';
    const page = pages.get(prefix);
    if (!page) {
      res.writeHead(404).end('no such page');
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      ...(page.csp ? { 'content-security-policy': page.csp } : {}),
    });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>Shop</title>${page.head ?? ''}</head>
<body>${page.body ?? '<h1>Shop</h1>'}${page.script}</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://localhost:${port}`;
  let n = 0;
  return {
    origin,
    add(options) {
      const prefix = `p${++n}`;
      pages.set(prefix, options);
      return `${origin}/${prefix}/`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
