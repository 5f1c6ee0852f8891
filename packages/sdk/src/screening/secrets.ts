import type { SensitiveSpan } from './financial.js';

/**
 * Well-known credential formats; each pattern is anchored on a fixed prefix and bounded, and
 * has the lower-case text it cannot match without: most texts skip most patterns.
 */
const TOKENS: [kind: string, label: string, hint: RegExp, pattern: RegExp][] = [
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

const KEY_BEGIN = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/g;
const PASSWORD = /\b(?:password|passwd|pwd|passcode|contraseña|clave)\s*(?:is|es|:|=)\s*["']?([^\s"']{4,64})/gi;

/**
 * A password given in text: the value is redacted when it looks like one (digits, symbols or
 * mixed case), so "my password is not working" stays as it is.
 */
function looksLikePassword(value: string): boolean {
  return /[0-9]/.test(value) || /[^A-Za-zÀ-ÿ]/.test(value) || (/[a-z]/.test(value) && /[A-Z]/.test(value.slice(1)));
}

export function findSecrets(text: string): SensitiveSpan[] {
  const spans: SensitiveSpan[] = [];
  const lower = text.toLowerCase();
  // Private keys: from the header to its footer (or the end of the text), found with indexOf so
  // that many headers without footers still cost one pass.
  for (const m of lower.includes('private key') ? text.matchAll(KEY_BEGIN) : []) {
    if (spans.length > 0 && m.index < spans[spans.length - 1]!.end) continue;
    const footer = text.indexOf('PRIVATE KEY-----', m.index + m[0].length);
    const end = footer === -1 ? text.length : footer + 'PRIVATE KEY-----'.length;
    spans.push({ start: m.index, end, kind: 'private_key', replacement: '[private key]' });
  }
  for (const [kind, label, hint, pattern] of TOKENS) {
    if (!hint.test(lower)) continue;
    for (const m of text.matchAll(pattern)) {
      spans.push({ start: m.index, end: m.index + m[0].length, kind, replacement: `[${label}]` });
    }
  }
  for (const m of /pass|pwd|contrase|clave/.test(lower) ? text.matchAll(PASSWORD) : []) {
    const value = m[1]!;
    if (!looksLikePassword(value)) continue;
    const start = m.index + m[0].length - value.length;
    spans.push({ start, end: start + value.length, kind: 'password', replacement: '[password]' });
  }
  return spans;
}
