import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import {
  DEFAULT_WIDGET_SETTINGS,
  REPLY_TIMES,
  type ReplyTime,
  TEAM_SHOWN,
  type TeamMember,
  type WidgetSettings,
} from '@parley/sdk/protocol';
import { z } from 'zod';
import { assertOriginAllowed } from '../../auth/app-origin.js';
import type { ServerContext } from '../../context.js';
import { ParleyError } from '../../errors.js';
import { text } from '../../platform/validation.js';
import type { AppRecord, Store } from '../../store/index.js';
import { type Api, errors } from '../api.js';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

const HEX = /^#[0-9a-fA-F]{6}$/;

const widgetSettingsSchema = z
  .object({
    appId: z.string(),
    name: z.string(),
    greeting: z.string().nullable(),
    accentColor: z.string(),
    position: z.enum(['right', 'left']),
    launcherLabel: z.string().nullable(),
    replyTime: z.enum(REPLY_TIMES),
    team: z.array(z.object({ name: z.string(), avatarUrl: z.string().nullable() })).max(TEAM_SHOWN),
  })
  .meta({ id: 'WidgetSettings' });

/**
 * The people the home screen shows: the agents the app's `team` setting names (in its order),
 * else the first three enabled agents. Disabled agents never show.
 */
async function teamOf(store: Store, app: AppRecord): Promise<TeamMember[]> {
  const chosen = typeof app.settings.team === 'string' ? app.settings.team.split(',').filter(Boolean) : [];
  const agents = await store.agents.list(app.id, { limit: 200 });
  const enabled = agents.filter((a) => a.disabledAt === null);
  const shown = chosen.length
    ? chosen.flatMap((id) => enabled.filter((a) => a.id === id))
    : enabled.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return shown.slice(0, TEAM_SHOWN).map((a) => ({ name: a.name, avatarUrl: a.avatarUrl }));
}

export async function widgetSettingsOf(store: Store, app: AppRecord): Promise<WidgetSettings> {
  const s = app.settings;
  const str = (v: unknown, max: number) => (typeof v === 'string' && v.trim() ? v.slice(0, max) : null);
  return {
    appId: app.id,
    name: app.name,
    greeting: str(s.greeting, 500) ?? DEFAULT_WIDGET_SETTINGS.greeting,
    accentColor:
      typeof s.accentColor === 'string' && HEX.test(s.accentColor)
        ? s.accentColor
        : DEFAULT_WIDGET_SETTINGS.accentColor,
    position: s.position === 'left' ? 'left' : 'right',
    launcherLabel: str(s.launcherLabel, 40) ?? DEFAULT_WIDGET_SETTINGS.launcherLabel,
    replyTime: REPLY_TIMES.includes(s.replyTime as ReplyTime)
      ? (s.replyTime as ReplyTime)
      : DEFAULT_WIDGET_SETTINGS.replyTime,
    team: await teamOf(store, app),
  };
}

export interface WidgetRouteOptions {
  /** The built widget files (packages/widget/dist); served under /widget/. */
  widgetDir?: string;
  /** The app the /demo page embeds. */
  demoAppId?: () => Promise<string | undefined>;
}

/**
 * The embed surface: the built widget files, the public widget settings of an app (CORS-open
 * to that app's allowed origins only), and /demo, a plain host page with the snippet.
 */
export function widgetRoutes(api: Api, ctx: ServerContext, options: WidgetRouteOptions): void {
  // The files are small and immutable for the life of the process: read once, serve from memory.
  const files = new Map<string, Buffer>();
  if (options.widgetDir && existsSync(options.widgetDir)) {
    for (const name of readdirSync(options.widgetDir)) {
      if (TYPES[extname(name)]) files.set(name, readFileSync(join(options.widgetDir, name)));
    }
  }

  // Static files and pages, not API: kept out of the OpenAPI document.
  const page = { schema: { hide: true }, config: { access: 'public' as const } };

  api.get('/widget/:file', page, async (request, reply) => {
    const { file } = request.params as { file: string };
    const body = files.get(file);
    if (!body) throw new ParleyError('not_found', `no widget file ${file}`);
    reply
      .header('content-type', TYPES[extname(file)]!)
      // Any page may load the script; it talks only to origins its app allows.
      .header('access-control-allow-origin', '*')
      .header('cache-control', 'public, max-age=300')
      .header('x-content-type-options', 'nosniff');
    return body;
  });

  api.get(
    '/v1/apps/:appId/widget',
    {
      schema: {
        tags: ['widget'],
        summary: 'What the messenger needs before it connects (public)',
        description:
          'A page on an origin the app does not allow gets `403 forbidden`, readable by the page (CORS on both answers), so that the widget can say the site is not set up for chat.',
        security: [],
        params: z.object({ appId: text(64).min(1) }),
        response: { 200: widgetSettingsSchema, ...errors },
      },
      config: { access: 'public' },
    },
    async (request, reply) => {
      const { appId } = request.params;
      const record = await ctx.store.apps.get(appId);
      if (!record) throw new ParleyError('not_found', `app ${appId} not found`);
      const origin = request.headers.origin;
      // Readable by the page whether or not its origin is allowed: a refused page learns why
      // (`forbidden`) and the widget says "this site is not set up for chat" instead of failing silently.
      if (origin !== undefined) reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
      await assertOriginAllowed(ctx, record, origin, request.headers.host);
      reply.header('cache-control', 'public, max-age=60');
      return widgetSettingsOf(ctx.store, record);
    },
  );

  api.get('/demo/host.css', page, async (_request, reply) => {
    reply.type('text/css; charset=utf-8');
    return DEMO_CSS;
  });

  api.get('/demo', page, async (request, reply) => {
    const appId = await options.demoAppId?.();
    if (!appId) throw new ParleyError('not_found', 'this server has no demo app');
    const base = `${request.protocol}://${request.headers.host}`;
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
    return demoPage(base, appId);
  });
}

/** The README's snippet, verbatim but for the URL and app id. */
export function snippet(base: string, appId: string): string {
  return `<script>
  (function (w, d, s, u) {
    if (w.Parley) return;
    var q = function () { q.q.push(arguments); }; q.q = []; w.Parley = q;
    var e = d.createElement(s); e.async = true; e.src = u + '/widget/parley.js'; e.dataset.parleyUrl = u;
    d.head.appendChild(e);
  })(window, document, 'script', '${base}');
  Parley('boot', { appId: '${appId}' });
</script>`;
}

function demoPage(base: string, appId: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acme Analytics — Parley demo</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/demo/host.css">
</head>
<body>
<header><strong>Acme Analytics</strong><nav><a href="#">Dashboards</a> <a href="#">Reports</a> <a href="#">Settings</a></nav></header>
<main>
<h1>Weekly report</h1>
<p>This is a plain host page with Parley's snippet in it. Open the messenger in the corner and say hello;
answer from an agent client with the demo agent's token.</p>
<button id="host-action" type="button">Export CSV</button>
</main>
${snippet(base, appId)}
</body>
</html>`;
}

export const DEMO_CSS = `body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1f2937;background:#f9fafb}
header{display:flex;gap:2rem;align-items:center;padding:1rem 2rem;background:#fff;border-bottom:1px solid #e5e7eb}
nav a{margin-right:1rem;color:#374151}main{max-width:48rem;margin:2rem auto;padding:0 1rem}
button{font:inherit;padding:.5rem 1rem;border-radius:.375rem;border:1px solid #d1d5db;background:#fff;cursor:pointer}`;
