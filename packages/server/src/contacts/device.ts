import type { IncomingHttpHeaders } from 'node:http';
import type { VisitorDevice } from '@parley/sdk/protocol';
import { parseUserAgent } from '../platform/user-agent.js';

/** What the handshake says about where the visitor is (all optional, all from the page). */
export interface SeenFrom {
  page?: string | undefined;
  locale?: string | undefined;
  timeZone?: string | undefined;
}

/** Whether the browser asked not to be tracked: Global Privacy Control, or Do Not Track. */
export function asksNotToTrack(headers: IncomingHttpHeaders): boolean {
  return headers['sec-gpc'] === '1' || headers.dnt === '1';
}

/**
 * The visitor's device as Parley keeps it: browser, OS and device class from the user agent
 * (never the agent string itself), the page without its query or fragment (they carry tokens
 * and search terms), the language and time zone. Nothing when the browser asks not to be
 * tracked.
 */
export function visitorDevice(seen: SeenFrom, headers: IncomingHttpHeaders, at: string): VisitorDevice | null {
  if (asksNotToTrack(headers)) return null;
  const client = parseUserAgent(headers['user-agent'] ?? '');
  return {
    ...client,
    page: pageOf(seen.page),
    locale: seen.locale && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(seen.locale) ? seen.locale : null,
    timeZone: seen.timeZone && /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(seen.timeZone) ? seen.timeZone : null,
    seenAt: at,
  };
}

function pageOf(page: string | undefined): string | null {
  if (!page) return null;
  try {
    const url = new URL(page);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    return `${url.origin}${url.pathname}`;
  } catch {
    return null;
  }
}
