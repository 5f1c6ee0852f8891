import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifySchemaCompiler,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { payloadError, refuseBadText } from '../platform/validation.js';
import { problemSchema } from './schemas.js';

/** A Fastify instance whose routes take zod schemas. */
export type Api = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/**
 * Request validation with Parley's rules: text no store can keep is refused first, then the
 * schema decides; failures are `invalid_payload` (or `payload_too_large`) naming each field,
 * as on the socket.
 */
const validatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema }) =>
  (data) => {
    try {
      refuseBadText(data);
    } catch (err) {
      return { error: err as Error };
    }
    const result = schema.safeParse(data);
    return result.success ? { value: result.data } : { error: payloadError(result.error) };
  };

/** Every route's answers include the problem document for its errors. */
export const errors = { '4xx': problemSchema, '5xx': problemSchema } as const;

/**
 * Sets up what every route of the API shares: zod validation and serialisation, and the OpenAPI
 * 3.1 document generated from the routes' own schemas (`/v1/openapi.json`, read at `/v1/docs`).
 */
const WORDMARK =
  '<svg xmlns="http://www.w3.org/2000/svg" width="150" height="36" viewBox="0 0 150 36">' +
  '<text x="0" y="26" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="24" ' +
  'font-weight="650" fill="#ffffff">Parley API</text></svg>';

export async function registerApiDocs(app: FastifyInstance, version: string): Promise<void> {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Parley API',
        version,
        description:
          'The operator side of Parley: conversations, messages, notes, contacts, incidents, agents, API keys, the app, its screening policy and webhooks. Errors are RFC 9457 problems with a stable `code`.',
      },
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description:
              'A session (`ses_…` from POST /v1/agents/login), a personal token (`pat_…`) or an API key (`key_…`).',
          },
          visitor: {
            type: 'apiKey',
            in: 'header',
            name: 'Authorization',
            description: '`Visitor <visitorToken>`: the token of the `session` event on the /visitor socket.',
          },
        },
      },
      security: [{ bearer: [] }],
      tags: [
        { name: 'operations', description: 'Health, readiness and metrics' },
        { name: 'agents', description: 'Sign-in, sessions and the team' },
        { name: 'api-keys', description: 'Keys for servers and bots' },
        { name: 'app', description: 'Settings, screening policy and verdicts' },
        { name: 'conversations', description: 'Conversations, messages, notes and read marks' },
        { name: 'contacts', description: 'The people who write in' },
        { name: 'incidents', description: 'Structured reports with a response deadline' },
        { name: 'attachments', description: 'Files' },
        { name: 'widget', description: 'What the embedded messenger loads' },
        { name: 'webhooks', description: 'Signed deliveries of domain events' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/v1/docs',
    staticCSP: true,
    // Swagger UI adds <style> elements as it renders (the CSP blocked them: a console error on
    // every load), and a server reached over plain HTTP (an intranet) must not have the page's
    // own scripts upgraded to an HTTPS that is not there. Scripts stay locked down.
    transformStaticCSP: (header) =>
      header
        .replace("style-src 'self' https:", "style-src 'self' https: 'unsafe-inline'")
        .replace(/ ?upgrade-insecure-requests;/, ''),
    // Our name in the page's bar, not the framework's.
    logo: { type: 'image/svg+xml', content: Buffer.from(WORDMARK), href: '/v1/docs', target: '_self' },
    theme: { title: 'Parley API reference' },
  });
  app.get('/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
