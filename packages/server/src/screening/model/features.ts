import { matchesOf } from '@parley/sdk/screening';
import { type Token, tokenize } from '../normalize.js';

/**
 * Features for the learned screening models: hashed word unigrams and bigrams, character
 * 4-grams of each word, emoji, and a few shapes (links, e-mail addresses, @mentions, money,
 * long digit runs), all folded into 2^BITS buckets. The training script and the server run this
 * same code, so a model scores exactly the features it was trained on.
 *
 * Words come from the abuse detectors' normaliser (look-alike letters, leetspeak, zero-width
 * characters and spaced-out letters undone), so a model sees "1d10t" as "idiot" too.
 */
export const FEATURE_BITS = 18;
const MASK = (1 << FEATURE_BITS) - 1;

const OFFSET = 2166136261;
const PRIME = 16777619;
const fold = (h: number) => (h ^ (h >>> 15)) & MASK;

/** FNV-1a over part of a string, seeded per feature kind, folded to the buckets. */
function hash(seed: number, s: string, from: number, to: number): number {
  let h = (OFFSET ^ seed) >>> 0;
  for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), PRIME);
  return fold(h);
}

const WORD = 1;
const BIGRAM = 2;
const CHARS = 3;
const SHAPE = 4;
const EMOJI = 5;
const URL_PART = 6;

const LINK = /\bhttps?:\/\/[^\s<>"']+|\bwww\.[^\s<>"']+/gi;
const EMAIL = /\b[\w.+-]+@[\w-]+\.[\w.-]+/g;
const MENTION = /(?:^|\s)@\w+|<user>/g;
const MONEY =
  /[£$€]\s?\d|\d\s?(?:p|ppm|pence)\/(?:msg|min|wk|week|text)|\b\d+(?:,\d{3})*\s?(?:usd|gbp|eur|dollars|pounds)\b/gi;
const PICTOGRAPH = /\p{Extended_Pictographic}/gu;

/** How many characters of a text the models read: enough for any chat message. */
export const MODEL_TEXT_LIMIT = 2000;

/**
 * The features of one text, in a buffer reused from text to text (the hot path allocates
 * nothing per feature): `buffer[0..count)` are bucket numbers, with repeats.
 */
export class Features {
  buffer = new Int32Array(1024);
  count = 0;

  push(bucket: number): void {
    if (this.count === this.buffer.length) {
      const grown = new Int32Array(this.buffer.length * 2);
      grown.set(this.buffer);
      this.buffer = grown;
    }
    this.buffer[this.count++] = bucket;
  }

  shape(name: string): void {
    this.push(hash(SHAPE, name, 0, name.length));
  }

  /** A copy of the buckets (for training). */
  toArray(): Int32Array {
    return this.buffer.slice(0, this.count);
  }
}

/** Character 4-grams of `<word>` (4-grams alone generalised better across datasets than 3–5). */
function charGrams(out: Features, word: string, length: number): void {
  const padded = length + 2;
  for (let start = 0; start + 4 <= padded; start++) {
    let h = (OFFSET ^ CHARS) >>> 0;
    for (let i = start; i < start + 4; i++) {
      const c = i === 0 ? 60 : i === padded - 1 ? 62 : word.charCodeAt(i - 1); // '<' word '>'
      h = Math.imul(h ^ c, PRIME);
    }
    out.push(fold(h));
  }
}

function isDigits(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

const shared = new Features();

/** Where links, e-mail addresses and @mentions are in `text[from, to)`: their words are not words. */
function shapeSpans(text: string, from: number, to: number, out: Features): number[] | undefined {
  let spans: number[] | undefined;
  const window = from === 0 && to === text.length ? text : text.slice(from, to);
  const find = (pattern: RegExp, name: string) => {
    for (const m of matchesOf(pattern, window)) {
      out.shape(name);
      spans ??= [];
      spans.push(from + m.index, from + m.index + m[0].length);
    }
  };
  if (window.includes('://') || window.includes('www.')) find(LINK, 'link');
  if (window.includes('@')) {
    find(EMAIL, 'email');
    find(MENTION, 'mention');
  } else if (window.includes('<user>')) find(MENTION, 'mention');
  return spans;
}

function inside(spans: number[], at: number): boolean {
  for (let i = 0; i < spans.length; i += 2) if (at >= spans[i]! && at < spans[i + 1]!) return true;
  return false;
}

// The commonest words: their character n-grams add nothing their word does not say.
const COMMON = new Set(
  'the and you that was for are with his they this have from one had not but what all were when can said there use each which she how their will other about out many then them these some her would make like him into time has look two more write see number way could people than first been call who its now find long down day did get come made may part'.split(
    ' ',
  ),
);

const MONEY_HINT = /\d\s?(?:p\b|p\/|ppm|pence|usd|gbp|eur|dollars|pounds)/i;

/**
 * The features of a chat text, or of the window `[from, to)` of a long one: hashed words and word
 * pairs, character 4-grams of each word, emoji, and shapes (links, e-mail addresses, @mentions,
 * money, shouting, very short texts). `tokens` are the text's normalised words when the caller
 * already has them (they are not computed again). The result is a shared buffer, valid until
 * the next call.
 */
export function textFeatures(
  text: string,
  tokens: Token[] = tokenize(text),
  out: Features = shared,
  from = 0,
  to = Math.min(text.length, from + MODEL_TEXT_LIMIT),
): Features {
  out.count = 0;
  const spans = shapeSpans(text, from, to, out);
  let capitals = 0;
  let letters = 0;
  let symbols = false;
  let money = false;
  let digits = false;
  for (let c = from; c < to; c++) {
    const code = text.charCodeAt(c);
    if (code >= 65 && code <= 90) capitals++;
    else if (code >= 97 && code <= 122) letters++;
    else if (code >= 48 && code <= 57) digits = true;
    else if (code === 0xa3 || code === 36 || code === 0x20ac) money = true;
    else if (code >= 0x2000) symbols = true;
  }
  if (money || (digits && MONEY_HINT.test(text.slice(from, to)))) {
    for (const _ of matchesOf(MONEY, text.slice(from, to))) out.shape('money');
  }
  if (symbols) for (const m of matchesOf(PICTOGRAPH, text.slice(from, to))) out.push(hash(EMOJI, m[0], 0, m[0].length));
  if (capitals > 8 && capitals > letters) out.shape('shouting');

  let previous = OFFSET ^ BIGRAM;
  let words = 0;
  for (const token of tokens) {
    if (token.start < from) continue;
    if (token.start >= to) break;
    if (spans && inside(spans, token.start)) continue;
    words++;
    const word = token.text;
    let h: number;
    if (isDigits(word)) {
      const shape = word.length >= 5 ? `#${Math.min(word.length, 12)}` : '#';
      h = hash(WORD, shape, 0, shape.length);
      out.push(h);
    } else {
      h = hash(WORD, word, 0, word.length);
      out.push(h);
      if (word.length > 2 && !COMMON.has(word)) charGrams(out, word, Math.min(word.length, 24));
    }
    out.push(fold(Math.imul(Math.imul(previous, PRIME) ^ h, PRIME)));
    previous = h;
  }
  if (words <= 3) out.shape(`short${words}`);
  return out;
}

// The kinds of URL parts, each hashed under its own seed (no strings built per part).
const TLD = 11;
const SCHEME = 12;
const DEPTH = 13;
const PATH_LENGTH = 14;
const SUBDOMAIN = 15;
const FLAG = 16;
const SUB_LABEL = 17;
const NAME = 18;
const PATH_WORD = 19;
const NUMBER = '#';

function part(out: Features, kind: number, s: string, from = 0, to = s.length): void {
  out.push(hash(URL_PART * 64 + kind, s, from, to));
}

/** Each run of letters and digits of `s[from, to)`, as a part of this kind. */
function words(out: Features, kind: number, s: string, from: number, to: number): void {
  let start = -1;
  for (let i = from; i <= to; i++) {
    const c = i < to ? s.charCodeAt(i) : 32;
    const alnum = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
    if (alnum && start < 0) start = i;
    else if (!alnum && start >= 0) {
      if (kind === PATH_WORD && isDigits(s.slice(start, i))) part(out, kind, NUMBER);
      else if (i - start > 20) part(out, kind, '~long');
      else part(out, kind, s, start, i);
      start = -1;
    }
  }
}

/** The parts of a URL for the phishing model: host labels, path words, shapes and character n-grams. */
export function urlFeatures(url: string, registrable: string, host: string, out: Features = shared): Features {
  out.count = 0;
  const lower = url.toLowerCase();
  const schemeEnd = lower.indexOf('://');
  const afterScheme = schemeEnd >= 0 && schemeEnd < 10 ? schemeEnd + 3 : 0;
  const slash = lower.indexOf('/', afterScheme);
  const pathStart = slash >= 0 ? slash : lower.length;
  const subLength = host.length > registrable.length ? host.length - registrable.length - 1 : 0;
  const dot = registrable.indexOf('.');
  part(out, TLD, registrable, dot + 1);
  part(out, SCHEME, lower.startsWith('https:') ? 's' : lower.startsWith('http:') ? 'h' : 'none');
  let labels = 1;
  for (let i = 0; i < host.length; i++) if (host.charCodeAt(i) === 46) labels++;
  part(out, DEPTH, String(Math.min(labels, 6)));
  part(out, PATH_LENGTH, String(Math.min(Math.floor((lower.length - pathStart) / 16), 8)));
  part(out, SUBDOMAIN, subLength === 0 ? 'none' : subLength === 3 && host.startsWith('www') ? 'www' : 'other');
  if (/\d/.test(registrable)) part(out, FLAG, 'digits-in-name');
  if (registrable.includes('-')) part(out, FLAG, 'hyphen-in-name');
  if (/[?&][a-z_]*=/.test(lower.slice(pathStart))) part(out, FLAG, 'query');
  const at = lower.indexOf('@', pathStart);
  if (at >= 0 || lower.indexOf('//', pathStart) >= 0) part(out, FLAG, 'odd-path');
  words(out, SUB_LABEL, host, 0, subLength);
  part(out, NAME, registrable, 0, dot);
  if (registrable.lastIndexOf('-', dot) >= 0) words(out, NAME, registrable, 0, dot);
  words(out, PATH_WORD, lower, pathStart, lower.length);
  charGrams(out, host, Math.min(host.length, 60));
  return out;
}

/** A linear model over the buckets: weights (dequantised) and a bias. */
export interface LinearModel {
  weights: Float32Array;
  bias: number;
}

/**
 * Two models over the same features, as their int8 weights interleaved (bucket i of the first at
 * 2i, of the second at 2i+1): half a megabyte that stays in the core's cache, and one cache line
 * read per bucket for both.
 */
export interface ModelPair {
  weights: Int8Array;
  scales: [number, number];
  biases: [number, number];
}

export function pairModels(
  first: { quantised: Int8Array; scale: number; bias: number },
  second: { quantised: Int8Array; scale: number; bias: number },
): ModelPair {
  const weights = new Int8Array(first.quantised.length * 2);
  for (let i = 0; i < first.quantised.length; i++) {
    weights[2 * i] = first.quantised[i]!;
    weights[2 * i + 1] = second.quantised[i]!;
  }
  return { weights, scales: [first.scale, second.scale], biases: [first.bias, second.bias] };
}

/**
 * Every feature's value: one over the square root of their count, but never more than for
 * NORMALISE_FROM features, so a text of two words carries less evidence than a sentence (a short
 * text with one odd word is not "sure" of anything).
 */
export const NORMALISE_FROM = 40;
export const featureValue = (count: number) => (count === 0 ? 0 : 1 / Math.sqrt(Math.max(count, NORMALISE_FROM)));

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

type Buckets = { readonly buffer: Int32Array; readonly count: number };

/** The model's probability for these features (each counted once per occurrence). */
export function score(model: LinearModel, features: Buckets): number {
  const weights = model.weights;
  const buffer = features.buffer;
  let sum = 0;
  for (let i = 0; i < features.count; i++) sum += weights[buffer[i]!]!;
  return sigmoid(model.bias + sum * featureValue(features.count));
}

/** Both models' probabilities, in one pass. */
export function scorePair(pair: ModelPair, features: Buckets): [number, number] {
  const weights = pair.weights;
  const buffer = features.buffer;
  let first = 0;
  let second = 0;
  for (let i = 0; i < features.count; i++) {
    const at = buffer[i]! << 1;
    first += weights[at]!;
    second += weights[at + 1]!;
  }
  const value = featureValue(features.count);
  return [
    sigmoid(pair.biases[0] + first * pair.scales[0] * value),
    sigmoid(pair.biases[1] + second * pair.scales[1] * value),
  ];
}
