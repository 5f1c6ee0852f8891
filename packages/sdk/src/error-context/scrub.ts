import type { ScrubKind } from '../protocol/index.js';
import { luhn } from '../screening/financial.js';

/**
 * Secrets never leave the page: every string the collector keeps passes through here first
 * (and the server scrubs again). What was removed is listed, never the value.
 */

/**
 * Query parameters whose names look like credentials, in the spirit of Sentry's default deny
 * list. Matched case-insensitively as a substring of the parameter name.
 */
export const SECRET_PARAM_PATTERNS = [
  'token',
  'key',
  'secret',
  'password',
  'passwd',
  'pwd',
  'session',
  'auth',
  'credential',
  'signature',
  'sig',
  'code',
  'otp',
  'jwt',
  'bearer',
  'cookie',
];

export interface Scrubbed {
  text: string;
  /** What was removed, once per kind (no values). */
  removed: ScrubKind[];
}

const REDACTED = '[redacted]';
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g;
const AUTHORIZATION = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
const EMAIL = /\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}\b/g;
// 13–19 digits, optionally grouped by spaces or dashes; confirmed with the Luhn check.
const CARD = /\b\d(?:[ -]?\d){12,18}\b/g;

// A query string is looked for from where a word starts only: tried from every character of a
// long word with no "?" in it, the search took time growing with the square of its length.
const URL_IN_TEXT = /\bhttps?:\/\/[^\s"'<>]+|(?<![^\s"'<>?])[^\s"'<>?]*\?[^\s"'<>=]*=[^\s"'<>]*/g;

// U+0000 and halves of surrogate pairs: what a page's console can hold but no server stores.
const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Replaces U+0000 and unpaired surrogates with U+FFFD (the server refuses text holding them). */
export function storable(text: string): string {
  return text.replace(UNSTORABLE, '\uFFFD');
}

/** At most `max` UTF-16 units, ending with "…" when cut, never in the middle of a pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** Removes tokens, Authorization values, JWTs, email addresses and card numbers from text. */
export function scrubText(input: string): Scrubbed {
  const removed = new Set<ScrubKind>();
  // Authorization values first: a bearer JWT is reported as the credential it is.
  let text = storable(input).replace(AUTHORIZATION, (_m, scheme: string) => {
    removed.add('authorization');
    return `${scheme} ${REDACTED}`;
  });
  text = text.replace(JWT, () => {
    removed.add('jwt');
    return REDACTED;
  });
  text = text.replace(EMAIL, () => {
    removed.add('email');
    return REDACTED;
  });
  text = text.replace(CARD, (match) => {
    const digits = match.replace(/[ -]/g, '');
    if (digits.length < 13 || !luhn(digits)) return match;
    removed.add('card_number');
    return REDACTED;
  });
  // URLs inside text lose their fragment and secret parameters too: absolute ones, and relative
  // URLs and paths with a query ("retrying /api/pay?token=… later").
  text = text.replace(URL_IN_TEXT, (url) => {
    const scrubbed = scrubUrl(url);
    for (const kind of scrubbed.removed) removed.add(kind);
    return scrubbed.text;
  });
  return { text, removed: [...removed] };
}

/** Drops the fragment and replaces the values of secret-looking query parameters. */
export function scrubUrl(input: string): Scrubbed {
  const removed = new Set<ScrubKind>();
  let url = input;
  const hash = url.indexOf('#');
  if (hash !== -1) {
    url = url.slice(0, hash);
    removed.add('url_fragment');
  }
  const q = url.indexOf('?');
  if (q !== -1) {
    const params = url
      .slice(q + 1)
      .split('&')
      .map((pair) => {
        const eq = pair.indexOf('=');
        const name = decodeSafe(eq === -1 ? pair : pair.slice(0, eq)).toLowerCase();
        if (eq !== -1 && SECRET_PARAM_PATTERNS.some((p) => name.includes(p))) {
          removed.add('query_param');
          return `${pair.slice(0, eq)}=${REDACTED}`;
        }
        return pair;
      });
    url = `${url.slice(0, q)}?${params.join('&')}`;
  }
  return { text: url, removed: [...removed] };
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
