import type { ScreeningCategory } from '@parley/sdk/protocol';
import { squeeze, type Token, tokenize } from './normalize.js';

/**
 * Every keyword set and word list, registered once at load: word → bit mask of the sets that
 * hold it, so one pass over a text's words answers every "does it contain one of these".
 */
const EXACT = new Map<string, number>();
/** For word lists: squeezed word → [bit, shortest listed word] ("fuuuck" matches "fuck"). */
const SQUEEZED = new Map<string, [bit: number, minLength: number][]>();
let nextBit = 0;
/** Whether any listed word is a number (none is today): numbers in logs then skip the lookups. */
let numericWords = false;

/** A registered set of words; `ScreenInput.hasAny` and `wordSpans` test it. */
export interface KeywordSet {
  readonly bit: number;
}

function register(words: Iterable<string>, squeezed: boolean): KeywordSet {
  if (nextBit >= 31) throw new Error('too many keyword sets for one mask');
  const bit = 1 << nextBit++;
  for (const w of words) {
    if (/^\d+$/.test(w)) numericWords = true;
    EXACT.set(w, (EXACT.get(w) ?? 0) | bit);
    if (squeezed) {
      const s = squeeze(w);
      if (s !== w) SQUEEZED.set(s, [...(SQUEEZED.get(s) ?? []), [bit, w.length]]);
    }
  }
  return { bit };
}

/** Past this length a text is read for words only where it is prose. */
export const LONG_TEXT = 2000;

/**
 * The text with its machine lines blanked to spaces (the same length, so every offset still
 * points at the original): a line is prose when at least half of its words are letters only.
 * Undefined when no line is prose.
 */
export function proseOnly(text: string): string | undefined {
  let out = '';
  let any = false;
  let lineStart = 0;
  let words = 0;
  let plain = 0;
  let inWord = false;
  let letters = true;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 10;
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      if (inWord) {
        words++;
        if (letters) plain++;
      }
      inWord = false;
      if (c === 10 || i === text.length) {
        const end = Math.min(i + 1, text.length);
        const prose = words > 0 && plain * 2 >= words;
        any ||= prose;
        out += prose ? text.slice(lineStart, end) : ' '.repeat(end - lineStart);
        lineStart = end;
        words = 0;
        plain = 0;
      }
      continue;
    }
    if (!inWord) {
      inWord = true;
      letters = true;
    }
    const lower = c | 32;
    // Letters, and the punctuation that ends or joins a word in prose.
    if (!((lower >= 97 && lower <= 122) || c >= 128 || c === 39 || c === 44 || c === 46 || c === 33 || c === 63))
      letters = false;
  }
  return any ? out : undefined;
}

function isNumber(word: string): boolean {
  for (let i = 1; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Who wrote the text, and where it is going: some detectors only apply to one side. */
export interface ScreenContext {
  role: 'visitor' | 'agent';
  /** The sender's display name, checked for claims to be staff. */
  senderName?: string | null;
  /** The app's own domains (from its allowed origins), for look-alike links. */
  appDomains?: readonly string[];
  /** The app's name, for claims to speak for it. */
  appName?: string;
}

export interface Span {
  start: number;
  end: number;
}

/** What one detector found. Rules name detectors; the policy decides what happens. */
export interface Finding {
  /** The detector id rules refer to, e.g. `card`, `phishing_link`, `threat`. */
  detector: string;
  /** The category this finding belongs to unless the rule says otherwise. */
  category: ScreeningCategory;
  /** Where it is in the original text; empty when it is about the whole message or the name. */
  spans: Span[];
  /** For redaction: what replaces each span (same order). */
  replacements?: string[];
  /**
   * How sure the detector is, 0–1 (1 when absent): a model's probability, or less than 1 for a
   * rule that matched a weaker form (an SSN without a context word). Rules act on it by their
   * `confidence` threshold.
   */
  confidence?: number;
}

/** The text with what every detector may need, computed once and only when asked for. */
export class ScreenInput {
  private tokenCache: Token[] | undefined;
  private lowerCache: string | undefined;
  private wordsCache: string | undefined;
  private rawWordsCache: string | undefined;
  private maskCache: Int32Array | undefined;
  /** Memo for detectors that share a derived value (the links of the text). */
  readonly memo = new Map<string, unknown>();
  private allMask = 0;
  private digitCount = -1;

  constructor(
    readonly text: string,
    readonly context: ScreenContext,
  ) {}

  /**
   * The words of the text, normalised. In a long text (a pasted log) only its prose is read for
   * words: lines where most words are not plain words (timestamps, ids, paths, key=value) are
   * machine output, screened by the detectors that read the raw text (cards, secrets, commands,
   * links, payloads), not by the word lists and models, which were made for what people write.
   */
  get tokens(): Token[] {
    if (!this.tokenCache) {
      const prose = this.text.length > LONG_TEXT ? proseOnly(this.text) : this.text;
      this.tokenCache = prose === undefined ? [] : tokenize(prose);
    }
    return this.tokenCache;
  }

  /** Per word, the bits of the keyword sets holding it; and all of them together. */
  private masks(): Int32Array {
    if (this.maskCache) return this.maskCache;
    const tokens = this.tokens;
    const masks = new Int32Array(tokens.length);
    let all = 0;
    for (let i = 0; i < tokens.length; i++) {
      const text = tokens[i]!.text;
      const first = text.charCodeAt(0);
      if (!numericWords && first >= 48 && first <= 57 && isNumber(text)) continue;
      let m = EXACT.get(text) ?? 0;
      const s = squeeze(text);
      if (s !== text) for (const [bit, min] of SQUEEZED.get(s) ?? []) if (text.length >= min) m |= bit;
      masks[i] = m;
      all |= m;
    }
    this.allMask = all;
    this.maskCache = masks;
    return masks;
  }

  /** The spans of the words in this set. */
  wordSpans(set: KeywordSet): Span[] {
    const masks = this.masks();
    if ((this.allMask & set.bit) === 0) return [];
    const spans: Span[] = [];
    for (let i = 0; i < masks.length; i++) {
      if (masks[i]! & set.bit) spans.push({ start: this.tokens[i]!.start, end: this.tokens[i]!.end });
    }
    return spans;
  }

  /** The normalised words joined by single spaces, with a space at each end: for phrase patterns. */
  get words(): string {
    this.wordsCache ??= ` ${this.tokens.map((t) => t.text).join(' ')} `;
    return this.wordsCache;
  }

  /**
   * Tests a phrase pattern on the words, and on the words as written when letters were joined
   * ("u r a moron" is three words and an insult, "f u c k" one word).
   */
  matches(pattern: RegExp): boolean {
    if (pattern.test(this.words)) return true;
    if (!this.tokens.some((t) => t.parts)) return false;
    this.rawWordsCache ??= ` ${this.tokens.flatMap((t) => t.parts ?? [t.text]).join(' ')} `;
    return pattern.test(this.rawWordsCache);
  }

  /** Whether any word of the text is one of these (the cheap check before a phrase pattern). */
  hasAny(set: KeywordSet): boolean {
    this.masks();
    return (this.allMask & set.bit) !== 0;
  }

  get lower(): string {
    this.lowerCache ??= this.text.toLowerCase();
    return this.lowerCache;
  }

  get digits(): number {
    if (this.digitCount < 0) {
      let n = 0;
      for (let i = 0; i < this.text.length; i++) {
        const c = this.text.charCodeAt(i);
        if (c >= 48 && c <= 57) n++;
      }
      this.digitCount = n;
    }
    return this.digitCount;
  }
}

export interface Detector {
  /** The detector ids this module can report (the policy's vocabulary). */
  readonly ids: readonly string[];
  detect(input: ScreenInput): Finding[];
}

/** The words of these phrases, as one keyword set: the cheap check before a phrase pattern. */
export function keywords(...lists: readonly (readonly string[])[]): KeywordSet {
  const words = new Set<string>();
  for (const list of lists) for (const phrase of list) for (const w of phrase.split(/[^a-z0-9]+/)) if (w) words.add(w);
  return register(words, false);
}

/** A word list matched word by word, also when letters are repeated ("fuuuck"). */
export function wordList(words: readonly string[]): KeywordSet {
  return register(words, true);
}
