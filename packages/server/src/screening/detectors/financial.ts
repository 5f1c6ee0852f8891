import { abaValid, findBankNumbers, findCards, findIbans, matchesOf, type SensitiveSpan } from '@parley/sdk/screening';
import type { Detector, Finding, ScreenInput } from '../types.js';

/** Groups sensitive spans of one detector id into one finding. */
export function spansToFinding(
  detector: string,
  category: Finding['category'],
  spans: SensitiveSpan[],
  confidence?: number,
): Finding[] {
  if (spans.length === 0) return [];
  const finding: Finding = {
    detector,
    category,
    spans: spans.map(({ start, end }) => ({ start, end })),
    replacements: spans.map((s) => s.replacement),
  };
  if (confidence !== undefined) finding.confidence = confidence;
  return [finding];
}

// A nine-digit number on its own: a routing number when its checksum and Federal Reserve
// prefix are valid. Without the word "routing" it is only a guess (one number in ten passes the
// checksum), so it is reported with less confidence, and not at all after an order or ticket word.
const BARE_NINE = /(?<![\d-])\d{9}(?![\d-])/g;
const NOT_A_BANK_NUMBER =
  /(?:order|invoice|ticket|case|tracking|ref|reference|booking|confirmation|id|no|#)(?:\s*(?:number|no\.?|#|is|:))*\W{0,3}$/i;

function aba(digits: string): boolean {
  const prefix = Number(digits.slice(0, 2));
  const federal = prefix <= 12 || (prefix >= 21 && prefix <= 32) || (prefix >= 61 && prefix <= 72) || prefix === 80;
  return federal && abaValid(digits);
}

function bareRoutingNumbers(text: string, known: readonly SensitiveSpan[]): SensitiveSpan[] {
  const spans: SensitiveSpan[] = [];
  for (const m of matchesOf(BARE_NINE, text)) {
    if (known.some((k) => k.start <= m.index && m.index < k.end)) continue;
    if (!aba(m[0]) || NOT_A_BANK_NUMBER.test(text.slice(Math.max(0, m.index - 16), m.index))) continue;
    spans.push({
      start: m.index,
      end: m.index + 9,
      kind: 'routing_number',
      replacement: `[routing ••••${m[0].slice(-4)}]`,
    });
  }
  return spans;
}

/**
 * Card numbers (Luhn, issuer ranges raising confidence, never gating), IBANs (per-country
 * length, mod-97), US routing numbers (ABA checksum: sure with a context word, a guess without)
 * and account numbers (only with a context word).
 */
export const financialDetector: Detector = {
  ids: ['card', 'bank_account'],
  detect(input: ScreenInput): Finding[] {
    // Fewer than nine digits cannot hold any of these.
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

// Area-group-serial, as written on the card (dashes) or with spaces.
const SSN = /(?<![\d-])(\d{3})([- ]?)(\d{2})\2(\d{4})(?![\d-])/g;
const SSN_CONTEXT = /\b(?:ssn|social security|ss#|seguro social|ssa)\b/i;

/**
 * US Social Security numbers, never in the ranges the SSA does not issue (area 000, 666 or
 * 900–999, group 00, serial 0000). With a context word within 40 characters, or written with
 * dashes (078-05-1120), they are sure; with spaces and no context word, a guess (flagged by the
 * default policy, not redacted). Nine bare digits without a context word are not reported.
 */
export const nationalIdDetector: Detector = {
  ids: ['national_id'],
  detect(input: ScreenInput): Finding[] {
    if (input.digits < 9) return [];
    const context = SSN_CONTEXT.test(input.text);
    const sure: SensitiveSpan[] = [];
    const unsure: SensitiveSpan[] = [];
    for (const m of matchesOf(SSN, input.text)) {
      const [area, group, serial] = [Number(m[1]), Number(m[3]), Number(m[4])];
      if (area === 0 || area === 666 || area >= 900 || group === 0 || serial === 0) continue;
      const near = context && SSN_CONTEXT.test(input.text.slice(Math.max(0, m.index - 40), m.index + m[0].length + 40));
      const span = { start: m.index, end: m.index + m[0].length, kind: 'ssn', replacement: `[SSN ••••${m[4]}]` };
      if (near || m[2] === '-') sure.push(span);
      else if (m[2] === ' ') unsure.push(span);
    }
    return [
      ...spansToFinding('national_id', 'national_id', sure),
      ...spansToFinding('national_id', 'national_id', unsure, 0.6),
    ];
  },
};
