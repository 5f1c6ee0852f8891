import { modelScores } from '../model/scores.js';
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
  'kill murder hurt shoot stab rape strangle torture slaughter lynch behead execute exterminate massacre gas hang butcher choke drown punch smash find hunt track beat break burn bomb blow dead die dies died live lives work works back suffer smash stabbed regret kys yourself bullet shot killed hanged lynched gassed executed beaten tortured murdered slaughtered matar encontrar mato vives',
]);
const GROUP_WORDS = keywords(GROUPS);
const GROUP = alternation(GROUPS);
const profanity = new WordSet(PROFANITY);
const sexual = new WordSet(SEXUAL);
const slurs = new WordSet(SLURS);
// Slurs that are also ordinary words: a dyke holds back the sea, a fag is a cigarette in
// Britain, a coon a raccoon, a chink a gap, a tranny a gearbox, "retard" a verb. These count as
// slurs only when the abuse model agrees the text is abusive.
/** How sure the abuse model must be before a homonym counts as a slur. */
const HOMONYM_ABUSIVE = 0.75;
const HOMONYMS = new Set([
  'dyke',
  'dykes',
  'fag',
  'fags',
  'faggot',
  'faggots',
  'coon',
  'coons',
  'chink',
  'chinks',
  'tranny',
  'retard',
]);
const insults = new WordSet(INSULTS);

const YOU = `(?:you|u|ya|youre|you re|ur|your|you are|you r|tu|eres|sos)`;
const HARASSMENT = new RegExp(
  ` (?:${YOU} (?:[a-z]+ ){0,3}?(?:${alternation(INSULTS)})|(?:${alternation(INSULTS)}) (?:like )?(?:you|u)|shut up|shut the fuck up|stfu|go to hell|get lost|nobody likes you|vete a la mierda|callate) `,
);
// Violence aimed at "you" or theirs, at a third person, or at a group. Verbs with everyday
// meanings ("I'll find you a plan", "I'll beat you to it", "kill the process") count only in
// their threatening phrases, and with a person or a group as the object. A negation, apology or
// wish between the speaker and the verb is not a threat: "I'm sorry it hurt you", "I would
// never hurt you", "I hope it didn't hurt you".
const SPEAKER =
  '(?:i|ill|i ll|im|i m|we|well|we ll|i am|we are|imma|gonna|going to|someone should|somebody should|we should|we need to|we must|lets|let s|i want to|i wanna|id love to|i d love to|i would love to|i will|we will|im going to|i m going to)';
const VIOLENCE =
  '(?:kill|murder|hurt|shoot|stab|rape|strangle|torture|slaughter|lynch|behead|exterminate|massacre|butcher|choke|beat up|punch|run over)';
const VICTIM = `(?:you|u|ya|your (?:family|kids|children|wife|husband|mother|mom|dad|father|boss|manager|agent|team|staff|employees)|him|her|them|(?:that|this|the|your) (?:[a-z]+ )?(?:guy|man|woman|girl|boy|bitch|bastard|idiot|agent|driver|person|prick)|the (?:ceo|manager|agent|driver|boss|owner|staff|president|support guy)|everyone|every last one|all of (?:you|them|those|these)|(?:all |all of |all the |these |those |some |the |every |more )?(?:${GROUP}))`;
const NOT_MEANT =
  '(?!(?:sorry|apologise|apologize|never|not|dont|didnt|wont|wouldnt|doesnt|hope|if|may|might|almost|accidentally|ever|should|nothing|nobody)\\b)';
const THREAT = new RegExp(
  ` (?:(?<!(?:nothing|nobody|no one|never) )${SPEAKER} (?:${NOT_MEANT}[a-z]+ ){0,3}?${VIOLENCE} (?:[a-z]+ ){0,2}?${VICTIM}|(?:kill|gas|exterminate|slaughter|shoot|lynch|hang|murder|burn) (?:all |all the |every |the |these |those |some )(?:${GROUP})|(?:happy|glad) if (?:all |all the |every )(?:${GROUP}) died|(?:see|watch) (?:all |all the |every |the )?(?:${GROUP}) (?:hanged|hang|die|burn|killed|shot|gassed|suffer|lynched)|put a bullet in (?:you|your|his|her|their|the|that)|(?:${GROUP}|he|she|you|u|those people|these people|all of them) (?:should|will|must|need to|deserve to|ought to|are going to|re going to|gonna) (?:all )?(?:be )?(?:shot|killed|hanged|hung|lynched|gassed|executed|exterminated|burned|burnt|beaten|raped|tortured|murdered|slaughtered|wiped out|die)|they (?:deserve to|should|must|need to|ought to) (?:all )?(?:be )?(?:shot|killed|hanged|hung|lynched|gassed|executed|exterminated|burned|burnt|beaten|raped|tortured|murdered|slaughtered|wiped out|die)|(?:find|hunt|track) (?:you|u) down(?! (?:the|a|an|some|that|this|one|copy|number|contact|link|address))|find (?:you|u) and (?:kill|hurt|beat|shoot|make)|beat (?:you|u) up|beat the (?:shit|crap|hell) out of (?:you|u)|break (?:your|his|her|their) (?:legs|neck|face|bones|arms)|smash (?:your|his|her|their|everyone s|everyones) faces? in|(?:gonna|going to|will) get (?:stabbed|shot|killed|beaten|hurt|murdered)|make (?:you|them|him|her) (?:suffer|bleed)|(?:burn|bomb|blow up) (?:down )?your (?:house|office|home|store|building|car|headquarters|shop)|(?:you|u) (?:are|re|will be|gonna be) (?:dead|going to die|gonna die)|i know where (?:you|your [a-z]+|he|she) (?:live|lives|work|works)|watch your back|you will regret|kill yourself|kys|te voy a (?:matar|encontrar)|te mato|sabemos donde vives) `,
);
// Wishing someone harm is abuse, less sure to be meant than a threat: flagged, not blocked.
const WISH =
  / (?:hope|wish) (?:[a-z]+ ){0,4}?(?:dies|die|gets cancer|get cancer|gets killed|get killed|rots in hell|rot in hell|burns in hell|burn in hell) /;
const GROUP_NAMED = new RegExp(` (?:${GROUP}) `);

/** Whether the text speaks against what it quotes ("Saying … is disgusting"). */
export function counterSpeech(input: ScreenInput): boolean {
  return input.matches(COUNTER);
}

/** Whether the text swears (a word of the profanity list). */
export function swears(input: ScreenInput): boolean {
  return profanity.find(input).length > 0;
}

/** Whether the text names a group of people (not just the word "people"). */
export function namesGroup(input: ScreenInput): boolean {
  return input.hasAny(GROUP_WORDS) && GROUP_NAMED.test(input.words);
}

// Hate without a slur: a group as a whole called vermin or worse, denied rights or humanity,
// wished gone or hated outright. Flagged for review (the model and the threat rule block).
const ALL_OF = '(?:all |all the |every |the |these |those |)';
const DEHUMANISE = new RegExp(
  ` (?:all )?(?:${GROUP}) (?:like (?:them|you|that|him|her) )?(?:are|is|r|son) (?:all |just |nothing but |like |simply |basically |so |really |such )?(?:${alternation(DEHUMANISING)}) |no (?:${GROUP}) (?:deserve|deserves) to (?:live|exist|be alive) |(?:kill|exterminate|gas|deport|expel|get rid of|wipe out|eradicate|eliminate|ban) ${ALL_OF}(?:${GROUP}) |(?:${GROUP}) (?:don t|do not|dont|doesn t) deserve (?:rights|to live|to exist|respect|anything) |(?:${GROUP}) (?:belong|should be|should all be|need to be) (?:in|locked in) (?:cages|camps|jail|prison|the zoo|ovens|a cage) |i (?:really |just )?(?:hate|despise|can t stand|cant stand|loathe) ${ALL_OF}(?:${GROUP}) |(?:better|happy|glad|safer) (?:off )?(?:without|if all|if every|if) ${ALL_OF}(?:${GROUP}) (?:died|were gone|disappeared|left|were dead)?|no (?:${GROUP}) should (?:ever )?be allowed |(?:${GROUP}) should (?:not|never) be allowed to |(?:${GROUP}) should (?:all )?go back |death to ${ALL_OF}(?:${GROUP}) |(?:${GROUP}) (?:make me (?:sick|want to vomit|puke)|disgust me) |(?:${GROUP}) (?:lives )?(?:are|is) (?:worthless|meaningless) |(?:${GROUP}) (?:should be|belong|must be) (?:dumped|thrown) (?:in|into) (?:a )?(?:landfill|trash|the trash|the sea|the garbage) |never trust (?:a|an|any|those|these) (?:${GROUP}) |(?:${GROUP}) (?:belong|should live) in (?:a )?(?:zoo|cage|sewer|gutter) |i d rather die than (?:date|marry|work with|live next to) (?:${GROUP}) `,
);
// Reporting or quoting a slur is not using it: "he called me a …", "the word '…'".
const REPORTED =
  / (?:called me|calls me|call me|called us|said|says|wrote|the word|is a slur|slur|quote|quoted|me llamo|me dijo|dijo) /;
const QUOTED_SPAN = /["“”«»'‘’`]/;
// Counter-speech: speaking against what is quoted ("Saying immigrants are vermin is disgusting").
const COUNTER =
  / (?:saying|to say|calling|to call|claiming|who say|who call|people who think|when people say|stop saying|if you say|you say|statements like|comments like|words like|phrases like|hurtful|bigot|bigoted|bigotry|is (?:not ok|wrong|disgusting|hate speech|racist|offensive|unacceptable)|are (?:not|wrong)|never ok|its not ok|it s not ok) /;

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
    if (input.hasAny(THREAT_WORDS)) {
      if (input.matches(THREAT)) findings.push({ detector: 'threat', category: 'threat', spans: [], confidence: 0.95 });
      else if (input.matches(WISH))
        findings.push({ detector: 'threat', category: 'threat', spans: [], confidence: 0.7 });
    }
    const slurSpans = slurs.find(input);
    if (slurSpans.length) {
      const homonyms = slurSpans.every((s) => HOMONYMS.has(input.text.slice(s.start, s.end).toLowerCase()));
      const abusive = !homonyms || modelScores(input).abuse >= HOMONYM_ABUSIVE;
      const mention = input.matches(REPORTED) || slurSpans.every((s) => isQuoted(input.text, s));
      if (mention) add('hate_mention', 'hate', slurSpans);
      else if (abusive) add('hate_slur', 'hate', slurSpans);
    }
    if (namesGroup(input) && input.matches(DEHUMANISE) && !input.matches(COUNTER))
      findings.push({ detector: 'hate_dehumanising', category: 'hate', spans: [] });
    return findings;
  },
};
