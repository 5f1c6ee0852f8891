import { describe, expect, it } from 'vitest';
import { signUserJwt, userHashFor, verifyUserHash, verifyUserJwt } from '../src/auth/identity.js';
import { isOriginAllowed, validateOriginPattern } from '../src/auth/origins.js';
import { SecretBox } from '../src/auth/secret-box.js';
import { VisitorTokens } from '../src/auth/tokens.js';

const SECRET = 'a'.repeat(64);
const NOW = new Date('2026-11-22T10:00:00Z');

describe('origin allow-lists', () => {
  it('matches exact origins, subdomain wildcards and *', () => {
    expect(isOriginAllowed(['https://shop.example'], 'https://shop.example')).toBe(true);
    expect(isOriginAllowed(['https://shop.example'], 'http://shop.example')).toBe(false);
    expect(isOriginAllowed(['https://shop.example'], 'https://shop.example:8443')).toBe(false);
    expect(isOriginAllowed(['https://*.shop.example'], 'https://eu.shop.example')).toBe(true);
    expect(isOriginAllowed(['https://*.shop.example'], 'https://shop.example')).toBe(false);
    expect(isOriginAllowed(['https://*.shop.example'], 'https://evilshop.example')).toBe(false);
    expect(isOriginAllowed(['*'], 'https://anything.example')).toBe(true);
    expect(isOriginAllowed(['https://shop.example'], 'null')).toBe(false);
  });

  it('explains what is wrong with a pattern', () => {
    expect(validateOriginPattern('https://shop.example')).toBeUndefined();
    expect(validateOriginPattern('https://*.shop.example')).toBeUndefined();
    expect(validateOriginPattern('shop.example')).toMatch(/is not an origin/);
    expect(validateOriginPattern('https://shop.example/path')).toMatch(/is not an origin/);
  });
});

describe('visitor tokens', () => {
  const tokens = new VisitorTokens(SECRET);

  it('verifies what it signed and rejects any change', () => {
    const token = tokens.sign({ appId: 'app_1', visitorId: 'vis_1' }, NOW);
    expect(tokens.verify(token, NOW)).toEqual({ appId: 'app_1', visitorId: 'vis_1' });
    expect(tokens.verify(`${token}x`, NOW)).toBeUndefined();
    expect(new VisitorTokens('b'.repeat(64)).verify(token, NOW)).toBeUndefined();
    expect(tokens.verify('not-a-token', NOW)).toBeUndefined();
  });

  it('expires after a year', () => {
    const token = tokens.sign({ appId: 'app_1', visitorId: 'vis_1' }, NOW);
    expect(tokens.verify(token, new Date(NOW.getTime() + 366 * 86_400_000))).toBeUndefined();
  });
});

describe('identity verification', () => {
  it('checks userHash as hex HMAC-SHA256 of the user id', () => {
    const hash = userHashFor(SECRET, 'user-1');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyUserHash(SECRET, 'user-1', hash)).toBe(true);
    expect(verifyUserHash(SECRET, 'user-1', hash.toUpperCase())).toBe(true);
    expect(verifyUserHash(SECRET, 'user-2', hash)).toBe(false);
  });

  it('accepts a fresh HS256 JWT and says why it refuses others', () => {
    const jwt = signUserJwt(SECRET, { id: 'u1', email: 'u1@x.test', name: 'U' }, NOW);
    expect(verifyUserJwt(SECRET, jwt, NOW)).toEqual({
      ok: true,
      identity: { id: 'u1', email: 'u1@x.test', name: 'U' },
    });
    expect(verifyUserJwt(SECRET, jwt, new Date(NOW.getTime() + 16 * 60_000))).toEqual({
      ok: false,
      reason: 'userJwt is older than 15 minutes',
    });
    expect(
      verifyUserJwt(SECRET, signUserJwt(SECRET, { id: 'u1' }, new Date(NOW.getTime() + 5 * 60_000)), NOW),
    ).toMatchObject({
      ok: false,
      reason: 'userJwt iat is in the future',
    });
    expect(verifyUserJwt('other'.repeat(10), jwt, NOW)).toMatchObject({
      ok: false,
      reason: 'userJwt signature does not match',
    });
    expect(verifyUserJwt(SECRET, 'a.b', NOW)).toMatchObject({ ok: false });
    const [, payload, sig] = jwt.split('.');
    const hs512 = `${Buffer.from('{"alg":"HS512"}').toString('base64url')}.${payload}.${sig}`;
    expect(verifyUserJwt(SECRET, hs512, NOW)).toMatchObject({ ok: false, reason: 'userJwt must be signed with HS256' });
  });
});

describe('the secret box', () => {
  it('opens what it sealed, and nothing sealed under another key', () => {
    const box = new SecretBox(SECRET);
    const sealed = box.seal('identity secret');
    expect(sealed).not.toContain('identity secret');
    expect(box.open(sealed)).toBe('identity secret');
    expect(() => new SecretBox('c'.repeat(64)).open(sealed)).toThrow();
  });
});
