/**
 * Trains Parley's learned screening models from public labelled data and the corpus written for
 * the project, and writes what the server loads and the tests check:
 *
 *   packages/server/models/screening/{abuse,spam,phishing}.bin   int8 weights, 2^18 buckets
 *   packages/server/models/screening/manifest.json               scales, biases, thresholds, figures
 *   packages/server/test/fixtures/screening/heldout/*.jsonl      the held-back test split
 *
 * Usage: pnpm train:screening [--data <dir>] [--no-write]
 * The data directory defaults to ../shared/data/screening next to the repository (see its
 * README for provenance and licences). Same data and seed give byte-identical weights.
 *
 * Splits are by near-duplicate cluster (MinHash over word 3-grams; HatemojiBuild's perturbation
 * pairs kept together) for texts and by registrable domain for URLs, never by row: 80 % train,
 * 10 % validation (calibration), 10 % test (held back). The CC BY-SA Stormfront set is never
 * trained on and never written to the repository; it is only evaluated on.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { getDomain } from 'tldts';
import { FEATURE_BITS, featureValue, type LinearModel, score, textFeatures, urlFeatures } from '../src/screening/model/features.js';

const here = dirname(fileURLToPath(import.meta.url));
const bucketsOf = (buffer: Int32Array) => ({ buffer, count: buffer.length });
const root = join(here, '../../..');
const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const DATA = arg('--data') ?? process.env.PARLEY_SCREENING_DATA ?? join(root, '../shared/data/screening');
const WRITE = !args.includes('--no-write');
const MODELS = join(root, 'packages/server/models/screening');
const FIXTURES = join(root, 'packages/server/test/fixtures/screening');
const SEED = 20261129;

type Split = 'train' | 'val' | 'test';
type Task = 'abuse' | 'spam';

interface TextItem {
  text: string;
  source: string;
  abuse?: 0 | 1;
  spam?: 0 | 1;
  /** Everyday text nobody should be stopped for: calibration and the benign rates. */
  ordinary?: boolean;
  /** A negative chosen to look like a positive (same topics and words): reported apart. */
  hard?: boolean;
  /** Kept in one split with the others of the same link (perturbation pairs). */
  link?: string;
  /** Evaluated on only (share-alike licence). */
  evaluationOnly?: boolean;
  split?: Split;
}

interface UrlItem {
  url: string;
  host: string;
  registrable: string;
  source: string;
  label: 0 | 1;
  split?: Split;
}

// ---------------------------------------------------------------------------------------------
// Loading

function csv(file: string): Record<string, string>[] {
  return parse(readFileSync(join(DATA, file)), { columns: true, skip_empty_lines: true, relax_quotes: true });
}

function jsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);
}

function loadTexts(): TextItem[] {
  const items: TextItem[] = [];
  for (const r of csv('hatexplain/hatexplain.csv')) {
    // The corpus's placeholders, written the way chat text writes them.
    const text = r.text!.replace(/<user>/g, '@user').replace(/<number>/g, '7');
    const normal = r.label_name === 'normal';
    // "Normal" posts here were sampled for their hate keywords: hard negatives, not everyday text.
    items.push({ text, source: 'hatexplain', abuse: normal ? 0 : 1, spam: 0, hard: normal });
  }
  for (const r of csv('hatemoji_build/hatemoji_build.csv')) {
    const pair = r.matched_id && r.matched_id !== 'nan' ? [r.entry_id, r.matched_id].sort().join('-') : r.entry_id;
    items.push({ text: r.text!, source: 'hatemoji', abuse: r.label === '1' ? 1 : 0, spam: 0, link: `hm${pair}` });
  }
  for (const r of csv('convabuse/convabuse.csv')) {
    if (r.label_name === 'ambiguous_split') continue;
    const abusive = r.label === '1';
    items.push({ text: r.text!, source: 'convabuse', abuse: abusive ? 1 : 0, spam: 0, ordinary: !abusive });
  }
  for (const r of csv('toxigen_seeds/toxigen_seeds.csv')) {
    items.push({ text: r.text!, source: 'toxigen', abuse: r.label === '1' ? 1 : 0, spam: 0 });
  }
  for (const r of csv('toxic_spans/toxic_spans.csv'))
    items.push({ text: r.text!, source: 'toxic_spans', abuse: 1, spam: 0 });
  for (const r of csv('spamassassin/spamassassin.csv')) {
    const text = `${r.subject ?? ''}\n${r.text ?? ''}`.trim();
    // Long ordinary mail teaches the abuse model that length and technical talk are not abuse.
    items.push({ text, source: 'spamassassin', spam: r.label === '1' ? 1 : 0, abuse: 0 });
  }
  for (const r of csv('stormfront/stormfront.csv')) {
    if (r.label_name !== 'hate' && r.label_name !== 'noHate') continue;
    items.push({ text: r.text!, source: 'stormfront', abuse: r.label === '1' ? 1 : 0, evaluationOnly: true });
  }
  for (const r of jsonl<{ text: string; source: string }>(join(FIXTURES, 'written/ordinary.jsonl'))) {
    items.push({ text: r.text, source: r.source, abuse: 0, spam: 0, ordinary: true });
  }
  for (const r of jsonl<{ text: string; abuse: 0 | 1; spam: 0 | 1; kind: string }>(
    join(FIXTURES, 'written/labelled.jsonl'),
  )) {
    const benign = r.abuse === 0 && r.spam === 0;
    items.push({ text: r.text, source: `written-${r.kind}`, abuse: r.abuse, spam: r.spam, ordinary: benign });
  }
  return items;
}

function urlItem(url: string, source: string, label: 0 | 1): UrlItem | undefined {
  let host: string;
  try {
    host = new URL(/^[a-z]+:\/\//i.test(url) ? url : `http://${url}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  const registrable = getDomain(host, { allowPrivateDomains: true }) ?? host;
  return { url, host, registrable, source, label };
}

function loadUrls(): UrlItem[] {
  const items: UrlItem[] = [];
  const push = (item: UrlItem | undefined) => item && items.push(item);
  const legitimateHosts = new Set<string>();
  for (const r of csv('urls_hannousse/web_page_phishing_urls.csv')) {
    const url = r.text!.replace(/&amp;/g, '&');
    const label = r.label === '1' ? 1 : 0;
    push(urlItem(url, 'hannousse', label));
    if (label === 0) legitimateHosts.add(r.host!);
  }
  // A host alone is how a deny list and many chat messages write a link: pair the deny list's
  // hosts with legitimate hosts written the same way, so that "no path" is not a signal.
  for (const host of [...legitimateHosts].sort()) push(urlItem(`https://${host}/`, 'hannousse-hosts', 0));
  const deny = csv('domains_polkadot_phishing/polkadot_deny_domains.csv').map((r) => r.text!);
  // A sample the size of the rest, chosen by hash: the full list would drown the other sources.
  const sampled = deny.filter((d) => fnv(`${SEED}:${d}`) % deny.length < 6000).sort();
  for (const d of sampled) push(urlItem(`https://${d}/`, 'polkadot', 1));
  for (const r of jsonl<{ text: string; label: 0 | 1; kind: string }>(join(FIXTURES, 'written/urls.jsonl'))) {
    push(urlItem(r.text, `written-${r.kind}`, r.label));
  }
  return items;
}

// ---------------------------------------------------------------------------------------------
// Splitting by near-duplicate cluster or domain

function fnv(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

function splitOf(key: string): Split {
  const bucket = fnv(`${SEED}/${key}`) % 100;
  return bucket < 80 ? 'train' : bucket < 90 ? 'val' : 'test';
}

class UnionFind {
  private readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
  }
  find(i: number): number {
    while (this.parent[i] !== i) {
      this.parent[i] = this.parent[this.parent[i]!]!;
      i = this.parent[i]!;
    }
    return i;
  }
  union(a: number, b: number): void {
    const [x, y] = [this.find(a), this.find(b)];
    if (x !== y) this.parent[Math.max(x, y)] = Math.min(x, y);
  }
}

const normalise = (text: string) =>
  text
    .toLowerCase()
    .replace(/https?:\/\/\S+|@\w+/g, ' ')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

/**
 * Near duplicates share a split: texts whose MinHash signatures (20 hashes of word 3-grams)
 * agree on any band of 4 (Jaccard ≳ 0.6 is caught with high probability), exact duplicates
 * after normalisation, and linked items.
 */
function assignTextSplits(items: TextItem[]): void {
  const uf = new UnionFind(items.length);
  const firstByKey = new Map<string, number>();
  const join = (key: string, i: number) => {
    const seen = firstByKey.get(key);
    if (seen === undefined) firstByKey.set(key, i);
    else uf.union(seen, i);
  };
  items.forEach((item, i) => {
    const words = normalise(item.text);
    join(`exact:${words.join(' ')}`, i);
    if (item.link) join(`link:${item.link}`, i);
    if (words.length < 5) return;
    const shingles: number[] = [];
    for (let w = 0; w + 3 <= words.length; w++) shingles.push(fnv(words.slice(w, w + 3).join(' ')));
    const signature: number[] = [];
    for (let h = 0; h < 20; h++) {
      let min = 0xffffffff;
      for (const s of shingles) min = Math.min(min, (Math.imul(s ^ (h * 0x9e3779b1), 0x85ebca6b) ^ (s >>> 13)) >>> 0);
      signature.push(min);
    }
    for (let band = 0; band < 5; band++) join(`band${band}:${signature.slice(band * 4, band * 4 + 4).join(',')}`, i);
  });
  const keyOfRoot = new Map<number, string>();
  items.forEach((item, i) => {
    const r = uf.find(i);
    if (!keyOfRoot.has(r)) keyOfRoot.set(r, normalise(items[r]!.text).join(' ') || items[r]!.text);
    item.split = splitOf(keyOfRoot.get(r)!);
  });
}

// ---------------------------------------------------------------------------------------------
// Training: logistic regression with AdaGrad over hashed features

interface Example {
  features: Int32Array;
  label: 0 | 1;
}

interface Trained extends LinearModel {
  /** The int8 weights and their scale, as written. */
  quantised: Int8Array;
  scale: number;
}

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function train(examples: Example[], options = { epochs: 6, rate: 0.2, l2: 2e-6 }): Trained {
  const size = 1 << FEATURE_BITS;
  const w = new Float64Array(size);
  const g2 = new Float64Array(size).fill(1e-8);
  let bias = 0;
  let biasG2 = 1e-8;
  const positives = examples.filter((e) => e.label === 1).length;
  const negatives = examples.length - positives;
  // Each class weighs the same in total, so a rare class is not ignored.
  const weightOf = [examples.length / (2 * Math.max(1, negatives)), examples.length / (2 * Math.max(1, positives))];
  const order = examples.map((_, i) => i);
  const random = mulberry32(SEED);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const index of order) {
      const { features, label } = examples[index]!;
      const value = featureValue(features.length);
      let z = bias;
      for (const f of features) z += w[f]! * value;
      const p = 1 / (1 + Math.exp(-z));
      const gradient = (p - label) * weightOf[label]!;
      for (const f of features) {
        const g = gradient * value + options.l2 * w[f]!;
        g2[f]! += g * g;
        w[f]! -= (options.rate * g) / Math.sqrt(g2[f]!);
      }
      biasG2 += gradient * gradient;
      bias -= (options.rate * gradient) / Math.sqrt(biasG2);
    }
  }
  let max = 0;
  for (const v of w) max = Math.max(max, Math.abs(v));
  const scale = max / 127 || 1;
  const quantised = new Int8Array(size);
  const weights = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    quantised[i] = Math.round(w[i]! / scale);
    weights[i] = quantised[i]! * scale;
  }
  return { quantised, scale, weights, bias: Math.fround(bias) };
}

// ---------------------------------------------------------------------------------------------
// Calibration and figures

interface Thresholds {
  flag: number;
  block: number;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 1;
}

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Thresholds from the validation split: flag where at most 1 % of ordinary texts score
 * above, block where at most 0.1 % do and the positives above it are at least 99 % right.
 */
function calibrate(ordinary: number[], scored: { p: number; label: 0 | 1 }[]): Thresholds {
  const flag = Math.max(0.5, quantile(ordinary, 0.99));
  let block = Math.max(flag, quantile(ordinary, 0.999), 0.9);
  for (const candidate of [0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995, 0.998, 0.999]) {
    if (candidate < block) continue;
    const above = scored.filter((s) => s.p >= candidate);
    const right = above.filter((s) => s.label === 1).length;
    block = candidate;
    if (above.length === 0 || right / above.length >= 0.99) break;
  }
  return { flag: round(flag, 4), block: round(block, 4) };
}

interface Figures {
  n: number;
  positives: number;
  precision: number;
  recall: number;
  block_recall: number;
  ordinary?: { n: number; flagged: number; blocked: number };
  hardNegatives?: { n: number; flagged: number; blocked: number };
}

type Scored = { p: number; label: 0 | 1; ordinary?: boolean | undefined; hard?: boolean | undefined };

function rates(rows: Scored[], t: Thresholds) {
  return {
    n: rows.length,
    flagged: round(rows.filter((s) => s.p >= t.flag).length / rows.length, 4),
    blocked: round(rows.filter((s) => s.p >= t.block).length / rows.length, 4),
  };
}

function figures(scored: Scored[], t: Thresholds): Figures {
  const positives = scored.filter((s) => s.label === 1);
  const flagged = scored.filter((s) => s.p >= t.flag);
  const tp = flagged.filter((s) => s.label === 1).length;
  const ordinary = scored.filter((s) => s.ordinary);
  const hard = scored.filter((s) => s.hard);
  return {
    n: scored.length,
    positives: positives.length,
    precision: round(flagged.length ? tp / flagged.length : 1),
    recall: round(positives.length ? tp / positives.length : 1),
    block_recall: round(positives.length ? positives.filter((s) => s.p >= t.block).length / positives.length : 1),
    ...(ordinary.length ? { ordinary: rates(ordinary, t) } : {}),
    ...(hard.length ? { hardNegatives: rates(hard, t) } : {}),
  };
}

// ---------------------------------------------------------------------------------------------

function textTask(items: TextItem[], task: Task) {
  const labelled = items.filter((i) => i[task] !== undefined);
  const cache = new Map<TextItem, Int32Array>();
  const featuresOf = (item: TextItem) => {
    let f = cache.get(item);
    if (!f) {
      f = textFeatures(item.text).toArray();
      cache.set(item, f);
    }
    return f;
  };
  const fit = (rows: TextItem[]) => train(rows.map((i) => ({ features: featuresOf(i), label: i[task]! })));
  const scoreAll = (model: LinearModel, rows: TextItem[]) =>
    rows.map((i) => ({
      p: score(model, bucketsOf(featuresOf(i))),
      label: i[task]!,
      ordinary: i.ordinary,
      hard: i.hard,
      source: i.source,
    }));

  const trainable = labelled.filter((i) => !i.evaluationOnly);
  const model = fit(trainable.filter((i) => i.split === 'train'));
  const validation = scoreAll(
    model,
    trainable.filter((i) => i.split === 'val'),
  );
  const thresholds = calibrate(
    validation.filter((s) => s.ordinary).map((s) => s.p),
    validation,
  );
  const test = scoreAll(
    model,
    trainable.filter((i) => i.split === 'test'),
  );
  const bySource: Record<string, Figures> = {};
  for (const source of [...new Set(test.map((s) => s.source))].sort()) {
    bySource[source] = figures(
      test.filter((s) => s.source === source),
      thresholds,
    );
  }
  // Cross-dataset: each public source held out whole, the model trained on the others.
  const cross: Record<string, Figures> = {};
  const sources = [...new Set(labelled.map((i) => i.source))].filter(
    (s) => !s.startsWith('written') && !s.includes('support'),
  );
  for (const heldOut of sources) {
    const positivesElsewhere = trainable.some((i) => i.source !== heldOut && i[task] === 1);
    const heldRows = labelled.filter((i) => i.source === heldOut);
    if (!positivesElsewhere || !heldRows.some((i) => i[task] === 1)) continue;
    const rest = trainable.filter((i) => i.source !== heldOut);
    const m = heldOut === 'stormfront' ? model : fit(rest.filter((i) => i.split === 'train'));
    const val = scoreAll(
      m,
      rest.filter((i) => i.split === 'val'),
    );
    const t = calibrate(
      val.filter((s) => s.ordinary).map((s) => s.p),
      val,
    );
    cross[heldOut] = figures(scoreAll(m, heldRows), t);
  }
  return { model, thresholds, test: figures(test, thresholds), bySource, cross, trainRows: trainable.length };
}

function urlTask(items: UrlItem[]) {
  const cache = new Map<UrlItem, Int32Array>();
  const f = (i: UrlItem) => {
    let v = cache.get(i);
    if (!v) {
      v = urlFeatures(i.url, i.registrable, i.host).toArray();
      cache.set(i, v);
    }
    return v;
  };
  const fit = (rows: UrlItem[]) => train(rows.map((i) => ({ features: f(i), label: i.label })));
  // Ordinary, for URLs: legitimate ones and links pasted in support chats.
  const scoreAll = (m: LinearModel, rows: UrlItem[]) =>
    rows.map((i) => ({ p: score(m, bucketsOf(f(i))), label: i.label, ordinary: i.label === 0, source: i.source }));
  const model = fit(items.filter((i) => i.split === 'train'));
  const val = scoreAll(
    model,
    items.filter((i) => i.split === 'val'),
  );
  const thresholds = calibrate(
    val.filter((s) => s.ordinary).map((s) => s.p),
    val,
  );
  const test = scoreAll(
    model,
    items.filter((i) => i.split === 'test'),
  );
  const bySource: Record<string, Figures> = {};
  for (const source of [...new Set(test.map((s) => s.source))].sort()) {
    bySource[source] = figures(
      test.filter((s) => s.source === source),
      thresholds,
    );
  }
  // Cross-dataset: the deny list's domains against a model that never saw them, and the
  // Hannousse URLs against one trained on the deny list, the written links and legitimate hosts.
  const cross: Record<string, Figures> = {};
  for (const [name, heldOut] of [
    ['polkadot', (i: UrlItem) => i.source === 'polkadot'],
    ['hannousse', (i: UrlItem) => i.source === 'hannousse'],
  ] as const) {
    const rest = items.filter((i) => !heldOut(i));
    const m = fit(rest.filter((i) => i.split === 'train'));
    const v = scoreAll(
      m,
      rest.filter((i) => i.split === 'val'),
    );
    const t = calibrate(
      v.filter((s) => s.ordinary).map((s) => s.p),
      v,
    );
    const held = items.filter(heldOut);
    // The deny list has no negatives: pair it with the legitimate hosts in the test split.
    const negatives =
      name === 'polkadot' ? items.filter((i) => i.source === 'hannousse-hosts' && i.split === 'test') : [];
    cross[name] = figures(scoreAll(m, [...held, ...negatives]), t);
  }
  return { model, thresholds, test: figures(test, thresholds), bySource, cross, trainRows: items.length };
}

// ---------------------------------------------------------------------------------------------

const started = Date.now();
const texts = loadTexts();
assignTextSplits(texts);
const urls = loadUrls();
for (const u of urls) u.split = splitOf(`domain:${u.registrable}`);
console.log(`loaded ${texts.length} texts and ${urls.length} URLs from ${DATA}`);

const results = {
  abuse: textTask(texts, 'abuse'),
  spam: textTask(texts, 'spam'),
  phishing: urlTask(urls),
};

const manifest = {
  version: `${new Date().toISOString().slice(0, 10)}.1`,
  seed: SEED,
  featureBits: FEATURE_BITS,
  models: {} as Record<string, unknown>,
};
const report: Record<string, unknown> = {};
for (const [name, r] of Object.entries(results)) {
  const bytes = Buffer.from(r.model.quantised.buffer);
  manifest.models[name] = {
    file: `${name}.bin`,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    scale: r.model.scale,
    bias: r.model.bias,
    thresholds: r.thresholds,
    trainedOn: r.trainRows,
    heldBack: r.test,
  };
  report[name] = { thresholds: r.thresholds, test: r.test, bySource: r.bySource, crossDataset: r.cross };
  if (WRITE) {
    mkdirSync(MODELS, { recursive: true });
    writeFileSync(join(MODELS, `${name}.bin`), bytes);
  }
}
console.log(JSON.stringify(report, null, 1));
if (WRITE) {
  writeFileSync(join(MODELS, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(MODELS, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  const heldout = join(FIXTURES, 'heldout');
  mkdirSync(heldout, { recursive: true });
  const line = (o: object) => `${JSON.stringify(o)}\n`;
  writeFileSync(
    join(heldout, 'texts.jsonl'),
    texts
      .filter((t) => t.split === 'test' && !t.evaluationOnly)
      .map((t) =>
        line({
          text: t.text.slice(0, 2000),
          source: t.source,
          ...(t.abuse !== undefined ? { abuse: t.abuse } : {}),
          ...(t.spam !== undefined ? { spam: t.spam } : {}),
          ...(t.ordinary ? { ordinary: true } : {}),
        }),
      )
      .join(''),
  );
  writeFileSync(
    join(heldout, 'urls.jsonl'),
    urls
      .filter((u) => u.split === 'test')
      .map((u) => line({ url: u.url, source: u.source, label: u.label }))
      .join(''),
  );
}
console.log(`trained in ${((Date.now() - started) / 1000).toFixed(1)} s`);
