import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Visitor tokens live for a year, like the cookies other messengers use. */
const VISITOR_TOKEN_MAX_AGE_S = 365 * 24 * 3600;

export interface VisitorTokenClaims {
  appId: string;
  visitorId: string;
}

/**
 * A visitor token is `base64url(json).base64url(hmac)`, signed with PARLEY_SECRET. It names the
 * app and the visitor; nothing secret is inside, and a changed byte fails the signature.
 */
export class VisitorTokens {
  constructor(private readonly secret: string) {}

  sign(claims: VisitorTokenClaims, now: Date): string {
    const body = Buffer.from(
      JSON.stringify({ a: claims.appId, v: claims.visitorId, iat: Math.floor(now.getTime() / 1000) }),
    ).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The claims, or undefined when the token is malformed, forged or expired. */
  verify(token: string, now: Date): VisitorTokenClaims | undefined {
    const dot = token.indexOf('.');
    if (dot <= 0) return undefined;
    const body = token.slice(0, dot);
    if (!safeEqual(token.slice(dot + 1), this.mac(body))) return undefined;
    try {
      const json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as {
        a?: unknown;
        v?: unknown;
        iat?: unknown;
      };
      if (typeof json.a !== 'string' || typeof json.v !== 'string' || typeof json.iat !== 'number') {
        return undefined;
      }
      if (now.getTime() / 1000 - json.iat > VISITOR_TOKEN_MAX_AGE_S) return undefined;
      return { appId: json.a, visitorId: json.v };
    } catch {
      return undefined;
    }
  }

  private mac(body: string): string {
    return createHmac('sha256', this.secret).update(`visitor.${body}`).digest('base64url');
  }
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Agent tokens are random bearer tokens; only their SHA-256 is stored. */
export function generateAgentToken(): string {
  return `pat_${randomBytes(32).toString('base64url')}`;
}

export function hashAgentToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
