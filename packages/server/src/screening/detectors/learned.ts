import { modelScores, roundConfidence } from '../model/scores.js';
import { type Detector, type Finding, keywords, type ScreenInput } from '../types.js';
import { counterSpeech, namesGroup, swears } from './abuse.js';

/** Below this a model has no opinion worth a finding; the policy's thresholds sit above it. */
const REPORT_FROM = 0.5;
/** Words that aim a text at a person. */
const ADDRESSED = keywords([
  'you u ya your ur youre yourself he she him her his they them their ppl people guys idiot',
]);

/**
 * The learned abuse classifier (a linear model over hashed n-grams, trained by
 * `pnpm train:screening`), for what the word lists and patterns miss: `hate_model` when the
 * text names a group of people, `abuse_model` otherwise. The finding's confidence is the
 * model's probability; the policy's rules decide what a confidence means.
 */
export const learnedAbuseDetector: Detector = {
  ids: ['abuse_model', 'hate_model'],
  detect(input: ScreenInput): Finding[] {
    if (input.text.length === 0) return [];
    const { abuse } = modelScores(input);
    if (abuse < REPORT_FROM) return [];
    const hate = namesGroup(input);
    // Swearing at a thing ("this is bullshit") is profanity, which its word list finds; abuse
    // is aimed at someone. Swearing aimed at nobody, the model must be all but certain.
    if (!hate && abuse < 0.95 && !input.hasAny(ADDRESSED) && swears(input)) return [];
    // Speaking against hate uses its words; the model cannot tell, so it must be all but certain.
    if (hate && abuse < 0.95 && counterSpeech(input)) return [];
    return [
      {
        detector: hate ? 'hate_model' : 'abuse_model',
        category: hate ? 'hate' : 'harassment',
        spans: [],
        confidence: roundConfidence(abuse),
      },
    ];
  },
};
