import { findBankNumbers, findCards, findIbans, type SensitiveSpan } from '@parley/sdk/screening';
import type { Detector, Finding, ScreenInput } from '../types.js';

/** Groups sensitive spans of one detector id into one finding. */
export function spansToFinding(detector: string, category: Finding['category'], spans: SensitiveSpan[]): Finding[] {
  if (spans.length === 0) return [];
  return [
    {
      detector,
      category,
      spans: spans.map(({ start, end }) => ({ start, end })),
      replacements: spans.map((s) => s.replacement),
    },
  ];
}

/**
 * Card numbers (issuer range, length 12–19, Luhn), IBANs (per-country length, mod-97), US
 * routing numbers (ABA checksum, with a context word) and account numbers (only with one).
 */
export const financialDetector: Detector = {
  ids: ['card', 'bank_account'],
  detect(input: ScreenInput): Finding[] {
    // Fewer than nine digits cannot hold any of these.
    if (input.digits < 9) return [];
    return [
      ...spansToFinding('card', 'financial', findCards(input.text)),
      ...spansToFinding('bank_account', 'financial', [...findIbans(input.text), ...findBankNumbers(input.text)]),
    ];
  },
};

const SSN = /\b(\d{3})[- ]?(\d{2})[- ]?(\d{4})\b/g;
const SSN_CONTEXT = /\b(?:ssn|social security|ss#|seguro social)\b/i;

/**
 * US Social Security numbers, only with a context word within 40 characters and never in the
 * ranges the SSA does not issue (area 000, 666 or 900–999, group 00, serial 0000).
 */
export const nationalIdDetector: Detector = {
  ids: ['national_id'],
  detect(input: ScreenInput): Finding[] {
    if (input.digits < 9 || !SSN_CONTEXT.test(input.text)) return [];
    const spans: SensitiveSpan[] = [];
    for (const m of input.text.matchAll(SSN)) {
      const [area, group, serial] = [Number(m[1]), Number(m[2]), Number(m[3])];
      if (area === 0 || area === 666 || area >= 900 || group === 0 || serial === 0) continue;
      const near = input.text.slice(Math.max(0, m.index - 40), m.index + m[0].length + 40);
      if (!SSN_CONTEXT.test(near)) continue;
      spans.push({
        start: m.index,
        end: m.index + m[0].length,
        kind: 'ssn',
        replacement: `[SSN ••••${m[3]}]`,
      });
    }
    return spansToFinding('national_id', 'national_id', spans);
  },
};
