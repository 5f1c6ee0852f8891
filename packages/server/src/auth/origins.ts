/**
 * Origin allow-lists. WebSocket handshakes ignore CORS, so the server checks `Origin` itself.
 * Entries are exact origins (`https://shop.example.com`), a subdomain wildcard
 * (`https://*.example.com`, which does not match the bare domain), or `*` for any origin.
 */
export function normalizeOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

export function validateOriginPattern(pattern: string): string | undefined {
  if (pattern === '*') return undefined;
  const wildcard = pattern.replace('://*.', '://wildcard-placeholder.');
  const origin = normalizeOrigin(wildcard);
  if (!origin || origin !== wildcard.replace(/\/$/, '')) {
    return `"${pattern}" is not an origin like https://example.com (scheme, host and port only)`;
  }
  return undefined;
}

export function isOriginAllowed(allowed: readonly string[], origin: string): boolean {
  const actual = normalizeOrigin(origin);
  if (!actual) return false;
  for (const pattern of allowed) {
    if (pattern === '*') return true;
    const star = pattern.indexOf('://*.');
    if (star === -1) {
      if (normalizeOrigin(pattern) === actual) return true;
      continue;
    }
    const scheme = pattern.slice(0, star + 3);
    const suffix = pattern.slice(star + 4).toLowerCase();
    if (actual.startsWith(scheme) && actual.slice(scheme.length).endsWith(suffix)) {
      const host = actual.slice(scheme.length, actual.length - suffix.length);
      if (host.length > 0 && !host.includes('/')) return true;
    }
  }
  return false;
}

/** True when `origin` names the host the request was sent to: the server's own pages. */
export function isSameHost(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
