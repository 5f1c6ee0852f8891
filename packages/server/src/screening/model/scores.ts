import type { Token } from '../normalize.js';
import type { ScreenInput } from '../types.js';
import { MODEL_TEXT_LIMIT, scorePair, textFeatures } from './features.js';
import { shippedModels } from './models.js';

/** A long text is read in windows of the models' length, up to this many. */
const MAX_WINDOWS = 5;

/** Three decimals, rounded down: a model is never "certain" (1 is for rules that are). */
export const roundConfidence = (p: number) => Math.floor(p * 1000) / 1000;

interface TextScores {
  abuse: number;
  spam: number;
}

/**
 * Whether a window of a long text reads as something a person wrote: it has words (the machine
 * lines of a long text are not read for words at all) and at least half of them are letters
 * only. A log or a stack trace (timestamps, ids, paths) is not what the models were trained on,
 * so they abstain there rather than guess.
 */
function prose(text: string, tokens: readonly Token[], first: number, to: number): boolean {
  let words = 0;
  let letters = 0;
  for (let k = first; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.start >= to) break;
    words++;
    // As written: "000Z" is not the word "oooz" the leetspeak normaliser makes of it.
    let word = true;
    for (let i = t.start; i < t.end && word; i++) {
      const c = text.charCodeAt(i) | 32;
      word = (c >= 97 && c <= 122) || c >= 128;
    }
    if (word) letters++;
  }
  return words > 0 && letters * 2 >= words;
}

/**
 * The abuse and spam models' probabilities for a text (the highest over its windows when it is
 * long), computed once per text for every detector that reads them.
 */
export function modelScores(input: ScreenInput): TextScores {
  let scores = input.memo.get('model') as TextScores | undefined;
  if (scores) return scores;
  const pair = shippedModels().text;
  const text = input.text;
  const tokens = input.tokens;
  scores = { abuse: 0, spam: 0 };
  let first = 0; // the window's first token: windows are read in order
  for (let w = 0; w < MAX_WINDOWS && w * MODEL_TEXT_LIMIT < text.length; w++) {
    const from = w * MODEL_TEXT_LIMIT;
    while (first < tokens.length && tokens[first]!.start < from) first++;
    if (text.length > MODEL_TEXT_LIMIT && !prose(text, tokens, first, from + MODEL_TEXT_LIMIT)) continue;
    const [abuse, spam] = scorePair(pair, textFeatures(text, tokens, undefined, from));
    scores.abuse = Math.max(scores.abuse, abuse);
    scores.spam = Math.max(scores.spam, spam);
  }
  input.memo.set('model', scores);
  return scores;
}
