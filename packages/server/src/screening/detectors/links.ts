import { matchesOf } from '@parley/sdk/screening';
import { getDomain } from 'tldts';
import { score, urlFeatures } from '../model/features.js';
import { shippedModels } from '../model/models.js';
import { roundConfidence } from '../model/scores.js';
import { skeleton } from '../normalize.js';
import { type Detector, type Finding, keywords, type ScreenInput, type Span } from '../types.js';

export interface Link extends Span {
  url: string;
  host: string;
  /** The domain a person registers: `example.co.uk`, `shop.example.com` → `example.com`. */
  registrable: string;
}

/**
 * Link wrappers and shorteners: every tweet's links are t.co, every LinkedIn post's lnkd.in.
 * They say nothing about where a link leads, so they are no signal on their own.
 */
export const LINK_WRAPPERS = new Set([
  't.co',
  'lnkd.in',
  'bit.ly',
  'tinyurl.com',
  'goo.gl',
  'ow.ly',
  'buff.ly',
  'is.gd',
  'rb.gy',
  'cutt.ly',
  'tiny.cc',
  'shorturl.at',
  'youtu.be',
  'fb.me',
  'safelinks.protection.outlook.com',
  'urldefense.com',
  'l.facebook.com',
]);

/** Places anyone can publish a page under a shared domain, free: where phishing pages live. */
const FREE_HOSTING = new Set([
  '000webhostapp.com',
  'weebly.com',
  'wixsite.com',
  'wix.com',
  'firebaseapp.com',
  'web.app',
  'github.io',
  'glitch.me',
  'netlify.app',
  'vercel.app',
  'pages.dev',
  'workers.dev',
  'r2.dev',
  'blogspot.com',
  'sites.google.com',
  'godaddysites.com',
  'webflow.io',
  'square.site',
  'myshopify.com',
  'ipfs.io',
  'azurewebsites.net',
  'herokuapp.com',
  'repl.co',
  'replit.app',
  'wordpress.com',
  '000webhost.com',
  'yolasite.com',
  'jimdosite.com',
  'strikingly.com',
  'mystrikingly.com',
  'carrd.co',
  'ngrok.io',
  'ngrok-free.app',
  'duckdns.org',
  'no-ip.com',
  'appspot.com',
  'translate.goog',
  'weeblysite.com',
  'wixstudio.io',
  'dweb.link',
  'storage.googleapis.com',
  'firebasestorage.googleapis.com',
  'blob.core.windows.net',
  'web.core.windows.net',
  's3.amazonaws.com',
  'gitbook.io',
  'notion.site',
  'framer.app',
  'framer.website',
  'onrender.com',
  'fly.dev',
  'surge.sh',
  'webflow.io',
  'typedream.app',
  'codeanyapp.com',
  'mypinata.cloud',
  'fleek.co',
  'on-fleek.app',
  'cloudflare-ipfs.com',
  'wcomhost.com',
  'byethost.com',
  'infinityfreeapp.com',
  'rf.gd',
  'epizy.com',
  'lovable.app',
  'bolt.new',
  'glide.page',
]);

/** Words of credential pages, in a host or path. */
const CREDENTIAL_WORDS = new Set([
  'login',
  'signin',
  'logon',
  'verify',
  'verification',
  'account',
  'accounts',
  'secure',
  'security',
  'update',
  'wallet',
  'auth',
  'password',
  'unlock',
  'recover',
  'recovery',
  'confirm',
  'billing',
  'payment',
  'webscr',
  'banking',
  'validate',
  'suspended',
  'restore',
  'claim',
  'airdrop',
  'connect',
]);

/** Form builders: a credential form needs no server of its own. */
const FORM_SERVICES =
  /(?:^|\.)(?:forms\.gle|jotform\.com|typeform\.com|formspree\.io|formstack\.com|wufoo\.com|123formbuilder\.com|surveyheart\.com|forms\.office\.com)$|^docs\.google\.com$/;

/** Brands phishing imitates, with the registrable names they own (their own links are not imitation). */
const BRANDS: Record<string, readonly string[]> = {
  paypal: ['paypal', 'paypal-community', 'paypalobjects'],
  apple: ['apple', 'icloud', 'apple-cloudkit'],
  icloud: ['icloud', 'apple'],
  microsoft: ['microsoft', 'live', 'office', 'outlook', 'microsoftonline', 'msn', 'azure', 'sharepoint'],
  office365: ['office', 'microsoft'],
  outlook: ['outlook', 'live', 'microsoft', 'office'],
  onedrive: ['live', 'microsoft'],
  sharepoint: ['sharepoint', 'microsoft'],
  netflix: ['netflix'],
  amazon: ['amazon', 'amazonaws', 'media-amazon'],
  chase: ['chase'],
  wellsfargo: ['wellsfargo'],
  bankofamerica: ['bankofamerica'],
  citibank: ['citi', 'citibank'],
  facebook: ['facebook', 'fb', 'fbcdn', 'meta'],
  instagram: ['instagram', 'cdninstagram'],
  whatsapp: ['whatsapp'],
  dhl: ['dhl'],
  usps: ['usps'],
  fedex: ['fedex'],
  ups: ['ups'],
  coinbase: ['coinbase'],
  metamask: ['metamask'],
  binance: ['binance'],
  docusign: ['docusign'],
  adobe: ['adobe'],
  dropbox: ['dropbox', 'dropboxusercontent'],
  wetransfer: ['wetransfer'],
  steam: ['steampowered', 'steamcommunity'],
  steamcommunity: ['steamcommunity'],
  roblox: ['roblox'],
  hmrc: ['hmrc'],
  royalmail: ['royalmail'],
  santander: ['santander'],
  hsbc: ['hsbc'],
  barclays: ['barclays'],
  verizon: ['verizon'],
  linkedin: ['linkedin', 'lnkd'],
  google: ['google', 'goo', 'googleusercontent', 'youtube', 'gstatic'],
  gmail: ['google', 'gmail'],
  yahoo: ['yahoo'],
  ebay: ['ebay'],
  walmart: ['walmart'],
  webmail: [],
};

// Top-level domains for links written without a scheme ("example.com/login").
const BARE_TLDS =
  'com|net|org|io|co|app|dev|info|biz|xyz|top|online|site|shop|store|live|club|me|ru|cn|tk|ml|ga|cf|gq|uk|de|fr|es|it|nl|eu|us|ca|au|in|br|mx|ly|gl|gd|at|to|cc|link|click|support|help|login|account|secure';
const LINK = new RegExp(
  String.raw`\b(?:https?://[^\s<>"'\])]{1,2000}|www\.[^\s<>"'\])]{1,2000}|(?:[a-z0-9\u00a1-\uffff-]{1,63}\.){1,8}(?:${BARE_TLDS})\b(?:/[^\s<>"'\])]{0,2000})?)`,
  'gi',
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
  for (const m of matchesOf(LINK, text)) {
    const raw = m[0].replace(/[.,;:!?)]+$/, '');
    if (m.index > 0 && text[m.index - 1] === '@') continue; // the domain of an email address
    const host = hostOf(raw);
    if (host === undefined) continue;
    links.push({ start: m.index, end: m.index + raw.length, url: raw, host, registrable: registrableDomain(host) });
  }
  return links;
}

// scheme://host[:port]/…, or host/… written without a scheme, when the host is plain ASCII.
const PLAIN_HOST = /^(?:https?:\/\/)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)(?::\d{1,5})?(?:[/?#]|$)/i;

/** A link's hostname as the URL parser gives it (punycode for Unicode), or undefined when it is none. */
function hostOf(raw: string): string | undefined {
  // Nearly every host is plain ASCII: no need for the URL parser, which costs a microsecond.
  const plain = PLAIN_HOST.exec(raw);
  if (plain && !plain[1]!.startsWith('xn--') && !/^\d+$/.test(plain[1]!.replace(/\./g, ''))) {
    return plain[1]!.toLowerCase();
  }
  try {
    return new URL(/^https?:\/\//i.test(raw) ? raw : `http://${raw}`).hostname;
  } catch {
    return undefined;
  }
}

const registrables = new Map<string, string>();

/**
 * The domain a person registers, by the Public Suffix List (with its private section, so each
 * `*.github.io` site is its own): `shop.example.co.uk` → `example.co.uk`.
 */
export function registrableDomain(host: string): string {
  let registrable = registrables.get(host);
  if (registrable === undefined) {
    const clean = host.toLowerCase().replace(/\.$/, '');
    registrable = isIpHost(clean) ? clean : (getDomain(clean, { allowPrivateDomains: true }) ?? clean);
    if (registrables.size >= 10_000) registrables.clear();
    registrables.set(host, registrable);
  }
  return registrable;
}

function isIpHost(host: string): boolean {
  return /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host) || host.startsWith('[') || /^\d{8,10}$/.test(host);
}

// Wording that asks for credentials or payment details under a pretext.
const HARVEST =
  / (?:verify|confirm|validate|update|unlock|restore|reactivate|secure) (?:your |the )?(?:account|password|identity|login|credentials|payment|billing|card|details|information|wallet)| (?:account|password) (?:has been|was|will be|is) (?:suspended|locked|disabled|compromised|deactivated|closed)| log ?in (?:now |here |below )?to (?:avoid|prevent|restore|unlock|keep|verify|confirm)| (?:urgent|immediately|within 24 hours) .{0,40}(?:account|password|verify)| enter your (?:password|card|pin|ssn|credentials)/;

const HARVEST_WORDS = keywords([
  'verify confirm validate update unlock restore reactivate secure account password suspended locked disabled compromised deactivated closed log login urgent immediately enter',
]);

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
    const ownName = ownRegistrable.slice(0, ownRegistrable.indexOf('.'));
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

// Brands by skeleton (look-alike letters folded), for names that misspell one: paypa1, rnicrosoft.
const BRAND_SKELETONS = new Map(Object.keys(BRANDS).map((b) => [skeleton(b), b]));

const misspellings = new Map<string, string | undefined>();

/** The brand a registrable name misspells (one letter off, or a look-alike), not being the brand's. */
function misspelledBrand(registrableName: string): string | undefined {
  if (misspellings.has(registrableName)) return misspellings.get(registrableName);
  const brand = findMisspelledBrand(registrableName);
  if (misspellings.size >= 10_000) misspellings.clear();
  misspellings.set(registrableName, brand);
  return brand;
}

function findMisspelledBrand(registrableName: string): string | undefined {
  for (const part of new Set([registrableName, registrableName.replace(/-/g, ''), ...registrableName.split('-')])) {
    if (part.length < 5 || BRANDS[part]) continue;
    const bySkeleton = BRAND_SKELETONS.get(skeletonOf(part));
    if (bySkeleton && !BRANDS[bySkeleton]!.includes(registrableName)) return bySkeleton;
    for (const brand of Object.keys(BRANDS)) {
      if (brand.length < 6 || Math.abs(brand.length - part.length) > 1) continue;
      if (!BRANDS[brand]!.includes(registrableName) && within(part, brand, 1)) return brand;
    }
  }
  return undefined;
}

/** The brand a host's labels name without the host being the brand's: "paypal-login.xyz". */
function brandIn(labels: readonly string[], registrableName: string): string | undefined {
  for (const label of labels) {
    const owners = BRANDS[label];
    if (owners && !owners.includes(registrableName) && label !== registrableName) return label;
  }
  return undefined;
}

/** How strongly the link's own make-up says phishing, 0–1, by the rules. */
function ruleEvidence(link: Link, harvest: boolean, appDomains: readonly string[]): number {
  if (LINK_WRAPPERS.has(link.registrable) || LINK_WRAPPERS.has(link.host)) return harvest ? 0.6 : 0;
  if (imitates(link, appDomains)) return 0.99;
  const host = link.host;
  const registrableName = link.registrable.split('.')[0]!;
  // URL() turns a Unicode host into punycode, so mixed-script hosts show up as xn-- labels.
  const disguised = isIpHost(host) || host.split('.').some((l) => l.startsWith('xn--'));
  const sub = host.length > link.registrable.length ? host.slice(0, -link.registrable.length - 1) : '';
  // A brand's own domain spelled inside someone else's: paypal.com.evil.io, apple.com-verify.xyz.
  const labels = host.split(/[.-]/);
  const hostBrand = brandIn(labels, registrableName);
  const brandDomainInside =
    hostBrand !== undefined &&
    labels.some((l, i) => l === 'com' && labels[i - 1] === hostBrand && i < labels.length - 1);
  const free =
    FREE_HOSTING.has(link.registrable.slice(link.registrable.indexOf('.') + 1)) || FREE_HOSTING.has(link.registrable);
  const form = FORM_SERVICES.test(host) && (host !== 'docs.google.com' || link.url.includes('/forms/'));
  const path = link.url.toLowerCase().replace(/^[a-z]+:\/\/[^/]*/, '');
  const pathWords = path.split(/[^a-z0-9]+/);
  const pathBrand = brandIn(pathWords, registrableName);
  // Independent signals: the chance that none of them is right multiplies.
  const credentialWords = pathWords.some((w) => CREDENTIAL_WORDS.has(w)) || labels.some((l) => CREDENTIAL_WORDS.has(l));
  // user@host: what is shown before the @ is not where the link goes.
  const userInfo = /^[a-z]+:\/\/[^/?#]*@/i.test(link.url);
  let none = 1;
  if (brandDomainInside) none *= 1 - 0.99;
  if (userInfo) none *= 1 - 0.9;
  if (misspelledBrand(registrableName)) none *= 1 - 0.9;
  if (free && credentialWords) none *= 1 - 0.7;
  if (labels.length >= 5 && credentialWords) none *= 1 - 0.6;
  if (disguised) none *= 1 - (harvest ? 0.99 : 0.6);
  if (hostBrand) none *= 1 - (sub.split(/[.-]/).includes(hostBrand) ? 0.8 : 0.75);
  if ((free || form || disguised) && pathBrand) none *= 1 - 0.75;
  if ((free || form) && harvest) none *= 1 - 0.75;
  if (harvest) none *= 1 - 0.6;
  return 1 - none;
}

/**
 * Links and their phishing signals, rules and a model together. The rules weigh the link's
 * make-up (a look-alike of the app's own domain, a brand's name on someone else's host, an IP
 * or punycode host, a brand in the path of free hosting or a form service, credential-harvest
 * wording around it); the phishing model (trained on public phishing URL feeds) scores the
 * link's parts. Both are probabilities of phishing and combine as independent evidence:
 * `1 − (1 − rules) · (1 − model)`. Link wrappers and shorteners (t.co, bit.ly …) are no signal.
 * One `phishing_link` finding carries the highest confidence; the policy decides what it means.
 */
export const linksDetector: Detector = {
  ids: ['phishing_link'],
  detect(input: ScreenInput): Finding[] {
    const links = linksOf(input);
    if (links.length === 0) return [];
    const harvest = input.hasAny(HARVEST_WORDS) && input.matches(HARVEST);
    const { phishing } = shippedModels();
    // The app's own links are not phishing; the model is not asked about them.
    const own = new Set((input.context.appDomains ?? []).map(registrableDomain));
    const spans: Span[] = [];
    let highest = 0;
    for (const link of links.slice(0, 20)) {
      const rules = ruleEvidence(link, harvest, input.context.appDomains ?? []);
      const model =
        LINK_WRAPPERS.has(link.registrable) || own.has(link.registrable)
          ? 0
          : score(phishing, urlFeatures(link.url, link.registrable, link.host));
      const confidence = 1 - (1 - rules) * (1 - model);
      if (confidence < 0.5) continue;
      spans.push({ start: link.start, end: link.end });
      highest = Math.max(highest, confidence);
    }
    if (spans.length === 0) return [];
    return [{ detector: 'phishing_link', category: 'phishing', spans, confidence: roundConfidence(highest) }];
  },
};
