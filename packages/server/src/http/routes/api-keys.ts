import { z } from 'zod';
import type { ServerContext } from '../../context.js';
import { ParleyError } from '../../errors.js';
import { text } from '../../platform/validation.js';
import { agentOf } from '../../tenancy/index.js';
import { type Api, errors } from '../api.js';
import { principalOf } from '../auth.js';
import { apiKeySchema, idParams } from '../schemas.js';

/** Keys for servers and bots (admins only): named, read-only or read-write, shown once, revocable. */
export function apiKeyRoutes(api: Api, ctx: ServerContext): void {
  api.get(
    '/v1/api-keys',
    {
      schema: {
        tags: ['api-keys'],
        summary: "The app's API keys, revoked ones included (admin)",
        response: { 200: z.object({ apiKeys: z.array(apiKeySchema) }), ...errors },
      },
      config: { access: 'admin' },
    },
    async (request) => {
      const keys = await ctx.store.apiKeys.list(principalOf(request).appId);
      return { apiKeys: keys.map(({ appId: _app, ...k }) => k) };
    },
  );

  api.post(
    '/v1/api-keys',
    {
      schema: {
        tags: ['api-keys'],
        summary: 'Create an API key (admin)',
        description:
          "The key (`key_…`) is in this answer only: Parley keeps its SHA-256. A `write` key sends messages and notes as the app's bot.",
        body: z.strictObject({ name: text(100).min(1), scope: z.enum(['read', 'write']) }),
        response: { 201: z.object({ apiKey: apiKeySchema, key: z.string() }), ...errors },
      },
      config: {
        access: 'admin',
        idempotent: true,
        audit: { action: 'api_key.created', object: 'api_key', id: (a) => (a.apiKey as { id?: string })?.id },
      },
    },
    async (request, reply) => {
      const me = agentOf(principalOf(request));
      const { apiKey, key } = await ctx.access.createKey(me.appId, request.body, me.id);
      const { appId: _app, ...shown } = apiKey;
      return reply.status(201).send({ apiKey: shown, key });
    },
  );

  api.delete(
    '/v1/api-keys/:id',
    {
      schema: {
        tags: ['api-keys'],
        summary: 'Revoke an API key (admin): it stops working at once',
        params: idParams,
        response: { 204: z.undefined(), ...errors },
      },
      config: { access: 'admin', audit: { action: 'api_key.revoked', object: 'api_key', id: 'params' } },
    },
    async (request, reply) => {
      const appId = principalOf(request).appId;
      const key = await ctx.store.apiKeys.get(appId, request.params.id);
      if (!key) throw new ParleyError('not_found', `API key ${request.params.id} not found`);
      await ctx.store.apiKeys.revoke(appId, key.id, ctx.clock().toISOString());
      return reply.status(204).send();
    },
  );
}
