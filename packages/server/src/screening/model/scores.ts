import type { ScreenInput } from '../types.js';
import { MODEL_TEXT_LIMIT, scorePair, textFeatures } from './features.js';
import { shippedModels } from './models.js';

/** A long text is read in windows of the models' length, up to this many. */
const MAX_WINDOWS = 5;

export const roundConfidence = (p: number) => Math.round(p * 1000) / 1000;

interface TextScores {
  abuse: number;
  spam: number;
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
  for (let w = 0; w < MAX_WINDOWS && w * MODEL_TEXT_LIMIT < text.length; w++) {
    const [abuse, spam] = scorePair(pair, textFeatures(text, tokens, undefined, w * MODEL_TEXT_LIMIT));
    scores.abuse = Math.max(scores.abuse, abuse);
    scores.spam = Math.max(scores.spam, spam);
  }
  input.memo.set('model', scores);
  return scores;
}
