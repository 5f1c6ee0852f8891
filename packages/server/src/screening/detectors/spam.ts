import { hash } from 'node:crypto';
import { matchesOf } from '@parley/sdk/screening';
import type { SharedState } from '../../platform/shared-state.js';
import { modelScores, roundConfidence } from '../model/scores.js';
import { type Detector, type Finding, keywords, type ScreenInput } from '../types.js';
import { linksOf } from './links.js';

const ADVERTISING = [
  'buy now',
  'order now',
  'limited time',
  'limited offer',
  'act now',
  'click here',
  'click the link',
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
// The phrases' first words as a keyword set: no phrase can be there without one.
const ADVERTISING_STARTS = keywords([[...FIRST_WORDS.keys()].join(' ')]);

// Premium-rate text spam: short codes, per-message prices, premium numbers, prize claims.
const SHORT_CODE = /\b(?:text|txt|send|reply|sms)\s+(?:the word\s+)?["']?[a-z0-9]{2,12}["']?\s+(?:to|on)\s+\d{4,6}\b/i;
const PRICED =
  /\d\s?p\s?(?:\/|per\s)\s?(?:msg|min|text|txt|wk|week|sms)\b|[£$€]\s?\d{1,7}(?:\.\d\d)?\s?(?:\/|per\s)\s?(?:wk|week|msg|min|text)\b|\d\s?ppm\b|\bstd txt rate\b|\bt&cs? apply\b/i;
const PREMIUM_NUMBER = /\b(?:call|ring|dial|phone)\b[^.!?\n]{0,40}?\b0(?:8[47]|9\d)\d{7,9}\b|\b09\d{9}\b/i;
const PRIZE =
  /\b(?:you(?:'ve| have|ve)? (?:won|been (?:selected|chosen|awarded))|(?:claim|collect) (?:your|ur|the) (?:prize|reward|cash|award|voucher)|(?:cash|prize) (?:award|draw)|guaranteed (?:cash|prize|£)|(?:urgent|congratulations|congrats|winner)!|free entry|selected to receive|you are (?:a )?winner|won (?:a |an )?(?:£|\$|€)\d|valued (?:customer|subscriber)|(?:£|\$|€)\d{3,}(?:,\d{3})* (?:cash|prize|award|bonus|reward)|free (?:msg|entry|ringtone|ringtones|txt|text|tones|camera phone|nokia|iphone|gift card)|you have (?:1|one|a) new (?:voicemail|message) (?:please )?call|(?:txt|text|reply|send) stop to (?:end|stop|cancel|opt out|unsubscribe)|to opt out (?:txt|text|reply)|(?:mobile|phone) (?:upgrade|update) (?:for )?free)/i;
// Comment spam: promotion of the writer's own channel or page.
const SELF_PROMOTION =
  /\b(?:check (?:out )?my (?:new )?(?:channel|page|profile|video|vid|music|song|cover|mixtape|playlist)|subscribe to (?:my|me)|sub(?:scribe)? ?(?:4|for) ?sub|sub to me|visit my (?:channel|profile|page|bio|website)|(?:look at|check) my bio|my (?:youtube|yt) channel|follow me on (?:instagram|twitter|tiktok|ig|twitch)|please (?:subscribe|sub) (?:to|my|and)|small youtuber|(?:just )?uploaded (?:a|my) (?:new )?(?:video|cover|song|track|vlog)|check out (?:this|my) (?:video|playlist|channel|song) on youtube|visit (?:my|our) (?:website|site|page|store|shop) (?:for|to)|(?:make|earn) (?:money|cash|\$\s?\d+) (?:online|from home|fast|daily)|free (?:gift cards?|robux|v-?bucks|psn codes?|xbox codes?|itunes codes?|followers|likes|subscribers))\b/i;

// Engagement bait: each one a weak sign, two of them (or one with self-promotion) comment spam.
const BAIT =
  /\b(?:like this (?:comment|video|post) if|subscribe for more|and subscribe\b|please check (?:it|this|me) out|check it out (?:plz|pls|please)|would mean a lot|give (?:it|me) a (?:listen|chance|like)|thumbs up if|sub back)/gi;

// The words without which the prize and self-promotion patterns cannot match: one check first.
const PRIZE_WORDS = keywords([
  'won win winner selected chosen awarded claim collect cash prize draw guaranteed urgent congratulations congrats free receive valued voicemail message stop opt upgrade update award bonus reward',
]);
const BAIT_WORDS = keywords(['like subscribe check mean give thumbs sub']);
const PROMOTION_WORDS = keywords([
  'channel subscribe sub sub4sub youtuber bio instagram twitter tiktok ig twitch uploaded profile page video vid music song cover mixtape playlist website site store shop money cash gift robux bucks vbucks psn xbox itunes followers likes subscribers',
]);

const OPTING_OUT =
  /\b(?:(?:remove|take) me (?:from|off)|unsubscribe(?: me)?\b|stop (?:sending|emailing|texting|messaging) me|opt (?:me )?out|(?:email|mailing|marketing) (?:preferences|list|emails))/i;

/** What the rules see in a text's wording: 0–1, independent signals combined. */
function wordingEvidence(input: ScreenInput, links: number): number {
  // Independent signals: the chance that none of them is right multiplies.
  let none = 1;
  const tokens = input.tokens;
  const found = new Set<string[]>();
  for (let i = 0; i < tokens.length && found.size < 2 && input.hasAny(ADVERTISING_STARTS); i++) {
    for (const phrase of FIRST_WORDS.get(tokens[i]!.text) ?? []) {
      if (!found.has(phrase) && phrase.every((w, j) => tokens[i + j]?.text === w)) found.add(phrase);
    }
  }
  if (found.size >= 2) none *= 1 - 0.9;
  else if (found.size === 1 && links > 0) none *= 1 - 0.8;
  else if (found.size === 1) none *= 1 - 0.3;
  const text = input.text;
  if (input.digits >= 4) {
    if (SHORT_CODE.test(text)) none *= 1 - 0.85;
    if (PRICED.test(text)) none *= 1 - 0.85;
    if (PREMIUM_NUMBER.test(text)) none *= 1 - 0.7;
  }
  if (input.hasAny(PRIZE_WORDS) && PRIZE.test(text)) none *= 1 - 0.6;
  if (input.hasAny(PROMOTION_WORDS) && SELF_PROMOTION.test(text)) none *= 1 - 0.75;
  if (input.hasAny(BAIT_WORDS)) for (const _ of matchesOf(BAIT, text)) none *= 1 - 0.6;
  return 1 - none;
}

/**
 * Bulk advertising and spam, rules and a model together: the wording rules (advertising
 * phrases, premium-rate text spam, comment spam promoting a channel) and the spam model's
 * probability combine as independent evidence into `spam_wording`'s confidence; link density
 * (five links, or three making up a third of the words) is its own finding.
 */
export const spamDetector: Detector = {
  ids: ['spam_wording', 'link_density'],
  detect(input: ScreenInput): Finding[] {
    const findings: Finding[] = [];
    const links = linksOf(input);
    const tokens = input.tokens;
    const rules = wordingEvidence(input, links.length);
    const model = modelScores(input).spam;
    // The model learned spam from e-mail: alone, on chat, it speaks with less weight (its
    // probability squared: 0.95 flags, 0.93 does not); with any rule, as independent evidence.
    // A customer asking to be taken off a list writes like the mail the model learned from;
    // a spammer never asks that.
    const confidence = rules > 0 ? 1 - (1 - rules) * (1 - model) : OPTING_OUT.test(input.text) ? 0 : model * model;
    if (confidence >= 0.5) {
      findings.push({ detector: 'spam_wording', category: 'spam', spans: [], confidence: roundConfidence(confidence) });
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
    // One call, not a Hash object and its three updates: the same digest in a third of the time.
    const digest = hash('sha1', `${appId}\0${input.words}`, 'base64url');
    const { conversations, windowMs } = this.options;
    const seen = await this.shared.addToSet(`repeat:${digest}`, conversationId, windowMs, conversations * 2);
    return seen >= conversations;
  }
}

export function repeatFinding(): Finding {
  return { detector: 'repeated_text', category: 'spam', spans: [] };
}
