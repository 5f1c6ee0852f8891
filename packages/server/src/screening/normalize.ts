/**
 * Text as abuse detectors read it: lower case, look-alike letters (Cyrillic, Greek, fullwidth,
 * accented) folded to Latin, leetspeak undone, zero-width characters dropped, runs of one
 * letter shortened, and letters spaced out ("f u c k", "f.u.c.k") joined. Every token keeps
 * the span it came from in the original text, so findings point at what the sender wrote.
 */

export interface Token {
  /** The normalised word. */
  text: string;
  start: number;
  end: number;
  /** For letters spaced out and joined ("f u c k"): the single letters as written. */
  parts?: string[];
}

const ZERO_WIDTH = /[\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]/;

// Letters that look like Latin ones, from Unicode's confusables for the scripts seen in evasion.
const CONFUSABLES: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ɡ: 'g',
  ӏ: 'l',
  ᴄ: 'c',
  ᴏ: 'o',
  ʀ: 'r',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ı: 'i',
};

// Leetspeak: only inside a word that has letters too, so "2024" and "$100" stay what they are.
const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '9': 'g',
  '@': 'a',
  $: 's',
  '!': 'i',
  '|': 'l',
  '+': 't',
  '€': 'e',
  '¡': 'i',
};

const foldCache = new Map<string, string>();

/** One character as a lower-case Latin letter or digit, '' to drop it, or ' ' for a separator. */
function fold(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 128) {
    if (code >= 97 && code <= 122) return ch;
    if (code >= 65 && code <= 90) return String.fromCharCode(code + 32);
    if (code >= 48 && code <= 57) return ch;
    return LEET[ch] !== undefined ? ch : ' ';
  }
  const known = foldCache.get(ch);
  if (known !== undefined) return known;
  let out: string;
  if (ZERO_WIDTH.test(ch)) out = '';
  else {
    const lower = ch.normalize('NFKC').toLowerCase();
    const mapped = CONFUSABLES[lower] ?? lower.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    out = /^[a-z0-9]+$/.test(mapped) ? mapped : LEET[lower] !== undefined ? lower : /\p{L}/u.test(lower) ? lower : ' ';
  }
  if (foldCache.size < 10_000) foldCache.set(ch, out);
  return out;
}

/** Runs of one letter shortened to one; the same string when there are none. */
export function squeeze(word: string): string {
  let i = 1;
  while (i < word.length && word.charCodeAt(i) !== word.charCodeAt(i - 1)) i++;
  if (i >= word.length) return word;
  let out = word.slice(0, i);
  for (; i < word.length; i++) if (word[i] !== word[i - 1]) out += word[i];
  return out;
}

function unleet(word: string): string {
  let leet = false;
  let letter = false;
  for (let i = 0; i < word.length && !(leet && letter); i++) {
    const c = word.charCodeAt(i);
    if (c >= 97 && c <= 122) letter = true;
    else if (
      (c >= 48 && c <= 57) ||
      c === 64 ||
      c === 36 ||
      c === 33 ||
      c === 124 ||
      c === 43 ||
      c === 0x20ac ||
      c === 0xa1
    )
      leet = true;
  }
  if (!leet || !letter) return word;
  let out = '';
  for (const ch of word) out += LEET[ch] ?? ch;
  return out;
}

/** The slow path, for a run that holds anything but plain ASCII letters and digits. */
function tokenizeRun(
  text: string,
  from: number,
  to: number,
  out: { text: string; start: number; end: number }[],
): void {
  let word = '';
  let start = -1;
  let end = 0;
  for (let i = from; i < to; i++) {
    let ch = text[i]!;
    const code = ch.charCodeAt(0);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < to) ch += text[++i];
    const f = fold(ch);
    if (f === '') continue; // zero-width: as if it were not there
    if (f === ' ') {
      if (word) out.push({ text: word, start, end });
      word = '';
      start = -1;
      continue;
    }
    if (start === -1) start = i - ch.length + 1;
    word += f;
    end = i + 1;
  }
  if (word) out.push({ text: word, start, end });
}

// ASCII characters that can be part of a word: leetspeak symbols (see LEET).
const LEET_ASCII = new Uint8Array(128);
for (const ch of Object.keys(LEET)) if (ch.charCodeAt(0) < 128) LEET_ASCII[ch.charCodeAt(0)] = 1;

/**
 * Words of the text, normalised, with their spans in the original. Linear in the text's length;
 * runs of plain ASCII letters and digits (nearly all text) are sliced, not rebuilt.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let start = -1;
  let upper = false;
  let slow = false;
  let digit = false;
  let singles = 0; // one-letter words in a row, for spaced-out letters
  let joined: Token | undefined;
  // A run of spaced-out letters gets its text once it ends: linear however long the run.
  const finish = () => {
    if (joined) joined.text = unleet(joined.parts!.join(''));
    joined = undefined;
  };
  const push = (t: Token) => {
    if (t.text.length !== 1) {
      finish();
      singles = 0;
      tokens.push(t);
      return;
    }
    singles++;
    if (joined) {
      joined.parts!.push(t.text);
      joined.end = t.end;
    } else if (singles === 3) {
      const [a, b] = tokens.splice(-2) as [Token, Token];
      joined = { text: '', start: a.start, end: t.end, parts: [a.text, b.text, t.text] };
      tokens.push(joined);
    } else {
      tokens.push(t);
    }
  };
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 32;
    const isDigit = c >= 48 && c <= 57;
    const lower = (c >= 97 && c <= 122) || isDigit;
    const isUpper = c >= 65 && c <= 90;
    // Digits are leetspeak too, but plain ASCII: they stay on the fast path (unleet below).
    const special = c >= 128 || (!lower && !isUpper && LEET_ASCII[c] === 1);
    if (!lower && !isUpper && !special) {
      if (start >= 0) {
        if (slow) {
          const run: { text: string; start: number; end: number }[] = [];
          tokenizeRun(text, start, i, run);
          for (const r of run) push(makeToken(r.text, r.start, r.end));
        } else {
          const word = upper ? text.slice(start, i).toLowerCase() : text.slice(start, i);
          // Plain letters and digits: leetspeak only when both are there ("1d10t", not "2024").
          push({ text: digit && word.length > 1 ? unleet(word) : word, start, end: i });
        }
        start = -1;
      }
      continue;
    }
    if (start < 0) {
      start = i;
      upper = false;
      slow = false;
      digit = false;
    }
    if (isUpper) upper = true;
    else if (special) slow = true;
    else if (isDigit) digit = true;
  }
  finish();
  return tokens;
}

function makeToken(word: string, start: number, end: number): Token {
  // "shit!" ends a sentence; "sh!t" hides a letter.
  const last = word.charCodeAt(word.length - 1);
  const trimmed = last === 33 || last === 124 || last === 43 ? word.replace(/[!|+]+$/, '') : word;
  return { text: unleet(trimmed), start, end };
}

/**
 * A skeleton for comparing names and domains: normalised, without separators, letters squeezed.
 * "Ѕuррогt" and "s-u-p-p-o-r-t" and "supp0rt" all become "suport".
 */
export function skeleton(text: string): string {
  return squeeze(
    tokenize(text)
      .map((t) => t.text)
      .join(''),
  );
}
