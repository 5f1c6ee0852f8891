import { ATTACHMENT_LIMITS } from '@parley/sdk/protocol';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { cleanFileName, detectContentType } from '../../attachments/detect.js';
import type { ServerContext } from '../../context.js';
import { ParleyError } from '../../errors.js';
import { newId } from '../../ids.js';
import { inspectFile } from '../../screening/files.js';
import { actorOf, authorize } from '../../tenancy/index.js';
import { type Api, errors } from '../api.js';
import { authenticateRequest } from '../auth.js';
import { authenticateVisitor, corsFor, preflight } from '../request-auth.js';
import { attachmentSchema } from '../schemas.js';
import { limitByAddress } from './agents.js';

const INLINE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

interface Uploader {
  appId: string;
  type: 'visitor' | 'agent' | 'bot';
  id: string;
}

const tooLarge = () =>
  new ParleyError('payload_too_large', `a file holds at most ${ATTACHMENT_LIMITS.maxBytes / 1024 / 1024} MB`);

/** A visitor (visitor token), an agent, or the app's bot (a write API key). */
async function uploaderOf(ctx: ServerContext, request: FastifyRequest): Promise<Uploader> {
  if ((request.headers.authorization ?? '').startsWith('Visitor ')) {
    const visitor = await authenticateVisitor(ctx, request);
    return { appId: visitor.appId, type: 'visitor', id: visitor.id };
  }
  const { principal } = await authenticateRequest(ctx, request);
  if (principal.kind === 'agent' && principal.passwordChangeRequired) {
    throw new ParleyError('forbidden', 'choose your own password first (POST /v1/me/password)');
  }
  authorize(principal, 'write');
  const actor = actorOf(principal);
  return { appId: principal.appId, type: actor.type === 'bot' ? 'bot' : 'agent', id: actor.id };
}

/**
 * Uploads and downloads. A visitor uploads with `Authorization: Visitor <visitorToken>` from a
 * page on one of its app's origins; an agent with its bearer token. The body is the raw file,
 * its name in `X-Filename` (percent-encoded). The type is detected from the content.
 */
export function attachmentRoutes(api: Api, ctx: ServerContext): void {
  api.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: ATTACHMENT_LIMITS.maxBytes }, (_req, body, done) =>
      done(null, body),
    );

    scope.options(
      '/v1/attachments',
      { schema: { hide: true }, config: { access: 'public' } },
      preflight('POST', 'authorization, content-type, x-filename'),
    );

    const uploads = ctx.shared.limiter('upload', ctx.limits.uploadRate);
    const uploaders = new WeakMap<FastifyRequest, Uploader>();
    scope.post(
      '/v1/attachments',
      {
        schema: {
          tags: ['attachments'],
          summary: 'Upload a file (a visitor, an agent or a write API key)',
          description:
            '`Authorization: Visitor <visitorToken>` from a page on an allowed origin, or a bearer token. The body is the raw file, its name in `X-Filename` (percent-encoded). The type is detected from the content (PNG, JPEG, GIF, WebP, PDF, ZIP or text); programs, scripts, macros and archives hiding them are `422 policy_blocked`; text is screened like messages. At most 10 MB (`413`), 20 uploads per address per 40 s. Credentials and limits are checked before any of the body is read.',
          security: [{ bearer: [] }, { visitor: [] }],
          consumes: ['application/octet-stream'],
          response: { 201: z.object({ attachment: attachmentSchema }), ...errors },
        },
        config: { access: 'public' },
        // Who may upload, and whether this address may upload now, is settled from the headers
        // before a byte of the body is read: a stranger cannot make the server buffer 10 MB.
        onRequest: async (request, reply) => {
          corsFor(request, reply);
          await limitByAddress(uploads, request.ip);
          const declared = Number(request.headers['content-length']);
          if (Number.isFinite(declared) && declared > ATTACHMENT_LIMITS.maxBytes) throw tooLarge();
          uploaders.set(request, await uploaderOf(ctx, request));
        },
      },
      async (request, reply) => {
        const uploader = uploaders.get(request)!;
        const data = request.body;
        if (!Buffer.isBuffer(data) || data.length === 0) {
          throw new ParleyError('invalid_payload', 'send the file as the request body', { fields: { body: 'empty' } });
        }
        const header = request.headers['x-filename'];
        const name = cleanFileName(Array.isArray(header) ? header[0] : header);
        // Screened before the type check, so a program is refused as malware and not as "a type".
        const screenAs = { appId: uploader.appId, surface: 'attachment' as const, sender: uploader, text: '' };
        await ctx.screening.judge({ ...screenAs, content: data }, inspectFile(data, name));
        const contentType = detectContentType(data);
        if (!contentType || !(ATTACHMENT_LIMITS.types as readonly string[]).includes(contentType)) {
          throw new ParleyError(
            'invalid_payload',
            'this kind of file cannot be attached: images, PDF, ZIP or text only',
            {
              fields: { body: 'type not allowed' },
            },
          );
        }
        // Text files (logs) are screened like messages: a card number in a log is redacted.
        let stored = data;
        if (contentType === 'text/plain') {
          const text = data.toString('utf8');
          const screened = await ctx.screening.screen({ ...screenAs, text, content: data });
          if (screened.text !== text) stored = Buffer.from(screened.text, 'utf8');
        }
        const attachment = await ctx.store.attachments.create({
          id: newId('att'),
          appId: uploader.appId,
          uploader: { type: uploader.type, id: uploader.id },
          name,
          contentType,
          data: stored,
          now: ctx.clock().toISOString(),
        });
        ctx.metrics.inc('parley_attachments_stored_total', 'Attachments stored', { type: contentType });
        reply.status(201);
        return { attachment };
      },
    );
  });

  // The id is unguessable (96 random bits) and the URL is the capability, like the file links
  // of other messengers: an <img> cannot send a token. Served so that it can never run as a page.
  api.get(
    '/v1/attachments/:id/:name',
    {
      schema: {
        tags: ['attachments'],
        summary: 'The file (public: its unguessable id is the capability)',
        description:
          'Images inline, everything else as a download; always `nosniff` and a sandboxing CSP. The request log shows this path as /v1/attachments/[redacted].',
        security: [],
        params: z.object({ id: z.string(), name: z.string() }),
        produces: ['application/octet-stream'],
      },
      config: { access: 'public' },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const found = await ctx.store.attachments.getData(id);
      if (!found) throw new ParleyError('not_found', 'no such attachment');
      const { attachment, data } = found;
      const disposition = INLINE.has(attachment.contentType) ? 'inline' : 'attachment';
      reply
        .header('content-type', attachment.contentType)
        .header('content-disposition', `${disposition}; filename*=UTF-8''${encodeURIComponent(attachment.name)}`)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cross-origin-resource-policy', 'cross-origin')
        .header('cache-control', 'private, max-age=86400, immutable');
      return data;
    },
  );
}
