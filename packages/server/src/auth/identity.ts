import { createHmac } from 'node:crypto';
import { LIMITS } from '@parley/sdk/protocol';
import { safeEqual } from './tokens.js';

/** `userHash` as Intercom and Chatwoot define it: hex HMAC-SHA256 of the user id. */
export function userHashFor(secret: string, userId: string): string {
  return createHmac('sha256', secret).update(userId).digest('hex');
}

export function verifyUserHash(secret: string, userId: string, userHash: string): boolean {
  return safeEqual(userHashFor(secret, userId), userHash.toLowerCase());
}

export interface JwtIdentity {
  id: string;
  email?: string;
  name?: string;
}

export type JwtResult = { ok: true; identity: JwtIdentity } | { ok: false; reason: string };

/**
 * Verifies a short-lived HS256 identity JWT (as Kustomer does): the signature with the app's
 * secret, `alg` pinned to HS256 (never `none`), `sub` as the user id, and `iat` no older than
 * 15 minutes and not in the future beyond a minute of clock skew. `exp`, when present, holds.
 */
export function verifyUserJwt(secret: string, jwt: string, now: Date): JwtResult {
  const parts = jwt.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'userJwt is not a JWT' };
  const [headerB64, payloadB64, signature] = parts as [string, string, string];
  let header: { alg?: unknown; typ?: unknown };
  let payload: { sub?: unknown; email?: unknown; name?: unknown; iat?: unknown; exp?: unknown };
  try {
    header = JSON.parse(Buffer.from(headerB64, 'base64url').toString('utf8'));
    payload = JSON.parse(Buffer.from(payloadB64, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'userJwt is not valid JSON' };
  }
  if (header.alg !== 'HS256') return { ok: false, reason: 'userJwt must be signed with HS256' };
  const expected = createHmac('sha256', secret).update(`${headerB64}.${payloadB64}`).digest('base64url');
  if (!safeEqual(expected, signature)) return { ok: false, reason: 'userJwt signature does not match' };
  if (typeof payload.sub !== 'string' || payload.sub === '' || payload.sub.length > LIMITS.userIdMaxChars) {
    return { ok: false, reason: 'userJwt needs a string sub (the user id)' };
  }
  const nowS = now.getTime() / 1000;
  if (typeof payload.iat !== 'number') return { ok: false, reason: 'userJwt needs iat' };
  if (nowS - payload.iat > LIMITS.identityJwtMaxAgeSeconds)
    return { ok: false, reason: 'userJwt is older than 15 minutes' };
  if (payload.iat - nowS > 60) return { ok: false, reason: 'userJwt iat is in the future' };
  if (typeof payload.exp === 'number' && payload.exp < nowS) return { ok: false, reason: 'userJwt has expired' };
  const identity: JwtIdentity = { id: payload.sub };
  if (typeof payload.email === 'string') identity.email = payload.email.slice(0, LIMITS.userEmailMaxChars);
  if (typeof payload.name === 'string') identity.name = payload.name.slice(0, LIMITS.userNameMaxChars);
  return { ok: true, identity };
}

/** Signs an identity JWT; for host apps written in Node, the CLI and tests. */
export function signUserJwt(secret: string, identity: JwtIdentity, now: Date): string {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(
    JSON.stringify({
      sub: identity.id,
      email: identity.email,
      name: identity.name,
      iat: Math.floor(now.getTime() / 1000),
    }),
  ).toString('base64url');
  const sig = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${sig}`;
}
