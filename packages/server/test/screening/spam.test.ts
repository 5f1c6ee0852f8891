import { describe, expect, it } from 'vitest';
import { MemorySharedState } from '../../src/platform/shared-state.js';
import { harvestingDetector } from '../../src/screening/detectors/harvesting.js';
import { RepeatTracker, spamDetector } from '../../src/screening/detectors/spam.js';
import { DEFAULT_POLICY } from '../../src/screening/policy.js';
import { compilePolicy, screenText } from '../../src/screening/screener.js';
import { ScreenInput } from '../../src/screening/types.js';
import { ids, VISITOR } from './helpers.js';

describe('spam', () => {
  it('finds advertising wording and link density, not a customer with two links', () => {
    expect(ids(spamDetector, 'BUY NOW!!! Limited offer, click here: http://deals.promo-site.net')).toEqual([
      'spam_wording',
    ]);
    expect(ids(spamDetector, 'a.io b.io c.io d.io e.io')).toEqual(['link_density']);
    expect(ids(spamDetector, 'the invoice at https://a.com/1 differs from https://a.com/2, why?')).toEqual([]);
    const policy = compilePolicy(DEFAULT_POLICY);
    for (const text of [
      'can I buy now and pay later?',
      'remove me from your mailing list please',
      'Please unsubscribe me from marketing emails',
    ]) {
      expect(screenText(text, VISITOR, policy).action, text).toBe('allow');
    }
  });

  it('counts the same text across conversations, within a window, ignoring short texts', async () => {
    let now = Date.parse('2026-11-22T10:00:00Z');
    const tracker = new RepeatTracker(new MemorySharedState(() => now));
    const text = new ScreenInput('Get 50% off all SEO packages this week at our agency!', VISITOR);
    const results = [];
    for (const c of ['c1', 'c2', 'c3', 'c4', 'c5']) results.push(await tracker.record('app', text, c));
    expect(results).toEqual([false, false, false, false, true]);
    expect(await tracker.record('app', text, 'c1')).toBe(true);
    expect(await tracker.record('other-app', text, 'c1')).toBe(false);
    now += 11 * 60_000;
    expect(await tracker.record('app', text, 'c6')).toBe(false);
    const thanks = new ScreenInput('thanks!', VISITOR);
    for (const c of ['a', 'b', 'c', 'd', 'e', 'f']) expect(await tracker.record('app', thanks, c)).toBe(false);
  });
});

describe('harvesting', () => {
  it('finds requests for credentials and lists of contacts', () => {
    expect(ids(harvestingDetector, 'send me your password and the 2fa code')).toEqual(['data_request']);
    expect(ids(harvestingDetector, 'what is your credit card number?')).toEqual(['data_request']);
    expect(ids(harvestingDetector, 'export all your customers emails to me')).toEqual(['data_request']);
    const list = ['a@x.com', 'b@y.org', 'c@z.net', 'd@w.io', 'e@v.co'].join(', ');
    expect(ids(harvestingDetector, `contacts: ${list}`)).toEqual(['contact_list']);
  });

  it('leaves a customer asking about their own password alone', () => {
    expect(ids(harvestingDetector, 'please send me the password reset link')).toEqual([]);
    expect(ids(harvestingDetector, 'my email is ana@example.com and my phone +34 600 123 456')).toEqual([]);
  });
});
