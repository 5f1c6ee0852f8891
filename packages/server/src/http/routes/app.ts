import { z } from 'zod';
import type { ServerContext } from '../../context.js';
import { ParleyError } from '../../errors.js';
import { text } from '../../platform/validation.js';
import { appPolicy, setAppPolicy } from '../../screening/admin.js';
import type { AppRecord } from '../../store/index.js';
import { rotateIdentitySecret, updateApp } from '../../tenancy/index.js';
import { type Api, errors } from '../api.js';
import { principalOf } from '../auth.js';
import { cursorQuery, decodeCursor, encodeCursor, limitQuery, verdictSchema } from '../schemas.js';
import { badCursor } from './agents.js';

const appSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    origins: z.array(z.string()),
    identityVerification: z.boolean(),
    settings: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'App' });

const appView = (a: AppRecord) => ({
  id: a.id,
  name: a.name,
  origins: a.allowedOrigins,
  identityVerification: a.identityVerification,
  settings: a.settings,
});

const policyAnswer = z.object({
  policy: z.record(z.string(), z.unknown()).describe('The policy document (see the README)'),
  default: z.boolean(),
});

/** The app itself: its settings, its screening policy and what screening decided. */
export function appRoutes(api: Api, ctx: ServerContext): void {
  api.get(
    '/v1/app',
    {
      schema: {
        tags: ['app'],
        summary: 'The app: origins, identity verification, messenger settings',
        response: { 200: z.object({ app: appSchema }), ...errors },
      },
      config: { access: 'read' },
    },
    async (request) => {
      const app = await ctx.store.apps.get(principalOf(request).appId);
      if (!app) throw new ParleyError('not_found', 'this app no longer exists');
      return { app: appView(app) };
    },
  );

  api.patch(
    '/v1/app',
    {
      schema: {
        tags: ['app'],
        summary: 'Change origins, identity verification, the BAA flag or the messenger settings (admin)',
        description: 'A null setting clears it. Every field is checked before anything changes.',
        body: z.strictObject({
          origins: z.array(text(300).min(1)).min(1).max(50).optional(),
          identityVerification: z.boolean().optional(),
          hipaaBaa: z.boolean().optional(),
          settings: z.record(text(64), text(500).nullable()).optional(),
        }),
        response: { 200: z.object({ app: appSchema }), ...errors },
      },
      config: { access: 'admin', audit: { action: 'app.changed', object: 'app', id: 'app' } },
    },
    async (request) => {
      const appId = principalOf(request).appId;
      const updated = await updateApp(ctx.store, appId, request.body);
      ctx.screening.invalidate(appId);
      return { app: appView(updated) };
    },
  );

  api.post(
    '/v1/app/identity-secret',
    {
      schema: {
        tags: ['app'],
        summary: 'A new identity-verification secret, shown once (admin)',
        description:
          'The secret your server signs `userHash` (HMAC-SHA256 of the user id) and `userJwt` (HS256) with. The old one stops proving users at once: deploy the new one to your server right after.',
        response: { 200: z.object({ identitySecret: z.string() }), ...errors },
      },
      config: { access: 'admin', audit: { action: 'app.identity_secret_replaced', object: 'app', id: 'app' } },
    },
    async (request) => ({
      identitySecret: await rotateIdentitySecret(ctx.store, ctx.box, principalOf(request).appId),
    }),
  );

  api.get(
    '/v1/app/policy',
    {
      schema: {
        tags: ['app'],
        summary: "The app's screening policy: its own, or the default (admin)",
        response: { 200: policyAnswer, ...errors },
      },
      config: { access: 'admin' },
    },
    async (request) => {
      const { policy, isDefault } = await appPolicy(ctx.store, principalOf(request).appId);
      return { policy: policy as unknown as Record<string, unknown>, default: isDefault };
    },
  );

  api.put(
    '/v1/app/policy',
    {
      schema: {
        tags: ['app'],
        summary: "Replace the app's screening policy (admin)",
        description:
          'A policy that does not validate is refused with one `fields` entry per problem; the old one stays.',
        body: z.unknown(),
        response: { 200: policyAnswer, ...errors },
      },
      config: { access: 'admin', audit: { action: 'policy.changed', object: 'app', id: 'app' } },
    },
    async (request) => {
      const appId = principalOf(request).appId;
      const policy = await setAppPolicy(ctx.store, appId, request.body, ctx.clock().toISOString());
      ctx.screening.invalidate(appId);
      return { policy: policy as unknown as Record<string, unknown>, default: false };
    },
  );

  api.delete(
    '/v1/app/policy',
    {
      schema: {
        tags: ['app'],
        summary: 'Back to the default policy (admin)',
        response: { 200: policyAnswer, ...errors },
      },
      config: { access: 'admin', audit: { action: 'policy.reset', object: 'app', id: 'app' } },
    },
    async (request) => {
      const appId = principalOf(request).appId;
      const policy = await setAppPolicy(ctx.store, appId, null, ctx.clock().toISOString());
      ctx.screening.invalidate(appId);
      return { policy: policy as unknown as Record<string, unknown>, default: true };
    },
  );

  api.get(
    '/v1/screening/verdicts',
    {
      schema: {
        tags: ['app'],
        summary: 'What screening decided, newest first, without the content (admin)',
        querystring: z.object({
          before: z.iso.datetime().optional(),
          limit: limitQuery(200),
          cursor: cursorQuery,
        }),
        response: { 200: z.object({ verdicts: z.array(verdictSchema), nextCursor: z.string().nullable() }), ...errors },
      },
      config: { access: 'admin' },
    },
    async (request) => {
      const { before, limit, cursor } = request.query;
      const keys = cursor ? decodeCursor(cursor, 2) : undefined;
      if (cursor && !keys) throw badCursor();
      const list = await ctx.store.screening.listVerdicts(principalOf(request).appId, {
        ...(before ? { before } : {}),
        ...(keys ? { after: { createdAt: keys[0]!, id: keys[1]! } } : {}),
        limit,
      });
      const last = list.at(-1);
      return {
        verdicts: list.map(({ appId: _app, ...v }) => v),
        nextCursor: list.length === limit && last ? encodeCursor([last.createdAt, last.id]) : null,
      };
    },
  );
}
