import type { ServerContext } from '../context.js';
import { ParleyError } from '../errors.js';
import type { AppRecord } from '../store/index.js';
import { isOriginAllowed, isSameHost } from './origins.js';

/** A refused origin is logged at most this often per app and origin (across the cluster). */
const WARN_EVERY_MS = 10 * 60_000;

/**
 * Checks the page a visitor's request comes from. Browsers always send Origin on a WebSocket
 * or cross-site request, and CORS does not protect WebSockets, so an origin the app has not
 * allowed is refused here; a request without Origin comes from no page (a server, the sdk in
 * Node) and is not a cross-site risk. The demo app also allows the server's own origin,
 * wherever and on whatever port it runs: /demo is served from there.
 *
 * A refusal is logged as a warning naming the app and the origin, because the usual cause is
 * a site the operator forgot to add: at most once per ten minutes per app and origin.
 */
export async function assertOriginAllowed(
  ctx: ServerContext,
  app: AppRecord,
  origin: string | undefined,
  host: string | undefined,
): Promise<void> {
  if (origin === undefined || isOriginAllowed(app.allowedOrigins, origin)) return;
  if (app.settings.demo === true && isSameHost(origin, host)) return;
  ctx.metrics.inc('parley_origins_refused_total', 'Requests refused for an origin their app does not allow');
  const key = `origin-refused:${app.id}:${origin.slice(0, 200)}`;
  if (await ctx.shared.claim(key, WARN_EVERY_MS).catch(() => false)) {
    ctx.log.warn(
      { appId: app.id, app: app.name, origin: origin.slice(0, 200) },
      `refused a page on ${origin.slice(0, 200)}: app ${app.id} does not allow that origin (add it with: parley apps update --app ${app.id} --origin …)`,
    );
  }
  throw new ParleyError('forbidden', `origin ${origin.slice(0, 200)} is not allowed for this app`);
}
