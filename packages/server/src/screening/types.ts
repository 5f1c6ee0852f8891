import type { ScreeningCategory } from '@parley/sdk/protocol';
import { type Token, tokenize } from './normalize.js';

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
}

/** The text with what every detector may need, computed once and only when asked for. */
export class ScreenInput {
  private tokenCache: Token[] | undefined;
  private lowerCache: string | undefined;
  private wordsCache: string | undefined;
  private rawWordsCache: string | undefined;
  private digitCount = -1;

  constructor(
    readonly text: string,
    readonly context: ScreenContext,
  ) {}

  get tokens(): Token[] {
    this.tokenCache ??= tokenize(this.text);
    return this.tokenCache;
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
  hasAny(words: ReadonlySet<string>): boolean {
    for (const t of this.tokens) if (words.has(t.text)) return true;
    return false;
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

/** The set of words that can start or anchor a list of phrases: for `ScreenInput.hasAny`. */
export function keywords(...lists: readonly (readonly string[])[]): ReadonlySet<string> {
  const set = new Set<string>();
  for (const list of lists) for (const phrase of list) for (const w of phrase.split(/[^a-z0-9]+/)) if (w) set.add(w);
  return set;
}
