// ../../tmp/prof2.ts
import { readFileSync as readFileSync3 } from 'node:fs';

// packages/server/src/app.ts
import fastifyCookie2 from '@fastify/cookie';

// packages/sdk/src/protocol/index.ts
var LIMITS = {
  /**
   * Characters in one message's text. Every text limit counts UTF-16 code units (JavaScript's
   * `string.length`), on both ends: an emoji outside the BMP counts as two.
   */
  messageMaxChars: 5e3,
  /** Bytes in one Socket.IO frame; a larger frame closes that connection (Socket.IO's rule). */
  maxFrameBytes: 1e5,
  /** Characters in a client-generated message id. */
  clientIdMaxChars: 64,
  /** Attributes: keys per object, characters per key and per string value. */
  attributesMaxKeys: 50,
  attributeKeyMaxChars: 64,
  attributeValueMaxChars: 1e3,
  /** Characters in a host user's id, name and email. */
  userIdMaxChars: 255,
  userNameMaxChars: 255,
  userEmailMaxChars: 320,
  /** The highest `seq` a client may name (PostgreSQL's integer); larger is invalid_payload. */
  seqMax: 2147483647,
  /** Messages per history or sync page. */
  pageDefault: 50,
  pageMax: 200,
  /** Conversations per list page. */
  conversationPageMax: 100,
  /** An identity JWT's `iat` may be at most this old. */
  identityJwtMaxAgeSeconds: 15 * 60,
};
var ERROR_CODES = [
  'invalid_payload',
  'unauthorized',
  'forbidden',
  'not_found',
  'rate_limited',
  'payload_too_large',
  'conflict',
  'policy_blocked',
  'unavailable',
  'internal',
];
var SCREENING_CATEGORIES = [
  'financial',
  'national_id',
  'health',
  'credentials',
  'malware',
  'phishing',
  'spam',
  'flooding',
  'harassment',
  'threat',
  'hate',
  'sexual',
  'profanity',
  'impersonation',
  'harvesting',
  'probing',
  'illegal',
];
var SCREENING_ACTIONS = ['allow', 'redact', 'flag', 'block'];
var ATTACHMENT_LIMITS = {
  maxBytes: 10 * 1024 * 1024,
  perMessage: 10,
  /** Types detected from content; anything else is refused with `invalid_payload`. */
  types: ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'application/zip', 'text/plain'],
};
var CONVERSATION_STATUSES = ['open', 'pending', 'resolved', 'closed'];
var INCIDENT_PRIORITIES = ['P1', 'P2', 'P3'];
var INCIDENT_LIMITS = {
  areaMaxChars: 200,
  /** Areas the host may offer in the boot options. */
  areasMax: 30,
  detailsMaxChars: 5e3,
  stepsMax: 20,
  stepMaxChars: 500,
  errorMessageMaxChars: 2e3,
  /** The error context as JSON, in bytes (the collector aims for 64 KB). */
  contextMaxBytes: 256 * 1024,
  /** The whole POST /v1/incidents body, in bytes. */
  bodyMaxBytes: 320 * 1024,
};
var SCRUB_KINDS = ['url_fragment', 'query_param', 'authorization', 'jwt', 'email', 'card_number'];
var WEBHOOK_EVENT_TYPES = [
  'conversation.created',
  'conversation.updated',
  'conversation.read',
  'message.created',
  'message.flagged',
  'note.created',
  'incident.created',
  'incident.updated',
  'incident.breached',
  'contact.updated',
  'contact.erased',
  'webhook.test',
];

// packages/server/src/auth/secret-box.ts
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
// packages/server/src/app.ts
import { createAdapter } from '@socket.io/redis-streams-adapter';
import Fastify from 'fastify';
import pino from 'pino';
import { Server } from 'socket.io';

var SecretBox = class {
  key;
  constructor(serverSecret) {
    this.key = Buffer.from(hkdfSync('sha256', serverSecret, 'parley', 'secret-box v1', 32));
  }
  seal(plain) {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join(
      '.',
    );
  }
  open(sealed) {
    const [version, iv, body, tag] = sealed.split('.');
    if (version !== 'v1' || !iv || body === void 0 || !tag) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
};

// packages/server/src/auth/passwords.ts
import { randomBytes as randomBytes2, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
// packages/server/src/auth/session-cookie.ts
import fastifyCookie from '@fastify/cookie';

var scryptAsync = promisify(scrypt);
var PARAMS = { N: 16384, r: 8, p: 1 };
async function hashPassword(password) {
  const salt = randomBytes2(16);
  const key = await scryptAsync(password, salt, 32, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}
function generatePassword() {
  return randomBytes2(15).toString('base64url');
}

// packages/server/src/auth/tokens.ts
import { createHash, createHmac, randomBytes as randomBytes3, timingSafeEqual as timingSafeEqual2 } from 'node:crypto';

var VISITOR_TOKEN_MAX_AGE_S = 365 * 24 * 3600;
function generateAgentToken() {
  return `pat_${randomBytes3(32).toString('base64url')}`;
}
function hashAgentToken(token) {
  return createHash('sha256').update(token).digest('hex');
}

// packages/server/src/errors.ts
var ParleyError = class extends Error {
  code;
  fields;
  retryAfterMs;
  refusal;
  constructor(code, message, extra = {}) {
    super(message);
    this.name = 'ParleyError';
    this.code = code;
    this.fields = extra.fields;
    this.retryAfterMs = extra.retryAfterMs;
    this.refusal = extra.refusal;
  }
};

// packages/server/src/ids.ts
import { randomFillSync } from 'node:crypto';

var pool = Buffer.alloc(4096);
var offset = pool.length;
function randomPart(bytes) {
  if (offset + bytes > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const part2 = pool.toString('base64url', offset, offset + bytes);
  offset += bytes;
  return part2;
}
function newId(prefix, now = Date.now()) {
  return `${prefix}_${now.toString(36).padStart(9, '0')}${randomPart(12)}`;
}

// packages/server/src/tenancy/agents.ts
var EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;
function profileOf(agent) {
  return { id: agent.id, appId: agent.appId, email: agent.email, name: agent.name, role: agent.role };
}
async function createAgent(store, input, clock) {
  if (!(await store.apps.get(input.appId))) throw new ParleyError('not_found', `app ${input.appId} not found`);
  const email = input.email.trim().toLowerCase();
  if (!EMAIL.test(email)) {
    throw new ParleyError('invalid_payload', `"${input.email}" is not an email address`, {
      fields: { email: 'not an email address' },
    });
  }
  const name = input.name.trim();
  if (!name || name.length > 200) {
    throw new ParleyError('invalid_payload', 'an agent needs a name of 1 to 200 characters', {
      fields: { name: '1 to 200 characters' },
    });
  }
  const password = generatePassword();
  const record = {
    id: newId('agt'),
    appId: input.appId,
    email,
    name,
    role: input.role,
    passwordHash: await hashPassword(password),
    createdAt: clock().toISOString(),
    disabledAt: null,
    passwordChangeRequired: true,
  };
  await store.agents.create(record);
  const token = await issueAgentToken(store, record.id, clock);
  return { agent: profileOf(record), password, token };
}
async function issueAgentToken(store, agentId, clock) {
  const token = generateAgentToken();
  await store.agents.addToken(hashAgentToken(token), agentId, clock().toISOString());
  return token;
}

// packages/server/src/tenancy/access.ts
var SESSION_IDLE_MS = 12 * 36e5;
var SESSION_MAX_MS = 7 * 24 * 36e5;

// packages/server/src/clock.ts
var systemClock = () => /* @__PURE__ */ new Date();

// packages/server/src/privacy/retention.ts
var DEFAULT_RETENTION_DAYS = 90;
var DEFAULT_RETENTION = { verdictDays: 180, auditDays: 730, batch: 200 };
var DAY_MS = 864e5;
function retentionDays(app) {
  const days = Number(app.settings.retentionDays ?? DEFAULT_RETENTION_DAYS);
  return Number.isInteger(days) && days >= 0 ? days : DEFAULT_RETENTION_DAYS;
}
async function purgeExpired(store, clock, settings = DEFAULT_RETENTION, actorId = 'retention') {
  const now = clock().getTime();
  const summary2 = { apps: {}, verdicts: 0, auditEntries: 0, skipped: false };
  for (const app of await store.apps.list()) {
    const days = retentionDays(app);
    if (days === 0) continue;
    const cutoff = new Date(now - days * DAY_MS).toISOString();
    const total = { conversations: 0, contacts: 0, rows: {} };
    for (;;) {
      const round = await store.privacy.purge(app.id, cutoff, settings.batch);
      if (round === null) {
        summary2.skipped = true;
        return summary2;
      }
      total.conversations += round.conversations;
      total.contacts += round.contacts;
      for (const [table2, n2] of Object.entries(round.rows)) total.rows[table2] = (total.rows[table2] ?? 0) + n2;
      if (round.conversations < settings.batch && round.contacts < settings.batch) break;
    }
    if (total.conversations + total.contacts === 0) continue;
    summary2.apps[app.id] = total;
    await store.audit.record({
      id: newId('aud'),
      appId: app.id,
      actorType: 'system',
      actorId,
      action: 'retention.purged',
      objectType: 'app',
      objectId: app.id,
      detail: { retentionDays: days, conversations: total.conversations, contacts: total.contacts, rows: total.rows },
      createdAt: new Date(now).toISOString(),
    });
  }
  summary2.verdicts = await store.screening.purgeVerdicts(new Date(now - settings.verdictDays * DAY_MS).toISOString());
  summary2.auditEntries = await store.audit.purge(new Date(now - settings.auditDays * DAY_MS).toISOString());
  if (Object.keys(summary2.apps).length > 0) await store.scrub();
  return summary2;
}

// packages/server/src/webhooks/deliverer.ts
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { Webhook } from 'standardwebhooks';

var DEFAULT_WEBHOOK_SETTINGS = {
  allowPrivateNetwork: false,
  timeoutMs: 1e4,
  // 2 s, 10 s, 1 min, 5 min, 30 min, 1 h, 2 h, 4 h, then every 8 h: well past a day.
  retryDelaysMs: [2e3, 1e4, 6e4, 3e5, 18e5, 36e5, 72e5, 144e5, 288e5],
  disableAfterMs: 24 * 36e5,
  giveUpAfterMs: 3 * 24 * 36e5,
};

// packages/server/src/http/api.ts
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler } from 'fastify-type-provider-zod';

// packages/server/src/platform/validation.ts
import { z } from 'zod';

function maxUnits(max) {
  return (value, ctx2) => {
    if (value.length > max) {
      ctx2.addIssue({
        code: 'too_big',
        origin: 'string',
        maximum: max,
        inclusive: true,
        input: value,
        message: `at most ${max} characters`,
      });
    }
  };
}
var text = (max) => z.string().max(max).superRefine(maxUnits(max));
var id = text(64).min(1);

// packages/server/src/http/schemas.ts
import { z as z4 } from 'zod';

// packages/sdk/src/screening/financial.ts
var masked = (label, digits) => `[${label} \u2022\u2022\u2022\u2022${digits.slice(-4)}]`;
function luhn(digits) {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
function cardIssuer(digits) {
  const n2 = digits.length;
  const p2 = Number(digits.slice(0, 2));
  const p3 = Number(digits.slice(0, 3));
  const p4 = Number(digits.slice(0, 4));
  const p6 = Number(digits.slice(0, 6));
  if (digits[0] === '4') return n2 === 13 || n2 === 16 || n2 === 19 ? 'visa' : null;
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return n2 === 16 ? 'mastercard' : null;
  if (p2 === 34 || p2 === 37) return n2 === 15 ? 'amex' : null;
  if (p4 >= 2200 && p4 <= 2204) return n2 >= 16 && n2 <= 19 ? 'mir' : null;
  if (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649) || (p6 >= 622126 && p6 <= 622925)) {
    return n2 >= 16 && n2 <= 19 ? 'discover' : null;
  }
  if (p4 >= 3528 && p4 <= 3589) return n2 >= 16 && n2 <= 19 ? 'jcb' : null;
  if ((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39) return n2 >= 14 && n2 <= 19 ? 'diners' : null;
  if (p2 === 62) return n2 >= 16 && n2 <= 19 ? 'unionpay' : null;
  if (p2 === 50 || (p2 >= 56 && p2 <= 69)) return n2 >= 12 && n2 <= 19 ? 'maestro' : null;
  if ((p4 === 2131 || p4 === 1800) && n2 === 15) return 'jcb';
  if (digits[0] === '1' && n2 === 15) return 'uatp';
  if ((p2 === 81 || p2 === 82) && n2 >= 16 && n2 <= 19) return 'unionpay';
  if (p4 === 9792 && n2 === 16) return 'troy';
  return null;
}
var CARD_CANDIDATE = /(?<![\d-])\d(?:[ -]?\d){11,18}(?![\d])/g;
var CARD_CONTEXT =
  /\b(?:card|credit|debit|visa|mastercard|amex|discover|jcb|cc|pan|charge|pay with|paid with|tarjeta|carte|karte)\b/i;
var CARD_DETAILS_AFTER = /^\W{0,3}(?:exp|expiry|expires|valid thru|cvv2?|cvc2?|security code)\b/i;
var CARD_GROUPING = /^\d{4}([ -])\d{4}\1\d{4}\1\d{1,4}(?:\1\d{1,3})?$|^\d{4}([ -])\d{6}\2\d{4,5}$/;
function findCards(text2) {
  const spans = [];
  for (const m of text2.matchAll(CARD_CANDIDATE)) {
    const digits = m[0].replace(/[ -]/g, '');
    if (!luhn(digits)) continue;
    const card =
      cardIssuer(digits) !== null ||
      (digits.length >= 13 &&
        digits[0] !== '0' &&
        !/^(\d)\1+$/.test(digits) &&
        (CARD_GROUPING.test(m[0]) ||
          CARD_CONTEXT.test(text2.slice(Math.max(0, m.index - 40), m.index)) ||
          CARD_DETAILS_AFTER.test(text2.slice(m.index + m[0].length, m.index + m[0].length + 16))));
    if (card)
      spans.push({ start: m.index, end: m.index + m[0].length, kind: 'card', replacement: masked('card', digits) });
  }
  return spans;
}
var IBAN_LENGTHS = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SC: 31,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
};
function ibanValid(compact) {
  if (IBAN_LENGTHS[compact.slice(0, 2)] !== compact.length) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : ch;
    for (const digit of value) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}
var IBAN_CANDIDATE = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/g;
function findIbans(text2) {
  const spans = [];
  for (const m of text2.toUpperCase().matchAll(IBAN_CANDIDATE)) {
    const length = IBAN_LENGTHS[m[0].slice(0, 2)];
    if (!length) continue;
    let end = 0;
    let compact = '';
    while (end < m[0].length && compact.length < length) {
      if (m[0][end] !== ' ') compact += m[0][end];
      end++;
    }
    if (ibanValid(compact)) {
      spans.push({ start: m.index, end: m.index + end, kind: 'iban', replacement: masked('IBAN', compact) });
    }
  }
  return spans;
}
function abaValid(digits) {
  if (!/^\d{9}$/.test(digits)) return false;
  const d = [...digits].map(Number);
  const sum = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8]);
  return sum % 10 === 0;
}
var ROUTING = /\b(?:routing|aba|rtn|transit)(?:\s+(?:number|no\.?|#))?\s*(?:is|:|#|=)?\s*(\d{9})\b/gi;
var ACCOUNT =
  /\b(?:account|acct|a\/c|cuenta)(?:\s+(?:number|no\.?|#|num))?\s*(?:is|:|#|=)?\s*(\d(?:[ -]?\d){5,16})\b/gi;
function findBankNumbers(text2) {
  const spans = [];
  for (const m of text2.matchAll(ROUTING)) {
    const digits = m[1];
    if (!abaValid(digits)) continue;
    const start = m.index + m[0].length - digits.length;
    spans.push({ start, end: start + digits.length, kind: 'routing_number', replacement: masked('routing', digits) });
  }
  for (const m of text2.matchAll(ACCOUNT)) {
    const raw = m[1];
    const start = m.index + m[0].length - raw.length;
    const digits = raw.replace(/[ -]/g, '');
    spans.push({ start, end: start + raw.length, kind: 'account_number', replacement: masked('account', digits) });
  }
  return spans;
}

// packages/server/src/incidents/report.ts
import { z as z3 } from 'zod';

// packages/sdk/src/screening/secrets.ts
var TOKENS = [
  ['aws_access_key', 'AWS key', /akia|asia/, /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g],
  ['aws_secret_key', 'AWS secret', /aws_secret/, /\baws_secret_access_key\s*[:=]\s*[A-Za-z0-9/+=]{40}/gi],
  [
    'github_token',
    'GitHub token',
    /gh[pousr]_|github_pat/,
    /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g,
  ],
  ['gitlab_token', 'GitLab token', /glpat/, /\bglpat-[A-Za-z0-9_-]{20,100}/g],
  ['slack_token', 'Slack token', /xox/, /\bxox[abposr]-[A-Za-z0-9-]{10,200}/g],
  ['stripe_key', 'Stripe key', /[sr]k_/, /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,200}\b/g],
  ['google_api_key', 'Google key', /aiza/, /\bAIza[0-9A-Za-z_-]{35}/g],
  ['jwt', 'token', /eyj/, /\beyJ[A-Za-z0-9_-]{5,2000}\.[A-Za-z0-9_-]{5,4000}\.[A-Za-z0-9_-]{5,2000}/g],
  [
    'api_key',
    'API key',
    /key|token/,
    /\b(?:api[_-]?key|secret[_-]?key|access[_-]?token)\s*[:=]\s*["']?[A-Za-z0-9_\-./+=]{16,200}/gi,
  ],
];
var KEY_BEGIN = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/g;
var PASSWORD = /\b(?:password|passwd|pwd|passcode|contraseña|clave)\s*(?:is|es|:|=)\s*["']?([^\s"']{4,64})/gi;
function looksLikePassword(value) {
  return /[0-9]/.test(value) || /[^A-Za-zÀ-ÿ]/.test(value) || (/[a-z]/.test(value) && /[A-Z]/.test(value.slice(1)));
}
function findSecrets(text2) {
  const spans = [];
  const lower = text2.toLowerCase();
  for (const m of lower.includes('private key') ? text2.matchAll(KEY_BEGIN) : []) {
    if (spans.length > 0 && m.index < spans[spans.length - 1].end) continue;
    const footer = text2.indexOf('PRIVATE KEY-----', m.index + m[0].length);
    const end = footer === -1 ? text2.length : footer + 'PRIVATE KEY-----'.length;
    spans.push({ start: m.index, end, kind: 'private_key', replacement: '[private key]' });
  }
  for (const [kind, label, hint, pattern] of TOKENS) {
    if (!hint.test(lower)) continue;
    for (const m of text2.matchAll(pattern)) {
      spans.push({ start: m.index, end: m.index + m[0].length, kind, replacement: `[${label}]` });
    }
  }
  for (const m of /pass|pwd|contrase|clave/.test(lower) ? text2.matchAll(PASSWORD) : []) {
    const value = m[1];
    if (!looksLikePassword(value)) continue;
    const start = m.index + m[0].length - value.length;
    spans.push({ start, end: start + value.length, kind: 'password', replacement: '[password]' });
  }
  return spans;
}

// packages/sdk/src/screening/redact.ts
function applySpans(text2, spans) {
  if (spans.length === 0) return text2;
  const ordered = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  for (const s of ordered) {
    if (s.start < at) continue;
    out += text2.slice(at, s.start) + s.replacement;
    at = s.end;
  }
  return out + text2.slice(at);
}

// packages/server/src/screening/normalize.ts
var ZERO_WIDTH = /[\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]/;
var CONFUSABLES = {
  \u0430: 'a',
  \u0432: 'b',
  \u0435: 'e',
  \u0451: 'e',
  \u043A: 'k',
  \u043C: 'm',
  \u043D: 'h',
  \u043E: 'o',
  \u0440: 'p',
  \u0441: 'c',
  \u0442: 't',
  \u0443: 'y',
  \u0445: 'x',
  \u0456: 'i',
  \u0457: 'i',
  \u0458: 'j',
  \u0455: 's',
  '\u0501': 'd',
  '\u051B': 'q',
  '\u051D': 'w',
  \u0261: 'g',
  '\u04CF': 'l',
  '\u1D04': 'c',
  '\u1D0F': 'o',
  \u0280: 'r',
  \u03B1: 'a',
  \u03B2: 'b',
  \u03B5: 'e',
  \u03B7: 'n',
  \u03B9: 'i',
  \u03BA: 'k',
  \u03BD: 'v',
  \u03BF: 'o',
  \u03C1: 'p',
  \u03C4: 't',
  \u03C5: 'u',
  \u03C7: 'x',
  \u03C9: 'w',
  \u00DF: 'ss',
  \u00E6: 'ae',
  \u0153: 'oe',
  \u00F8: 'o',
  \u0142: 'l',
  \u0111: 'd',
  \u0131: 'i',
};
var LEET = {
  0: 'o',
  1: 'i',
  3: 'e',
  4: 'a',
  5: 's',
  7: 't',
  8: 'b',
  9: 'g',
  '@': 'a',
  $: 's',
  '!': 'i',
  '|': 'l',
  '+': 't',
  '\u20AC': 'e',
  '\xA1': 'i',
};
var foldCache = /* @__PURE__ */ new Map();
function fold(ch) {
  const code = ch.charCodeAt(0);
  if (code < 128) {
    if (code >= 97 && code <= 122) return ch;
    if (code >= 65 && code <= 90) return String.fromCharCode(code + 32);
    if (code >= 48 && code <= 57) return ch;
    return LEET[ch] !== void 0 ? ch : ' ';
  }
  const known = foldCache.get(ch);
  if (known !== void 0) return known;
  let out;
  if (ZERO_WIDTH.test(ch)) out = '';
  else {
    const lower = ch.normalize('NFKC').toLowerCase();
    const mapped = CONFUSABLES[lower] ?? lower.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    out = /^[a-z0-9]+$/.test(mapped) ? mapped : LEET[lower] !== void 0 ? lower : /\p{L}/u.test(lower) ? lower : ' ';
  }
  if (foldCache.size < 1e4) foldCache.set(ch, out);
  return out;
}
function squeeze(word) {
  let i = 1;
  while (i < word.length && word.charCodeAt(i) !== word.charCodeAt(i - 1)) i++;
  if (i >= word.length) return word;
  let out = word.slice(0, i);
  for (; i < word.length; i++) if (word[i] !== word[i - 1]) out += word[i];
  return out;
}
function unleet(word) {
  let leet = false;
  let letter = false;
  for (let i = 0; i < word.length && !(leet && letter); i++) {
    const c = word.charCodeAt(i);
    if (c >= 97 && c <= 122) letter = true;
    else if (
      (c >= 48 && c <= 57) ||
      c === 64 ||
      c === 36 ||
      c === 33 ||
      c === 124 ||
      c === 43 ||
      c === 8364 ||
      c === 161
    )
      leet = true;
  }
  if (!leet || !letter) return word;
  let out = '';
  for (const ch of word) out += LEET[ch] ?? ch;
  return out;
}
function tokenizeRun(text2, from, to, out) {
  let word = '';
  let start = -1;
  let end = 0;
  for (let i = from; i < to; i++) {
    let ch = text2[i];
    const code = ch.charCodeAt(0);
    if (code >= 55296 && code <= 56319 && i + 1 < to) ch += text2[++i];
    const f = fold(ch);
    if (f === '') continue;
    if (f === ' ') {
      if (word) out.push({ text: word, start, end });
      word = '';
      start = -1;
      continue;
    }
    if (start === -1) start = i - ch.length + 1;
    word += f;
    end = i + 1;
  }
  if (word) out.push({ text: word, start, end });
}
var LEET_ASCII = new Uint8Array(128);
for (const ch of Object.keys(LEET)) if (ch.charCodeAt(0) < 128) LEET_ASCII[ch.charCodeAt(0)] = 1;
function tokenize(text2) {
  const tokens = [];
  const n2 = text2.length;
  let start = -1;
  let upper = false;
  let slow = false;
  let digit = false;
  let singles = 0;
  let joined;
  const finish = () => {
    if (joined) joined.text = unleet(joined.parts.join(''));
    joined = void 0;
  };
  const push = (t) => {
    if (t.text.length !== 1) {
      finish();
      singles = 0;
      tokens.push(t);
      return;
    }
    singles++;
    if (joined) {
      joined.parts.push(t.text);
      joined.end = t.end;
    } else if (singles === 3) {
      const [a, b] = tokens.splice(-2);
      joined = { text: '', start: a.start, end: t.end, parts: [a.text, b.text, t.text] };
      tokens.push(joined);
    } else {
      tokens.push(t);
    }
  };
  for (let i = 0; i <= n2; i++) {
    const c = i < n2 ? text2.charCodeAt(i) : 32;
    const isDigit = c >= 48 && c <= 57;
    const lower = (c >= 97 && c <= 122) || isDigit;
    const isUpper = c >= 65 && c <= 90;
    const special = c >= 128 || (!lower && !isUpper && LEET_ASCII[c] === 1);
    if (!lower && !isUpper && !special) {
      if (start >= 0) {
        if (slow) {
          const run = [];
          tokenizeRun(text2, start, i, run);
          for (const r of run) push(makeToken(r.text, r.start, r.end));
        } else {
          const word = upper ? text2.slice(start, i).toLowerCase() : text2.slice(start, i);
          push({ text: digit && word.length > 1 ? unleet(word) : word, start, end: i });
        }
        start = -1;
      }
      continue;
    }
    if (start < 0) {
      start = i;
      upper = false;
      slow = false;
      digit = false;
    }
    if (isUpper) upper = true;
    else if (special) slow = true;
    else if (isDigit) digit = true;
  }
  finish();
  return tokens;
}
function makeToken(word, start, end) {
  const last = word.charCodeAt(word.length - 1);
  const trimmed = last === 33 || last === 124 || last === 43 ? word.replace(/[!|+]+$/, '') : word;
  return { text: unleet(trimmed), start, end };
}
function skeleton(text2) {
  return squeeze(
    tokenize(text2)
      .map((t) => t.text)
      .join(''),
  );
}

// packages/server/src/screening/model/features.ts
var FEATURE_BITS = 18;
var MASK = (1 << FEATURE_BITS) - 1;
var OFFSET = 2166136261;
var PRIME = 16777619;
var fold2 = (h) => (h ^ (h >>> 15)) & MASK;
function hash(seed, s, from, to) {
  let h = (OFFSET ^ seed) >>> 0;
  for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), PRIME);
  return fold2(h);
}
var WORD = 1;
var BIGRAM = 2;
var CHARS = 3;
var SHAPE = 4;
var EMOJI = 5;
var URL_PART = 6;
var LINK = /\bhttps?:\/\/[^\s<>"']+|\bwww\.[^\s<>"']+/gi;
var EMAIL2 = /\b[\w.+-]+@[\w-]+\.[\w.-]+/g;
var MENTION = /(?:^|\s)@\w+|<user>/g;
var MONEY =
  /[£$€]\s?\d|\d\s?(?:p|ppm|pence)\/(?:msg|min|wk|week|text)|\b\d+(?:,\d{3})*\s?(?:usd|gbp|eur|dollars|pounds)\b/gi;
var PICTOGRAPH = /\p{Extended_Pictographic}/gu;
var MODEL_TEXT_LIMIT = 2e3;
var Features = class {
  buffer = new Int32Array(1024);
  count = 0;
  push(bucket) {
    if (this.count === this.buffer.length) {
      const grown = new Int32Array(this.buffer.length * 2);
      grown.set(this.buffer);
      this.buffer = grown;
    }
    this.buffer[this.count++] = bucket;
  }
  shape(name) {
    this.push(hash(SHAPE, name, 0, name.length));
  }
  /** A copy of the buckets (for training). */
  toArray() {
    return this.buffer.slice(0, this.count);
  }
};
function charGrams(out, word, length) {
  const padded = length + 2;
  for (let start = 0; start + 4 <= padded; start++) {
    let h = (OFFSET ^ CHARS) >>> 0;
    for (let i = start; i < start + 4; i++) {
      const c = i === 0 ? 60 : i === padded - 1 ? 62 : word.charCodeAt(i - 1);
      h = Math.imul(h ^ c, PRIME);
    }
    out.push(fold2(h));
  }
}
function isDigits(word) {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
var shared = new Features();
function shapeSpans(text2, from, to, out) {
  let spans;
  const window = from === 0 && to === text2.length ? text2 : text2.slice(from, to);
  const find = (pattern, name) => {
    for (const m of window.matchAll(pattern)) {
      out.shape(name);
      spans ??= [];
      spans.push(from + m.index, from + m.index + m[0].length);
    }
  };
  if (window.includes('://') || window.includes('www.')) find(LINK, 'link');
  if (window.includes('@')) {
    find(EMAIL2, 'email');
    find(MENTION, 'mention');
  } else if (window.includes('<user>')) find(MENTION, 'mention');
  return spans;
}
function inside(spans, at) {
  for (let i = 0; i < spans.length; i += 2) if (at >= spans[i] && at < spans[i + 1]) return true;
  return false;
}
var COMMON = new Set(
  'the and you that was for are with his they this have from one had not but what all were when can said there use each which she how their will other about out many then them these some her would make like him into time has look two more write see number way could people than first been call who its now find long down day did get come made may part'.split(
    ' ',
  ),
);
var MONEY_HINT = /\d\s?(?:p\b|p\/|ppm|pence|usd|gbp|eur|dollars|pounds)/i;
function textFeatures(
  text2,
  tokens = tokenize(text2),
  out = shared,
  from = 0,
  to = Math.min(text2.length, from + MODEL_TEXT_LIMIT),
) {
  out.count = 0;
  const spans = shapeSpans(text2, from, to, out);
  let capitals = 0;
  let letters = 0;
  let symbols = false;
  let money = false;
  let digits = false;
  for (let c = from; c < to; c++) {
    const code = text2.charCodeAt(c);
    if (code >= 65 && code <= 90) capitals++;
    else if (code >= 97 && code <= 122) letters++;
    else if (code >= 48 && code <= 57) digits = true;
    else if (code === 163 || code === 36 || code === 8364) money = true;
    else if (code >= 8192) symbols = true;
  }
  if (money || (digits && MONEY_HINT.test(text2.slice(from, to)))) {
    for (const _ of text2.slice(from, to).matchAll(MONEY)) out.shape('money');
  }
  if (symbols) for (const m of text2.slice(from, to).matchAll(PICTOGRAPH)) out.push(hash(EMOJI, m[0], 0, m[0].length));
  if (capitals > 8 && capitals > letters) out.shape('shouting');
  let previous = OFFSET ^ BIGRAM;
  let words2 = 0;
  for (const token of tokens) {
    if (token.start < from) continue;
    if (token.start >= to) break;
    if (spans && inside(spans, token.start)) continue;
    words2++;
    const word = token.text;
    let h;
    if (isDigits(word)) {
      const shape = word.length >= 5 ? `#${Math.min(word.length, 12)}` : '#';
      h = hash(WORD, shape, 0, shape.length);
      out.push(h);
    } else {
      h = hash(WORD, word, 0, word.length);
      out.push(h);
      if (word.length > 2 && !COMMON.has(word)) charGrams(out, word, Math.min(word.length, 24));
    }
    out.push(fold2(Math.imul(Math.imul(previous, PRIME) ^ h, PRIME)));
    previous = h;
  }
  if (words2 <= 3) out.shape(`short${words2}`);
  return out;
}
var TLD = 11;
var SCHEME = 12;
var DEPTH = 13;
var PATH_LENGTH = 14;
var SUBDOMAIN = 15;
var FLAG = 16;
var SUB_LABEL = 17;
var NAME = 18;
var PATH_WORD = 19;
var NUMBER = '#';
function part(out, kind, s, from = 0, to = s.length) {
  out.push(hash(URL_PART * 64 + kind, s, from, to));
}
function words(out, kind, s, from, to) {
  let start = -1;
  for (let i = from; i <= to; i++) {
    const c = i < to ? s.charCodeAt(i) : 32;
    const alnum = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
    if (alnum && start < 0) start = i;
    else if (!alnum && start >= 0) {
      if (kind === PATH_WORD && isDigits(s.slice(start, i))) part(out, kind, NUMBER);
      else if (i - start > 20) part(out, kind, '~long');
      else part(out, kind, s, start, i);
      start = -1;
    }
  }
}
function urlFeatures(url, registrable, host, out = shared) {
  out.count = 0;
  const lower = url.toLowerCase();
  const schemeEnd = lower.indexOf('://');
  const afterScheme = schemeEnd >= 0 && schemeEnd < 10 ? schemeEnd + 3 : 0;
  const slash = lower.indexOf('/', afterScheme);
  const pathStart = slash >= 0 ? slash : lower.length;
  const subLength = host.length > registrable.length ? host.length - registrable.length - 1 : 0;
  const dot = registrable.indexOf('.');
  part(out, TLD, registrable, dot + 1);
  part(out, SCHEME, lower.startsWith('https:') ? 's' : lower.startsWith('http:') ? 'h' : 'none');
  let labels = 1;
  for (let i = 0; i < host.length; i++) if (host.charCodeAt(i) === 46) labels++;
  part(out, DEPTH, String(Math.min(labels, 6)));
  part(out, PATH_LENGTH, String(Math.min(Math.floor((lower.length - pathStart) / 16), 8)));
  part(out, SUBDOMAIN, subLength === 0 ? 'none' : subLength === 3 && host.startsWith('www') ? 'www' : 'other');
  if (/\d/.test(registrable)) part(out, FLAG, 'digits-in-name');
  if (registrable.includes('-')) part(out, FLAG, 'hyphen-in-name');
  if (/[?&][a-z_]*=/.test(lower.slice(pathStart))) part(out, FLAG, 'query');
  const at = lower.indexOf('@', pathStart);
  if (at >= 0 || lower.indexOf('//', pathStart) >= 0) part(out, FLAG, 'odd-path');
  words(out, SUB_LABEL, host, 0, subLength);
  part(out, NAME, registrable, 0, dot);
  if (registrable.lastIndexOf('-', dot) >= 0) words(out, NAME, registrable, 0, dot);
  words(out, PATH_WORD, lower, pathStart, lower.length);
  charGrams(out, host, Math.min(host.length, 60));
  return out;
}
function pairModels(first, second) {
  const weights = new Int8Array(first.quantised.length * 2);
  for (let i = 0; i < first.quantised.length; i++) {
    weights[2 * i] = first.quantised[i];
    weights[2 * i + 1] = second.quantised[i];
  }
  return { weights, scales: [first.scale, second.scale], biases: [first.bias, second.bias] };
}
var NORMALISE_FROM = 40;
var featureValue = (count) => (count === 0 ? 0 : 1 / Math.sqrt(Math.max(count, NORMALISE_FROM)));
var sigmoid = (z18) => 1 / (1 + Math.exp(-z18));
function score(model, features) {
  const weights = model.weights;
  const buffer = features.buffer;
  let sum = 0;
  for (let i = 0; i < features.count; i++) sum += weights[buffer[i]];
  return sigmoid(model.bias + sum * featureValue(features.count));
}
function scorePair(pair, features) {
  const weights = pair.weights;
  const buffer = features.buffer;
  let first = 0;
  let second = 0;
  for (let i = 0; i < features.count; i++) {
    const at = buffer[i] << 1;
    first += weights[at];
    second += weights[at + 1];
  }
  const value = featureValue(features.count);
  return [
    sigmoid(pair.biases[0] + first * pair.scales[0] * value),
    sigmoid(pair.biases[1] + second * pair.scales[1] * value),
  ];
}

// packages/server/src/screening/model/models.ts
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function modelsDirectory(from = import.meta.dirname) {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'models/screening');
    if (existsSync(join(candidate, 'manifest.json'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`the screening models were not found above ${from} (models/screening/manifest.json)`);
}
function loadModels(directory = modelsDirectory()) {
  const manifest = JSON.parse(readFileSync(join(directory, 'manifest.json'), 'utf8'));
  if (manifest.featureBits !== FEATURE_BITS) {
    throw new Error(`the screening models use ${manifest.featureBits} feature bits; this build hashes ${FEATURE_BITS}`);
  }
  const models = {};
  const quantised = {};
  for (const name of ['abuse', 'spam', 'phishing']) {
    const info = manifest.models[name];
    const bytes = readFileSync(join(directory, info.file));
    if (bytes.length !== 1 << FEATURE_BITS) throw new Error(`${info.file}: expected ${1 << FEATURE_BITS} bytes`);
    const q = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    const weights = new Float32Array(q.length);
    for (let i = 0; i < q.length; i++) weights[i] = q[i] * info.scale;
    models[name] = { weights, bias: info.bias };
    quantised[name] = { quantised: q, scale: info.scale, bias: info.bias };
  }
  return { manifest, models, text: pairModels(quantised.abuse, quantised.spam) };
}
var loaded;
function shippedModels() {
  loaded ??= loadModels();
  return loaded;
}

// packages/server/src/screening/model/scores.ts
var MAX_WINDOWS = 5;
var roundConfidence = (p) => Math.floor(p * 1e3) / 1e3;
function prose(text2, tokens, first, to) {
  let words2 = 0;
  let letters = 0;
  for (let k = first; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.start >= to) break;
    words2++;
    let word = true;
    for (let i = t.start; i < t.end && word; i++) {
      const c = text2.charCodeAt(i) | 32;
      word = (c >= 97 && c <= 122) || c >= 128;
    }
    if (word) letters++;
  }
  return letters * 2 >= words2;
}
function modelScores(input) {
  let scores = input.memo.get('model');
  if (scores) return scores;
  const pair = shippedModels().text;
  const text2 = input.text;
  const tokens = input.tokens;
  scores = { abuse: 0, spam: 0 };
  let first = 0;
  for (let w = 0; w < MAX_WINDOWS && w * MODEL_TEXT_LIMIT < text2.length; w++) {
    const from = w * MODEL_TEXT_LIMIT;
    while (first < tokens.length && tokens[first].start < from) first++;
    if (text2.length > MODEL_TEXT_LIMIT && !prose(text2, tokens, first, from + MODEL_TEXT_LIMIT)) continue;
    const [abuse, spam] = scorePair(pair, textFeatures(text2, tokens, void 0, from));
    scores.abuse = Math.max(scores.abuse, abuse);
    scores.spam = Math.max(scores.spam, spam);
  }
  input.memo.set('model', scores);
  return scores;
}

// packages/server/src/screening/types.ts
var EXACT = /* @__PURE__ */ new Map();
var SQUEEZED = /* @__PURE__ */ new Map();
var nextBit = 0;
var numericWords = false;
function register(words2, squeezed) {
  if (nextBit >= 31) throw new Error('too many keyword sets for one mask');
  const bit = 1 << nextBit++;
  for (const w of words2) {
    if (/^\d+$/.test(w)) numericWords = true;
    EXACT.set(w, (EXACT.get(w) ?? 0) | bit);
    if (squeezed) {
      const s = squeeze(w);
      if (s !== w) SQUEEZED.set(s, [...(SQUEEZED.get(s) ?? []), [bit, w.length]]);
    }
  }
  return { bit };
}
function isNumber(word) {
  for (let i = 1; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
var ScreenInput = class {
  constructor(text2, context) {
    this.text = text2;
    this.context = context;
  }
  text;
  context;
  tokenCache;
  lowerCache;
  wordsCache;
  rawWordsCache;
  maskCache;
  /** Memo for detectors that share a derived value (the links of the text). */
  memo = /* @__PURE__ */ new Map();
  allMask = 0;
  digitCount = -1;
  get tokens() {
    this.tokenCache ??= tokenize(this.text);
    return this.tokenCache;
  }
  /** Per word, the bits of the keyword sets holding it; and all of them together. */
  masks() {
    if (this.maskCache) return this.maskCache;
    const tokens = this.tokens;
    const masks = new Int32Array(tokens.length);
    let all = 0;
    for (let i = 0; i < tokens.length; i++) {
      const text2 = tokens[i].text;
      const first = text2.charCodeAt(0);
      if (!numericWords && first >= 48 && first <= 57 && isNumber(text2)) continue;
      let m = EXACT.get(text2) ?? 0;
      const s = squeeze(text2);
      if (s !== text2) {
        for (const [bit, min] of SQUEEZED.get(s) ?? []) if (text2.length >= min) m |= bit;
      }
      masks[i] = m;
      all |= m;
    }
    this.allMask = all;
    this.maskCache = masks;
    return masks;
  }
  /** The spans of the words in this set. */
  wordSpans(set) {
    const masks = this.masks();
    if ((this.allMask & set.bit) === 0) return [];
    const spans = [];
    for (let i = 0; i < masks.length; i++) {
      if (masks[i] & set.bit) spans.push({ start: this.tokens[i].start, end: this.tokens[i].end });
    }
    return spans;
  }
  /** The normalised words joined by single spaces, with a space at each end: for phrase patterns. */
  get words() {
    this.wordsCache ??= ` ${this.tokens.map((t) => t.text).join(' ')} `;
    return this.wordsCache;
  }
  /**
   * Tests a phrase pattern on the words, and on the words as written when letters were joined
   * ("u r a moron" is three words and an insult, "f u c k" one word).
   */
  matches(pattern) {
    if (pattern.test(this.words)) return true;
    if (!this.tokens.some((t) => t.parts)) return false;
    this.rawWordsCache ??= ` ${this.tokens.flatMap((t) => t.parts ?? [t.text]).join(' ')} `;
    return pattern.test(this.rawWordsCache);
  }
  /** Whether any word of the text is one of these (the cheap check before a phrase pattern). */
  hasAny(set) {
    this.masks();
    return (this.allMask & set.bit) !== 0;
  }
  get lower() {
    this.lowerCache ??= this.text.toLowerCase();
    return this.lowerCache;
  }
  get digits() {
    if (this.digitCount < 0) {
      let n2 = 0;
      for (let i = 0; i < this.text.length; i++) {
        const c = this.text.charCodeAt(i);
        if (c >= 48 && c <= 57) n2++;
      }
      this.digitCount = n2;
    }
    return this.digitCount;
  }
};
function keywords(...lists) {
  const words2 = /* @__PURE__ */ new Set();
  for (const list of lists) for (const phrase of list) for (const w of phrase.split(/[^a-z0-9]+/)) if (w) words2.add(w);
  return register(words2, false);
}
function wordList(words2) {
  return register(words2, true);
}

// packages/server/src/screening/detectors/wordlists.ts
var PROFANITY = [
  'fuck',
  'fucking',
  'fucked',
  'fucker',
  'fuckers',
  'motherfucker',
  'fck',
  'fuk',
  'wtf',
  'shit',
  'shitty',
  'bullshit',
  'bitch',
  'bitches',
  'bastard',
  'asshole',
  'arsehole',
  'dick',
  'dickhead',
  'cunt',
  'crap',
  'damn',
  'goddamn',
  'piss',
  'pissed',
  'prick',
  'wanker',
  'twat',
  'bollocks',
  'douche',
  'douchebag',
  'jackass',
  'puta',
  'puto',
  'mierda',
  'joder',
  'cabron',
  'gilipollas',
  'co\xF1o',
  'pendejo',
  'chingar',
  'chingada',
  'hostia',
  'carajo',
  'culero',
  'verga',
];
var SEXUAL = [
  'porn',
  'porno',
  'pornography',
  'nudes',
  'nude pics',
  'blowjob',
  'handjob',
  'horny',
  'dildo',
  'cumshot',
  'nsfw',
  'hentai',
  'sexting',
  'camgirl',
  'onlyfans',
  'boobs',
  'tits',
  'pussy',
  'cock',
  'naked pics',
  'sex chat',
  'send nudes',
  'escort service',
];
var SLURS = [
  'nigger',
  'niggers',
  'nigga',
  'niggas',
  'faggot',
  'faggots',
  'fag',
  'fags',
  'kike',
  'kikes',
  'spic',
  'spics',
  'chink',
  'chinks',
  'gook',
  'gooks',
  'wetback',
  'wetbacks',
  'tranny',
  'trannies',
  'retard',
  'retards',
  'raghead',
  'ragheads',
  'towelhead',
  'sandnigger',
  'coon',
  'coons',
  'dyke',
  'dykes',
  'beaner',
  'beaners',
  'sudaca',
  'sudacas',
  'maricon',
  'maricones',
  'negrata',
];
var GROUPS = [
  'jews',
  'muslims',
  'christians',
  'hindus',
  'blacks',
  'black people',
  'whites',
  'white people',
  'asians',
  'mexicans',
  'immigrants',
  'migrants',
  'refugees',
  'gays',
  'gay people',
  'lesbians',
  'trans people',
  'women',
  'arabs',
  'latinos',
  'indians',
  'africans',
  'chinese',
  'gypsies',
  'roma',
  'disabled people',
  'foreigners',
  'homosexuals',
  'transgender people',
  'jewish people',
  'a woman',
  'a muslim',
  'a jew',
  'a trans person',
  'a black person',
  'a gay person',
  'a disabled person',
  'an immigrant',
  'a refugee',
  'muslim people',
  'old people',
  'sikhs',
  'catholics',
  'inmigrantes',
  'mujeres',
  'judios',
  'musulmanes',
  'negros',
  'gitanos',
];
var DEHUMANISING = [
  'animals',
  'vermin',
  'parasites',
  'subhuman',
  'cockroaches',
  'rats',
  'a disease',
  'a plague',
  'savages',
  'filth',
  'scum',
  'inferior',
  'not human',
  'not real humans',
  'not human beings',
  'not people',
  'pests',
  'trash',
  'garbage',
  'vile',
  'disgusting',
  'worthless',
  'a cancer',
  'revolting',
  'repulsive',
  'pathetic',
  'gross',
  'worthless',
  'a burden',
  'a stain',
  'evil',
  'a virus',
  'a disease on this country',
  'a plague on this country',
  'lesser beings',
  'dirty',
  'criminals',
  'all criminals',
  'rapists',
  'terrorists',
  'should be exterminated',
  'should be killed',
  'should die',
  'must be wiped out',
  'ratas',
  'basura',
  'escoria',
];
var INSULTS = [
  'idiot',
  'idiots',
  'stupid',
  'moron',
  'morons',
  'dumb',
  'dumbass',
  'loser',
  'worthless',
  'useless',
  'pathetic',
  'incompetent',
  'ugly',
  'fat',
  'clown',
  'clowns',
  'trash',
  'garbage',
  'scum',
  'pig',
  'imbecile',
  'cretin',
  'stupido',
  'estupido',
  'idiota',
  'imbecil',
  'inutil',
  'payaso',
  'basura',
  'bitch',
  'asshole',
  'cunt',
  'dick',
  'dickhead',
  'bastard',
  'piece of shit',
  'waste of space',
  'retard',
  'gilipollas',
  'pendejo',
];

// packages/server/src/screening/detectors/abuse.ts
var WordSet = class {
  set;
  phrases;
  /** The first words of the phrases: no phrase can be there without one of them. */
  firsts;
  constructor(words2) {
    this.set = wordList(words2.filter((w) => !w.includes(' ')));
    this.phrases = words2.filter((w) => w.includes(' '));
    this.firsts = keywords(this.phrases.map((p) => p.split(' ')[0]));
  }
  find(input) {
    const spans = input.wordSpans(this.set);
    if (this.phrases.length && input.hasAny(this.firsts)) {
      for (const p of this.phrases) if (input.words.includes(` ${p} `)) spans.push(phraseSpan(input, p));
    }
    return spans;
  }
};
function phraseSpan(input, phrase) {
  const at = input.words.indexOf(` ${phrase} `);
  const before = input.words.slice(0, at + 1).split(' ').length - 2;
  const count = phrase.split(' ').length;
  const first = input.tokens[before];
  const last = input.tokens[before + count - 1];
  return first && last ? { start: first.start, end: last.end } : { start: 0, end: 0 };
}
var alternation = (words2) => words2.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
var HARASSMENT_WORDS = keywords(INSULTS, ['shut', 'stfu', 'hell', 'lost', 'likes', 'mierda', 'callate']);
var THREAT_WORDS = keywords([
  'kill murder hurt shoot stab rape strangle torture slaughter lynch behead execute exterminate massacre gas hang butcher choke drown punch smash find hunt track beat break burn bomb blow dead die dies died live lives work works back suffer smash stabbed regret kys yourself bullet shot killed hanged lynched gassed executed beaten tortured murdered slaughtered matar encontrar mato vives',
]);
var GROUP_WORDS = keywords(GROUPS);
var GROUP = alternation(GROUPS);
var profanity = new WordSet(PROFANITY);
var sexual = new WordSet(SEXUAL);
var slurs = new WordSet(SLURS);
var HOMONYM_ABUSIVE = 0.75;
var HOMONYMS = /* @__PURE__ */ new Set([
  'dyke',
  'dykes',
  'fag',
  'fags',
  'faggot',
  'faggots',
  'coon',
  'coons',
  'chink',
  'chinks',
  'tranny',
  'retard',
]);
var insults = new WordSet(INSULTS);
var YOU = `(?:you|u|ya|youre|you re|ur|your|you are|you r|tu|eres|sos)`;
var HARASSMENT = new RegExp(
  ` (?:${YOU} (?:[a-z]+ ){0,3}?(?:${alternation(INSULTS)})|(?:${alternation(INSULTS)}) (?:like )?(?:you|u)|shut up|shut the fuck up|stfu|go to hell|get lost|nobody likes you|vete a la mierda|callate) `,
);
var SPEAKER =
  '(?:i|ill|i ll|im|i m|we|well|we ll|i am|we are|imma|gonna|going to|someone should|somebody should|we should|we need to|we must|lets|let s|i want to|i wanna|id love to|i d love to|i would love to|i will|we will|im going to|i m going to)';
var VIOLENCE =
  '(?:kill|murder|hurt|shoot|stab|rape|strangle|torture|slaughter|lynch|behead|exterminate|massacre|butcher|choke|beat up|punch|run over)';
var VICTIM = `(?:you|u|ya|your (?:family|kids|children|wife|husband|mother|mom|dad|father|boss|manager|agent|team|staff|employees)|him|her|them|(?:that|this|the|your) (?:[a-z]+ )?(?:guy|man|woman|girl|boy|bitch|bastard|idiot|agent|driver|person|prick)|the (?:ceo|manager|agent|driver|boss|owner|staff|president|support guy)|everyone|every last one|all of (?:you|them|those|these)|(?:all |all of |all the |these |those |some |the |every |more )?(?:${GROUP}))`;
var NOT_MEANT =
  '(?!(?:sorry|apologise|apologize|never|not|dont|didnt|wont|wouldnt|doesnt|hope|if|may|might|almost|accidentally|ever|should|nothing|nobody)\\b)';
var THREAT = new RegExp(
  ` (?:(?<!(?:nothing|nobody|no one|never) )${SPEAKER} (?:${NOT_MEANT}[a-z]+ ){0,3}?${VIOLENCE} (?:[a-z]+ ){0,2}?${VICTIM}|(?:kill|gas|exterminate|slaughter|shoot|lynch|hang|murder|burn) (?:all |all the |every |the |these |those |some )(?:${GROUP})|(?:happy|glad) if (?:all |all the |every )(?:${GROUP}) died|(?:see|watch) (?:all |all the |every |the )?(?:${GROUP}) (?:hanged|hang|die|burn|killed|shot|gassed|suffer|lynched)|put a bullet in (?:you|your|his|her|their|the|that)|(?:${GROUP}|he|she|you|u|those people|these people|all of them) (?:should|will|must|need to|deserve to|ought to|are going to|re going to|gonna) (?:all )?(?:be )?(?:shot|killed|hanged|hung|lynched|gassed|executed|exterminated|burned|burnt|beaten|raped|tortured|murdered|slaughtered|wiped out|die)|they (?:deserve to|should|must|need to|ought to) (?:all )?(?:be )?(?:shot|killed|hanged|hung|lynched|gassed|executed|exterminated|burned|burnt|beaten|raped|tortured|murdered|slaughtered|wiped out|die)|(?:find|hunt|track) (?:you|u) down(?! (?:the|a|an|some|that|this|one|copy|number|contact|link|address))|find (?:you|u) and (?:kill|hurt|beat|shoot|make)|beat (?:you|u) up|beat the (?:shit|crap|hell) out of (?:you|u)|break (?:your|his|her|their) (?:legs|neck|face|bones|arms)|smash (?:your|his|her|their|everyone s|everyones) faces? in|(?:gonna|going to|will) get (?:stabbed|shot|killed|beaten|hurt|murdered)|make (?:you|them|him|her) (?:suffer|bleed)|(?:burn|bomb|blow up) (?:down )?your (?:house|office|home|store|building|car|headquarters|shop)|(?:you|u) (?:are|re|will be|gonna be) (?:dead|going to die|gonna die)|i know where (?:you|your [a-z]+|he|she) (?:live|lives|work|works)|watch your back|you will regret|kill yourself|kys|te voy a (?:matar|encontrar)|te mato|sabemos donde vives) `,
);
var WISH =
  / (?:hope|wish) (?:[a-z]+ ){0,4}?(?:dies|die|gets cancer|get cancer|gets killed|get killed|rots in hell|rot in hell|burns in hell|burn in hell) /;
var GROUP_NAMED = new RegExp(` (?:${GROUP}) `);
function counterSpeech(input) {
  return input.matches(COUNTER);
}
function swears(input) {
  return profanity.find(input).length > 0;
}
function namesGroup(input) {
  return input.hasAny(GROUP_WORDS) && GROUP_NAMED.test(input.words);
}
var ALL_OF = '(?:all |all the |every |the |these |those |)';
var DEHUMANISE = new RegExp(
  ` (?:all )?(?:${GROUP}) (?:like (?:them|you|that|him|her) )?(?:are|is|r|son) (?:all |just |nothing but |like |simply |basically |so |really |such )?(?:${alternation(DEHUMANISING)}) |no (?:${GROUP}) (?:deserve|deserves) to (?:live|exist|be alive) |(?:kill|exterminate|gas|deport|expel|get rid of|wipe out|eradicate|eliminate|ban) ${ALL_OF}(?:${GROUP}) |(?:${GROUP}) (?:don t|do not|dont|doesn t) deserve (?:rights|to live|to exist|respect|anything) |(?:${GROUP}) (?:belong|should be|should all be|need to be) (?:in|locked in) (?:cages|camps|jail|prison|the zoo|ovens|a cage) |i (?:really |just )?(?:hate|despise|can t stand|cant stand|loathe) ${ALL_OF}(?:${GROUP}) |(?:better|happy|glad|safer) (?:off )?(?:without|if all|if every|if) ${ALL_OF}(?:${GROUP}) (?:died|were gone|disappeared|left|were dead)?|no (?:${GROUP}) should (?:ever )?be allowed |(?:${GROUP}) should (?:not|never) be allowed to |(?:${GROUP}) should (?:all )?go back |death to ${ALL_OF}(?:${GROUP}) |(?:${GROUP}) (?:make me (?:sick|want to vomit|puke)|disgust me) |(?:${GROUP}) (?:lives )?(?:are|is) (?:worthless|meaningless) |(?:${GROUP}) (?:should be|belong|must be) (?:dumped|thrown) (?:in|into) (?:a )?(?:landfill|trash|the trash|the sea|the garbage) |never trust (?:a|an|any|those|these) (?:${GROUP}) |(?:${GROUP}) (?:belong|should live) in (?:a )?(?:zoo|cage|sewer|gutter) |i d rather die than (?:date|marry|work with|live next to) (?:${GROUP}) `,
);
var REPORTED =
  / (?:called me|calls me|call me|called us|said|says|wrote|the word|is a slur|slur|quote|quoted|me llamo|me dijo|dijo) /;
var QUOTED_SPAN = /["“”«»'‘’`]/;
var COUNTER =
  / (?:saying|to say|calling|to call|claiming|who say|who call|people who think|when people say|stop saying|if you say|you say|statements like|comments like|words like|phrases like|hurtful|bigot|bigoted|bigotry|is (?:not ok|wrong|disgusting|hate speech|racist|offensive|unacceptable)|are (?:not|wrong)|never ok|its not ok|it s not ok) /;
function isQuoted(text2, span) {
  const before = text2.slice(Math.max(0, span.start - 2), span.start);
  const after = text2.slice(span.end, span.end + 2);
  return QUOTED_SPAN.test(before) && QUOTED_SPAN.test(after);
}
var abuseDetector = {
  ids: ['profanity', 'sexual', 'harassment', 'threat', 'hate_slur', 'hate_mention', 'hate_dehumanising'],
  detect(input) {
    const findings = [];
    const add = (detector, category, spans) => {
      if (spans.length) findings.push({ detector, category, spans });
    };
    add('profanity', 'profanity', profanity.find(input));
    add('sexual', 'sexual', sexual.find(input));
    if (input.hasAny(HARASSMENT_WORDS) && input.matches(HARASSMENT))
      findings.push({ detector: 'harassment', category: 'harassment', spans: insults.find(input) });
    if (input.hasAny(THREAT_WORDS)) {
      if (input.matches(THREAT)) findings.push({ detector: 'threat', category: 'threat', spans: [], confidence: 0.95 });
      else if (input.matches(WISH))
        findings.push({ detector: 'threat', category: 'threat', spans: [], confidence: 0.7 });
    }
    const slurSpans = slurs.find(input);
    if (slurSpans.length) {
      const homonyms = slurSpans.every((s) => HOMONYMS.has(input.text.slice(s.start, s.end).toLowerCase()));
      const abusive = !homonyms || modelScores(input).abuse >= HOMONYM_ABUSIVE;
      const mention = input.matches(REPORTED) || slurSpans.every((s) => isQuoted(input.text, s));
      if (mention) add('hate_mention', 'hate', slurSpans);
      else if (abusive) add('hate_slur', 'hate', slurSpans);
    }
    if (namesGroup(input) && input.matches(DEHUMANISE) && !input.matches(COUNTER))
      findings.push({ detector: 'hate_dehumanising', category: 'hate', spans: [] });
    return findings;
  },
};

// packages/server/src/screening/detectors/financial.ts
function spansToFinding(detector, category, spans, confidence) {
  if (spans.length === 0) return [];
  return [
    {
      detector,
      category,
      spans: spans.map(({ start, end }) => ({ start, end })),
      replacements: spans.map((s) => s.replacement),
      ...(confidence !== void 0 ? { confidence } : {}),
    },
  ];
}
var BARE_NINE = /(?<![\d-])\d{9}(?![\d-])/g;
var NOT_A_BANK_NUMBER =
  /(?:order|invoice|ticket|case|tracking|ref|reference|booking|confirmation|id|no|#)(?:\s*(?:number|no\.?|#|is|:))*\W{0,3}$/i;
function aba(digits) {
  const prefix = Number(digits.slice(0, 2));
  const federal = prefix <= 12 || (prefix >= 21 && prefix <= 32) || (prefix >= 61 && prefix <= 72) || prefix === 80;
  return federal && abaValid(digits);
}
function bareRoutingNumbers(text2, known) {
  const spans = [];
  for (const m of text2.matchAll(BARE_NINE)) {
    if (known.some((k) => k.start <= m.index && m.index < k.end)) continue;
    if (!aba(m[0]) || NOT_A_BANK_NUMBER.test(text2.slice(Math.max(0, m.index - 16), m.index))) continue;
    spans.push({
      start: m.index,
      end: m.index + 9,
      kind: 'routing_number',
      replacement: `[routing \u2022\u2022\u2022\u2022${m[0].slice(-4)}]`,
    });
  }
  return spans;
}
var financialDetector = {
  ids: ['card', 'bank_account'],
  detect(input) {
    if (input.digits < 9) return [];
    const sure = [...findIbans(input.text), ...findBankNumbers(input.text)];
    const cards = findCards(input.text);
    return [
      ...spansToFinding('card', 'financial', cards),
      ...spansToFinding('bank_account', 'financial', sure),
      ...spansToFinding('bank_account', 'financial', bareRoutingNumbers(input.text, [...sure, ...cards]), 0.6),
    ];
  },
};
var SSN = /(?<![\d-])(\d{3})([- ]?)(\d{2})\2(\d{4})(?![\d-])/g;
var SSN_CONTEXT = /\b(?:ssn|social security|ss#|seguro social|ssa)\b/i;
var nationalIdDetector = {
  ids: ['national_id'],
  detect(input) {
    if (input.digits < 9) return [];
    const context = SSN_CONTEXT.test(input.text);
    const sure = [];
    const unsure = [];
    for (const m of input.text.matchAll(SSN)) {
      const [area, group, serial] = [Number(m[1]), Number(m[3]), Number(m[4])];
      if (area === 0 || area === 666 || area >= 900 || group === 0 || serial === 0) continue;
      const near = context && SSN_CONTEXT.test(input.text.slice(Math.max(0, m.index - 40), m.index + m[0].length + 40));
      const span = {
        start: m.index,
        end: m.index + m[0].length,
        kind: 'ssn',
        replacement: `[SSN \u2022\u2022\u2022\u2022${m[4]}]`,
      };
      if (near || m[2] === '-') sure.push(span);
      else if (m[2] === ' ') unsure.push(span);
    }
    return [
      ...spansToFinding('national_id', 'national_id', sure),
      ...spansToFinding('national_id', 'national_id', unsure, 0.6),
    ];
  },
};

// packages/server/src/screening/detectors/credentials.ts
var HINTS =
  /begin|akia|asia|aws_|gh[pousr]_|github_pat|glpat|xox|sk_|rk_|aiza|eyj|pass|pwd|clave|contrase|api.?key|secret|token/i;
var credentialsDetector = {
  ids: ['secret'],
  detect(input) {
    if (!HINTS.test(input.text)) return [];
    return spansToFinding('secret', 'credentials', findSecrets(input.text));
  },
};

// packages/server/src/screening/detectors/harvesting.ts
var ASKS =
  / (?:(?:send|give|tell|share|dm|text|email|forward|provide) (?:me|us) (?:your |their |his |her |all )?|(?:what is|what s|whats|type in|enter|need|want) your |dame tu |envia(?:me)? tu )(?:full |real |bank |card |credit card |login |account |online banking )?(?:password|passwords|passcode|pin|pin code|ssn|social security number|social security|credit card|card number|cvv|cvc|security code|bank details|bank account|login details|credentials|2fa code|verification code|one time code|otp|mother s maiden name|contrasena|clave|numero de tarjeta) |(?:list|export|dump|scrape|harvest) (?:of |all |the )?(?:your |their )?(?:customers|users|members|subscribers) (?:emails|email addresses|phone numbers|contacts|personal data|data) /;
var ASKED_FOR = keywords([
  'password passwords passcode pin ssn social credit card cvv cvc security bank login credentials 2fa verification otp maiden contrasena clave tarjeta customers users members subscribers',
]);
var EMAIL3 = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}/g;
var PHONE = /(?<![\w+])\+?\d[\d ().-]{7,18}\d(?!\w)/g;
var DATE_OR_TIME = /\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}/;
var harvestingDetector = {
  ids: ['data_request', 'contact_list'],
  detect(input) {
    const findings = [];
    if (input.hasAny(ASKED_FOR) && input.matches(ASKS))
      findings.push({ detector: 'data_request', category: 'harvesting', spans: [] });
    if (input.text.includes('@') || input.digits >= 40) {
      const emails = new Set(
        input.text.includes('@') ? [...input.text.matchAll(EMAIL3)].map((m) => m[0].toLowerCase()) : [],
      );
      const phones = new Set(
        input.digits >= 40
          ? [...input.text.matchAll(PHONE)]
              .filter((m) => !DATE_OR_TIME.test(m[0]))
              .map((m) => m[0].replace(/\D/g, ''))
              .filter((d) => d.length >= 8)
          : [],
      );
      if (emails.size >= 5 || phones.size >= 5) {
        findings.push({ detector: 'contact_list', category: 'harvesting', spans: [] });
      }
    }
    return findings;
  },
};

// packages/server/src/screening/detectors/health.ts
var IDENTIFIERS = [
  [
    'mrn',
    'medical record',
    /\b(?:mrn|medical record(?: number| no\.?| #)?)\s*(?:is|:|#)?\s*([A-Z0-9][A-Z0-9-]{4,14})\b/gi,
  ],
  ['npi', 'NPI', /\bnpi(?: number| no\.?| #)?\s*(?:is|:|#)?\s*(\d{10})\b/gi, (id2) => luhn(`80840${id2}`)],
  [
    'insurance_id',
    'member ID',
    /\b(?:member id|member number|insurance id|insurance number|policy number|subscriber id|medicare(?: number| id)?|medicaid(?: number| id)?|health plan id)\s*(?:is|:|#)?\s*([A-Z0-9][A-Z0-9-]{5,19})\b/gi,
  ],
  ['dea', 'DEA number', /\bdea(?: number| no\.?| #)?\s*(?:is|:|#)?\s*([A-Z]{2}\d{7})\b/gi, deaValid],
];
function deaValid(id2) {
  const d = [...id2.slice(2)].map(Number);
  return (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10 === d[6];
}
var CONDITION_LIST = [
  'diabetes',
  'cancer',
  'leukemia',
  'lymphoma',
  'tumou?r',
  'hiv',
  'aids',
  'hepatitis [abc]',
  'hepatitis',
  'tuberculosis',
  'epilepsy',
  'schizophrenia',
  'bipolar(?: disorder)?',
  'depression',
  'anxiety disorder',
  'ptsd',
  'adhd',
  'autism',
  'dementia',
  'alzheimer s?',
  'parkinson s?',
  'multiple sclerosis',
  'asthma',
  'copd',
  'hypertension',
  'heart disease',
  'heart failure',
  'kidney disease',
  'chlamydia',
  'gonorrhea',
  'herpes',
  'syphilis',
  'an std',
  'pregnancy',
  'pregnant',
  'chemotherapy',
  'chemo',
  'dialysis',
  'insulin',
  'metformin',
  'prozac',
  'zoloft',
  'xanax',
  'adderall',
  'ritalin',
  'oxycodone',
  'methadone',
  'suboxone',
  'lithium',
  'antidepressants?',
  'opioids?',
  'an eating disorder',
  'anorexia',
  'bulimia',
  'covid(?: 19)?',
];
var CONDITIONS = CONDITION_LIST.join('|');
var CONDITION_WORDS = keywords(
  CONDITION_LIST.map((c) => c.replace(/\(\?:[^)]*\)\??|\[[^\]]*\]|\?/g, '').replace(/s$/, '')),
  ['antidepressants', 'opioids', 'tumour', 'tumor', 'alzheimers', 'parkinsons', 'diabetes', 'aids', 'herpes'],
);
var PERSON = `(?:i|im|i m|ive|i ve|he|she|they|hes|shes|he s|she s|my (?:son|daughter|wife|husband|mother|mom|father|dad|brother|sister|child|kid|partner|friend|patient|client)|his (?:son|daughter|wife|mother|father)|her (?:son|daughter|husband|mother|father)|the patient|patient|our patient|mr [a-z]+|mrs [a-z]+|ms [a-z]+)`;
var VERB = `(?:was |is |has been |have been |had been |got |been |just )?(?:diagnosed with|suffers from|suffering from|treated for|being treated for|prescribed|taking|takes|on|has|have|had|with)`;
var CONDITION_WITH_PERSON = new RegExp(` ${PERSON} (?:[a-z]+ ){0,3}?${VERB} (?:[a-z]+ ){0,2}?(?:${CONDITIONS}) `);
var healthDetector = {
  ids: ['health_identifier', 'health_condition'],
  detect(input) {
    const findings = [];
    if (
      input.digits > 0 &&
      /mrn|medical|npi|member|insurance|policy|subscriber|medica|health plan|dea/i.test(input.text)
    ) {
      const spans = [];
      for (const [kind, label, pattern, valid] of IDENTIFIERS) {
        for (const m of input.text.matchAll(pattern)) {
          const id2 = m[1];
          if (!/\d/.test(id2) || (valid && !valid(id2.toUpperCase()))) continue;
          const start = m.index + m[0].length - id2.length;
          spans.push({ start, end: start + id2.length, kind, replacement: `[${label}]` });
        }
      }
      findings.push(...spansToFinding('health_identifier', 'health', spans));
    }
    if (input.hasAny(CONDITION_WORDS) && input.matches(CONDITION_WITH_PERSON)) {
      findings.push({ detector: 'health_condition', category: 'health', spans: [] });
    }
    return findings;
  },
};

// packages/server/src/screening/detectors/illegal.ts
var GOODS =
  '(?:cocaine|heroin|meth|methamphetamine|fentanyl|mdma|ecstasy|lsd|ketamine|counterfeit (?:money|bills|notes|goods|bags)|fake (?:passports?|ids?|id cards|driver s licen[cs]es?|diplomas?|banknotes)|stolen (?:credit cards?|cards|accounts|identities|data|goods)|cvv|cvvs|fullz|dumps|credit card dumps|guns? without (?:a )?licen[cs]e|untraceable guns?|ghost guns?|hacked accounts|ransomware as a service|cocaina|heroina|pasaportes falsos)';
var OFFER = new RegExp(
  ` (?:sell|selling|sells|buy|buying|for sale|cheap|order|ship|shipping|supply|supplying|vendo|compro|vendemos) (?:[a-z]+ ){0,3}?${GOODS} | ${GOODS} (?:for sale|available|in stock|shipped|delivered|a la venta) `,
);
var GOODS_WORDS = keywords([
  'cocaine heroin meth methamphetamine fentanyl mdma ecstasy lsd ketamine counterfeit fake stolen cvv cvvs fullz dumps guns gun untraceable ghost hacked ransomware cocaina heroina pasaportes',
]);
var illegalDetector = {
  ids: ['illegal_offer'],
  detect(input) {
    return input.hasAny(GOODS_WORDS) && input.matches(OFFER)
      ? [{ detector: 'illegal_offer', category: 'illegal', spans: [] }]
      : [];
  },
};

// packages/server/src/screening/detectors/impersonation.ts
var STAFF_WORDS = [
  'support',
  'admin',
  'administrator',
  'staff',
  'official',
  'moderator',
  'helpdesk',
  'security team',
  'billing team',
  'soporte',
];
var STAFF_SKELETONS = STAFF_WORDS.map((w) => skeleton(w));
var CLAIM =
  / (?:this is|it s|its|i am|i m|im|we are|we re|soy|somos) (?:[a-z]+ ){0,3}?(?:from|with|at|of|de) (?:the )?(?:support|customer support|customer service|technical support|tech support|security|billing|the team|help desk|helpdesk|soporte|atencion al cliente)(?: team)? | (?:i am|i m|im|this is|soy) (?:an? |the |el |la )?(?:admin|administrator|moderator|staff member|support agent|employee|owner|official representative|administrador) (?:(?:of|at|from|de) (?:this|the|este|esta) (?:site|app|platform|service|company|website|sitio|empresa)|here) | official (?:support|customer service|account|team) /;
var CLAIM_WORDS = keywords([
  'support service security billing team desk helpdesk admin administrator moderator staff employee owner official representative soporte administrador cliente',
]);
var impersonationDetector = {
  ids: ['staff_claim'],
  detect(input) {
    if (input.context.role !== 'visitor') return [];
    const name = input.context.senderName;
    let claims = input.hasAny(CLAIM_WORDS) && input.matches(CLAIM);
    if (!claims && name) {
      const s = skeleton(name);
      const app = input.context.appName ? skeleton(input.context.appName) : '';
      claims = STAFF_SKELETONS.some((w) => s.includes(w)) || (app.length >= 4 && s.includes(app));
    }
    return claims ? [{ detector: 'staff_claim', category: 'impersonation', spans: [] }] : [];
  },
};

// packages/server/src/screening/detectors/learned.ts
var REPORT_FROM = 0.5;
var ADDRESSED = keywords(['you u ya your ur youre yourself he she him her his they them their ppl people guys idiot']);
var learnedAbuseDetector = {
  ids: ['abuse_model', 'hate_model'],
  detect(input) {
    if (input.text.length === 0) return [];
    const { abuse } = modelScores(input);
    if (abuse < REPORT_FROM) return [];
    const hate = namesGroup(input);
    if (!hate && abuse < 0.95 && !input.hasAny(ADDRESSED) && swears(input)) return [];
    if (hate && abuse < 0.95 && counterSpeech(input)) return [];
    return [
      {
        detector: hate ? 'hate_model' : 'abuse_model',
        category: hate ? 'hate' : 'harassment',
        spans: [],
        confidence: roundConfidence(abuse),
      },
    ];
  },
};

// packages/server/src/screening/detectors/links.ts
import { getDomain } from 'tldts';

var LINK_WRAPPERS = /* @__PURE__ */ new Set([
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
var FREE_HOSTING = /* @__PURE__ */ new Set([
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
var CREDENTIAL_WORDS = /* @__PURE__ */ new Set([
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
var FORM_SERVICES =
  /(?:^|\.)(?:forms\.gle|jotform\.com|typeform\.com|formspree\.io|formstack\.com|wufoo\.com|123formbuilder\.com|surveyheart\.com|forms\.office\.com)$|^docs\.google\.com$/;
var BRANDS = {
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
var BARE_TLDS =
  'com|net|org|io|co|app|dev|info|biz|xyz|top|online|site|shop|store|live|club|me|ru|cn|tk|ml|ga|cf|gq|uk|de|fr|es|it|nl|eu|us|ca|au|in|br|mx|ly|gl|gd|at|to|cc|link|click|support|help|login|account|secure';
var LINK2 = new RegExp(
  String.raw`\b(?:https?://[^\s<>"'\])]{1,2000}|www\.[^\s<>"'\])]{1,2000}|(?:[a-z0-9\u00a1-\uffff-]{1,63}\.){1,8}(?:${BARE_TLDS})\b(?:/[^\s<>"'\])]{0,2000})?)`,
  'giu',
);
function linksOf(input) {
  let links = input.memo.get('links');
  if (!links) {
    links = extractLinks(input.text);
    input.memo.set('links', links);
  }
  return links;
}
function extractLinks(text2) {
  if (!/\.[a-z\u00a1-\uffff]|:\/\//i.test(text2)) return [];
  const links = [];
  for (const m of text2.matchAll(LINK2)) {
    const raw = m[0].replace(/[.,;:!?)]+$/, '');
    if (m.index > 0 && text2[m.index - 1] === '@') continue;
    const host = hostOf(raw);
    if (host === void 0) continue;
    links.push({ start: m.index, end: m.index + raw.length, url: raw, host, registrable: registrableDomain(host) });
  }
  return links;
}
var PLAIN_HOST = /^(?:https?:\/\/)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)(?::\d{1,5})?(?:[/?#]|$)/i;
function hostOf(raw) {
  const plain = PLAIN_HOST.exec(raw);
  if (plain && !plain[1].startsWith('xn--') && !/^\d+$/.test(plain[1].replace(/\./g, ''))) {
    return plain[1].toLowerCase();
  }
  try {
    return new URL(/^https?:\/\//i.test(raw) ? raw : `http://${raw}`).hostname;
  } catch {
    return void 0;
  }
}
var registrables = /* @__PURE__ */ new Map();
function registrableDomain(host) {
  let registrable = registrables.get(host);
  if (registrable === void 0) {
    const clean = host.toLowerCase().replace(/\.$/, '');
    registrable = isIpHost(clean) ? clean : (getDomain(clean, { allowPrivateDomains: true }) ?? clean);
    if (registrables.size >= 1e4) registrables.clear();
    registrables.set(host, registrable);
  }
  return registrable;
}
function isIpHost(host) {
  return /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host) || host.startsWith('[') || /^\d{8,10}$/.test(host);
}
var HARVEST =
  / (?:verify|confirm|validate|update|unlock|restore|reactivate|secure) (?:your |the )?(?:account|password|identity|login|credentials|payment|billing|card|details|information|wallet)| (?:account|password) (?:has been|was|will be|is) (?:suspended|locked|disabled|compromised|deactivated|closed)| log ?in (?:now |here |below )?to (?:avoid|prevent|restore|unlock|keep|verify|confirm)| (?:urgent|immediately|within 24 hours) .{0,40}(?:account|password|verify)| enter your (?:password|card|pin|ssn|credentials)/;
var HARVEST_WORDS = keywords([
  'verify confirm validate update unlock restore reactivate secure account password suspended locked disabled compromised deactivated closed log login urgent immediately enter',
]);
function within(a, b, max) {
  if (Math.abs(a.length - b.length) > max) return false;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      best = Math.min(best, v);
    }
    if (best > max) return false;
    prev = cur;
  }
  return prev[b.length] <= max;
}
var skeletons = /* @__PURE__ */ new Map();
function skeletonOf(name) {
  let s = skeletons.get(name);
  if (s === void 0) {
    s = skeleton(name);
    if (skeletons.size > 1e4) skeletons.clear();
    skeletons.set(name, s);
  }
  return s;
}
function imitates(link, appDomains2) {
  for (const own of appDomains2) {
    const ownRegistrable = registrableDomain(own);
    if (link.registrable === ownRegistrable) continue;
    const ownName = ownRegistrable.split('.')[0];
    if (ownName.length < 4) continue;
    if (link.host.includes(`${ownRegistrable}.`)) return true;
    const name = link.registrable.split('.')[0].replace(/^xn--/, '');
    const ownSkeleton = skeletonOf(ownName);
    for (const part2 of /* @__PURE__ */ new Set([name, name.replace(/-/g, ''), ...name.split('-')])) {
      if (part2 === ownName || skeleton(part2) === ownSkeleton) return true;
      if (ownName.length >= 5 && within(part2, ownName, 1)) return true;
    }
  }
  return false;
}
var BRAND_SKELETONS = new Map(Object.keys(BRANDS).map((b) => [skeleton(b), b]));
var misspellings = /* @__PURE__ */ new Map();
function misspelledBrand(registrableName) {
  if (misspellings.has(registrableName)) return misspellings.get(registrableName);
  const brand = findMisspelledBrand(registrableName);
  if (misspellings.size >= 1e4) misspellings.clear();
  misspellings.set(registrableName, brand);
  return brand;
}
function findMisspelledBrand(registrableName) {
  for (const part2 of /* @__PURE__ */ new Set([
    registrableName,
    registrableName.replace(/-/g, ''),
    ...registrableName.split('-'),
  ])) {
    if (part2.length < 5 || BRANDS[part2]) continue;
    const bySkeleton = BRAND_SKELETONS.get(skeletonOf(part2));
    if (bySkeleton && !BRANDS[bySkeleton].includes(registrableName)) return bySkeleton;
    for (const brand of Object.keys(BRANDS)) {
      if (brand.length < 6 || Math.abs(brand.length - part2.length) > 1) continue;
      if (!BRANDS[brand].includes(registrableName) && within(part2, brand, 1)) return brand;
    }
  }
  return void 0;
}
function brandIn(labels, registrableName) {
  for (const label of labels) {
    const owners = BRANDS[label];
    if (owners && !owners.includes(registrableName) && label !== registrableName) return label;
  }
  return void 0;
}
function ruleEvidence(link, harvest, appDomains2) {
  if (LINK_WRAPPERS.has(link.registrable) || LINK_WRAPPERS.has(link.host)) return harvest ? 0.6 : 0;
  if (imitates(link, appDomains2)) return 0.99;
  const host = link.host;
  const registrableName = link.registrable.split('.')[0];
  const disguised = isIpHost(host) || host.split('.').some((l) => l.startsWith('xn--'));
  const sub = host.length > link.registrable.length ? host.slice(0, -link.registrable.length - 1) : '';
  const labels = host.split(/[.-]/);
  const hostBrand = brandIn(labels, registrableName);
  const brandDomainInside =
    hostBrand !== void 0 && labels.some((l, i) => l === 'com' && labels[i - 1] === hostBrand && i < labels.length - 1);
  const free =
    FREE_HOSTING.has(link.registrable.slice(link.registrable.indexOf('.') + 1)) || FREE_HOSTING.has(link.registrable);
  const form = FORM_SERVICES.test(host) && (host !== 'docs.google.com' || link.url.includes('/forms/'));
  const path = link.url.toLowerCase().replace(/^[a-z]+:\/\/[^/]*/, '');
  const pathWords = path.split(/[^a-z0-9]+/);
  const pathBrand = brandIn(pathWords, registrableName);
  const credentialWords = pathWords.some((w) => CREDENTIAL_WORDS.has(w)) || labels.some((l) => CREDENTIAL_WORDS.has(l));
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
var linksDetector = {
  ids: ['phishing_link'],
  detect(input) {
    const links = linksOf(input);
    if (links.length === 0) return [];
    const harvest = input.hasAny(HARVEST_WORDS) && input.matches(HARVEST);
    const { models } = shippedModels();
    const own = new Set((input.context.appDomains ?? []).map(registrableDomain));
    const spans = [];
    let highest = 0;
    for (const link of links.slice(0, 20)) {
      const rules = ruleEvidence(link, harvest, input.context.appDomains ?? []);
      const model =
        LINK_WRAPPERS.has(link.registrable) || own.has(link.registrable)
          ? 0
          : score(models.phishing, urlFeatures(link.url, link.registrable, link.host));
      const confidence = 1 - (1 - rules) * (1 - model);
      if (confidence < 0.5) continue;
      spans.push({ start: link.start, end: link.end });
      highest = Math.max(highest, confidence);
    }
    if (spans.length === 0) return [];
    return [{ detector: 'phishing_link', category: 'phishing', spans, confidence: roundConfidence(highest) }];
  },
};

// packages/server/src/screening/detectors/malware.ts
var EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
var MALICIOUS = [
  // Download and run: curl … | sh, wget -O- … | bash
  /\b(?:curl|wget)\b[^|\n]{1,300}\|\s*(?:sudo\s+)?(?:ba|z|da)?sh\b/i,
  // Encoded PowerShell, download cradles, living-off-the-land loaders
  /\bpowershell(?:\.exe)?\b[^\n]{0,100}\s-(?:e|ec|enc|encodedcommand)\s+[A-Za-z0-9+/=]{20,}/i,
  /\biex\s*\(\s*(?:new-object|iwr|invoke-webrequest|\(new-object)/i,
  /\b(?:new-object\s+net\.webclient\)?\.downloadstring|certutil(?:\.exe)?\s+-urlcache|mshta(?:\.exe)?\s+https?:|regsvr32\s+\/s\s+\/n\s+\/u\s+\/i:https?:)/i,
  // Destroy or exhaust: rm -rf /, the fork bomb
  /\brm\s+-rf\s+--no-preserve-root|\brm\s+-rf\s+\/(?:\s|$|\*)/,
  /:\(\)\s*\{\s*:\s*\|\s*:\s*&\s*\}\s*;\s*:/,
  // Reverse shells
  /\b(?:bash\s+-i\s+>&\s*\/dev\/tcp\/|nc(?:at)?\s+(?:-e|-c)\s+\/bin\/(?:ba)?sh)/i,
];
var HINT = /curl|wget|powershell|iex|webclient|certutil|mshta|regsvr32|rm\s+-rf|:\(\)|\/dev\/tcp|nc|eicar/i;
var malwareDetector = {
  ids: ['malicious_code', 'eicar'],
  detect(input) {
    if (!HINT.test(input.text)) return [];
    const findings = [];
    const eicar = input.text.indexOf(EICAR);
    if (eicar !== -1) {
      findings.push({ detector: 'eicar', category: 'malware', spans: [{ start: eicar, end: eicar + EICAR.length }] });
    }
    const spans = MALICIOUS.flatMap((pattern) => {
      const m = pattern.exec(input.text);
      return m ? [{ start: m.index, end: m.index + m[0].length }] : [];
    });
    if (spans.length) findings.push({ detector: 'malicious_code', category: 'malware', spans });
    return findings;
  },
};

// packages/server/src/screening/detectors/probing.ts
var PAYLOADS = [
  // SQL
  /'\s*(?:or|and)\s+(?:'[^']{0,20}'|\d+|true)\s*(?:=|like)\s*(?:'[^']{0,20}'?|\d+|true)/i,
  /\bunion\s+(?:all\s+)?select\b/i,
  /;\s*(?:drop|truncate|delete\s+from|insert\s+into|update\s+\w+\s+set|shutdown)\b/i,
  /'\s*\)?\s*;?\s*--/,
  /\b(?:sleep|pg_sleep|benchmark)\s*\(\s*\d+/i,
  /\bwaitfor\s+delay\s+'/i,
  /\bxp_cmdshell\b|\binformation_schema\b/i,
  // Script and markup
  /<\s*script\b/i,
  /\bjavascript\s*:/i,
  /<[^>]{0,100}\bon(?:error|load|click|mouseover|focus|toggle|animationstart)\s*=/i,
  /<\s*(?:iframe|object|embed|svg|math)\b/i,
  // Templates and expressions
  /\{\{[^}]{0,100}(?:\d\s*[*+]\s*\d|__class__|constructor|config|self)[^}]{0,100}\}\}/,
  /\$\{\s*(?:\d+\s*[*+]\s*\d+|jndi:|env:|java:)/i,
  /<%=?[^%]{0,200}%>/,
  /#\{\s*\d+\s*[*+]\s*\d+\s*\}/,
  // Paths and commands
  /(?:\.\.[/\\]){2,}|(?:%2e%2e(?:%2f|%5c|\/)){2,}|\.\.%c0%af/i,
  /\/etc\/(?:passwd|shadow|hosts)\b|\bc:\\windows\\(?:win\.ini|system32)/i,
  /(?:;|\|\||&&|\|)\s*(?:cat|ls|id|whoami|uname|wget|curl|nc|ping)\b[^\n]{0,40}(?:\/|-[a-z])/i,
  /\$\(\s*(?:id|whoami|cat|uname|curl|wget)\b/i,
];
var HINT2 = /['<>{}$%;|&`\\]|\.\.\/|union|select|javascript|sleep|waitfor|xp_|information_schema/i;
var probingDetector = {
  ids: ['injection'],
  detect(input) {
    if (!HINT2.test(input.text)) return [];
    const spans = PAYLOADS.flatMap((pattern) => {
      const m = pattern.exec(input.text);
      return m ? [{ start: m.index, end: m.index + m[0].length }] : [];
    });
    return spans.length ? [{ detector: 'injection', category: 'probing', spans }] : [];
  },
};

// packages/server/src/screening/detectors/spam.ts
var ADVERTISING = [
  'buy now',
  'order now',
  'limited time',
  'limited offer',
  'act now',
  'click here',
  'click the link',
  '100 free',
  'free money',
  'earn money',
  'make money',
  'earn cash',
  'work from home',
  'double your',
  'get rich',
  'crypto giveaway',
  'bitcoin giveaway',
  'free bitcoin',
  'investment opportunity',
  'guaranteed returns',
  'free gift card',
  'casino',
  'viagra',
  'cialis',
  'cheap pills',
  'weight loss',
  'seo services',
  'backlinks',
  'increase your followers',
  'more followers',
  'promo code',
  'best price',
  'special promotion',
  'dm me',
  'whatsapp me',
  'telegram me',
  'you have won',
  'you ve won',
  'congratulations you',
  'claim your prize',
  'compra ya',
  'gana dinero',
  'oferta limitada',
  'haz clic aqui',
  'dinero facil',
];
var FIRST_WORDS = /* @__PURE__ */ new Map();
for (const p of ADVERTISING) {
  const words2 = p.split(' ');
  FIRST_WORDS.set(words2[0], [...(FIRST_WORDS.get(words2[0]) ?? []), words2]);
}
var SHORT_CODE = /\b(?:text|txt|send|reply|sms)\s+(?:the word\s+)?["']?[a-z0-9]{2,12}["']?\s+(?:to|on)\s+\d{4,6}\b/i;
var PRICED =
  /\d\s?p\s?(?:\/|per\s)\s?(?:msg|min|text|txt|wk|week|sms)\b|[£$€]\s?\d{1,7}(?:\.\d\d)?\s?(?:\/|per\s)\s?(?:wk|week|msg|min|text)\b|\d\s?ppm\b|\bstd txt rate\b|\bt&cs? apply\b/i;
var PREMIUM_NUMBER = /\b(?:call|ring|dial|phone)\b[^.!?\n]{0,40}?\b0(?:8[47]|9\d)\d{7,9}\b|\b09\d{9}\b/i;
var PRIZE =
  /\b(?:you(?:'ve| have|ve)? (?:won|been (?:selected|chosen|awarded))|(?:claim|collect) (?:your|ur|the) (?:prize|reward|cash|award|voucher)|(?:cash|prize) (?:award|draw)|guaranteed (?:cash|prize|£)|(?:urgent|congratulations|congrats|winner)!|free entry|selected to receive|you are (?:a )?winner|won (?:a |an )?(?:£|\$|€)\d|valued (?:customer|subscriber)|(?:£|\$|€)\d{3,}(?:,\d{3})* (?:cash|prize|award|bonus|reward)|free (?:msg|entry|ringtone|ringtones|txt|text|tones|camera phone|nokia|iphone|gift card)|you have (?:1|one|a) new (?:voicemail|message) (?:please )?call|(?:txt|text|reply|send) stop to (?:end|stop|cancel|opt out|unsubscribe)|to opt out (?:txt|text|reply)|(?:mobile|phone) (?:upgrade|update) (?:for )?free)/i;
var SELF_PROMOTION =
  /\b(?:check (?:out )?my (?:new )?(?:channel|page|profile|video|vid|music|song|cover|mixtape|playlist)|subscribe to (?:my|me)|sub(?:scribe)? ?(?:4|for) ?sub|sub to me|visit my (?:channel|profile|page|bio|website)|(?:look at|check) my bio|my (?:youtube|yt) channel|follow me on (?:instagram|twitter|tiktok|ig|twitch)|please (?:subscribe|sub) (?:to|my|and)|small youtuber|(?:just )?uploaded (?:a|my) (?:new )?(?:video|cover|song|track|vlog)|check out (?:this|my) (?:video|playlist|channel|song) on youtube|visit (?:my|our) (?:website|site|page|store|shop) (?:for|to)|(?:make|earn) (?:money|cash|\$\s?\d+) (?:online|from home|fast|daily)|free (?:gift cards?|robux|v-?bucks|psn codes?|xbox codes?|itunes codes?|followers|likes|subscribers))\b/i;
var PRIZE_WORDS = keywords([
  'won win winner selected chosen awarded claim collect cash prize draw guaranteed urgent congratulations congrats free receive valued voicemail message stop opt upgrade update award bonus reward',
]);
var PROMOTION_WORDS = keywords([
  'channel subscribe sub sub4sub youtuber bio instagram twitter tiktok ig twitch uploaded profile page video vid music song cover mixtape playlist website site store shop money cash gift robux bucks vbucks psn xbox itunes followers likes subscribers',
]);
var OPTING_OUT =
  /\b(?:(?:remove|take) me (?:from|off)|unsubscribe(?: me)?\b|stop (?:sending|emailing|texting|messaging) me|opt (?:me )?out|(?:email|mailing|marketing) (?:preferences|list|emails))/i;
function wordingEvidence(input, links) {
  let none = 1;
  const tokens = input.tokens;
  const found = /* @__PURE__ */ new Set();
  for (let i = 0; i < tokens.length && found.size < 2; i++) {
    for (const phrase of FIRST_WORDS.get(tokens[i].text) ?? []) {
      if (!found.has(phrase) && phrase.every((w, j) => tokens[i + j]?.text === w)) found.add(phrase);
    }
  }
  if (found.size >= 2) none *= 1 - 0.9;
  else if (found.size === 1 && links > 0) none *= 1 - 0.8;
  else if (found.size === 1) none *= 1 - 0.3;
  const text2 = input.text;
  if (input.digits >= 4) {
    if (SHORT_CODE.test(text2)) none *= 1 - 0.85;
    if (PRICED.test(text2)) none *= 1 - 0.85;
    if (PREMIUM_NUMBER.test(text2)) none *= 1 - 0.7;
  }
  if (input.hasAny(PRIZE_WORDS) && PRIZE.test(text2)) none *= 1 - 0.6;
  if (input.hasAny(PROMOTION_WORDS) && SELF_PROMOTION.test(text2)) none *= 1 - 0.75;
  return 1 - none;
}
var spamDetector = {
  ids: ['spam_wording', 'link_density'],
  detect(input) {
    const findings = [];
    const links = linksOf(input);
    const tokens = input.tokens;
    const rules = wordingEvidence(input, links.length);
    const model = modelScores(input).spam;
    const confidence = rules > 0 ? 1 - (1 - rules) * (1 - model) : OPTING_OUT.test(input.text) ? 0 : model * model;
    if (confidence >= 0.5) {
      findings.push({ detector: 'spam_wording', category: 'spam', spans: [], confidence: roundConfidence(confidence) });
    }
    if (links.length >= 5 || (links.length >= 3 && links.length * 3 >= tokens.length / 2)) {
      findings.push({
        detector: 'link_density',
        category: 'spam',
        spans: links.map(({ start, end }) => ({ start, end })),
      });
    }
    return findings;
  },
};

// packages/server/src/screening/detectors/index.ts
var TEXT_DETECTORS = [
  financialDetector,
  nationalIdDetector,
  credentialsDetector,
  malwareDetector,
  probingDetector,
  linksDetector,
  spamDetector,
  harvestingDetector,
  healthDetector,
  abuseDetector,
  learnedAbuseDetector,
  impersonationDetector,
  illegalDetector,
];
var OTHER_DETECTOR_IDS = ['executable', 'script_file', 'macro_document', 'archive_unsafe', 'repeated_text', 'flooding'];
var DETECTOR_IDS = [...TEXT_DETECTORS.flatMap((d) => d.ids), ...OTHER_DETECTOR_IDS];

// packages/server/src/screening/policy.ts
import { z as z2 } from 'zod';

var KUSTOMER = 'Kustomer Acceptable Use Policy (15 February 2020)';
var CRM = 'Customer Connect CRM Acceptable Use Policy (23 May 2025)';
var HOSTING = 'Secure Packet Acceptable Use Policy';
var rule = (id2, detector, action, category, document, ref, reason, confidence) => ({
  id: id2,
  detector,
  action,
  category,
  clause: { document, ref, reason },
  ...(confidence !== void 0 ? { confidence } : {}),
});
var DEFAULT_POLICY = {
  version: '2026-11-29.1',
  name: 'Parley default',
  rules: [
    rule(
      'financial.card',
      'card',
      'redact',
      'financial',
      KUSTOMER,
      '\xA71, content that "includes sensitive financial information"',
      'Card numbers are never sent through chat; only the last four digits are kept.',
    ),
    rule(
      'financial.bank',
      'bank_account',
      'redact',
      'financial',
      KUSTOMER,
      '\xA71, content that "includes sensitive financial information"',
      'Bank account numbers are never sent through chat; only the last four digits are kept.',
      0.85,
    ),
    rule(
      'financial.bank_possible',
      'bank_account',
      'flag',
      'financial',
      KUSTOMER,
      '\xA71, content that "includes sensitive financial information"',
      'A nine-digit number that passes the routing checksum, written without saying what it is, is kept for review.',
      0.5,
    ),
    rule(
      'national_id.ssn',
      'national_id',
      'redact',
      'national_id',
      KUSTOMER,
      `\xA71, content "invasive of another's privacy"`,
      'Social Security numbers are never sent through chat.',
      0.85,
    ),
    rule(
      'national_id.possible',
      'national_id',
      'flag',
      'national_id',
      KUSTOMER,
      `\xA71, content "invasive of another's privacy"`,
      'A number shaped like a Social Security number, without the words that say so, is kept for review.',
      0.5,
    ),
    rule(
      'health.identifier',
      'health_identifier',
      'redact',
      'health',
      KUSTOMER,
      '\xA71, protected health information under HIPAA without a Business Associate Agreement',
      'Medical record, insurance and prescriber numbers are removed unless the company has a BAA.',
    ),
    rule(
      'health.condition',
      'health_condition',
      'flag',
      'health',
      KUSTOMER,
      '\xA71, protected health information under HIPAA without a Business Associate Agreement',
      "A person's diagnosis or medication is health information; it is kept for review.",
    ),
    rule(
      'credentials.secret',
      'secret',
      'redact',
      'credentials',
      HOSTING,
      '\xA71.8, conduct that "may expose \u2026 to a security vulnerability"',
      'Passwords, keys and tokens are removed: support never needs them.',
    ),
    rule(
      'malware.code',
      'malicious_code',
      'block',
      'malware',
      CRM,
      '\xA72.3, "Introduce or distribute viruses, malware \u2026 or any other malicious software"',
      'Commands that download and run code, or wipe a system, cannot be sent.',
    ),
    rule(
      'malware.eicar',
      'eicar',
      'block',
      'malware',
      HOSTING,
      '\xA71.3, "introducing any malicious code into the Services"',
      'The anti-virus test signature is treated as malware.',
    ),
    rule(
      'malware.executable',
      'executable',
      'block',
      'malware',
      HOSTING,
      '\xA71.3, "introducing any malicious code into the Services"',
      'Programs cannot be attached.',
    ),
    rule(
      'malware.script',
      'script_file',
      'block',
      'malware',
      HOSTING,
      '\xA71.3, "introducing any malicious code into the Services"',
      'Scripts cannot be attached.',
    ),
    rule(
      'malware.macro',
      'macro_document',
      'block',
      'malware',
      HOSTING,
      '\xA71.3, "introducing any malicious code into the Services"',
      'Documents with macros cannot be attached.',
    ),
    rule(
      'malware.archive',
      'archive_unsafe',
      'block',
      'malware',
      CRM,
      '\xA72.3, "Introduce or distribute \u2026 malicious software"',
      'Archives that cannot be inspected (encrypted, too deep or too large) cannot be attached.',
    ),
    rule(
      'phishing.link',
      'phishing_link',
      'block',
      'phishing',
      KUSTOMER,
      '\xA71, content that is "deceptive, fraudulent"',
      'Links that are almost surely phishing (imitating this site or a known brand, or judged so by the phishing model) cannot be sent.',
      0.98,
    ),
    rule(
      'phishing.suspicious',
      'phishing_link',
      'flag',
      'phishing',
      HOSTING,
      '\xA71.5, "deceitfully collecting \u2026 information"',
      'A link that may be phishing (a raw IP or disguised host, a brand on free hosting, credential wording) is kept for review.',
      0.85,
    ),
    rule(
      'spam.wording',
      'spam_wording',
      'flag',
      'spam',
      KUSTOMER,
      '\xA71, "unauthorized or unsolicited advertising, junk or bulk e-mail"',
      'Text that reads like advertising or spam (by its wording and the spam model) is kept for review.',
      0.9,
    ),
    rule(
      'spam.certain',
      'spam_wording',
      'block',
      'spam',
      CRM,
      '\xA72.6, "Send spam, bulk emails, or unsolicited advertising"',
      'Text that is almost surely spam (premium-rate prize texts, and the like) is not delivered.',
      0.99,
    ),
    rule(
      'spam.links',
      'link_density',
      'flag',
      'spam',
      CRM,
      '\xA72.6, "Send spam, bulk emails, or unsolicited advertising"',
      'A message that is mostly links is kept for review.',
    ),
    rule(
      'spam.repeated',
      'repeated_text',
      'block',
      'spam',
      CRM,
      '\xA72.6, "Send spam, bulk emails, or unsolicited advertising"',
      'The same text sent to many conversations is not delivered again.',
    ),
    rule(
      'flooding.burst',
      'flooding',
      'block',
      'flooding',
      CRM,
      '\xA72.4, "Overload, flood, or disrupt our Services"',
      'Too many messages in a short time.',
    ),
    rule(
      'harassment.insult',
      'harassment',
      'flag',
      'harassment',
      CRM,
      '\xA72.2, "Harass, threaten, abuse, defame, or intimidate any person"',
      'Insults aimed at a person are kept for review.',
    ),
    rule(
      'threat.violence',
      'threat',
      'block',
      'threat',
      CRM,
      '\xA72.2, "Harass, threaten, abuse, defame, or intimidate any person"',
      'Threats of violence cannot be sent.',
      0.9,
    ),
    rule(
      'threat.possible',
      'threat',
      'flag',
      'threat',
      CRM,
      '\xA72.2, "Harass, threaten, abuse, defame, or intimidate any person"',
      'Wishing someone harm is kept for review.',
      0.5,
    ),
    rule(
      'hate.slur',
      'hate_slur',
      'block',
      'hate',
      CRM,
      '\xA72.2, "Promote hate speech or discriminatory content"',
      'Slurs against a group of people cannot be sent.',
    ),
    rule(
      'hate.mention',
      'hate_mention',
      'flag',
      'hate',
      KUSTOMER,
      '\xA71, content "discriminatory based on race, sex, religion, nationality \u2026"',
      'A slur quoted or reported is kept for a person to review.',
    ),
    rule(
      'hate.dehumanising',
      'hate_dehumanising',
      'flag',
      'hate',
      CRM,
      '\xA72.2, "Promote hate speech or discriminatory content"',
      'Calling a group of people vermin or worse is kept for review.',
    ),
    rule(
      'hate.model',
      'hate_model',
      'flag',
      'hate',
      CRM,
      '\xA72.2, "Promote hate speech or discriminatory content"',
      'Text about a group of people that the abuse model finds hateful is kept for review.',
      0.75,
    ),
    rule(
      'hate.model_certain',
      'hate_model',
      'block',
      'hate',
      CRM,
      '\xA72.2, "Promote hate speech or discriminatory content"',
      'Text about a group of people that the abuse model is almost sure is hateful cannot be sent.',
      0.995,
    ),
    rule(
      'harassment.model',
      'abuse_model',
      'flag',
      'harassment',
      CRM,
      '\xA72.2, "Harass, threaten, abuse, defame, or intimidate any person"',
      'Text the abuse model finds abusive is kept for review.',
      0.75,
    ),
    rule(
      'sexual.content',
      'sexual',
      'flag',
      'sexual',
      KUSTOMER,
      '\xA71, content that is "obscene, vulgar, pornographic"',
      'Sexual content is kept for review.',
    ),
    rule(
      'profanity.word',
      'profanity',
      'flag',
      'profanity',
      KUSTOMER,
      '\xA71, content that is "vulgar \u2026 offensive, profane"',
      'Profanity is delivered and marked for the agent.',
    ),
    rule(
      'impersonation.staff',
      'staff_claim',
      'flag',
      'impersonation',
      KUSTOMER,
      '\xA71, content that "impersonates any person or entity, including any of our employees or representatives"',
      'Visitors claiming to be staff are marked for review.',
    ),
    rule(
      'harvesting.request',
      'data_request',
      'flag',
      'harvesting',
      KUSTOMER,
      '\xA71, "Harvesting or otherwise collecting information about others"',
      'Asking for passwords, card or bank details is kept for review.',
    ),
    rule(
      'harvesting.list',
      'contact_list',
      'flag',
      'harvesting',
      CRM,
      '\xA72.6, "Harvest or collect email addresses or other personal data without consent"',
      "Lists of other people's addresses or numbers are kept for review.",
    ),
    rule(
      'probing.injection',
      'injection',
      'flag',
      'probing',
      HOSTING,
      '\xA75, "attempt to test the vulnerability of a \u2026 system"',
      'Injection payloads are stored as plain text and marked as probing.',
    ),
    rule(
      'illegal.offer',
      'illegal_offer',
      'block',
      'illegal',
      CRM,
      '\xA72.1, "Violate any local, national, or international law"',
      'Offers to trade illegal goods cannot be sent.',
    ),
  ],
};
var ruleSchema = z2.strictObject({
  id: z2.string().regex(/^[a-z0-9_.-]{1,64}$/, 'lower-case letters, digits, dot, dash or underscore; at most 64'),
  detector: z2.string().refine((d) => DETECTOR_IDS.includes(d), {
    message: `unknown detector; known: ${DETECTOR_IDS.join(', ')}`,
  }),
  action: z2.enum(SCREENING_ACTIONS),
  category: z2.enum(SCREENING_CATEGORIES),
  clause: z2.strictObject({
    document: z2.string().min(1).max(200),
    ref: z2.string().min(1).max(300),
    reason: z2.string().min(1).max(300),
  }),
  confidence: z2.number().min(0).max(1).optional(),
});
var policySchema = z2.strictObject({
  version: z2.string().min(1).max(64),
  name: z2.string().min(1).max(200),
  extends: z2.literal('default').optional(),
  rules: z2.array(ruleSchema).max(200),
});
var PolicyError = class extends Error {
  constructor(reasons) {
    super(`the policy is not valid: ${reasons.join('; ')}`);
    this.reasons = reasons;
    this.name = 'PolicyError';
  }
  reasons;
};
function validatePolicy(document) {
  const parsed = policySchema.safeParse(document);
  if (!parsed.success) {
    throw new PolicyError(parsed.error.issues.map((i) => `${i.path.join('.') || '(policy)'}: ${i.message}`));
  }
  const seen = /* @__PURE__ */ new Set();
  const reasons = [];
  for (const r of parsed.data.rules) {
    if (seen.has(r.id)) reasons.push(`rules: rule id "${r.id}" is used twice`);
    seen.add(r.id);
  }
  if (!parsed.data.extends && parsed.data.rules.length === 0) reasons.push('rules: a policy needs at least one rule');
  if (reasons.length) throw new PolicyError(reasons);
  return parsed.data;
}
function effectiveRules(policy2) {
  if (policy2.extends !== 'default') return policy2.rules;
  const own = new Map(policy2.rules.map((r) => [r.id, r]));
  const merged = DEFAULT_POLICY.rules.map((r) => own.get(r.id) ?? r);
  const defaults = new Set(DEFAULT_POLICY.rules.map((r) => r.id));
  return [...merged, ...policy2.rules.filter((r) => !defaults.has(r.id))];
}

// packages/server/src/screening/screener.ts
function compilePolicy(policy2, options = {}) {
  const byDetector = /* @__PURE__ */ new Map();
  for (const r of effectiveRules(policy2)) {
    const action = options.hipaaBaa && r.category === 'health' ? 'allow' : r.action;
    if (action === 'allow') continue;
    byDetector.set(r.detector, [...(byDetector.get(r.detector) ?? []), { ...r, action }]);
  }
  return {
    version: policy2.version,
    rulesByDetector: byDetector,
    detectors: TEXT_DETECTORS.filter((d) => d.ids.some((id2) => byDetector.has(id2))),
  };
}
var STRENGTH = { allow: 0, flag: 1, redact: 2, block: 3 };
function screenText(text2, context, policy2, extra = []) {
  return screenInput(new ScreenInput(text2, context), policy2, extra);
}
function screenInput(input, policy2, extra = []) {
  const findings = extra.length ? [...extra] : [];
  for (const detector of policy2.detectors) {
    const found = detector.detect(input);
    if (found.length) findings.push(...found);
  }
  return applyRules(input.text, findings, policy2);
}
function strongestRule(f, policy2) {
  const confidence = f.confidence ?? 1;
  let chosen;
  for (const r of policy2.rulesByDetector.get(f.detector) ?? []) {
    if (confidence < (r.confidence ?? 0) || r.action === 'allow') continue;
    const action = r.action === 'redact' && f.spans.length === 0 ? 'flag' : r.action;
    if (!chosen || STRENGTH[action] > STRENGTH[chosen[1]]) chosen = [r, action];
  }
  return chosen;
}
function withoutEchoes(applied) {
  return applied.filter(
    (a) =>
      !a.detector.endsWith('_model') ||
      !applied.some(
        (b) => !b.detector.endsWith('_model') && b.category === a.category && STRENGTH[b.action] >= STRENGTH[a.action],
      ),
  );
}
function applyRules(text2, findings, policy2) {
  if (findings.length === 0) return { action: 'allow', text: text2, applied: [] };
  const all = [];
  for (const f of findings) {
    const chosen = strongestRule(f, policy2);
    if (chosen) {
      const [r, effective] = chosen;
      all.push({
        rule: r.id,
        detector: f.detector,
        category: r.category,
        action: effective,
        clause: r.clause,
        spans: f.spans,
        ...(f.confidence !== void 0 ? { confidence: f.confidence } : {}),
        ...(effective === 'redact' ? { replacements: f.spans.map((_, i) => f.replacements?.[i] ?? '[removed]') } : {}),
      });
    }
  }
  const applied = withoutEchoes(all);
  let action = 'allow';
  for (const a of applied) if (STRENGTH[a.action] > STRENGTH[action]) action = a.action;
  if (action === 'block') return { action, text: null, applied };
  const redactions = applied
    .filter((a) => a.action === 'redact')
    .flatMap((a) =>
      a.spans.map((s, i) => ({ ...s, kind: a.detector, replacement: a.replacements?.[i] ?? '[removed]' })),
    );
  return { action, text: applySpans(text2, redactions), applied };
}
function summary(verdict) {
  const unique = (values) => [...new Set(values)];
  return {
    categories: unique(verdict.applied.map((a) => a.category)),
    rules: unique(verdict.applied.map((a) => a.rule)),
    clauses: unique(verdict.applied.map((a) => `${a.clause.document} ${a.clause.ref}`)),
  };
}

// packages/server/src/incidents/report.ts
var isoTime = z3.iso.datetime({ offset: true });
var int = z3.number().int();
var capturedError = z3.strictObject({
  kind: z3.enum(['error', 'unhandledrejection']),
  message: text(1100),
  stack: z3.array(text(320)).max(50),
  source: text(1100).nullable(),
  line: int.nullable(),
  column: int.nullable(),
  count: int.min(1),
  firstAt: isoTime,
  lastAt: isoTime,
});
var breadcrumb = z3.discriminatedUnion('type', [
  z3.strictObject({ type: z3.literal('console'), level: z3.enum(['error', 'warn']), message: text(1100), at: isoTime }),
  z3.strictObject({
    type: z3.literal('request'),
    method: text(16),
    url: text(1100),
    status: int.min(0).max(999).nullable(),
    durationMs: z3.number().min(0),
    at: isoTime,
  }),
  z3.strictObject({ type: z3.literal('navigation'), from: text(1100), to: text(1100), at: isoTime }),
  z3.strictObject({ type: z3.literal('click'), selector: text(300), at: isoTime }),
]);
var environment = z3.strictObject({
  userAgent: text(1e3),
  clientHints: z3
    .strictObject({
      brands: z3.array(text(100)).max(20).optional(),
      mobile: z3.boolean().optional(),
      platform: text(100).optional(),
    })
    .nullable(),
  language: text(50),
  timeZone: text(100),
  viewport: z3.strictObject({ width: int.min(0), height: int.min(0) }),
  screen: z3.strictObject({ width: int.min(0), height: int.min(0), pixelRatio: z3.number().min(0) }),
  url: text(1100),
  referrer: text(1100),
  online: z3.boolean(),
  appVersion: text(100).nullable(),
  userId: text(LIMITS.userIdMaxChars).nullable(),
});
var contextSchema = z3.strictObject({
  errors: z3.array(capturedError).max(10),
  breadcrumbs: z3.array(breadcrumb).max(100),
  environment: environment.nullable(),
  scrubbed: z3.array(z3.enum(SCRUB_KINDS)).max(SCRUB_KINDS.length),
  droppedBreadcrumbs: int.min(0),
});
var required = 'required';
var reportSchema = z3.strictObject({
  clientId: text(LIMITS.clientIdMaxChars).min(1, required),
  area: z3.string().trim().min(1, required).superRefine(maxUnits(INCIDENT_LIMITS.areaMaxChars)),
  details: z3.string().trim().superRefine(maxUnits(INCIDENT_LIMITS.detailsMaxChars)).optional(),
  impact: z3.strictObject({
    usersAffected: z3.enum(['one', 'several', 'many']),
    platformState: z3.enum(['down', 'degraded', 'working']),
    workaround: z3.boolean(),
  }),
  startedAt: isoTime,
  steps: z3
    .array(z3.string().trim().min(1, required).superRefine(maxUnits(INCIDENT_LIMITS.stepMaxChars)))
    .max(INCIDENT_LIMITS.stepsMax),
  errorMessage: z3.string().trim().superRefine(maxUnits(INCIDENT_LIMITS.errorMessageMaxChars)),
  attachmentIds: z3.array(id).max(10).optional(),
  context: contextSchema.nullable().optional(),
});
var CLOCK_SKEW_MS = 5 * 6e4;

// packages/server/src/http/schemas.ts
var iso = z4.string().describe('ISO 8601, UTC');
var attributes = z4.record(z4.string(), z4.union([z4.string(), z4.number(), z4.boolean(), z4.null()]));
var attachmentSchema = z4
  .object({ id: z4.string(), name: z4.string(), contentType: z4.string(), size: z4.number(), path: z4.string() })
  .meta({ id: 'Attachment' });
var clause = z4.object({ document: z4.string(), ref: z4.string(), reason: z4.string() });
var screeningSchema = z4
  .object({
    action: z4.enum(['redact', 'flag']),
    notes: z4.array(
      z4.object({
        rule: z4.string(),
        category: z4.enum(SCREENING_CATEGORIES),
        action: z4.enum(['redact', 'flag']),
        clause,
        replacements: z4.array(z4.string()).optional(),
        confidence: z4.number().min(0).max(1).optional().describe("A model's or a weaker rule's certainty (0\u20131)"),
      }),
    ),
  })
  .meta({ id: 'MessageScreening' });
var author = z4.object({ type: z4.enum(['visitor', 'agent', 'bot']), id: z4.string(), name: z4.string().nullable() });
var messageSchema = z4
  .object({
    id: z4.string(),
    conversationId: z4.string(),
    seq: z4.number().int(),
    clientId: z4.string().nullable(),
    author,
    text: z4.string(),
    attachments: z4.array(attachmentSchema),
    createdAt: iso,
    screening: screeningSchema.optional(),
  })
  .meta({ id: 'Message' });
var noteSchema = z4
  .object({
    id: z4.string(),
    conversationId: z4.string(),
    author,
    text: z4.string(),
    createdAt: iso,
    screening: screeningSchema.optional(),
  })
  .meta({ id: 'Note', description: 'An internal note: agents see it, the visitor never does.' });
var clientInfoSchema = z4.object({
  browser: z4.string().nullable(),
  browserVersion: z4.string().nullable(),
  os: z4.string().nullable(),
  osVersion: z4.string().nullable(),
  device: z4.enum(['desktop', 'mobile', 'tablet', 'unknown']),
});
var visitorDeviceSchema = clientInfoSchema
  .extend({
    page: z4.string().nullable().describe('the page, without its query or fragment'),
    locale: z4.string().nullable(),
    timeZone: z4.string().nullable(),
    seenAt: iso,
  })
  .meta({
    id: 'VisitorDevice',
    description: 'Browser, OS and device class (never the whole user agent), page, language and time zone.',
  });
var visitorProfileSchema = z4
  .object({
    id: z4.string(),
    userId: z4.string().nullable(),
    verified: z4.boolean(),
    email: z4.string().nullable(),
    name: z4.string().nullable(),
    attributes,
    device: visitorDeviceSchema
      .nullable()
      .describe('where they were last seen; null if never, or if their browser asked not to be tracked'),
  })
  .meta({ id: 'VisitorProfile' });
var conversationSchema = z4
  .object({
    id: z4.string(),
    visitorId: z4.string(),
    status: z4.enum(CONVERSATION_STATUSES),
    createdAt: iso,
    updatedAt: iso,
    lastSeq: z4.number().int(),
    visitorLastReadSeq: z4.number().int(),
    agentLastReadSeq: z4.number().int(),
    unread: z4.number().int(),
    lastMessage: messageSchema.nullable(),
    attributes,
    visitor: visitorProfileSchema,
    assigneeId: z4.string().nullable(),
    flagged: z4.boolean(),
    priority: z4.enum(INCIDENT_PRIORITIES).nullable(),
    responseDueAt: iso.nullable(),
  })
  .meta({ id: 'Conversation' });
var contactSchema = visitorProfileSchema
  .extend({ createdAt: iso, lastSeenAt: iso })
  .meta({ id: 'Contact', description: 'A visitor: anonymous, or a user the host named.' });
var agentSchema = z4
  .object({
    id: z4.string(),
    appId: z4.string(),
    email: z4.string(),
    name: z4.string(),
    role: z4.enum(['admin', 'agent']),
    disabled: z4.boolean().optional(),
  })
  .meta({ id: 'Agent' });
var apiKeySchema = z4
  .object({
    id: z4.string(),
    name: z4.string(),
    scope: z4.enum(['read', 'write']),
    createdBy: z4.string(),
    createdAt: iso,
    lastUsedAt: iso.nullable(),
    revokedAt: iso.nullable(),
  })
  .meta({ id: 'ApiKey' });
var incidentSchema = z4
  .object({
    id: z4.string(),
    conversationId: z4.string(),
    priority: z4.enum(INCIDENT_PRIORITIES),
    createdAt: iso,
    responseDueAt: iso,
    area: z4.string(),
    details: z4.string(),
    impact: z4.object({
      usersAffected: z4.enum(['one', 'several', 'many']),
      platformState: z4.enum(['down', 'degraded', 'working']),
      workaround: z4.boolean(),
    }),
    startedAt: iso,
    steps: z4.array(z4.string()),
    errorMessage: z4.string(),
    attachments: z4.array(attachmentSchema),
    context: contextSchema.nullable(),
    client: clientInfoSchema,
    suggestedPriority: z4.enum(INCIDENT_PRIORITIES),
    status: z4.enum(['open', 'resolved']),
    firstResponseAt: iso.nullable(),
    assigneeId: z4.string().nullable(),
    breached: z4.boolean(),
    visitor: visitorProfileSchema,
  })
  .meta({ id: 'Incident' });
var verdictSchema = z4
  .object({
    id: z4.string(),
    surface: z4.enum(['message', 'incident', 'attachment', 'name', 'rate']),
    sender: z4.object({ type: z4.enum(['visitor', 'agent', 'bot']), id: z4.string() }),
    action: z4.enum(['redact', 'flag', 'block']),
    categories: z4.array(z4.string()),
    rules: z4.array(z4.string()),
    contentHash: z4.string().describe('SHA-256 of the screened content, hex'),
    createdAt: iso,
  })
  .meta({ id: 'Verdict' });
var problemSchema = z4
  .object({
    type: z4.string().describe('urn:parley:error:<code>'),
    title: z4.string(),
    status: z4.number().int(),
    detail: z4.string(),
    code: z4.enum(ERROR_CODES),
    fields: z4.record(z4.string(), z4.string()).optional(),
    retryAfterMs: z4.number().optional(),
    rule: z4.string().optional(),
    category: z4.string().optional(),
    clause: clause.optional(),
    reason: z4.string().optional(),
  })
  .meta({ id: 'Problem' });
var idParams = z4.object({ id: text(64).min(1) });
var limitQuery = (max, fallback = 50) =>
  z4.coerce.number().int().min(1).max(max).default(fallback).describe(`1 to ${max}, default ${fallback}`);
var cursorQuery = text(200).describe('`nextCursor` of the previous page').optional();
var booleanQuery = z4.enum(['true', 'false']).transform((v) => v === 'true');

// packages/server/src/auth/origins.ts
function normalizeOrigin(value) {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return void 0;
    return url.origin;
  } catch {
    return void 0;
  }
}
function validateOriginPattern(pattern) {
  if (pattern === '*') return void 0;
  const wildcard = pattern.replace('://*.', '://wildcard-placeholder.');
  const origin = normalizeOrigin(wildcard);
  if (!origin || origin !== wildcard.replace(/\/$/, '')) {
    return `"${pattern}" is not an origin like https://example.com (scheme, host and port only)`;
  }
  return void 0;
}

// packages/server/src/tenancy/apps.ts
import { randomBytes as randomBytes4 } from 'node:crypto';

async function createApp(store, box, input, clock) {
  const name = input.name.trim();
  if (!name || name.length > 200)
    throw new ParleyError('invalid_payload', 'an app needs a name of 1 to 200 characters');
  const problems = input.origins.map(validateOriginPattern).filter((p) => p !== void 0);
  if (problems.length > 0) throw new ParleyError('invalid_payload', problems.join('; '));
  const identitySecret = newIdentitySecret();
  const app = {
    id: newId('app'),
    name,
    allowedOrigins: input.origins,
    identityVerification: input.identityVerification ?? true,
    identitySecretEnc: box.seal(identitySecret),
    settings: input.settings ?? {},
    createdAt: clock().toISOString(),
  };
  await store.apps.create(app);
  return { app, identitySecret };
}
var newIdentitySecret = () => randomBytes4(32).toString('hex');
var SETTING_RULES = {
  greeting: (v) => (v.length <= 500 ? void 0 : 'greeting holds at most 500 characters'),
  accentColor: (v) => (/^#[0-9a-fA-F]{6}$/.test(v) ? void 0 : 'accentColor is a hex colour like #4f46e5'),
  position: (v) => (v === 'left' || v === 'right' ? void 0 : 'position is left or right'),
  launcherLabel: (v) => (v.length <= 40 ? void 0 : 'launcherLabel holds at most 40 characters'),
  retentionDays: (v) =>
    /^\d{1,4}$/.test(v) && Number(v) <= 3650
      ? void 0
      : 'retentionDays is a whole number of days from 0 (keep forever) to 3650',
};
async function updateApp(store, appId, change) {
  const app = await store.apps.get(appId);
  if (!app) throw new ParleyError('not_found', `app ${appId} not found`);
  const problems = {};
  for (const origin of change.origins ?? []) {
    const problem = validateOriginPattern(origin);
    if (problem) problems.origins = problem;
  }
  const settings = { ...app.settings };
  for (const [key, value] of Object.entries(change.settings ?? {})) {
    const rule2 = SETTING_RULES[key];
    if (!rule2) problems[key] = `unknown setting; known: ${Object.keys(SETTING_RULES).join(', ')}`;
    else if (value === null) delete settings[key];
    else {
      const problem = rule2(value);
      if (problem) problems[key] = problem;
      else settings[key] = value;
    }
  }
  if (Object.keys(problems).length > 0) {
    throw new ParleyError('invalid_payload', Object.values(problems).join('; '), { fields: problems });
  }
  if (change.hipaaBaa === true) settings.hipaaBaa = true;
  else if (change.hipaaBaa === false) delete settings.hipaaBaa;
  const next = {
    ...(change.origins?.length ? { allowedOrigins: change.origins } : {}),
    ...(change.identityVerification !== void 0 ? { identityVerification: change.identityVerification } : {}),
    settings,
  };
  await store.apps.update(appId, next);
  return { ...app, ...next };
}

// packages/server/src/auth/app-origin.ts
var WARN_EVERY_MS = 10 * 6e4;

// packages/server/src/http/http-errors.ts
var LINGER_MAX_BYTES = 64 * 1024 * 1024;

// packages/server/src/http/idempotency.ts
var IDEMPOTENCY_TTL_MS = 24 * 36e5;

// packages/server/src/http/routes/agents.ts
import { z as z5 } from 'zod';

var role = z5.enum(['admin', 'agent']);

// packages/server/src/http/routes/api-keys.ts
// packages/server/src/http/routes/app.ts
import { z as z6, z as z7 } from 'zod';

// packages/server/src/screening/admin.ts
function policyRefused(err) {
  const fields = {};
  for (const reason of err.reasons) {
    const at = reason.indexOf(': ');
    const key = at === -1 ? '(policy)' : reason.slice(0, at);
    fields[key] = fields[key] ? `${fields[key]}; ${reason.slice(at + 2)}` : reason.slice(at + 2);
  }
  return new ParleyError('invalid_payload', err.message, { fields });
}
async function appPolicy(store, appId) {
  const stored = await store.screening.getPolicy(appId);
  return stored === void 0 ? { policy: DEFAULT_POLICY, isDefault: true } : { policy: stored, isDefault: false };
}
async function setAppPolicy(store, appId, document, now) {
  if (!(await store.apps.get(appId))) throw new ParleyError('not_found', `app ${appId} not found`);
  if (document === null) {
    await store.screening.setPolicy(appId, null, now);
    return DEFAULT_POLICY;
  }
  let policy2;
  try {
    policy2 = validatePolicy(document);
  } catch (err) {
    if (err instanceof PolicyError) throw policyRefused(err);
    throw err;
  }
  await store.screening.setPolicy(appId, policy2, now);
  return policy2;
}

// packages/server/src/http/routes/app.ts
var appSchema = z7
  .object({
    id: z7.string(),
    name: z7.string(),
    origins: z7.array(z7.string()),
    identityVerification: z7.boolean(),
    settings: z7.record(z7.string(), z7.unknown()),
  })
  .meta({ id: 'App' });
var policyAnswer = z7.object({
  policy: z7.record(z7.string(), z7.unknown()).describe('The policy document (see the README)'),
  default: z7.boolean(),
});

// packages/server/src/http/routes/attachments.ts
import { z as z8 } from 'zod';

// packages/server/src/screening/files.ts
var ARCHIVE_LIMITS = {
  maxDepth: 2,
  maxEntries: 1e3,
  /** Bytes inflated per entry to look at its content. */
  inspectBytes: 1024 * 1024,
  maxTotalBytes: 100 * 1024 * 1024,
  maxRatio: 1e3,
};

// packages/server/src/http/routes/audit.ts
import { z as z9 } from 'zod';

var auditSchema = z9
  .object({
    id: z9.string(),
    actorType: z9.enum(['agent', 'bot', 'system']),
    actorId: z9.string().describe('the agent, the API key, or the command or job'),
    action: z9.string().describe('e.g. contact.erased, api_key.created, policy.changed'),
    objectType: z9.string(),
    objectId: z9.string(),
    detail: z9.record(z9.string(), z9.unknown()).describe('counts and setting names; never personal data'),
    createdAt: z9.string(),
  })
  .meta({ id: 'AuditEntry' });

// packages/server/src/http/routes/contacts.ts
// packages/server/src/realtime/schemas.ts
import { z as z10, z as z11 } from 'zod';

var seq = z10.number().int().min(0).max(LIMITS.seqMax);
var hostUserSchema = z10.strictObject({
  id: text(LIMITS.userIdMaxChars).min(1),
  email: text(LIMITS.userEmailMaxChars).optional(),
  name: text(LIMITS.userNameMaxChars).optional(),
});
var visitorAuthSchema = z10.object({
  appId: id,
  visitorToken: text(1e3).min(1).optional(),
  user: hostUserSchema.optional(),
  userHash: z10
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters')
    .optional(),
  userJwt: text(4e3).min(1).optional(),
  page: text(2e3).optional(),
  locale: text(35).optional(),
  timeZone: text(64).optional(),
});
var agentAuthSchema = z10.object({ token: text(200).min(1).optional() });
var conversationListSchema = z10.strictObject({
  status: z10.enum(CONVERSATION_STATUSES).optional(),
  before: z10.iso.datetime().optional(),
  limit: z10.number().int().min(1).max(LIMITS.conversationPageMax).optional(),
});
var messageSendSchema = z10
  .strictObject({
    clientId: text(LIMITS.clientIdMaxChars).min(1),
    conversationId: id.optional(),
    text: text(LIMITS.messageMaxChars),
    attachmentIds: z10.array(id).max(ATTACHMENT_LIMITS.perMessage).optional(),
  })
  .refine((m) => m.text.trim().length > 0 || (m.attachmentIds?.length ?? 0) > 0, {
    path: ['text'],
    message: 'must not be empty',
  });
var historySchema = z10.strictObject({
  conversationId: id,
  beforeSeq: seq.optional(),
  limit: z10.number().int().min(1).max(LIMITS.pageMax).optional(),
});
var syncSchema = z10.strictObject({
  conversationId: id,
  afterSeq: seq,
  limit: z10.number().int().min(1).max(LIMITS.pageMax).optional(),
});
var typingSchema = z10.strictObject({ conversationId: id, typing: z10.boolean() });
var readSchema = z10.strictObject({ conversationId: id, seq });
var conversationGetSchema = z10.strictObject({ conversationId: id });
var attributesSchema = z10
  .record(
    text(LIMITS.attributeKeyMaxChars).min(1),
    z10.union([text(LIMITS.attributeValueMaxChars), z10.number(), z10.boolean(), z10.null()]),
  )
  .refine((a) => Object.keys(a).length <= LIMITS.attributesMaxKeys, `at most ${LIMITS.attributesMaxKeys} attributes`);
var visitorUpdateSchema = z10.strictObject({
  name: text(LIMITS.userNameMaxChars).optional(),
  email: text(LIMITS.userEmailMaxChars).optional(),
  attributes: attributesSchema.optional(),
});
var conversationUpdateSchema = z10.strictObject({ conversationId: id, attributes: attributesSchema });

// packages/server/src/http/routes/conversations.ts
import { z as z12 } from 'zod';

var statusList = z12
  .string()
  .transform((v, c) => {
    const list = v.split(',').map((s) => s.trim());
    for (const s of list) {
      if (!CONVERSATION_STATUSES.includes(s)) {
        c.addIssue({ code: 'custom', message: `one or more of ${CONVERSATION_STATUSES.join(', ')}, comma-separated` });
        return z12.NEVER;
      }
    }
    return list;
  })
  .describe('one status, or several comma-separated: open, pending, resolved, closed');
var conversationListQuery = z12.object({
  status: statusList.optional(),
  assignee: text(64).optional().describe('`me`, `none` (unassigned) or an agent id'),
  priority: z12.enum(INCIDENT_PRIORITIES).optional().describe("its open incident's priority"),
  flagged: booleanQuery.optional().describe('holding a message screening flagged for review'),
  unread: booleanQuery.optional().describe('with messages no agent has read'),
  updatedSince: z12.iso.datetime({ offset: true }).optional(),
  contactId: id.optional(),
  limit: limitQuery(LIMITS.conversationPageMax),
  cursor: cursorQuery,
});
var seq2 = z12.coerce.number().int().min(0).max(LIMITS.seqMax);

// packages/server/src/http/routes/incidents.ts
import { z as z13 } from 'zod';

var visitorIncident = z13
  .object({
    id: z13.string(),
    conversationId: z13.string(),
    priority: z13.enum(INCIDENT_PRIORITIES),
    createdAt: z13.string(),
    responseDueAt: z13.string(),
  })
  .meta({ id: 'ReportedIncident' });

// packages/server/src/http/routes/operations.ts
import { z as z14 } from 'zod';

var health = { store: z14.enum(['sqlite', 'postgres']), adapter: z14.enum(['memory', 'redis']) };

// packages/server/src/http/routes/review.ts
import { z as z15 } from 'zod';

var reviewItemSchema = z15
  .object({
    message: messageSchema,
    contact: z15.object({
      id: z15.string(),
      name: z15.string().nullable(),
      email: z15.string().nullable(),
      userId: z15.string().nullable(),
    }),
  })
  .meta({ id: 'ReviewItem' });

// packages/server/src/http/routes/webhooks.ts
import { z as z16 } from 'zod';

var iso2 = z16.string().describe('ISO 8601, UTC');
var eventsSchema = z16
  .array(z16.enum(['*', ...WEBHOOK_EVENT_TYPES]))
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length + 1)
  .describe('the event types to deliver, or ["*"] for all');
var webhookSchema = z16
  .object({
    id: z16.string(),
    url: z16.string(),
    description: z16.string(),
    events: z16.array(z16.string()),
    enabled: z16.boolean(),
    disabledReason: z16.string().nullable().describe('why it is disabled: by an admin, or after failing for a day'),
    failingSince: iso2.nullable().describe('since when every delivery has failed'),
    createdAt: iso2,
    updatedAt: iso2,
  })
  .meta({ id: 'Webhook' });
var deliverySchema = z16
  .object({
    id: z16.string(),
    eventId: z16.string().describe('the webhook-id header: the same on every attempt'),
    eventType: z16.string(),
    status: z16.enum(['pending', 'delivered', 'failed']),
    attempts: z16.number().int(),
    nextAttemptAt: iso2.nullable(),
    lastAttemptAt: iso2.nullable(),
    lastStatusCode: z16.number().int().nullable(),
    lastError: z16.string().nullable(),
    lastDurationMs: z16.number().int().nullable(),
    deliveredAt: iso2.nullable(),
    createdAt: iso2,
  })
  .meta({ id: 'WebhookDelivery' });

// packages/server/src/http/routes/widget.ts
import { z as z17 } from 'zod';

var widgetSettingsSchema = z17
  .object({
    appId: z17.string(),
    name: z17.string(),
    greeting: z17.string().nullable(),
    accentColor: z17.string(),
    position: z17.enum(['right', 'left']),
    launcherLabel: z17.string().nullable(),
  })
  .meta({ id: 'WidgetSettings' });

// packages/server/src/platform/shared-state.ts
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
// packages/server/src/platform/redis.ts
import { createClient } from 'redis';

// packages/server/src/screening/service.ts
function appDomains(app) {
  const hosts = /* @__PURE__ */ new Set();
  for (const origin of app.allowedOrigins) {
    const host = origin
      .replace(/^[a-z]+:\/\//i, '')
      .replace(/:\d+$/, '')
      .replace(/^\*\./, '');
    if (host && host !== '*' && host !== 'localhost' && !/^[\d.]+$/.test(host) && !host.endsWith('.localhost')) {
      hosts.add(host.toLowerCase());
    }
  }
  return [...hosts];
}

// packages/server/src/cli/run.ts
import { readFileSync as readFileSync2, writeFileSync } from 'node:fs';
// packages/server/src/config.ts
import { join as join2, join as join3, resolve } from 'node:path';

// packages/server/src/store/crypto.ts
var MAGIC = Buffer.from('PENC1');
var IV_BYTES = 12;
function parseMasterKey(text2) {
  const trimmed = text2.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new Error('the master key must be 32 bytes: 64 hex characters or 44 base64 characters');
  return key;
}
var ivPool = Buffer.alloc(IV_BYTES * 1024);
var ivOffset = ivPool.length;

// packages/server/src/config.ts
var ConfigError = class extends Error {
  name = 'ConfigError';
};
var LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
function loadConfig(env = process.env) {
  const port = env.PORT === void 0 || env.PORT === '' ? 3e3 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be an integer from 0 to 65535, got "${env.PORT}"`);
  }
  const host = env.HOST || '127.0.0.1';
  const databaseUrl = env.DATABASE_URL || void 0;
  if (databaseUrl !== void 0 && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL (unset it to use SQLite)');
  }
  const redisUrl = env.REDIS_URL || void 0;
  if (redisUrl !== void 0 && !/^rediss?:\/\//.test(redisUrl)) {
    throw new ConfigError('REDIS_URL must be a redis:// or rediss:// URL');
  }
  const redisPrefix = env.REDIS_PREFIX || 'parley:';
  if (!/^[\w:.-]{1,64}$/.test(redisPrefix)) {
    throw new ConfigError('REDIS_PREFIX may hold letters, digits and _ : . - (at most 64)');
  }
  const secret = env.PARLEY_SECRET || void 0;
  if (secret !== void 0 && secret.length < 32) {
    throw new ConfigError('PARLEY_SECRET must be at least 32 characters (unset it to have one generated)');
  }
  if (redisUrl !== void 0 && databaseUrl === void 0) {
    throw new ConfigError(
      'REDIS_URL is for several nodes, and several nodes need a shared PostgreSQL: set DATABASE_URL too (the SQLite store serves one node)',
    );
  }
  if (secret === void 0 && (databaseUrl !== void 0 || redisUrl !== void 0)) {
    throw new ConfigError(
      `PARLEY_SECRET must be set when ${databaseUrl !== void 0 ? 'DATABASE_URL' : 'REDIS_URL'} is set: every node and the CLI must share one secret of at least 32 characters (for example: openssl rand -base64 32)`,
    );
  }
  const masterKey = env.PARLEY_MASTER_KEY || void 0;
  if (masterKey !== void 0) {
    try {
      parseMasterKey(masterKey);
    } catch (err) {
      throw new ConfigError(`PARLEY_MASTER_KEY: ${err.message} (for example: openssl rand -hex 32)`);
    }
  }
  if (masterKey === void 0 && databaseUrl !== void 0) {
    throw new ConfigError(
      'PARLEY_MASTER_KEY must be set when DATABASE_URL is set: every node and the CLI encrypt and read with it (for example: openssl rand -hex 32)',
    );
  }
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  return {
    port,
    host,
    dataDir: resolve(env.PARLEY_DATA_DIR || './data'),
    databaseUrl,
    redisUrl,
    redisPrefix,
    webhooksAllowPrivateNetwork: env.WEBHOOKS_ALLOW_PRIVATE_NETWORK === '1',
    secret,
    masterKey,
    logLevel,
  };
}

// packages/server/src/store/postgres.ts
// packages/server/src/store/kysely/store.ts
// packages/server/src/store/migrations/index.ts
// packages/server/src/store/migrations/0001-message-path.ts
import { Kysely, PostgresDialect, sql, sql as sql4, sql as sql10 } from 'kysely';
import pg from 'pg';

var migration = {
  async up(db, dialect) {
    await db.schema
      .createTable('apps')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('allowed_origins', 'text', (c) => c.notNull())
      .addColumn('identity_verification', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('identity_secret_enc', 'text', (c) => c.notNull())
      .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('agents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
      .addColumn('email', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('agent_tokens')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('agent_id', 'text', (c) => c.notNull().references('agents.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('visitors')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
      .addColumn('user_id', 'text')
      .addColumn('email', 'text')
      .addColumn('name', 'text')
      .addColumn('attributes', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('visitors_app_user').on('visitors').columns(['app_id', 'user_id']).unique().execute();
    await db.schema
      .createTable('conversations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
      .addColumn('visitor_id', 'text', (c) => c.notNull().references('visitors.id'))
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('visitor_last_read_seq', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('agent_last_read_seq', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('visitor_unread', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('agent_unread', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('attributes', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute();
    await db.schema.createIndex('conversations_visitor').on('conversations').column('visitor_id').execute();
    await db.schema
      .createIndex('conversations_app_updated')
      .on('conversations')
      .columns(['app_id', 'updated_at'])
      .execute();
    await db.schema
      .createTable('messages')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('author_type', 'text', (c) => c.notNull())
      .addColumn('author_id', 'text', (c) => c.notNull())
      .addColumn('author_name', 'text')
      .addColumn('client_id', 'text')
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('attachments', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('messages_conversation_seq')
      .on('messages')
      .columns(['conversation_id', 'seq'])
      .unique()
      .execute();
    await db.schema
      .createIndex('messages_author_client')
      .on('messages')
      .columns(['app_id', 'author_type', 'author_id', 'client_id'])
      .unique()
      .execute();
    await db.schema
      .createTable('attachments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
      .addColumn('uploader_type', 'text', (c) => c.notNull())
      .addColumn('uploader_id', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('content_type', 'text', (c) => c.notNull())
      .addColumn('size', 'integer', (c) => c.notNull())
      .addColumn('data', dialect === 'postgres' ? sql`bytea` : sql`blob`, (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
  },
};

// packages/server/src/store/migrations/0002-incidents.ts
var migration2 = {
  async up(db) {
    await db.schema
      .createTable('incidents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
      .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
      .addColumn('visitor_id', 'text', (c) => c.notNull())
      .addColumn('area', 'text', (c) => c.notNull())
      .addColumn('details', 'text', (c) => c.notNull())
      .addColumn('users_affected', 'text', (c) => c.notNull())
      .addColumn('platform_state', 'text', (c) => c.notNull())
      .addColumn('workaround', 'integer', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('steps', 'text', (c) => c.notNull())
      .addColumn('error_message', 'text', (c) => c.notNull())
      .addColumn('attachments', 'text', (c) => c.notNull())
      .addColumn('context', 'text')
      .addColumn('client', 'text', (c) => c.notNull())
      .addColumn('suggested_priority', 'text', (c) => c.notNull())
      .addColumn('priority', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('response_due_at', 'text', (c) => c.notNull())
      .addColumn('first_response_at', 'text')
      .execute();
    await db.schema.createIndex('incidents_app_due').on('incidents').columns(['app_id', 'response_due_at']).execute();
    await db.schema.createIndex('incidents_conversation').on('incidents').column('conversation_id').execute();
  },
};

// packages/server/src/store/migrations/0003-screening.ts
var migration3 = {
  async up(db) {
    await db.schema.alterTable('messages').addColumn('screening', 'text').execute();
    await db.schema
      .createTable('screening_policies')
      .addColumn('app_id', 'text', (c) => c.primaryKey().references('apps.id'))
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('screening_verdicts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
      .addColumn('surface', 'text', (c) => c.notNull())
      .addColumn('sender_type', 'text', (c) => c.notNull())
      .addColumn('sender_id', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('categories', 'text', (c) => c.notNull())
      .addColumn('rules', 'text', (c) => c.notNull())
      .addColumn('content_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('screening_verdicts_app_created')
      .on('screening_verdicts')
      .columns(['app_id', 'created_at'])
      .execute();
  },
};

// packages/server/src/store/migrations/0004-declared-users.ts
var migration4 = {
  async up(db) {
    await db.schema.alterTable('visitors').addColumn('declared_user_id', 'text').execute();
  },
};

// packages/server/src/store/migrations/0005-operator.ts
var migration5 = {
  async up(db) {
    await db.schema.alterTable('conversations').addColumn('assignee_id', 'text').execute();
    await db.schema
      .alterTable('conversations')
      .addColumn('flagged', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createIndex('conversations_app_assignee')
      .on('conversations')
      .columns(['app_id', 'assignee_id'])
      .execute();
    await db.schema.alterTable('incidents').addColumn('assignee_id', 'text').execute();
    await db.schema.alterTable('incidents').addColumn('breach_announced_at', 'text').execute();
    await db.schema.createIndex('incidents_due').on('incidents').column('response_due_at').execute();
    await db.schema
      .createTable('notes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
      .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
      .addColumn('author_type', 'text', (c) => c.notNull())
      .addColumn('author_id', 'text', (c) => c.notNull())
      .addColumn('author_name', 'text')
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('screening', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('notes_conversation').on('notes').columns(['conversation_id', 'created_at']).execute();
    await db.schema.alterTable('agents').addColumn('disabled_at', 'text').execute();
    await db.schema
      .createTable('agent_sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('agent_id', 'text', (c) => c.notNull().references('agents.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema.createIndex('agent_sessions_agent').on('agent_sessions').column('agent_id').execute();
    await db.schema
      .createTable('api_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'text')
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema.createIndex('api_keys_app').on('api_keys').column('app_id').execute();
    await db.schema.alterTable('agent_tokens').addColumn('last_used_at', 'text').execute();
    await db.schema
      .createTable('idempotency_keys')
      .addColumn('principal', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('request_hash', 'text', (c) => c.notNull())
      .addColumn('status_code', 'integer')
      .addColumn('response', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_keys_pk', ['principal', 'key'])
      .execute();
  },
};

// packages/server/src/store/migrations/0006-webhooks.ts
import { sql as sql2 } from 'kysely';

var migration6 = {
  async up(db, dialect) {
    await db.schema
      .createTable('webhook_endpoints')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('events', 'text', (c) => c.notNull())
      .addColumn('secret_enc', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('disabled_reason', 'text')
      .addColumn('failing_since', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('webhook_endpoints_app').on('webhook_endpoints').column('app_id').execute();
    await db.schema
      .createTable('webhook_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('seq', dialect === 'postgres' ? sql2`bigint generated always as identity` : 'integer', (c) =>
        c.primaryKey(),
      )
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('endpoint_id', 'text', (c) => c.notNull().references('webhook_endpoints.id').onDelete('cascade'))
      .addColumn('event_id', 'text', (c) => c.notNull().references('webhook_events.id'))
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('ordering_key', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('locked_until', 'text')
      .addColumn('last_attempt_at', 'text')
      .addColumn('last_status_code', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('last_duration_ms', 'integer')
      .addColumn('delivered_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_due')
      .on('webhook_deliveries')
      .columns(['status', 'next_attempt_at'])
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_order')
      .on('webhook_deliveries')
      .columns(['endpoint_id', 'ordering_key', 'status', 'seq'])
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_endpoint')
      .on('webhook_deliveries')
      .columns(['endpoint_id', 'seq'])
      .execute();
  },
};

// packages/server/src/store/migrations/0007-compact-idempotency.ts
var migration7 = {
  async up(db) {
    await db.schema.dropIndex('messages_author_client').execute();
    await db.schema
      .createIndex('messages_author_client_id')
      .on('messages')
      .columns(['author_id', 'client_id'])
      .unique()
      .execute();
  },
};

// packages/server/src/store/migrations/0008-console-sign-in.ts
var migration8 = {
  async up(db) {
    await db.schema
      .alterTable('agents')
      .addColumn('password_change_required', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
};

// packages/server/src/store/migrations/0009-message-review.ts
import { sql as sql3 } from 'kysely';

var migration9 = {
  async up(db) {
    await db.schema.alterTable('messages').addColumn('review_state', 'text').execute();
    await db.schema.alterTable('messages').addColumn('reviewed_by', 'text').execute();
    await db.schema.alterTable('messages').addColumn('reviewed_at', 'text').execute();
    await sql3`update messages set review_state = 'pending' where screening like '%"action":"flag"%'`.execute(db);
    await db.schema
      .createIndex('messages_review_pending')
      .on('messages')
      .columns(['app_id', 'created_at', 'id'])
      .where(sql3.ref('review_state'), '=', 'pending')
      .execute();
  },
};

// packages/server/src/store/migrations/0010-visitor-device.ts
var migration10 = {
  async up(db) {
    await db.schema.alterTable('visitors').addColumn('device', 'text').execute();
  },
};

// packages/server/src/store/migrations/0011-audit-log.ts
var migration11 = {
  async up(db) {
    await db.schema
      .createTable('audit_log')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('actor_type', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('object_type', 'text', (c) => c.notNull())
      .addColumn('object_id', 'text', (c) => c.notNull())
      .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('audit_log_app_created')
      .on('audit_log')
      .columns(['app_id', 'created_at', 'id'])
      .execute();
    await db.schema.createIndex('audit_log_object').on('audit_log').columns(['app_id', 'object_id']).execute();
  },
};

// packages/server/src/store/migrations/0012-encryption-keys.ts
var migration12 = {
  async up(db) {
    await db.schema.alterTable('apps').addColumn('data_key_enc', 'text').execute();
    await db.schema
      .createTable('contact_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('owner_id', 'text', (c) => c.notNull())
      .addColumn('key_enc', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('contact_keys_owner').on('contact_keys').columns(['app_id', 'owner_id']).execute();
  },
};

// packages/server/src/store/migrations/0013-sealed-profiles.ts
var migration13 = {
  async up(db) {
    await db.schema.alterTable('visitors').addColumn('email_hash', 'text').execute();
    await db.schema.createIndex('visitors_app_email_hash').on('visitors').columns(['app_id', 'email_hash']).execute();
  },
};

// packages/server/src/store/migrations/0014-sealed-answers.ts
var migration14 = {
  async up(db) {
    await db.schema.alterTable('idempotency_keys').addColumn('mentions', 'text').execute();
  },
};

// packages/server/src/store/migrations/0015-sealed-user-ids.ts
var migration15 = {
  async up(db) {
    await db.schema.alterTable('visitors').addColumn('user_label', 'text').execute();
  },
};

// packages/server/src/store/migrations/index.ts
var migrations = {
  '0001_message_path': migration,
  '0002_incidents': migration2,
  '0003_screening': migration3,
  '0004_declared_users': migration4,
  '0005_operator': migration5,
  '0006_webhooks': migration6,
  '0007_compact_idempotency': migration7,
  '0008_console_sign_in': migration8,
  '0009_message_review': migration9,
  '0010_visitor_device': migration10,
  '0011_audit_log': migration11,
  '0012_encryption_keys': migration12,
  '0013_sealed_profiles': migration13,
  '0014_sealed_answers': migration14,
  '0015_sealed_user_ids': migration15,
};
var MIGRATION_NAMES = Object.keys(migrations);

// packages/server/src/store/kysely/db.ts
// packages/server/src/store/kysely/visitors.ts
// packages/server/src/store/kysely/privacy.ts
import { sql as sql5, sql as sql6, sql as sql7 } from 'kysely';

// packages/server/src/privacy/personal-data.ts
var table = (t) => t;
var PERSONAL_DATA = [
  table({
    table: 'webhook_deliveries',
    links: [{ conversation: 'ordering_key' }, { contact: 'ordering_key' }],
    holds: 'the delivery log of those events (status codes, times)',
    merge: false,
    export: { as: 'count', why: 'delivery attempts of the events above' },
  }),
  table({
    table: 'webhook_events',
    links: [{ deliveryOf: 'id' }],
    holds: 'events about them waiting for (or kept after) delivery to the app\u2019s webhooks',
    merge: false,
    export: { as: 'count', why: 'copies of the conversations and messages above, on their way to the app' },
  }),
  table({
    table: 'idempotency_keys',
    links: [{ mentions: 'mentions' }],
    holds: 'answers to REST requests about them, kept 24 hours so a retry gets the same answer',
    merge: false,
    export: { as: 'count', why: 'copies of answers above, kept 24 hours' },
  }),
  table({
    table: 'attachments',
    links: [{ contact: 'uploader_id', when: { uploader_type: 'visitor' } }, { message: 'message_id' }],
    holds: 'files they sent, and files sent to them',
    merge: true,
    export: { as: 'rows', omit: ['data'] },
  }),
  table({
    table: 'screening_verdicts',
    links: [{ contact: 'sender_id', when: { sender_type: 'visitor' } }],
    holds: 'what screening decided about what they sent (categories, rules, a hash; never the content)',
    merge: true,
    export: { as: 'rows' },
  }),
  table({
    table: 'notes',
    links: [{ conversation: 'conversation_id' }],
    holds: 'the team\u2019s internal notes on their conversations',
    merge: false,
    export: { as: 'rows' },
  }),
  table({
    table: 'incidents',
    links: [{ contact: 'visitor_id' }],
    holds: 'incidents they reported, with the browser\u2019s error context they chose to attach',
    merge: true,
    export: { as: 'rows' },
  }),
  table({
    table: 'messages',
    links: [{ conversation: 'conversation_id' }, { contact: 'author_id', when: { author_type: 'visitor' } }],
    holds: 'every message in their conversations, theirs and the team\u2019s, as stored (screened)',
    merge: true,
    export: { as: 'rows' },
  }),
  table({
    table: 'conversations',
    links: [{ contact: 'visitor_id' }],
    holds: 'their conversations: status, assignment, attributes, read marks',
    merge: true,
    export: { as: 'rows' },
  }),
  table({
    table: 'contact_keys',
    links: [{ contact: 'owner_id' }],
    holds: 'the keys their content is encrypted with: deleting them leaves any copy unreadable',
    merge: true,
    export: { as: 'count', why: 'encryption keys, never exported' },
  }),
  table({
    table: 'visitors',
    links: [{ contact: 'id' }],
    holds: 'their profile: name, email, host user id, attributes, last seen device and page',
    merge: false,
    export: { as: 'rows' },
  }),
];

// packages/server/src/store/kysely/conversations.ts
// packages/server/src/store/kysely/incidents-rows.ts
// packages/server/src/store/compiled-query.ts
// packages/server/src/store/sqlite.ts
// packages/server/src/store/sqlite-dialect.ts
import {
  CompiledQuery,
  CompiledQuery as CompiledQuery2,
  Kysely as Kysely2,
  SqliteDialect,
  sql as sql8,
  sql as sql9,
  sql as sql11,
} from 'kysely';

// packages/server/src/cli/run.ts
var STORE_NOTE = `The store is the one the server uses: DATABASE_URL, or SQLite in PARLEY_DATA_DIR (./data).
With DATABASE_URL or REDIS_URL set, PARLEY_SECRET must be set too, to the servers' value.`;
var UsageError = class extends Error {};
var required2 = (values, name) => {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required`);
  return v;
};
var contactOptions = {
  app: { type: 'string' },
  id: { type: 'string' },
  'user-id': { type: 'string' },
  email: { type: 'string' },
};
var COMMANDS = {
  'apps create': {
    usage: `apps create --name NAME --origin URL [--origin URL \u2026] [--no-identity-verification] [--json]
    Create an app. Prints its id and identity-verification secret (shown once). Identity
    verification is on: a host proves its signed-in user with userHash or userJwt made with
    that secret. --no-identity-verification lets pages declare a user without proof (agents
    then see such users as unverified, and a declared id never opens another session's history).`,
    options: {
      name: { type: 'string' },
      origin: { type: 'string', multiple: true },
      'identity-verification': { type: 'boolean' },
      'no-identity-verification': { type: 'boolean' },
      json: { type: 'boolean' },
    },
    async run(values, store, _io, secret) {
      const origins = values.origin ?? [];
      if (origins.length === 0) throw new UsageError('at least one --origin is required');
      if (values['identity-verification'] && values['no-identity-verification']) {
        throw new UsageError('--identity-verification and --no-identity-verification contradict each other');
      }
      const { app, identitySecret } = await createApp(
        storeOf(store),
        new SecretBox(secret),
        {
          name: required2(values, 'name'),
          origins,
          identityVerification: values['no-identity-verification'] !== true,
        },
        systemClock,
      );
      return {
        id: app.id,
        name: app.name,
        origins: app.allowedOrigins,
        identityVerification: app.identityVerification,
        identitySecret,
      };
    },
  },
  'apps update': {
    usage: `apps update --app APP_ID [--origin URL \u2026] [--identity-verification | --no-identity-verification]
            [--hipaa-baa | --no-hipaa-baa] [--greeting TEXT] [--accent #RRGGBB] [--position left|right]
            [--launcher-label TEXT] [--json]
    Change an app's origins, identity verification or messenger settings ("" clears a setting).`,
    options: {
      app: { type: 'string' },
      origin: { type: 'string', multiple: true },
      'identity-verification': { type: 'boolean' },
      'no-identity-verification': { type: 'boolean' },
      greeting: { type: 'string' },
      accent: { type: 'string' },
      position: { type: 'string' },
      'launcher-label': { type: 'string' },
      'hipaa-baa': { type: 'boolean' },
      'no-hipaa-baa': { type: 'boolean' },
      json: { type: 'boolean' },
    },
    async run(values, store) {
      const settings = {};
      for (const [flag, key] of [
        ['greeting', 'greeting'],
        ['accent', 'accentColor'],
        ['position', 'position'],
        ['launcher-label', 'launcherLabel'],
      ]) {
        const v = values[flag];
        if (typeof v === 'string') settings[key] = v === '' ? null : v;
      }
      if (values['identity-verification'] && values['no-identity-verification']) {
        throw new UsageError('--identity-verification and --no-identity-verification contradict each other');
      }
      if (values['hipaa-baa'] && values['no-hipaa-baa']) {
        throw new UsageError('--hipaa-baa and --no-hipaa-baa contradict each other');
      }
      const app = await updateApp(storeOf(store), required2(values, 'app'), {
        ...(values['hipaa-baa'] ? { hipaaBaa: true } : {}),
        ...(values['no-hipaa-baa'] ? { hipaaBaa: false } : {}),
        ...(values.origin ? { origins: values.origin } : {}),
        ...(values['identity-verification'] ? { identityVerification: true } : {}),
        ...(values['no-identity-verification'] ? { identityVerification: false } : {}),
        settings,
      });
      return {
        id: app.id,
        origins: app.allowedOrigins,
        identityVerification: app.identityVerification,
        settings: app.settings,
      };
    },
  },
  'agents create': {
    usage: `agents create --app APP_ID --email EMAIL --name NAME --role admin|agent [--json]
    Create an agent. Prints its id, a one-time password (changed at first sign-in to the
    console) and an API token (both shown once).`,
    options: {
      app: { type: 'string' },
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      json: { type: 'boolean' },
    },
    async run(values, store) {
      const role2 = required2(values, 'role');
      if (role2 !== 'admin' && role2 !== 'agent') throw new UsageError('--role must be admin or agent');
      const { agent, password, token } = await createAgent(
        storeOf(store),
        {
          appId: required2(values, 'app'),
          email: required2(values, 'email'),
          name: required2(values, 'name'),
          role: role2,
        },
        systemClock,
      );
      return { ...agent, password, token };
    },
  },
  'apps delete': {
    usage: `apps delete --app APP_ID --yes [--json]
    Offboarding: delete the app and everything it holds (contacts, conversations, files, its
    team, keys, webhooks, policy and audit trail) in one transaction, then the store's own
    copies. Prints what went, by table. Stop serving the app first: a running server refuses its
    connections from then on.`,
    options: { app: { type: 'string' }, yes: { type: 'boolean' }, json: { type: 'boolean' } },
    async run(values, store) {
      const appId = required2(values, 'app');
      if (values.yes !== true) throw new UsageError('deleting an app cannot be undone: add --yes');
      const s = storeOf(store);
      const rows = await s.privacy.eraseApp(appId);
      if (!rows) throw new ParleyError('not_found', `app ${appId} not found`);
      await s.scrub();
      return { app: appId, deletedAt: nowIso(), rows };
    },
  },
  'keys rotate': {
    usage: `keys rotate --new-key KEY --yes [--json]
    Replace the master key of encryption at rest: every app's key is wrapped again with KEY (64
    hex characters; openssl rand -hex 32), in one transaction; the data is not rewritten. Then
    set PARLEY_MASTER_KEY to KEY on every node before they start again (a key kept in the data
    dir is replaced there).`,
    options: { 'new-key': { type: 'string' }, yes: { type: 'boolean' }, json: { type: 'boolean' } },
    async run(values, store, io) {
      const next = parseMasterKey(required2(values, 'new-key'));
      if (values.yes !== true) throw new UsageError('the old key stops working: add --yes');
      const apps = await storeOf(store).rotateMasterKey(next);
      const config = loadConfig(io.env);
      const kept = config.masterKey === void 0 && !config.databaseUrl;
      if (kept)
        writeFileSync(
          join3(config.dataDir, 'master.key'),
          `${next.toString('hex')}
`,
          { mode: 384 },
        );
      return {
        apps,
        masterKey: kept
          ? `replaced in ${join3(config.dataDir, 'master.key')}`
          : 'set PARLEY_MASTER_KEY to the new key now',
      };
    },
  },
  'contacts export': {
    usage: `contacts export --app APP_ID (--id VIS_ID | --user-id ID | --email EMAIL)
    Print everything held about a contact as one JSON document (as GET /v1/contacts/{id}/export
    answers it), and record the export in the audit trail.`,
    options: contactOptions,
    async run(values, store, io) {
      const appId = required2(values, 'app');
      const s = storeOf(store);
      const contactId = await findContact(s, appId, values);
      const found = await s.privacy.export(appId, contactId);
      if (!found) throw new ParleyError('not_found', `contact ${contactId} not found`);
      await auditFromCli(s, appId, 'contact.exported', contactId, {});
      const audit = await s.audit.list(appId, { objectId: contactId, limit: 1e3 });
      io.out(
        `${JSON.stringify({ contactId, exportedAt: nowIso(), tables: found.tables, audit: audit.map(({ appId: _a, ...e }) => e) }, null, 2)}
`,
      );
      return void 0;
    },
  },
  'contacts erase': {
    usage: `contacts erase --app APP_ID (--id VIS_ID | --user-id ID | --email EMAIL) --yes [--json]
    Erase a contact for good: every row about them, in one transaction, then the store's own
    copies. Prints the receipt (counts by table, no personal data); the audit trail keeps it.
    A running server refuses their tokens at once and sends the contact.erased webhook; their
    open connections close when they next reconnect (DELETE /v1/contacts/{id} closes them at once).`,
    options: { ...contactOptions, yes: { type: 'boolean' }, json: { type: 'boolean' } },
    async run(values, store) {
      const appId = required2(values, 'app');
      if (values.yes !== true) throw new UsageError('erasing cannot be undone: add --yes');
      const s = storeOf(store);
      const contactId = await findContact(s, appId, values);
      const erasedAt = nowIso();
      const endpointIds = (await s.webhooks.listEndpoints(appId))
        .filter((e) => e.enabled && (e.events.includes('*') || e.events.includes('contact.erased')))
        .map((e) => e.id);
      const rows = await s.transaction(async (tx) => {
        const counts = await tx.privacy.erase(appId, contactId);
        if (!counts) throw new ParleyError('not_found', `contact ${contactId} not found`);
        await auditFromCli(tx, appId, 'contact.erased', contactId, { rows: counts });
        await tx.webhooks.record([
          {
            id: newId('evt'),
            appId,
            type: 'contact.erased',
            orderingKey: contactId,
            payload: JSON.stringify({ type: 'contact.erased', timestamp: erasedAt, data: { contactId, erasedAt } }),
            endpointIds,
            now: erasedAt,
          },
        ]);
        return counts;
      });
      await s.scrub();
      return { contactId, erasedAt, erasedBy: 'cli', rows };
    },
  },
  purge: {
    usage: `purge [--json]
    Delete what is past retention now, as the server does every hour: each app's conversations
    idle longer than its retentionDays setting (default 90; 0 keeps them) with their messages,
    notes, incidents and files, contacts left with none, and old screening verdicts and audit
    entries. Prints what went, by app; each app's audit trail records it.`,
    options: { json: { type: 'boolean' } },
    async run(_values, store) {
      const summary2 = await purgeExpired(storeOf(store), systemClock, DEFAULT_RETENTION, 'cli');
      return { ...summary2 };
    },
  },
  'policy show': {
    usage: `policy show --app APP_ID
    Print the app's screening policy (JSON): its own, or the default.`,
    options: { app: { type: 'string' } },
    async run(values, store, io) {
      const { policy: policy2, isDefault } = await appPolicy(storeOf(store), required2(values, 'app'));
      io.out(`${JSON.stringify({ default: isDefault, policy: policy2 }, null, 2)}
`);
      return void 0;
    },
  },
  'policy set': {
    usage: `policy set --app APP_ID FILE [--json]
    Replace the app's screening policy with the JSON document in FILE. A policy that does not
    validate is refused with every reason, and the old one stays.`,
    options: { app: { type: 'string' }, json: { type: 'boolean' } },
    positionals: 1,
    async run(values, store, _io, _secret, [file]) {
      if (!file) throw new UsageError('policy set needs the policy FILE');
      const policy2 = await setAppPolicy(storeOf(store), required2(values, 'app'), readJson(file), nowIso());
      return { app: values.app, version: policy2.version, name: policy2.name, rules: policy2.rules.length };
    },
  },
  'policy reset': {
    usage: `policy reset --app APP_ID [--json]
    Go back to the default policy.`,
    options: { app: { type: 'string' }, json: { type: 'boolean' } },
    async run(values, store) {
      const policy2 = await setAppPolicy(storeOf(store), required2(values, 'app'), null, nowIso());
      return { app: values.app, version: policy2.version, name: policy2.name };
    },
  },
  screen: {
    usage: `screen [--app APP_ID | --policy FILE] [--baa]
    Screen JSON lines { "id", "text", "name"? } from standard input; write one JSON line per
    input: { "id", "action", "categories", "rules", "clauses", "text" } (text null if blocked).
    The default policy unless --app or --policy; --baa allows health information.`,
    options: { app: { type: 'string' }, policy: { type: 'string' }, baa: { type: 'boolean' } },
    needsStore: (values) => typeof values.app === 'string',
    async run(values, store, io) {
      if (values.app && values.policy) throw new UsageError('give --app or --policy, not both');
      let policy2 = DEFAULT_POLICY;
      let context = { role: 'visitor' };
      let hipaaBaa = values.baa === true;
      if (typeof values.app === 'string') {
        const app = await storeOf(store).apps.get(values.app);
        if (!app) throw new ParleyError('not_found', `app ${values.app} not found`);
        policy2 = (await appPolicy(storeOf(store), app.id)).policy;
        context = { role: 'visitor', appDomains: appDomains(app), appName: app.name };
        hipaaBaa ||= app.settings.hipaaBaa === true;
      } else if (typeof values.policy === 'string') {
        try {
          policy2 = validatePolicy(readJson(values.policy));
        } catch (err) {
          if (err instanceof PolicyError) throw policyRefused(err);
          throw err;
        }
      }
      const compiled = compilePolicy(policy2, { hipaaBaa });
      let n2 = 0;
      for await (const line of io.lines?.() ?? []) {
        n2++;
        if (line.trim() === '') continue;
        io.out(`${JSON.stringify(screenLine(line, n2, compiled, context))}
`);
      }
      return void 0;
    },
  },
};
var USAGE = `Usage: parley <command> [options]   (parley <command> --help for one command)

Commands:
${Object.values(COMMANDS)
  .map((c) => `  ${c.usage.replace(/\n/g, '\n  ')}`)
  .join('\n')}

${STORE_NOTE}
`;
function screenLine(line, n2, policy2, context) {
  let input;
  try {
    input = JSON.parse(line);
  } catch {
    return { line: n2, error: { code: 'invalid_payload', message: 'not JSON' } };
  }
  const i = input;
  if (!i || typeof i !== 'object' || typeof i.text !== 'string' || (i.name !== void 0 && typeof i.name !== 'string')) {
    return { line: n2, error: { code: 'invalid_payload', message: 'each line is { "id", "text", "name"? }' } };
  }
  const verdict = screenText(i.text, { ...context, ...(i.name ? { senderName: i.name } : {}) }, policy2);
  return { id: i.id ?? null, action: verdict.action, ...summary(verdict), text: verdict.text };
}
async function findContact(store, appId, values) {
  const given = ['id', 'user-id', 'email'].filter((k) => typeof values[k] === 'string');
  if (given.length !== 1) throw new UsageError('give one of --id, --user-id or --email');
  if (typeof values.id === 'string') return values.id;
  const list = await store.visitors.list(appId, {
    ...(typeof values.email === 'string' ? { email: values.email } : {}),
    ...(typeof values['user-id'] === 'string' ? { userId: values['user-id'] } : {}),
    limit: 2,
  });
  if (list.length === 0) throw new ParleyError('not_found', 'no such contact in this app');
  if (list.length > 1) throw new ParleyError('conflict', 'more than one contact matches: give --id');
  return list[0].id;
}
async function auditFromCli(store, appId, action, contactId, detail) {
  await store.audit.record({
    id: newId('aud'),
    appId,
    actorType: 'system',
    actorId: 'cli',
    action,
    objectType: 'contact',
    objectId: contactId,
    detail,
    createdAt: nowIso(),
  });
}
function storeOf(store) {
  if (!store) throw new Error('this command needs the store');
  return store;
}
function readJson(file) {
  let text2;
  try {
    text2 = readFileSync2(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${err.message}`);
  }
  try {
    return JSON.parse(text2);
  } catch (err) {
    throw new ParleyError('invalid_payload', `${file} is not JSON: ${err.message}`);
  }
}
var nowIso = () => systemClock().toISOString();

// ../../tmp/prof2.ts
var texts = readFileSync3('/work/main/packages/server/test/fixtures/screening/heldout/texts.jsonl', 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l))
  .filter((r) => r.ordinary && r.text.length <= 200)
  .map((r) => r.text);
var policy = compilePolicy(DEFAULT_POLICY);
var ctx = { role: 'visitor', appDomains: ['shop.example.com'], appName: 'Acme' };
var t0 = performance.now();
var n = 0;
while (performance.now() - t0 < 4e3) {
  for (const t of texts) screenText(t, ctx, policy);
  n += texts.length;
}
console.log(texts.length, 'ordinary', ((performance.now() - t0) * 1e3) / n, 'us/msg');
