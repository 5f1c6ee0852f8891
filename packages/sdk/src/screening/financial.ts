/**
 * Card and bank numbers, deterministic and linear: candidates are found by bounded patterns,
 * then confirmed by issuer range and length, Luhn, mod-97 or the ABA checksum. Shared by the
 * server's screening and the browser's redaction before sending, so a valid card number never
 * leaves the page and never reaches the store.
 */

/** A match: where it is in the text, what it is, and what replaces it. */
export interface SensitiveSpan {
  start: number;
  end: number;
  /** The detector's id, e.g. `card`, `iban`, `private_key`. */
  kind: string;
  /** What the text shows instead: never more than the last four digits. */
  replacement: string;
}

const masked = (label: string, digits: string) => `[${label} ••••${digits.slice(-4)}]`;

export function luhn(digits: string): boolean {
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

/** The card network whose issuer range and lengths fit these digits, or null. */
export function cardIssuer(digits: string): string | null {
  const n = digits.length;
  const p2 = Number(digits.slice(0, 2));
  const p3 = Number(digits.slice(0, 3));
  const p4 = Number(digits.slice(0, 4));
  const p6 = Number(digits.slice(0, 6));
  if (digits[0] === '4') return n === 13 || n === 16 || n === 19 ? 'visa' : null;
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return n === 16 ? 'mastercard' : null;
  if (p2 === 34 || p2 === 37) return n === 15 ? 'amex' : null;
  if (p4 >= 2200 && p4 <= 2204) return n >= 16 && n <= 19 ? 'mir' : null;
  if (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649) || (p6 >= 622126 && p6 <= 622925)) {
    return n >= 16 && n <= 19 ? 'discover' : null;
  }
  if (p4 >= 3528 && p4 <= 3589) return n >= 16 && n <= 19 ? 'jcb' : null;
  if ((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39) return n >= 14 && n <= 19 ? 'diners' : null;
  if (p2 === 62) return n >= 16 && n <= 19 ? 'unionpay' : null;
  if (p2 === 50 || (p2 >= 56 && p2 <= 69)) return n >= 12 && n <= 19 ? 'maestro' : null;
  if ((p4 === 2131 || p4 === 1800) && n === 15) return 'jcb'; // the old 15-digit JCB ranges
  if (digits[0] === '1' && n === 15) return 'uatp';
  if ((p2 === 81 || p2 === 82) && n >= 16 && n <= 19) return 'unionpay';
  if (p4 === 9792 && n === 16) return 'troy';
  return null;
}

// 12–19 digits, optionally grouped by single spaces or dashes. Each repetition consumes a digit,
// so a long run of digits costs at most 19 steps per starting position.
const CARD_CANDIDATE = /(?<![\d-])\d(?:[ -]?\d){11,18}(?![\d])/g;
// Words that say a number is a card, just before it.
const CARD_CONTEXT =
  /\b(?:card|credit|debit|visa|mastercard|amex|discover|jcb|cc|pan|charge|pay with|paid with|tarjeta|carte|karte)\b/i;
// …or the details that follow a card number: its expiry or security code.
const CARD_DETAILS_AFTER = /^\W{0,3}(?:exp|expiry|expires|valid thru|cvv2?|cvc2?|security code)\b/i;
// How cards are printed: groups of four (4-4-4-4, 4-4-4-4-3), or 4-6-5 and 4-6-4.
const CARD_GROUPING = /^\d{4}([ -])\d{4}\1\d{4}\1\d{1,4}(?:\1\d{1,3})?$|^\d{4}([ -])\d{6}\2\d{4,5}$/;

/**
 * Every match of a global RegExp in `text`, in order, as `String.prototype.matchAll` gives them.
 * That copies the RegExp on every call (a quarter of a microsecond); the server screens every
 * message with a dozen of these. This runs the RegExp itself, and makes no array for no match.
 */
export function matchesOf(pattern: RegExp, text: string): readonly RegExpExecArray[] {
  // As matchAll does: a RegExp without the g flag would find its first match forever.
  if (!pattern.global) throw new TypeError('not global');
  pattern.lastIndex = 0;
  let m = pattern.exec(text);
  if (m === null) return NO_MATCHES;
  const all: RegExpExecArray[] = [];
  for (; m !== null; m = pattern.exec(text)) {
    all.push(m);
    // An empty match would be found again at the same place.
    if (m[0] === '') pattern.lastIndex++;
  }
  return all;
}
const NO_MATCHES: readonly RegExpExecArray[] = [];

/**
 * Card numbers: a Luhn-valid number in a network's issuer range and length, or any Luhn-valid
 * 13–19 digit number written as one (grouped the way cards are printed, or after a word such
 * as "card") whatever its issuer: issuer tables go stale, so they are not the only way in. A bare
 * run of digits outside every issuer range (a millisecond timestamp, an order id) is not a card;
 * nor are numbers starting with 0, which no network issues, or runs of one digit.
 */
export function findCards(text: string): SensitiveSpan[] {
  const spans: SensitiveSpan[] = [];
  for (const m of matchesOf(CARD_CANDIDATE, text)) {
    const digits = m[0].replace(/[ -]/g, '');
    if (!luhn(digits)) continue;
    const card =
      cardIssuer(digits) !== null ||
      (digits.length >= 13 &&
        digits[0] !== '0' &&
        !/^(\d)\1+$/.test(digits) &&
        (CARD_GROUPING.test(m[0]) ||
          CARD_CONTEXT.test(text.slice(Math.max(0, m.index - 40), m.index)) ||
          CARD_DETAILS_AFTER.test(text.slice(m.index + m[0].length, m.index + m[0].length + 16))));
    if (card)
      spans.push({ start: m.index, end: m.index + m[0].length, kind: 'card', replacement: masked('card', digits) });
  }
  return spans;
}

/** IBAN lengths by country (ISO 13616 registry). */
const IBAN_LENGTHS: Record<string, number> = {
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

export function ibanValid(compact: string): boolean {
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

// Country, check digits, then groups of up to four, optionally separated by single spaces.
const IBAN_CANDIDATE = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/gi;

export function findIbans(text: string): SensitiveSpan[] {
  const spans: SensitiveSpan[] = [];
  // Case-insensitive on the text itself, so the spans' offsets are the text's.
  for (const m of matchesOf(IBAN_CANDIDATE, text)) {
    const candidate = m[0].toUpperCase();
    // The pattern may run on into the next word ("… 1332 THANKS"): take as many characters as
    // the country's IBANs have, and end the span there.
    const length = IBAN_LENGTHS[candidate.slice(0, 2)];
    if (!length) continue;
    let end = 0;
    let compact = '';
    while (end < candidate.length && compact.length < length) {
      if (candidate[end] !== ' ') compact += candidate[end];
      end++;
    }
    if (ibanValid(compact)) {
      spans.push({ start: m.index, end: m.index + end, kind: 'iban', replacement: masked('IBAN', compact) });
    }
  }
  return spans;
}

/** The ABA routing number checksum: 3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) ≡ 0 (mod 10). */
export function abaValid(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  const d = [...digits].map(Number) as number[];
  const sum = 3 * (d[0]! + d[3]! + d[6]!) + 7 * (d[1]! + d[4]! + d[7]!) + (d[2]! + d[5]! + d[8]!);
  return sum % 10 === 0;
}

// A context word, then within a few words the number: routing numbers and account numbers are
// ordinary digit strings and are only recognised when the text says what they are.
const ROUTING = /\b(?:routing|aba|rtn|transit)(?:\s+(?:number|no\.?|#))?\s*(?:is|:|#|=)?\s*(\d{9})\b/gi;
const ACCOUNT =
  /\b(?:account|acct|a\/c|cuenta)(?:\s+(?:number|no\.?|#|num))?\s*(?:is|:|#|=)?\s*(\d(?:[ -]?\d){5,16})\b/gi;

export function findBankNumbers(text: string): SensitiveSpan[] {
  const spans: SensitiveSpan[] = [];
  for (const m of matchesOf(ROUTING, text)) {
    const digits = m[1]!;
    if (!abaValid(digits)) continue;
    const start = m.index + m[0].length - digits.length;
    spans.push({ start, end: start + digits.length, kind: 'routing_number', replacement: masked('routing', digits) });
  }
  for (const m of matchesOf(ACCOUNT, text)) {
    const raw = m[1]!;
    const start = m.index + m[0].length - raw.length;
    const digits = raw.replace(/[ -]/g, '');
    spans.push({ start, end: start + raw.length, kind: 'account_number', replacement: masked('account', digits) });
  }
  return spans;
}
