import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from '../../context.js';
import { ParleyError } from '../../errors.js';
import type { Api } from '../api.js';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * The console's page may run its own script and style and talk to this server, nothing else:
 * no inline script or style, no other origin, no framing (clickjacking), no plugins.
 */
export function consoleCsp(host: string | undefined): string {
  const sockets = host ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    // https: for agents' photos (an admin sets their URLs); user content is never an <img> from elsewhere.
    "img-src 'self' data: blob: https:",
    "media-src 'self' data:",
    `connect-src 'self'${sockets}`,
    "font-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The agents' console: one page for every path under /console (it routes in the browser), its
 * built files under /console/assets/, and the addresses people type (/, /login, /inbox, /admin)
 * sent to it. Everything it shows comes from the public API and the /agent socket.
 */
export function consoleRoutes(api: Api, _ctx: ServerContext, options: { consoleDir?: string }): void {
  const files = new Map<string, Buffer>();
  if (options.consoleDir && existsSync(options.consoleDir)) {
    for (const name of readdirSync(options.consoleDir)) {
      if (TYPES[extname(name)] || name === 'index.html') files.set(name, readFileSync(join(options.consoleDir, name)));
    }
  }
  const page = { schema: { hide: true }, config: { access: 'public' as const } };

  const index = async (request: FastifyRequest, reply: FastifyReply) => {
    const body = files.get('index.html');
    if (!body) throw new ParleyError('not_found', 'the console is not built here (pnpm build)');
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', consoleCsp(request.headers.host))
      .header('cache-control', 'no-cache')
      .header('x-frame-options', 'DENY')
      .header('referrer-policy', 'same-origin')
      .header('x-content-type-options', 'nosniff')
      .send(body);
  };
  api.get('/console', page, index);
  api.get('/console/*', page, index);
  api.get('/console/assets/:file', page, async (request, reply) => {
    const { file } = request.params as { file: string };
    const body = files.get(file);
    if (!body || file === 'index.html') throw new ParleyError('not_found', `no console file ${file}`);
    return reply
      .header('content-type', TYPES[extname(file)]!)
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .send(body);
  });
  for (const [from, to] of [
    ['/', '/console/'],
    ['/login', '/console/login'],
    ['/inbox', '/console/'],
    ['/admin', '/console/admin'],
  ] as const) {
    api.get(from, page, async (_request, reply) => reply.redirect(to, 302));
  }
}
