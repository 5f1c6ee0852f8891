import { findCards, findIbans, type SensitiveSpan } from './financial.js';
import { findSecrets } from './secrets.js';

export {
  abaValid,
  cardIssuer,
  findBankNumbers,
  findCards,
  findIbans,
  luhn,
  matchesOf,
  type SensitiveSpan,
} from './financial.js';
export { findSecrets } from './secrets.js';

/** Replaces spans (sorted, overlaps resolved in favour of the earlier, longer one). */
export function applySpans(text: string, spans: SensitiveSpan[]): string {
  if (spans.length === 0) return text;
  const ordered = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  for (const s of ordered) {
    if (s.start < at) continue;
    out += text.slice(at, s.start) + s.replacement;
    at = s.end;
  }
  return out + text.slice(at);
}

/**
 * What the browser removes before a message leaves the page: card numbers, IBANs, private keys,
 * tokens and passwords given in text. The server screens again, whatever the client did.
 */
export function redactBeforeSending(text: string): { text: string; removed: string[] } {
  const spans = [...findCards(text), ...findIbans(text), ...findSecrets(text)];
  return { text: applySpans(text, spans), removed: [...new Set(spans.map((s) => s.kind))] };
}
