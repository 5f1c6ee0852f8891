/**
 * The pieces of `pnpm train:screening` (scripts/train-screening.ts) that tests check on their
 * own: deterministic splitting by near-duplicate cluster, logistic regression with AdaGrad over
 * hashed features (same examples and seed, same bytes), calibration of thresholds, figures.
 */
import { FEATURE_BITS, featureValue, type LinearModel } from '../src/screening/model/features.js';

export const SEED = 20261129;

export type Split = 'train' | 'val' | 'test';

/** What splitting needs of an item: its text, and a key that keeps linked items together. */
export interface Splittable {
  text: string;
  link?: string;
  split?: Split;
}

// ---------------------------------------------------------------------------------------------
// Splitting by near-duplicate cluster or domain

export function fnv(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

export function splitOf(key: string): Split {
  const bucket = fnv(`${SEED}/${key}`) % 100;
  return bucket < 80 ? 'train' : bucket < 90 ? 'val' : 'test';
}

export class UnionFind {
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
export function assignTextSplits(items: Splittable[]): void {
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

export interface Example {
  features: Int32Array;
  label: 0 | 1;
  /** How much the example counts (1 when absent): the domain the models serve counts more. */
  weight?: number;
}

export interface Trained extends LinearModel {
  /** The int8 weights and their scale, as written. */
  quantised: Int8Array;
  scale: number;
}

export function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function train(examples: Example[], options = { epochs: 6, rate: 0.2, l2: 2e-6 }): Trained {
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
      const gradient = (p - label) * weightOf[label]! * (examples[index]!.weight ?? 1);
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

export interface Thresholds {
  flag: number;
  block: number;
}

export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 1;
}

export const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Thresholds from the validation split: flag where at most 1 % of ordinary texts score
 * above, block where at most 0.1 % do and the positives above it are at least 99 % right.
 */
export function calibrate(ordinary: number[], scored: { p: number; label: 0 | 1 }[]): Thresholds {
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

export interface Figures {
  n: number;
  positives: number;
  precision: number;
  recall: number;
  block_recall: number;
  ordinary?: { n: number; flagged: number; blocked: number };
  hardNegatives?: { n: number; flagged: number; blocked: number };
}

export type Scored = { p: number; label: 0 | 1; ordinary?: boolean | undefined; hard?: boolean | undefined };

export function rates(rows: Scored[], t: Thresholds) {
  return {
    n: rows.length,
    flagged: round(rows.filter((s) => s.p >= t.flag).length / rows.length, 4),
    blocked: round(rows.filter((s) => s.p >= t.block).length / rows.length, 4),
  };
}

export function figures(scored: Scored[], t: Thresholds): Figures {
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
