import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assignTextSplits, type Splittable, train } from '../../scripts/screening-training.js';
import { evaluateHeldOut, heldOutDirectory } from '../../src/screening/evaluation.js';
import { textFeatures } from '../../src/screening/model/features.js';
import { loadModels, modelsDirectory } from '../../src/screening/model/models.js';
import { DEFAULT_POLICY } from '../../src/screening/policy.js';
import { compilePolicy, screenText, summary } from '../../src/screening/screener.js';
import { VISITOR } from './helpers.js';

const policy = compilePolicy(DEFAULT_POLICY);
const screen = (text: string) => screenText(text, VISITOR, policy);
const categories = (text: string) => summary(screen(text)).categories;

function jsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);
}

describe('the shipped models', () => {
  it('are the weights the manifest names, byte for byte', () => {
    const directory = modelsDirectory();
    const { manifest } = loadModels(directory);
    for (const info of Object.values(manifest.models)) {
      const bytes = readFileSync(join(directory, info.file));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(info.sha256);
    }
  });

  it('meet the goals on the held-back split, rules and models together under the default policy', () => {
    const figures = evaluateHeldOut(heldOutDirectory());
    expect(figures.ordinary.n).toBeGreaterThan(400);
    expect(figures.ordinary.flagged).toBeLessThanOrEqual(0.03);
    expect(figures.ordinary.blocked).toBeLessThanOrEqual(0.005);
    expect(figures.abuse.recall).toBeGreaterThanOrEqual(0.7);
    expect(figures.spam.recall).toBeGreaterThanOrEqual(0.7);
    expect(figures.phishing.recall).toBeGreaterThanOrEqual(0.5);
    expect(figures.cards.survived).toBe(0);
  });
});

describe('training', () => {
  const texts = jsonl<{ text: string; abuse?: 0 | 1 }>(join(heldOutDirectory(), 'texts.jsonl'))
    .filter((r) => r.abuse !== undefined)
    .slice(0, 1500);
  const examples = texts.map((r) => ({ features: textFeatures(r.text).toArray(), label: r.abuse! }));
  const digest = (weights: Int8Array) => createHash('sha256').update(weights).digest('hex');

  it('gives the same weights for the same examples and seed, and other weights for other examples', () => {
    const once = train(examples, { epochs: 2, rate: 0.2, l2: 2e-6 });
    const again = train(examples, { epochs: 2, rate: 0.2, l2: 2e-6 });
    expect(digest(again.quantised)).toBe(digest(once.quantised));
    expect(again.bias).toBe(once.bias);
    const fewer = train(examples.slice(1), { epochs: 2, rate: 0.2, l2: 2e-6 });
    expect(digest(fewer.quantised)).not.toBe(digest(once.quantised));
  });

  it('splits by near-duplicate cluster, never by row: near copies and linked items share a split', () => {
    const base = 'the quick brown fox jumps over the lazy dog near the river bank today';
    const items: Splittable[] = [];
    for (let i = 0; i < 40; i++) {
      items.push({ text: `${base} ${i % 2 ? 'again' : ''}` });
      items.push({ text: `unrelated message number ${i} about invoices and refunds`, link: 'pair' });
    }
    assignTextSplits(items);
    const nearCopies = new Set(items.filter((i) => i.text.startsWith('the quick')).map((i) => i.split));
    const linked = new Set(items.filter((i) => i.link === 'pair').map((i) => i.split));
    expect(nearCopies.size).toBe(1);
    expect(linked.size).toBe(1);
  });
});

describe('the misses and false alarms issue 13 lists', () => {
  it('finds premium-rate text spam and comment spam without a link', () => {
    expect(categories('WINNER!! You have won a £1000 cash prize. To claim call 09061701461. 150p/msg')).toContain(
      'spam',
    );
    expect(categories('Free entry in a weekly draw, txt WIN to 80086 now. T&Cs apply')).toContain('spam');
    expect(categories('check out my channel, please subscribe!! 🙏')).toContain('spam');
    expect(categories('How do I subscribe to the yearly plan?')).toEqual([]);
  });

  it('finds hate without a listed slur, and threats against groups and third parties', () => {
    expect(screen("We'll torture these immigrants")).toMatchObject({ action: 'block' });
    expect(categories('Immigrants are vermin and should all go back')).toContain('hate');
    expect(screen("I'm going to kill him when I find him")).toMatchObject({ action: 'block' });
    expect(screen('kill all the refugees')).toMatchObject({ action: 'block' });
  });

  it('does not take apologies, sympathy, idioms, counter-speech or homonyms for abuse', () => {
    for (const text of [
      'I am sorry it hurt you.',
      'I would never hurt you',
      'Let me track you down the right contact',
      "I'll beat you to it, thanks",
      'Dykes are long walls built to hold back the sea',
      'Saying immigrants are vermin is disgusting',
      'this update is killing it, well done',
    ]) {
      expect(screen(text).action, text).toBe('allow');
    }
  });

  it('does not take a t.co link, or any link wrapper, for phishing', () => {
    expect(screen('this thread explains it https://t.co/Xy12AbCdEf').action).toBe('allow');
    expect(screen('https://lnkd.in/eA7bC9x').action).toBe('allow');
  });

  it('catches brands on other hosts, free hosting and form services', () => {
    expect(screen('https://paypal.com.account-verify.xyz/signin').action).toBe('block');
    expect(categories('please log in at https://mysite.weebly.com/paypal/login to verify your account')).toContain(
      'phishing',
    );
  });

  it('redacts any Luhn-valid card written as one, whatever its issuer, and finds SSNs and routing numbers without a context word', () => {
    // An old 15-digit JCB number and a 35xx number outside the issuer table.
    expect(screen('my credit card is 2131 0000 0000 001').text).toBe('my credit card is [card ••••0001]');
    expect(screen('use 3512 3456 7890 1236 please').text).toBe('use [card ••••1236] please');
    expect(screen('here: 219-09-9999').text).toBe('here: [SSN ••••9999]');
    expect(screen('send it to 021000021 today')).toMatchObject({ action: 'flag' });
  });
});

describe('long texts', () => {
  const logLine = (i: number) =>
    `2026-11-22T10:00:${String(i % 60).padStart(2, '0')}.000Z INFO GET /api/cart/${i}?session=s${i} 200 12ms user=u_${i}`;
  const log = (lines: number) => Array.from({ length: lines }, (_, i) => logLine(i)).join('\n');

  it('reads the prose of a long message for words, wherever it is', () => {
    const prose = 'My order arrived late and the box was damaged, which is disappointing. '.repeat(40);
    expect(prose.length).toBeGreaterThan(2000);
    expect(categories(`${prose} And you are a complete idiot.`)).toContain('harassment');
  });

  it('reads a prose line inside a log, and not the machine lines around it', () => {
    const text = `${log(30)}\nI will kill you if this happens again\n${log(30)}`;
    expect(text.length).toBeGreaterThan(2000);
    expect(screen(text).action).toBe('block');
    // user=shit_happens is an id in a log line, not someone swearing.
    const machine = `${log(30)}\n2026-11-22T10:01:00.000Z WARN user=shit_happens retry=3 path=/v1/fuck-ups/42\n${log(30)}`;
    expect(categories(machine)).not.toContain('profanity');
  });

  it('still finds what hides in the machine lines, at the right place', () => {
    const text = `${log(30)}\n2026-11-22T10:01:00.000Z ERROR charge failed card=4111 1111 1111 1111 status=402\n${log(5)}`;
    const verdict = screen(text);
    expect(verdict.action).toBe('redact');
    expect(verdict.text).toContain('card=[card ••••1111] status=402');
    expect(verdict.text!.length).toBe(text.length - '4111 1111 1111 1111'.length + '[card ••••1111]'.length);
  });
});

describe('hate said of a group, in the forms functional hate-speech tests use', () => {
  const groups = ['women', 'trans people', 'gay people', 'black people', 'disabled people', 'Muslims', 'immigrants'];
  const fill = (template: string) =>
    groups.map((g) => template.replaceAll('{g}', g).replaceAll('{G}', g[0]!.toUpperCase() + g.slice(1)));
  const rate = (templates: string[], test: (action: string) => boolean) => {
    const texts = templates.flatMap(fill);
    return texts.filter((t) => test(screen(t).action)).length / texts.length;
  };

  it('finds hate without a slur, and blocks the threats', () => {
    const hateful = [
      'I hate {g}.',
      '{G} are disgusting.',
      'All {g} like them are vile.',
      'Death to all {g}.',
      'You {g} make me sick.',
      'No {g} deserve to live.',
      '{G} lives are worthless.',
      '{G} belong in a zoo.',
    ];
    expect(rate(hateful, (a) => a !== 'allow')).toBeGreaterThanOrEqual(0.9);
    expect(rate(['I will kill {g}.', 'I want to see all {g} hanged.'], (a) => a === 'block')).toBe(1);
  });

  it('leaves alone negation, praise, counter-speech and neutral mentions', () => {
    const fine = [
      "I don't hate {g}.",
      '{G} are great.',
      'Saying {g} are disgusting is wrong.',
      'Statements like "{g} are vermin" are deeply hurtful.',
      '{G} deserve equal rights.',
      'Many {g} work in tech.',
    ];
    expect(rate(fine, (a) => a !== 'allow')).toBeLessThanOrEqual(0.05);
  });
});

describe('the written failure kinds (test/fixtures/screening/written/labelled.jsonl)', () => {
  const rows = jsonl<{ text: string; abuse: 0 | 1; spam: 0 | 1; kind: string }>(
    join(import.meta.dirname, '../fixtures/screening/written/labelled.jsonl'),
  );
  const share = (kind: string, test: (action: string) => boolean) => {
    const of = rows.filter((r) => r.kind === kind);
    return of.filter((r) => test(screen(r.text).action)).length / of.length;
  };

  it('stop or flag nearly all the abuse and spam written for them', () => {
    expect(share('sms-spam', (a) => a !== 'allow')).toBe(1);
    expect(share('comment-spam', (a) => a !== 'allow')).toBeGreaterThanOrEqual(0.95);
    expect(share('hate-no-slur', (a) => a !== 'allow')).toBeGreaterThanOrEqual(0.9);
    expect(share('threat-third-party', (a) => a === 'block')).toBeGreaterThanOrEqual(0.9);
  });

  it('block none of the counter-speech, sympathy and idioms, and flag few', () => {
    for (const kind of ['counter-speech', 'sympathy-idiom']) {
      expect(
        share(kind, (a) => a === 'block'),
        kind,
      ).toBe(0);
      expect(
        share(kind, (a) => a !== 'allow'),
        kind,
      ).toBeLessThanOrEqual(0.1);
    }
  });
});
