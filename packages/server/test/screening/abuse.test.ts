import { describe, expect, it } from 'vitest';
import { abuseDetector } from '../../src/screening/detectors/abuse.js';
import { skeleton, tokenize } from '../../src/screening/normalize.js';
import { ids, matched } from './helpers.js';

describe('normalisation', () => {
  it('undoes leetspeak, spacing, repeated letters, zero-width and look-alike letters, keeping spans', () => {
    const text = 'you f u c k i n g 1d10t, ѕhiiit and f\u200bu\u200bck!';
    const tokens = tokenize(text);
    expect(tokens.map((t) => t.text)).toEqual(['you', 'fucking', 'idiot', 'shiiit', 'and', 'fuck']);
    expect(tokens.map((t) => text.slice(t.start, t.end))).toEqual([
      'you',
      'f u c k i n g',
      '1d10t',
      'ѕhiiit',
      'and',
      'f\u200bu\u200bck!',
    ]);
    expect(skeleton('Ѕuрр0rt')).toBe(skeleton('support'));
  });
});

describe('abuse', () => {
  it('finds profanity however it is spelled, and not inside other words', () => {
    expect(matched(abuseDetector, 'this is sh1t, total BULLSHIIIT')).toEqual(['sh1t', 'BULLSHIIIT']);
    expect(ids(abuseDetector, 'as I said, the class passes the assessment')).toEqual([]);
    expect(ids(abuseDetector, 'Scunthorpe office, cockpit, Dickens')).toEqual([]);
  });

  it('tells harassment and threats from reports of them', () => {
    expect(ids(abuseDetector, 'you are a useless idiot')).toEqual(['harassment']);
    expect(ids(abuseDetector, 'shut up')).toEqual(['harassment']);
    expect(ids(abuseDetector, 'I will find you and hurt you')).toEqual(['threat']);
    expect(ids(abuseDetector, 'i know where you live')).toEqual(['threat']);
    expect(ids(abuseDetector, 'a user threatened to kill me, what should I do?')).toEqual([]);
    expect(ids(abuseDetector, 'the idiot-proof setup wizard is great')).toEqual([]);
  });

  it('blocks slurs, flags them quoted or reported, and does not call naming a group hate', () => {
    expect(ids(abuseDetector, 'you are a f4gg0t')).toContain('hate_slur');
    expect(ids(abuseDetector, 'he called me a faggot in the chat')).toEqual(['hate_mention']);
    expect(ids(abuseDetector, 'is "tranny" a slur?')).toEqual(['hate_mention']);
    expect(ids(abuseDetector, 'immigrants are vermin')).toEqual(['hate_dehumanising']);
    expect(ids(abuseDetector, 'our app supports muslims, jews and christians planning holidays')).toEqual([]);
    expect(ids(abuseDetector, 'we stand against racism towards immigrants')).toEqual([]);
  });

  it('finds sexual content', () => {
    expect(ids(abuseDetector, 'wanna see my n00dz? send nudes')).toEqual(['sexual']);
    expect(ids(abuseDetector, 'the PDF export is naked of styles')).toEqual([]);
  });
});
