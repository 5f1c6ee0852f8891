import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { fastifyCookie } from '@fastify/cookie';
import { SESSION_MAX_MS } from '../tenancy/access.js';

/** The console's session: the `ses_…` token itself, where page scripts cannot read it. */
export const SESSION_COOKIE = 'parley_session';
/** Header a cookie-authenticated request that changes something must carry. */
export const CSRF_HEADER = 'x-csrf-token';

/** The session cookie's attributes (httpOnly, SameSite=Strict, Secure over HTTPS). */
export function sessionCookieOptions(secure: boolean) {
  return {
    httpOnly: true,
    sameSite: 'strict' as const,
    secure,
    path: '/',
    maxAge: SESSION_MAX_MS / 1000,
  };
}

/** The session token in a Cookie header (the agent socket's handshake), if any. */
export function sessionFromCookieHeader(header: string | undefined): string | undefined {
  return header ? fastifyCookie.parse(header)[SESSION_COOKIE] : undefined;
}

/**
 * CSRF protection for cookie sessions, as a synchronizer token: an HMAC of the session id
 * under a key derived from PARLEY_SECRET. The console reads it from the sign-in answer (or
 * `GET /v1/me`) and sends it in `X-CSRF-Token` with every change; another site can neither
 * read it nor compute it. SameSite=Strict already keeps the cookie off cross-site requests:
 * this is the second lock.
 */
export class CsrfTokens {
  private readonly key: Buffer;

  constructor(serverSecret: string) {
    this.key = Buffer.from(hkdfSync('sha256', serverSecret, 'parley', 'csrf v1', 32));
  }

  forSession(sessionId: string): string {
    return createHmac('sha256', this.key).update(sessionId).digest('base64url');
  }

  matches(sessionId: string, token: unknown): boolean {
    if (typeof token !== 'string') return false;
    const expected = Buffer.from(this.forSession(sessionId));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
