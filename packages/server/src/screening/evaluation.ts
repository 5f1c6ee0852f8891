import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScreeningCategory } from '@parley/sdk/protocol';
import { luhn } from '@parley/sdk/screening';
import { DEFAULT_POLICY, type Policy } from './policy.js';
import { compilePolicy, screenText, summary } from './screener.js';
import type { ScreenContext } from './types.js';

/** A row of the held-back text split (see `pnpm train:screening`). */
interface HeldText {
  text: string;
  source: string;
  abuse?: 0 | 1;
  spam?: 0 | 1;
  ordinary?: boolean;
}

interface HeldUrl {
  url: string;
  source: string;
  label: 0 | 1;
}

const ABUSE: readonly ScreeningCategory[] = ['harassment', 'hate', 'threat', 'profanity', 'sexual'];
const CONTEXT: ScreenContext = { role: 'visitor', appDomains: ['shop.example.com'], appName: 'Acme' };

const round = (n: number) => Math.round(n * 1000) / 1000;
const rate = (part: number, whole: number) => (whole === 0 ? 0 : round(part / whole));

function jsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);
}

/** Precision and recall of one kind of finding over labelled rows. */
function precisionRecall(rows: { positive: boolean; found: boolean }[]) {
  const tp = rows.filter((r) => r.positive && r.found).length;
  const fp = rows.filter((r) => !r.positive && r.found).length;
  const positives = rows.filter((r) => r.positive).length;
  return { positives, precision: rate(tp, tp + fp), recall: rate(tp, positives) };
}

// Issuer prefixes and lengths of the networks' own numbering (test-vector generators use these).
const ISSUERS: [prefix: string, length: number][] = [
  ['4', 16],
  ['4', 13],
  ['4', 19],
  ['51', 16],
  ['55', 16],
  ['2221', 16],
  ['2720', 16],
  ['34', 15],
  ['37', 15],
  ['6011', 16],
  ['65', 16],
  ['644', 16],
  ['3528', 16],
  ['3589', 16],
  ['2131', 15],
  ['1800', 15],
  ['300', 14],
  ['36', 14],
  ['38', 16],
  ['62', 16],
  ['62', 19],
  ['6304', 16],
  ['6759', 18],
  ['5018', 16],
  ['2200', 16],
  ['9792', 16],
  ['1', 15],
];

/**
 * Deterministic card numbers, Luhn-completed, written as people write them: every network's
 * prefix and length bare, grouped or after a word; and numbers of any prefix and length 13–19
 * (no issuer's) grouped or after a word, which are cards whatever their issuer.
 */
export function cardVectors(count = 600): string[] {
  let seed = 7;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 8;
  };
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const issued = i % 2 === 0;
    const [prefix, length] = issued ? ISSUERS[(i / 2) % ISSUERS.length]! : [String(1 + (next() % 9)), 13 + (i % 7)];
    let digits = prefix;
    while (digits.length < length - 1) digits += String(next() % 10);
    for (let check = 0; check <= 9; check++) {
      if (luhn(digits + check)) {
        digits += check;
        break;
      }
    }
    const grouped = digits.replace(/(\d{4})(?=\d)/g, '$1 ');
    const dashed = digits.replace(/(\d{4})(?=\d)/g, '$1-');
    const written = [digits, grouped, dashed][i % 3]!;
    // A number of no issuer's, bare, says nothing of being a card: it gets a word.
    const bare = !issued && written === digits;
    const sentence = [
      `my card is ${written}`,
      bare ? `credit card ${written}` : written,
      `please charge ${written} exp 04/29`,
      `card: ${written}, cvv 123`,
      bare ? `use this card ${written} thanks` : `use this one ${written} thanks`,
    ][i % 5]!;
    out.push(sentence);
  }
  return out;
}

/**
 * The screening figures on the held-back split, screened by the whole pipeline (rules and models
 * together) under a policy: how often ordinary text is flagged or blocked, precision and recall
 * per kind, and whether any card number survives.
 */
export function evaluateHeldOut(directory: string, policy: Policy = DEFAULT_POLICY) {
  const compiled = compilePolicy(policy);
  const texts = jsonl<HeldText>(join(directory, 'texts.jsonl'));
  const urls = jsonl<HeldUrl>(join(directory, 'urls.jsonl'));
  const screened = texts.map((row) => {
    const verdict = screenText(row.text, CONTEXT, compiled);
    // A redaction (a card number in an ordinary message) is screening working, not an alarm:
    // what counts against ordinary text is a flag or a block.
    const action = verdict.applied.some((a) => a.action === 'block')
      ? 'block'
      : verdict.applied.some((a) => a.action === 'flag')
        ? 'flag'
        : 'allow';
    return { row, action, categories: new Set(summary(verdict).categories) };
  });
  const ordinary = screened.filter((s) => s.row.ordinary);
  const bySource: Record<string, { n: number; flagged: number; blocked: number }> = {};
  for (const s of ordinary) {
    const entry = bySource[s.row.source] ?? { n: 0, flagged: 0, blocked: 0 };
    bySource[s.row.source] = entry;
    entry.n++;
    if (s.action !== 'allow') entry.flagged++;
    if (s.action === 'block') entry.blocked++;
  }
  const abuse = precisionRecall(
    screened
      .filter((s) => s.row.abuse !== undefined)
      .map((s) => ({ positive: s.row.abuse === 1, found: ABUSE.some((c) => s.categories.has(c)) })),
  );
  const spam = precisionRecall(
    screened
      .filter((s) => s.row.spam !== undefined)
      .map((s) => ({ positive: s.row.spam === 1, found: s.categories.has('spam') })),
  );
  const links = urls.map((u) => {
    const verdict = screenText(u.url, CONTEXT, compiled);
    return { positive: u.label === 1, found: summary(verdict).categories.includes('phishing'), action: verdict.action };
  });
  const legitimate = links.filter((l) => !l.positive);
  const cards = cardVectors();
  const survived = cards.filter((text) => {
    const out = screenText(text, CONTEXT, compiled).text ?? '';
    return /\d(?:[ -]?\d){12,18}/.test(out);
  }).length;
  return {
    ordinary: {
      n: ordinary.length,
      flagged: rate(ordinary.filter((s) => s.action !== 'allow').length, ordinary.length),
      blocked: rate(ordinary.filter((s) => s.action === 'block').length, ordinary.length),
      bySource: Object.fromEntries(
        Object.entries(bySource).map(([k, v]) => [
          k,
          { n: v.n, flagged: rate(v.flagged, v.n), blocked: rate(v.blocked, v.n) },
        ]),
      ),
    },
    abuse,
    spam,
    phishing: {
      ...precisionRecall(links),
      legitimate_flagged: rate(legitimate.filter((l) => l.found).length, legitimate.length),
      legitimate_blocked: rate(legitimate.filter((l) => l.action === 'block').length, legitimate.length),
    },
    cards: { vectors: cards.length, survived },
  };
}

/** The held-back split in the repository. */
export function heldOutDirectory(from = import.meta.dirname): string {
  return join(from, '../../test/fixtures/screening/heldout');
}
