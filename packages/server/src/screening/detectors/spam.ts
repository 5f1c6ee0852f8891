import { createHash } from 'node:crypto';
import type { SharedState } from '../../platform/shared-state.js';
import type { Detector, Finding, ScreenInput } from '../types.js';
import { linksOf } from './links.js';

const ADVERTISING = [
  'buy now',
  'order now',
  'limited time',
  'limited offer',
  'act now',
  'click here',
  'click the link',
  '100 free',
  'free money',
  'earn money',
  'make money',
  'earn cash',
  'work from home',
  'double your',
  'get rich',
  'crypto giveaway',
  'bitcoin giveaway',
  'free bitcoin',
  'investment opportunity',
  'guaranteed returns',
  'free gift card',
  'casino',
  'viagra',
  'cialis',
  'cheap pills',
  'weight loss',
  'seo services',
  'backlinks',
  'increase your followers',
  'more followers',
  'promo code',
  'best price',
  'special promotion',
  'dm me',
  'whatsapp me',
  'telegram me',
  'unsubscribe',
  'you have won',
  'you ve won',
  'congratulations you',
  'claim your prize',
  'compra ya',
  'gana dinero',
  'oferta limitada',
  'haz clic aqui',
  'dinero facil',
];
// Phrases by their first word, as word lists: each is checked where its first word occurs.
const FIRST_WORDS = new Map<string, string[][]>();
for (const p of ADVERTISING) {
  const words = p.split(' ');
  FIRST_WORDS.set(words[0]!, [...(FIRST_WORDS.get(words[0]!) ?? []), words]);
}

/**
 * Bulk advertising: its wording (two phrases, or one with a link), or link density (five links,
 * or three making up a third of the words).
 */
export const spamDetector: Detector = {
  ids: ['spam_wording', 'link_density'],
  detect(input: ScreenInput): Finding[] {
    const findings: Finding[] = [];
    const links = linksOf(input);
    const tokens = input.tokens;
    const found = new Set<string[]>();
    for (let i = 0; i < tokens.length && found.size < 2; i++) {
      for (const phrase of FIRST_WORDS.get(tokens[i]!.text) ?? []) {
        if (!found.has(phrase) && phrase.every((w, j) => tokens[i + j]?.text === w)) found.add(phrase);
      }
    }
    const phrases = found.size;
    if (phrases >= 2 || (phrases === 1 && links.length > 0)) {
      findings.push({ detector: 'spam_wording', category: 'spam', spans: [] });
    }
    if (links.length >= 5 || (links.length >= 3 && links.length * 3 >= tokens.length / 2)) {
      findings.push({
        detector: 'link_density',
        category: 'spam',
        spans: links.map(({ start, end }) => ({ start, end })),
      });
    }
    return findings;
  },
};

/**
 * The same text sent to many conversations: per app, the conversations a hash of the
 * normalised text went to within the window, kept in the shared state so that a spammer
 * spread over several nodes is counted once. Short texts ("hi", "thanks") are everyone's and
 * are not counted.
 */
export class RepeatTracker {
  constructor(
    private readonly shared: SharedState,
    private readonly options = { minChars: 30, conversations: 5, windowMs: 10 * 60_000 },
  ) {}

  /** Records the text and answers whether it has now gone to too many conversations. */
  async record(appId: string, input: ScreenInput, conversationId: string): Promise<boolean> {
    if (input.text.length < this.options.minChars) return false;
    const hash = createHash('sha1').update(appId).update('\0').update(input.words).digest('base64url');
    const { conversations, windowMs } = this.options;
    const seen = await this.shared.addToSet(`repeat:${hash}`, conversationId, windowMs, conversations * 2);
    return seen >= conversations;
  }
}

export function repeatFinding(): Finding {
  return { detector: 'repeated_text', category: 'spam', spans: [] };
}
