import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Server from '@parley/server';
import type { ScreenContext } from '@parley/server';
import { percentile, round } from './stats.js';

// Screening as it ships: the built bundle (`pnpm bench` builds it first), not the sources
// through tsx, whose transform adds a call per closure created.
const root = join(import.meta.dirname, '../..');
const { compilePolicy, DEFAULT_POLICY, evaluateHeldOut, screenText, summary } = (await import(
  pathToFileURL(join(root, 'packages/server/dist/index.js')).href
)) as typeof Server;
const HELD_OUT = join(root, 'packages/server/test/fixtures/screening/heldout');

interface CorpusCase {
  id: string;
  text: string;
  name?: string;
  categories: string[];
}

const CORPUS = join(import.meta.dirname, '../../packages/server/test/fixtures/screening/corpus.jsonl');
const CONTEXT: ScreenContext = { role: 'visitor', appDomains: ['shop.example.com'], appName: 'Acme' };

/** A 10 KB application log, the kind attached to incident reports. */
function tenKilobyteLog(): string {
  const lines: string[] = [];
  for (let i = 0; lines.join('\n').length < 10_240; i++) {
    const t = new Date(Date.UTC(2026, 10, 22, 10, 0, i)).toISOString();
    lines.push(
      i % 7 === 3
        ? `${t} ERROR payment failed order=ord_${100_000 + i} card=4111 1111 1111 1111 status=402 https://api.shop.example.com/v1/charges/${i}`
        : `${t} INFO  GET /api/cart/${i}?session=s${i} 200 ${12 + (i % 40)}ms user=u_${i % 97} agent="Mozilla/5.0 (X11; Linux x86_64)"`,
    );
  }
  return lines.join('\n').slice(0, 10_240);
}

/** Calls per second of `fn` over `ms`, after a warm-up. */
function throughput(texts: string[], fn: (text: string) => unknown, ms: number): number {
  const end = performance.now() + 1500; // long enough for the optimising compiler to settle
  while (performance.now() < end) for (const t of texts) fn(t);
  let n = 0;
  const started = performance.now();
  while (performance.now() - started < ms) {
    for (const t of texts) fn(t);
    n += texts.length;
  }
  return n / ((performance.now() - started) / 1000);
}

function latenciesUs(texts: string[], fn: (text: string) => unknown, calls: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < calls; i++) {
    const text = texts[i % texts.length]!;
    const t = process.hrtime.bigint();
    fn(text);
    out.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  return out;
}

/**
 * Screening on one core (this process, one thread): short chat messages and 10 KB logs, against
 * a baseline measured in the same run (the JSON round trip every message already pays);
 * precision and recall per category on the labelled corpus; and the figures of the held-back
 * split of the training data (ordinary text flagged and blocked, recall per kind, cards).
 */
export function runScreening(options: { measureMs: number }) {
  const corpus = readFileSync(CORPUS, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as CorpusCase);
  const policy = compilePolicy(DEFAULT_POLICY);
  const screen = (text: string) => screenText(text, CONTEXT, policy);
  const short = corpus.map((c) => c.text).filter((t) => t.length <= 200);

  const baseline = throughput(short, (t) => JSON.parse(JSON.stringify({ text: t })), options.measureMs);
  const msgsPerS = throughput(short, screen, options.measureMs);
  const shortLatency = latenciesUs(short, screen, 50_000);
  const log = tenKilobyteLog();
  // 2,000 calls: a p99 of 500 would be the fifth-slowest call, one garbage collection away.
  const logLatency = latenciesUs([log], screen, 2000);

  const categories = new Map<string, { tp: number; fp: number; fn: number }>();
  const count = (c: string) => {
    const v = categories.get(c) ?? { tp: 0, fp: 0, fn: 0 };
    categories.set(c, v);
    return v;
  };
  let negatives = 0;
  let falsePositives = 0;
  for (const c of corpus) {
    const found = new Set<string>(
      summary(screenText(c.text, { ...CONTEXT, ...(c.name ? { senderName: c.name } : {}) }, policy)).categories,
    );
    const expected = new Set(c.categories);
    for (const e of expected) count(e)[found.has(e) ? 'tp' : 'fn']++;
    for (const f of found) if (!expected.has(f)) count(f).fp++;
    if (expected.size === 0) {
      negatives++;
      if (found.size > 0) falsePositives++;
    }
  }
  const perCategory = Object.fromEntries(
    [...categories.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, { tp, fp, fn }]) => [
        name,
        {
          cases: tp + fn,
          precision: tp + fp === 0 ? 1 : round(tp / (tp + fp), 3),
          recall: tp + fn === 0 ? 1 : round(tp / (tp + fn), 3),
        },
      ]),
  );
  return {
    held_out: evaluateHeldOut(HELD_OUT),
    msgs_per_s: Math.round(msgsPerS),
    p99_us: round(percentile(shortLatency, 99), 1),
    p50_us: round(percentile(shortLatency, 50), 1),
    log_10kb_p50_us: round(percentile(logLatency, 50), 1),
    log_10kb_p99_us: round(percentile(logLatency, 99), 1),
    baseline_json_roundtrip_per_s: Math.round(baseline),
    ratio_vs_json_roundtrip: round(msgsPerS / baseline, 3),
    corpus: {
      cases: corpus.length,
      negatives,
      false_positive_rate_on_negatives: round(falsePositives / Math.max(1, negatives), 3),
      categories: perCategory,
    },
  };
}
