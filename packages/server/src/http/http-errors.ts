import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { ErrorCode, WireError } from '@parley/sdk/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { httpStatusOf, ParleyError, toWireError } from '../errors.js';
import { truncateIp } from '../platform/ip.js';
import { BAD_TEXT_MESSAGE, badTextPath } from '../platform/validation.js';
import { corsFor } from './request-auth.js';

/**
 * Every HTTP error, whoever raised it (a route, Fastify, Node's HTTP parser), is an RFC 9457
 * problem (`application/problem+json`) carrying the protocol's stable `code`. The status
 * follows HTTP; the code says what to do about it.
 */
function codeForStatus(status: number): ErrorCode {
  if (status === 404) return 'not_found';
  if (status === 413 || status === 414 || status === 431) return 'payload_too_large';
  if (status === 429) return 'rate_limited';
  if (status === 503) return 'unavailable';
  return status >= 500 ? 'internal' : 'invalid_payload';
}

const TITLES: Record<ErrorCode, string> = {
  invalid_payload: 'Invalid request',
  unauthorized: 'Not signed in',
  forbidden: 'Not allowed',
  not_found: 'Not found',
  conflict: 'Conflict',
  payload_too_large: 'Too large',
  policy_blocked: 'Blocked by the acceptable use policy',
  rate_limited: 'Too many requests',
  unavailable: 'Temporarily unavailable',
  internal: 'Internal error',
};

export const PROBLEM_TYPE = 'application/problem+json';

/** The problem document for a wire error. */
export function problemOf(error: WireError, status: number): Record<string, unknown> {
  const { code, message, ...extra } = error;
  return { type: `urn:parley:error:${code}`, title: TITLES[code], status, detail: message, code, ...extra };
}

function problem(code: ErrorCode, message: string, status: number): string {
  return JSON.stringify(problemOf({ code, message }, status));
}

/** Errors Fastify's router raises before any route runs: a bad URL encoding, a too-long id. */
export const frameworkErrors: NonNullable<FastifyServerOptions['frameworkErrors']> = (err, _request, reply) => {
  const status = (err as { statusCode?: number }).statusCode ?? 400;
  const message = status === 414 ? 'a part of the URL is too long' : 'the URL is not valid (bad percent-encoding)';
  (reply as FastifyReply)
    .status(status)
    .type(PROBLEM_TYPE)
    .send(problem(codeForStatus(status), message, status));
};

/**
 * Errors Node's HTTP parser raises on the raw connection (oversized headers or URL, garbage
 * instead of HTTP, a request that never finished): answered in the same shape, then closed.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  let status = 400;
  let message = 'the request is not valid HTTP';
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    status = 431;
    message = 'the request line or headers are too large';
  } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    status = 408;
    message = 'the request did not arrive in time';
  }
  if (socket.writable) {
    const body = problem(codeForStatus(status), message, status);
    socket.write(
      `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'}\r\n` +
        `Content-Type: ${PROBLEM_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

// /v1/attachments/<id>/<name>: the URL is the capability to read the file, so it is never logged.
const CAPABILITY_PATH = /^(\/v1\/attachments\/)[^/?]+(\/[^?]*)?/;

/** The request as the access log shows it: attachment ids and file names removed. */
export function loggedUrl(url: string): string {
  return url.replace(CAPABILITY_PATH, '$1[redacted]');
}

/** Fastify's request serializer, with capability URLs redacted. */
export function serializeRequest(request: FastifyRequest | IncomingMessage) {
  const r = request as FastifyRequest;
  return {
    method: r.method,
    url: loggedUrl(r.url ?? ''),
    host: r.host,
    // Logs are personal data: the address without what says who (platform/ip.ts), no port.
    remoteAddress: truncateIp(r.ip ?? r.socket?.remoteAddress),
  };
}

/** Bytes of a refused body read and dropped after a 413, so that the client can read it. */
const LINGER_MAX_BYTES = 64 * 1024 * 1024;

/**
 * After a 413 the client is usually still sending. Closing at once (what Fastify asks for)
 * resets the connection under it, and most clients then report the reset instead of the
 * answer. So the rest of the body is read and dropped, up to a bound, and the connection
 * stays usable; past the bound (or a declared length past it) it is closed.
 */
function lingerAfterRefusal(request: FastifyRequest, reply: FastifyReply): void {
  const raw = request.raw;
  if (raw.complete) return;
  const declared = Number(raw.headers['content-length']);
  if (Number.isFinite(declared) && declared > LINGER_MAX_BYTES) {
    reply.header('connection', 'close');
    return;
  }
  reply.removeHeader('connection');
  let dropped = 0;
  raw.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > LINGER_MAX_BYTES) raw.socket.destroy();
  });
  raw.resume();
}

/** The error and not-found handlers, and the hook that refuses unstorable text in a URL. */
export function registerHttpErrors(app: FastifyInstance): void {
  // Ids and query values reach the store: U+0000 or an unpaired surrogate in them is refused
  // up front, on every route, with the same answer whichever store runs.
  app.addHook('onRequest', async (request) => {
    const path = badTextPath({ ...(request.params as object), ...(request.query as object) });
    if (path !== undefined) {
      throw new ParleyError('invalid_payload', `invalid URL: ${path}: ${BAD_TEXT_MESSAGE}`, {
        fields: { [path]: BAD_TEXT_MESSAGE },
      });
    }
  });

  app.setErrorHandler((err: unknown, request: FastifyRequest, reply: FastifyReply) => {
    // The widget's own HTTP calls must be able to read why they failed (too large, too fast).
    if (/^\/v1\/(attachments|incidents|apps\/)/.test(request.url)) corsFor(request, reply);
    const e = err as { statusCode?: number; message?: string };
    reply.type(PROBLEM_TYPE);
    if (!(err instanceof ParleyError) && e.statusCode && e.statusCode < 500) {
      const code = codeForStatus(e.statusCode);
      const message = code === 'payload_too_large' ? 'request body too large' : (e.message ?? 'bad request');
      if (e.statusCode === 413) lingerAfterRefusal(request, reply);
      return reply.status(e.statusCode).send(problem(code, message, e.statusCode));
    }
    const error = toWireError(err, request.log);
    if (error.code === 'payload_too_large') lingerAfterRefusal(request, reply);
    if (error.retryAfterMs !== undefined) reply.header('retry-after', String(Math.ceil(error.retryAfterMs / 1000)));
    const status = httpStatusOf(error.code);
    return reply.status(status).send(JSON.stringify(problemOf(error, status)));
  });

  app.setNotFoundHandler((request, reply) => {
    const message = `no route for ${request.method} ${request.url.split('?')[0]}`;
    reply
      .status(404)
      .type(PROBLEM_TYPE)
      .send(problem('not_found', message, 404));
  });
}
