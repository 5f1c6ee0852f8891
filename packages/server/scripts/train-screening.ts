/**
 * Trains Parley's learned screening models from public labelled data and the corpus written for
 * the project, and writes what the server loads and the tests check:
 *
 *   packages/server/models/screening/{abuse,spam,phishing}.bin   int8 weights, 2^18 buckets
 *   packages/server/models/screening/manifest.json               scales, biases, thresholds, figures
 *   packages/server/test/fixtures/screening/heldout/*.jsonl      the held-back test split
 *
 * Usage: pnpm train:screening [--data <dir>] [--no-write] [--check]
 *   --check   retrain and compare with the committed weights (exit 1 when they differ)
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
import { FEATURE_BITS, type LinearModel, score, textFeatures, urlFeatures } from '../src/screening/model/features.js';
import {
  assignTextSplits,
  calibrate,
  type Figures,
  figures,
  fnv,
  type Scored,
  SEED,
  type Split,
  splitOf,
  type Trained,
  train,
} from './screening-training.js';

const here = dirname(fileURLToPath(import.meta.url));
const bucketsOf = (buffer: Int32Array) => ({ buffer, count: buffer.length });
const root = join(here, '../../..');
const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const DATA = arg('--data') ?? process.env.PARLEY_SCREENING_DATA ?? join(root, '../shared/data/screening');
const CHECK = args.includes('--check');
const WRITE = !args.includes('--no-write') && !CHECK;
const MODELS = join(root, 'packages/server/models/screening');
const FIXTURES = join(root, 'packages/server/test/fixtures/screening');

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
    // The subject and the opening, about a chat message's length: whole mails teach the model
    // their footers ("to be removed from our mailing list"), which customers also write.
    const text = `${r.subject ?? ''}\n${(r.text ?? '').slice(0, 400)}`.trim();
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

type Sourced = Scored & { source: string };
type ScoreAll<T> = (model: LinearModel, rows: T[]) => Sourced[];

/** Thresholds calibrated on the validation split of these rows. */
function calibrated<T extends { split?: Split }>(model: LinearModel, rows: T[], scoreAll: ScoreAll<T>) {
  const val = scoreAll(
    model,
    rows.filter((i) => i.split === 'val'),
  );
  return calibrate(
    val.filter((s) => s.ordinary).map((s) => s.p),
    val,
  );
}

/** Trains on the train split, calibrates on validation, measures on test: overall and by source. */
function fitAndMeasure<T extends { split?: Split }>(rows: T[], fit: (rows: T[]) => Trained, scoreAll: ScoreAll<T>) {
  const model = fit(rows.filter((i) => i.split === 'train'));
  const thresholds = calibrated(model, rows, scoreAll);
  const test = scoreAll(
    model,
    rows.filter((i) => i.split === 'test'),
  );
  const bySource: Record<string, Figures> = {};
  for (const source of [...new Set(test.map((s) => s.source))].sort()) {
    bySource[source] = figures(
      test.filter((s) => s.source === source),
      thresholds,
    );
  }
  return { model, thresholds, test: figures(test, thresholds), bySource };
}

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
  // Chat written for Parley is the domain the models serve: it counts three times.
  const fit = (rows: TextItem[]) =>
    train(
      rows.map((i) => ({
        features: featuresOf(i),
        label: i[task]!,
        weight: i.source.startsWith('written') || i.source.startsWith('templated') ? 3 : 1,
      })),
    );
  const scoreAll = (model: LinearModel, rows: TextItem[]) =>
    rows.map((i) => ({
      p: score(model, bucketsOf(featuresOf(i))),
      label: i[task]!,
      ordinary: i.ordinary,
      hard: i.hard,
      source: i.source,
    }));

  const trainable = labelled.filter((i) => !i.evaluationOnly);
  const { model, thresholds, test, bySource } = fitAndMeasure(trainable, fit, scoreAll);
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
    const t = calibrated(m, rest, scoreAll);
    cross[heldOut] = figures(scoreAll(m, heldRows), t);
  }
  return { model, thresholds, test, bySource, cross, trainRows: trainable.length };
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
  const { model, thresholds, test, bySource } = fitAndMeasure(items, fit, scoreAll);
  // Cross-dataset: the deny list's domains against a model that never saw them, and the
  // Hannousse URLs against one trained on the deny list, the written links and legitimate hosts.
  const cross: Record<string, Figures> = {};
  for (const [name, heldOut] of [
    ['polkadot', (i: UrlItem) => i.source === 'polkadot'],
    ['hannousse', (i: UrlItem) => i.source === 'hannousse'],
  ] as const) {
    const rest = items.filter((i) => !heldOut(i));
    const m = fit(rest.filter((i) => i.split === 'train'));
    const t = calibrated(m, rest, scoreAll);
    const held = items.filter(heldOut);
    // The deny list has no negatives: pair it with the legitimate hosts in the test split.
    const negatives =
      name === 'polkadot' ? items.filter((i) => i.source === 'hannousse-hosts' && i.split === 'test') : [];
    cross[name] = figures(scoreAll(m, [...held, ...negatives]), t);
  }
  return { model, thresholds, test, bySource, cross, trainRows: items.length };
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
  // Named after the weights, so the same data and seed give the same manifest on any day.
  version: createHash('sha256')
    .update(Buffer.concat(Object.values(results).map((r) => Buffer.from(r.model.quantised.buffer))))
    .digest('hex')
    .slice(0, 12),
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
if (CHECK) {
  const committed = JSON.parse(readFileSync(join(MODELS, 'manifest.json'), 'utf8')) as typeof manifest;
  const differing = Object.keys(manifest.models).filter(
    (name) =>
      (manifest.models[name] as { sha256: string }).sha256 !== (committed.models[name] as { sha256: string }).sha256,
  );
  console.log(
    differing.length ? `differs from the committed weights: ${differing.join(', ')}` : 'same weights as committed',
  );
  process.exitCode = differing.length ? 1 : 0;
}
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
