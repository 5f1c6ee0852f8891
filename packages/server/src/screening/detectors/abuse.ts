import {
  type Detector,
  type Finding,
  type KeywordSet,
  keywords,
  type ScreenInput,
  type Span,
  wordList,
} from '../types.js';
import { DEHUMANISING, GROUPS, INSULTS, PROFANITY, SEXUAL, SLURS } from './wordlists.js';

/** A word list: single words through the shared mask, phrases found in the normalised words. */
class WordSet {
  private readonly set: KeywordSet;
  private readonly phrases: string[];
  /** The first words of the phrases: no phrase can be there without one of them. */
  private readonly firsts: KeywordSet;

  constructor(words: readonly string[]) {
    this.set = wordList(words.filter((w) => !w.includes(' ')));
    this.phrases = words.filter((w) => w.includes(' '));
    this.firsts = keywords(this.phrases.map((p) => p.split(' ')[0]!));
  }

  find(input: ScreenInput): Span[] {
    const spans = input.wordSpans(this.set);
    if (this.phrases.length && input.hasAny(this.firsts)) {
      for (const p of this.phrases) if (input.words.includes(` ${p} `)) spans.push(phraseSpan(input, p));
    }
    return spans;
  }
}

/** The original span of a phrase found in the normalised words. */
function phraseSpan(input: ScreenInput, phrase: string): Span {
  const at = input.words.indexOf(` ${phrase} `);
  const before = input.words.slice(0, at + 1).split(' ').length - 2;
  const count = phrase.split(' ').length;
  const first = input.tokens[before];
  const last = input.tokens[before + count - 1];
  return first && last ? { start: first.start, end: last.end } : { start: 0, end: 0 };
}

const alternation = (words: readonly string[]) => words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');

const HARASSMENT_WORDS = keywords(INSULTS, ['shut', 'stfu', 'hell', 'lost', 'likes', 'mierda', 'callate']);
const THREAT_WORDS = keywords([
  'kill murder hurt shoot stab rape strangle find hunt track beat break burn bomb blow dead die live work back regret kys yourself matar encontrar mato vives',
]);
const GROUP_WORDS = keywords(GROUPS);
const profanity = new WordSet(PROFANITY);
const sexual = new WordSet(SEXUAL);
const slurs = new WordSet(SLURS);
const insults = new WordSet(INSULTS);

const YOU = `(?:you|u|ya|youre|you re|ur|your|you are|you r|tu|eres|sos)`;
const HARASSMENT = new RegExp(
  ` (?:${YOU} (?:[a-z]+ ){0,3}?(?:${alternation(INSULTS)})|(?:${alternation(INSULTS)}) (?:like )?(?:you|u)|shut up|shut the fuck up|stfu|go to hell|get lost|nobody likes you|vete a la mierda|callate) `,
);
// Violence aimed at "you" or theirs. Verbs with everyday meanings ("I'll find you a plan",
// "I'll beat you to it", "destroy you at chess") count only in their threatening phrases.
const THREAT =
  / (?:(?:i|ill|i ll|im|i m|we|well|we ll|i am|we are|imma|gonna) (?:[a-z]+ ){0,3}?(?:kill|murder|hurt|shoot|stab|rape|strangle) (?:[a-z]+ ){0,2}?(?:you|u|your (?:family|kids|children|wife|husband|mother))|(?:find|hunt|track) (?:you|u) down|find (?:you|u) and (?:kill|hurt|beat|shoot|make)|beat (?:you|u) up|beat the (?:shit|crap|hell) out of (?:you|u)|break your (?:legs|neck|face|bones|arms)|(?:burn|bomb|blow up) (?:down )?your (?:house|office|home|store|building|car)|(?:you|u) (?:are|re|will be|gonna be) (?:dead|going to die|gonna die)|i know where you (?:live|work)|watch your back|you will regret|kill yourself|kys|te voy a (?:matar|encontrar)|te mato|sabemos donde vives) /;
const DEHUMANISE = new RegExp(
  ` (?:${alternation(GROUPS)}) (?:are|is|r|son) (?:all |just |nothing but |like )?(?:${alternation(DEHUMANISING)}) |(?:kill|exterminate|gas|deport|expel) (?:all|every|the) (?:${alternation(GROUPS)}) `,
);
// Reporting or quoting a slur is not using it: "he called me a …", "the word '…'".
const REPORTED =
  / (?:called me|calls me|call me|called us|said|says|wrote|the word|is a slur|slur|quote|quoted|me llamo|me dijo|dijo) /;
const QUOTED_SPAN = /["“”«»'‘’`]/;

function isQuoted(text: string, span: Span): boolean {
  const before = text.slice(Math.max(0, span.start - 2), span.start);
  const after = text.slice(span.end, span.end + 2);
  return QUOTED_SPAN.test(before) && QUOTED_SPAN.test(after);
}

/**
 * Profanity, sexual content, harassment, threats and hate, on normalised text: leetspeak,
 * spacing, repeated letters, zero-width characters and look-alike letters do not hide them.
 * A slur in quotes or reported speech is `hate_mention` (for review), not `hate_slur`; naming a
 * group is not hate, saying it is vermin is.
 */
export const abuseDetector: Detector = {
  ids: ['profanity', 'sexual', 'harassment', 'threat', 'hate_slur', 'hate_mention', 'hate_dehumanising'],
  detect(input: ScreenInput): Finding[] {
    const findings: Finding[] = [];
    const add = (detector: string, category: Finding['category'], spans: Span[]) => {
      if (spans.length) findings.push({ detector, category, spans });
    };
    add('profanity', 'profanity', profanity.find(input));
    add('sexual', 'sexual', sexual.find(input));
    if (input.hasAny(HARASSMENT_WORDS) && input.matches(HARASSMENT))
      findings.push({ detector: 'harassment', category: 'harassment', spans: insults.find(input) });
    if (input.hasAny(THREAT_WORDS) && input.matches(THREAT))
      findings.push({ detector: 'threat', category: 'threat', spans: [] });
    const slurSpans = slurs.find(input);
    if (slurSpans.length) {
      const mention = input.matches(REPORTED) || slurSpans.every((s) => isQuoted(input.text, s));
      add(mention ? 'hate_mention' : 'hate_slur', 'hate', slurSpans);
    }
    if (input.hasAny(GROUP_WORDS) && input.matches(DEHUMANISE))
      findings.push({ detector: 'hate_dehumanising', category: 'hate', spans: [] });
    return findings;
  },
};
