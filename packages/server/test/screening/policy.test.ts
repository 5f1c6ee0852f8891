import { SCREENING_CATEGORIES } from '@parley/sdk/protocol';
import { describe, expect, it } from 'vitest';
import { DETECTOR_IDS } from '../../src/screening/detectors/index.js';
import { DEFAULT_POLICY, effectiveRules, PolicyError, validatePolicy } from '../../src/screening/policy.js';
import { compilePolicy, messageScreening, screenText, summary } from '../../src/screening/screener.js';
import { VISITOR } from './helpers.js';

describe('the default policy', () => {
  it('is valid, covers every category and every detector, and cites a clause for each rule', () => {
    expect(validatePolicy(DEFAULT_POLICY)).toEqual(DEFAULT_POLICY);
    expect(new Set(DEFAULT_POLICY.rules.map((r) => r.category))).toEqual(new Set(SCREENING_CATEGORIES));
    expect(new Set(DEFAULT_POLICY.rules.map((r) => r.detector))).toEqual(new Set(DETECTOR_IDS));
    for (const r of DEFAULT_POLICY.rules) expect(r.clause.ref.length).toBeGreaterThan(3);
  });
});

describe('policies as data', () => {
  it('refuses an invalid policy with every reason', () => {
    try {
      validatePolicy({
        version: '1',
        name: 'x',
        rules: [
          {
            id: 'a',
            detector: 'nope',
            action: 'block',
            category: 'spam',
            clause: { document: 'd', ref: 'r', reason: 'x' },
          },
          { id: 'b', detector: 'card', action: 'shred', category: 'money', clause: { document: 'd', ref: 'r' } },
        ],
      });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(PolicyError);
      expect((err as PolicyError).reasons).toEqual([
        expect.stringMatching(/^rules\.0\.detector: unknown detector/),
        expect.stringMatching(/^rules\.1\.action:/),
        expect.stringMatching(/^rules\.1\.category:/),
        expect.stringMatching(/^rules\.1\.clause\.reason:/),
      ]);
    }
    expect(() =>
      validatePolicy({ version: '1', name: 'x', rules: [DEFAULT_POLICY.rules[0], DEFAULT_POLICY.rules[0]] }),
    ).toThrow(/used twice/);
  });

  it('adjusts the default by rule id when it extends it', () => {
    const adjusted = validatePolicy({
      version: 'acme-2',
      name: 'Acme',
      extends: 'default',
      rules: [{ ...DEFAULT_POLICY.rules.find((r) => r.id === 'profanity.word')!, action: 'allow' }],
    });
    const rules = effectiveRules(adjusted);
    expect(rules).toHaveLength(DEFAULT_POLICY.rules.length);
    expect(rules.find((r) => r.id === 'profanity.word')?.action).toBe('allow');
    expect(screenText('this is shit', VISITOR, compilePolicy(adjusted)).action).toBe('allow');
    expect(screenText('this is shit', VISITOR, compilePolicy(DEFAULT_POLICY)).action).toBe('flag');
  });

  it('acts on confidence as the policy says: a tenant moves the thresholds, out-of-range ones are refused', () => {
    const spammy = 'Congratulations! You have won a £500 voucher, text WIN to 80086 now';
    const rule = (id: string) => DEFAULT_POLICY.rules.find((r) => r.id === id)!;
    expect(screenText(spammy, VISITOR, compilePolicy(DEFAULT_POLICY))).toMatchObject({ action: 'block' });
    const lenient = validatePolicy({
      version: 'acme-3',
      name: 'Acme',
      extends: 'default',
      rules: [{ ...rule('spam.certain'), confidence: 1 }],
    });
    const verdict = screenText(spammy, VISITOR, compilePolicy(lenient));
    expect(verdict.action).toBe('flag');
    expect(verdict.applied[0]).toMatchObject({ rule: 'spam.wording', confidence: expect.any(Number) });
    expect(messageScreening(verdict)?.notes[0]?.confidence).toBeGreaterThan(0.9);
    expect(() =>
      validatePolicy({ version: '1', name: 'x', rules: [{ ...rule('spam.wording'), confidence: 1.5 }] }),
    ).toThrow(/rules\.0\.confidence/);
  });

  it('reads a stored policy that names a detector merged since (suspicious_link) as what it means now', () => {
    const old = validatePolicy({
      version: 'acme-1',
      name: 'Acme',
      extends: 'default',
      rules: [
        {
          id: 'phishing.suspicious',
          detector: 'suspicious_link',
          action: 'flag',
          category: 'phishing',
          clause: { document: 'AUP', ref: '§1', reason: 'Odd links are kept for review.' },
        },
      ],
    });
    expect(effectiveRules(old).find((r) => r.id === 'phishing.suspicious')).toMatchObject({
      detector: 'phishing_link',
      confidence: 0.75,
    });
    expect(screenText('look: http://203.0.113.9/status', VISITOR, compilePolicy(old)).action).toBe('flag');
  });

  it('allows health information for an app with a Business Associate Agreement', () => {
    const text = 'my husband was diagnosed with cancer, MRN 00482913';
    expect(screenText(text, VISITOR, compilePolicy(DEFAULT_POLICY)).action).toBe('redact');
    const baa = screenText(text, VISITOR, compilePolicy(DEFAULT_POLICY, { hipaaBaa: true }));
    expect(baa).toMatchObject({ action: 'allow', text });
  });
});

describe('verdicts', () => {
  const policy = compilePolicy(DEFAULT_POLICY);

  it('explain what applied: rule, category, clause and the spans that matched', () => {
    const text = 'card 4242 4242 4242 4242, you idiot';
    const verdict = screenText(text, VISITOR, policy);
    expect(verdict.action).toBe('redact');
    expect(verdict.text).toBe('card [card ••••4242], you idiot');
    expect(summary(verdict)).toMatchObject({
      categories: ['financial', 'harassment'],
      rules: ['financial.card', 'harassment.insult'],
    });
    const card = verdict.applied[0]!;
    expect(text.slice(card.spans[0]!.start, card.spans[0]!.end)).toBe('4242 4242 4242 4242');
    expect(card.clause.document).toMatch(/Kustomer/);
    expect(messageScreening(verdict)).toEqual({
      action: 'redact',
      notes: [
        expect.objectContaining({ rule: 'financial.card', action: 'redact', replacements: ['[card ••••4242]'] }),
        expect.objectContaining({ rule: 'harassment.insult', action: 'flag' }),
      ],
    });
  });

  it('block: nothing of the text is kept', () => {
    expect(screenText('I will kill you', VISITOR, policy)).toMatchObject({ action: 'block', text: null });
  });

  it('screen agents too: an agent pasting a card number has it redacted', () => {
    const verdict = screenText('I see card 5555555555554444 on file', { role: 'agent' }, policy);
    expect(verdict.text).toBe('I see card [card ••••4444] on file');
  });
});
