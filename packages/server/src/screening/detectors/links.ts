import { skeleton } from '../normalize.js';
import type { Detector, Finding, ScreenInput, Span } from '../types.js';

export interface Link extends Span {
  url: string;
  host: string;
  /** The domain a person registers: `example.co.uk`, `shop.example.com` → `example.com`. */
  registrable: string;
}

// Suffixes under which people register names (the common part of the Public Suffix List).
const MULTI_PART_SUFFIXES = new Set([
  'co.uk',
  'org.uk',
  'ac.uk',
  'gov.uk',
  'me.uk',
  'com.au',
  'net.au',
  'org.au',
  'co.nz',
  'co.jp',
  'ne.jp',
  'com.br',
  'com.mx',
  'com.ar',
  'com.co',
  'com.tr',
  'com.cn',
  'com.hk',
  'com.sg',
  'com.tw',
  'co.in',
  'co.za',
  'co.kr',
  'co.il',
  'com.es',
  'com.pl',
  'github.io',
  'herokuapp.com',
  'vercel.app',
  'netlify.app',
  'pages.dev',
  'blogspot.com',
  'azurewebsites.net',
  'web.app',
  'firebaseapp.com',
  'appspot.com',
  'workers.dev',
]);

const SHORTENERS = new Set([
  'bit.ly',
  'tinyurl.com',
  't.co',
  'goo.gl',
  'is.gd',
  'ow.ly',
  'buff.ly',
  'cutt.ly',
  'rebrand.ly',
  'shorturl.at',
  'tiny.cc',
  'rb.gy',
  'bl.ink',
  'lnkd.in',
  's.id',
  'v.gd',
  't.ly',
  'shorte.st',
  'adf.ly',
]);

// Top-level domains for links written without a scheme ("example.com/login").
const BARE_TLDS =
  'com|net|org|io|co|app|dev|info|biz|xyz|top|online|site|shop|store|live|club|me|ru|cn|tk|ml|ga|cf|gq|uk|de|fr|es|it|nl|eu|us|ca|au|in|br|mx|ly|gl|gd|at|to|cc|link|click|support|help|login|account|secure';
const LINK = new RegExp(
  String.raw`\b(?:https?://[^\s<>"'\])]{1,2000}|www\.[^\s<>"'\])]{1,2000}|(?:[a-z0-9\u00a1-\uffff-]{1,63}\.){1,8}(?:${BARE_TLDS})\b(?:/[^\s<>"'\])]{0,2000})?)`,
  'giu',
);

/** The links of a screened text, extracted once for every detector that reads them. */
export function linksOf(input: ScreenInput): Link[] {
  let links = input.memo.get('links') as Link[] | undefined;
  if (!links) {
    links = extractLinks(input.text);
    input.memo.set('links', links);
  }
  return links;
}

/** Every link in the text, with its host and registrable domain. */
export function extractLinks(text: string): Link[] {
  if (!/\.[a-z\u00a1-\uffff]|:\/\//i.test(text)) return [];
  const links: Link[] = [];
  for (const m of text.matchAll(LINK)) {
    const raw = m[0].replace(/[.,;:!?)]+$/, '');
    if (m.index > 0 && text[m.index - 1] === '@') continue; // the domain of an email address
    let host: string;
    try {
      host = new URL(/^https?:\/\//i.test(raw) ? raw : `http://${raw}`).hostname;
    } catch {
      continue;
    }
    links.push({ start: m.index, end: m.index + raw.length, url: raw, host, registrable: registrableDomain(host) });
  }
  return links;
}

export function registrableDomain(host: string): string {
  const labels = host.toLowerCase().replace(/\.$/, '').split('.');
  if (labels.length <= 2 || isIpHost(host)) return labels.join('.');
  const lastTwo = labels.slice(-2).join('.');
  return MULTI_PART_SUFFIXES.has(lastTwo) ? labels.slice(-3).join('.') : lastTwo;
}

function isIpHost(host: string): boolean {
  return /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host) || host.startsWith('[') || /^\d{8,10}$/.test(host);
}

// Wording that asks for credentials or payment details under a pretext.
const HARVEST =
  / (?:verify|confirm|validate|update|unlock|restore|reactivate|secure) (?:your |the )?(?:account|password|identity|login|credentials|payment|billing|card|details|information|wallet)| (?:account|password) (?:has been|was|will be|is) (?:suspended|locked|disabled|compromised|deactivated|closed)| log ?in (?:now |here |below )?to (?:avoid|prevent|restore|unlock|keep|verify|confirm)| (?:urgent|immediately|within 24 hours) .{0,40}(?:account|password|verify)| enter your (?:password|card|pin|ssn|credentials)/;

/** Edit distance up to `max`, or max + 1 (early exit): for look-alike names. */
function within(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      best = Math.min(best, v);
    }
    if (best > max) return false;
    prev = cur;
  }
  return prev[b.length]! <= max;
}

const skeletons = new Map<string, string>();
function skeletonOf(name: string): string {
  let s = skeletons.get(name);
  if (s === undefined) {
    s = skeleton(name);
    if (skeletons.size > 10_000) skeletons.clear();
    skeletons.set(name, s);
  }
  return s;
}

/** The link pretends to be one of the app's own domains without being one. */
function imitates(link: Link, appDomains: readonly string[]): boolean {
  for (const own of appDomains) {
    const ownRegistrable = registrableDomain(own);
    if (link.registrable === ownRegistrable) continue;
    const ownName = ownRegistrable.split('.')[0]!;
    if (ownName.length < 4) continue;
    // The brand inside someone else's domain: example.com.evil.io.
    if (link.host.includes(`${ownRegistrable}.`)) return true;
    const name = link.registrable.split('.')[0]!.replace(/^xn--/, '');
    const ownSkeleton = skeletonOf(ownName);
    // Each part of the name, and the whole: examp1e.com, example-login.net, exampl.com, еxample.com.
    for (const part of new Set([name, name.replace(/-/g, ''), ...name.split('-')])) {
      if (part === ownName || skeleton(part) === ownSkeleton) return true;
      if (ownName.length >= 5 && within(part, ownName, 1)) return true;
    }
  }
  return false;
}

/**
 * Links and their phishing signals: IP hosts, punycode or mixed-script hosts, look-alikes of
 * the app's own domains, shorteners, and credential-harvest wording around them. One weak
 * signal flags (`suspicious_link`); a look-alike, or a disguised host with harvest wording,
 * is `phishing_link`.
 */
export const linksDetector: Detector = {
  ids: ['phishing_link', 'suspicious_link'],
  detect(input: ScreenInput): Finding[] {
    const links = linksOf(input);
    if (links.length === 0) return [];
    const harvest = input.matches(HARVEST);
    const phishing: Span[] = [];
    const suspicious: Span[] = [];
    for (const link of links) {
      // URL() turns a Unicode host into punycode, so mixed-script hosts show up as xn-- labels.
      const disguised = isIpHost(link.host) || link.host.split('.').some((l) => l.startsWith('xn--'));
      const shortened = SHORTENERS.has(link.registrable);
      const span = { start: link.start, end: link.end };
      if (imitates(link, input.context.appDomains ?? []) || (disguised && harvest)) phishing.push(span);
      else if (disguised || shortened || harvest) suspicious.push(span);
    }
    const findings: Finding[] = [];
    if (phishing.length) findings.push({ detector: 'phishing_link', category: 'phishing', spans: phishing });
    if (suspicious.length) findings.push({ detector: 'suspicious_link', category: 'phishing', spans: suspicious });
    return findings;
  },
};
