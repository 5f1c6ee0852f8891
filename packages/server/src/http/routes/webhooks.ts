import { z } from 'zod';
import type { ServerContext } from '../../context.js';
import { ParleyError } from '../../errors.js';
import { newId } from '../../ids.js';
import { text } from '../../platform/validation.js';
import type { DeliveryRecord, WebhookEndpointRecord } from '../../store/index.js';
import { WEBHOOK_EVENT_TYPES } from '../../webhooks/service.js';
import { type Api, errors } from '../api.js';
import { principalOf } from '../auth.js';
import { cursorQuery, decodeCursor, encodeCursor, idParams, limitQuery } from '../schemas.js';
import { badCursor } from './agents.js';

const iso = z.string().describe('ISO 8601, UTC');
const eventsSchema = z
  .array(z.enum(['*', ...WEBHOOK_EVENT_TYPES]))
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length + 1)
  .describe('the event types to deliver, or ["*"] for all');

const webhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string(),
    events: z.array(z.string()),
    enabled: z.boolean(),
    disabledReason: z.string().nullable().describe('why it is disabled: by an admin, or after failing for a day'),
    failingSince: iso.nullable().describe('since when every delivery has failed'),
    createdAt: iso,
    updatedAt: iso,
  })
  .meta({ id: 'Webhook' });

const deliverySchema = z
  .object({
    id: z.string(),
    eventId: z.string().describe('the webhook-id header: the same on every attempt'),
    eventType: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    nextAttemptAt: iso.nullable(),
    lastAttemptAt: iso.nullable(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    lastDurationMs: z.number().int().nullable(),
    deliveredAt: iso.nullable(),
    createdAt: iso,
  })
  .meta({ id: 'WebhookDelivery' });

const webhookView = ({ appId: _app, secretEnc: _secret, ...w }: WebhookEndpointRecord) => w;
const deliveryView = (d: DeliveryRecord) => ({
  id: d.id,
  eventId: d.eventId,
  eventType: d.eventType,
  status: d.status,
  attempts: d.attempts,
  nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt : null,
  lastAttemptAt: d.lastAttemptAt,
  lastStatusCode: d.lastStatusCode,
  lastError: d.lastError,
  lastDurationMs: d.lastDurationMs,
  deliveredAt: d.deliveredAt,
  createdAt: d.createdAt,
});

/**
 * Webhooks (admins): endpoints with the events they want and a signing secret shown once,
 * their delivery log, a test event, and redelivery by hand.
 */
export function webhookRoutes(api: Api, ctx: ServerContext): void {
  const webhooks = ctx.webhooks;
  const admin = { access: 'admin' as const };

  api.get(
    '/v1/webhooks',
    {
      schema: {
        tags: ['webhooks'],
        summary: "The app's webhook endpoints (admin)",
        response: { 200: z.object({ webhooks: z.array(webhookSchema) }), ...errors },
      },
      config: admin,
    },
    async (request) => ({
      webhooks: (await ctx.store.webhooks.listEndpoints(principalOf(request).appId)).map(webhookView),
    }),
  );

  api.post(
    '/v1/webhooks',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Register an endpoint (admin)',
        description:
          'Deliveries follow Standard Webhooks: `webhook-id` (the event id, stable across attempts: de-duplicate on it), `webhook-timestamp` and `webhook-signature` made with the secret answered here, once. The body is `{ type, timestamp, data }` with the screened content only. Retried with back-off for more than a day; an endpoint failing for a day is disabled.',
        body: z.strictObject({
          url: text(2000).min(1).describe('https; where it resolves is checked at each delivery'),
          events: eventsSchema,
          description: text(500).optional(),
        }),
        response: {
          201: z.object({ webhook: webhookSchema, secret: z.string().describe('whsec_…, shown once') }),
          ...errors,
        },
      },
      config: {
        ...admin,
        idempotent: true,
        audit: { action: 'webhook.created', object: 'webhook', id: (a) => (a.webhook as { id?: string })?.id },
      },
    },
    async (request, reply) => {
      const { endpoint, secret } = await webhooks.create(principalOf(request).appId, request.body);
      return reply.status(201).send({ webhook: webhookView(endpoint), secret });
    },
  );

  api.get(
    '/v1/webhooks/:id',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'One endpoint (admin)',
        params: idParams,
        response: { 200: z.object({ webhook: webhookSchema }), ...errors },
      },
      config: admin,
    },
    async (request) => ({ webhook: webhookView(await webhooks.get(principalOf(request).appId, request.params.id)) }),
  );

  api.patch(
    '/v1/webhooks/:id',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Change the URL, events or description; disable, or enable again (admin)',
        description: 'Enabling resumes its queue where it stopped, in order.',
        params: idParams,
        body: z
          .strictObject({
            url: text(2000).min(1).optional(),
            events: eventsSchema.optional(),
            description: text(500).optional(),
            enabled: z.boolean().optional(),
          })
          .refine((b) => Object.keys(b).length > 0, 'give url, events, description or enabled'),
        response: { 200: z.object({ webhook: webhookSchema }), ...errors },
      },
      config: { ...admin, audit: { action: 'webhook.changed', object: 'webhook', id: 'params' } },
    },
    async (request) => ({
      webhook: webhookView(await webhooks.update(principalOf(request).appId, request.params.id, request.body)),
    }),
  );

  api.delete(
    '/v1/webhooks/:id',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Remove an endpoint and its queue (admin)',
        params: idParams,
        response: { 204: z.undefined(), ...errors },
      },
      config: { ...admin, audit: { action: 'webhook.removed', object: 'webhook', id: 'params' } },
    },
    async (request, reply) => {
      await webhooks.remove(principalOf(request).appId, request.params.id);
      return reply.status(204).send();
    },
  );

  api.post(
    '/v1/webhooks/:id/test',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Send it a `webhook.test` event (admin)',
        params: idParams,
        response: { 202: z.object({ eventId: z.string() }), ...errors },
      },
      config: admin,
    },
    async (request, reply) =>
      reply.status(202).send({ eventId: await webhooks.test(principalOf(request).appId, request.params.id) }),
  );

  api.get(
    '/v1/webhooks/:id/deliveries',
    {
      schema: {
        tags: ['webhooks'],
        summary: "An endpoint's delivery log, newest first (admin)",
        params: idParams,
        querystring: z.object({
          status: z.enum(['pending', 'delivered', 'failed']).optional(),
          limit: limitQuery(200),
          cursor: cursorQuery,
        }),
        response: {
          200: z.object({ deliveries: z.array(deliverySchema), nextCursor: z.string().nullable() }),
          ...errors,
        },
      },
      config: admin,
    },
    async (request) => {
      const appId = principalOf(request).appId;
      const endpoint = await webhooks.get(appId, request.params.id);
      const { status, limit, cursor } = request.query;
      const before = cursor ? decodeCursor(cursor, 1)?.[0] : undefined;
      if (cursor && (before === undefined || !/^\d+$/.test(before))) throw badCursor();
      const list = await ctx.store.webhooks.listDeliveries(appId, endpoint.id, {
        ...(status ? { status } : {}),
        ...(before !== undefined ? { before: Number(before) } : {}),
        limit,
      });
      const last = list.at(-1);
      return {
        deliveries: list.map(deliveryView),
        nextCursor: list.length === limit && last ? encodeCursor([String(last.seq)]) : null,
      };
    },
  );

  api.post(
    '/v1/webhooks/:id/deliveries/:deliveryId/redeliver',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Deliver one event again, now (admin)',
        description: 'A new delivery of the same event (same webhook-id) to the same endpoint.',
        params: z.object({ id: text(64).min(1), deliveryId: text(64).min(1) }),
        response: { 202: z.object({ delivery: deliverySchema }), ...errors },
      },
      config: { ...admin, audit: { action: 'webhook.redelivered', object: 'webhook', id: 'params' } },
    },
    async (request, reply) => {
      const appId = principalOf(request).appId;
      const endpoint = await webhooks.get(appId, request.params.id);
      const original = await ctx.store.webhooks.getDelivery(appId, request.params.deliveryId);
      if (!original || original.endpointId !== endpoint.id) {
        throw new ParleyError('not_found', `delivery ${request.params.deliveryId} not found`);
      }
      const delivery = await ctx.store.webhooks.redeliver(appId, original.id, newId('dlv'), ctx.clock().toISOString());
      if (!delivery) throw new ParleyError('not_found', `delivery ${request.params.deliveryId} not found`);
      ctx.events.emit('webhook.queued', { appId });
      return reply.status(202).send({ delivery: deliveryView(delivery) });
    },
  );
}
