import { describe, expect, it } from 'vitest';
import { TEXT_DETECTORS } from '../../src/screening/detectors/index.js';
import { DEFAULT_POLICY } from '../../src/screening/policy.js';
import { compilePolicy, screenText } from '../../src/screening/screener.js';
import { ScreenInput } from '../../src/screening/types.js';
import { VISITOR } from './helpers.js';

// Inputs that make backtracking patterns explode. A detector that backtracks catastrophically
// does not finish within the test timeout on these; linear ones take milliseconds.
const K100 = 100_000;
const PATHOLOGICAL: [string, string][] = [
  ['one character', 'a'.repeat(K100)],
  ['digits', '4'.repeat(K100)],
  ['spaced digits', '4 '.repeat(K100 / 2)],
  ['dashed digits', '42-'.repeat(K100 / 3)],
  ['nested brackets', '('.repeat(K100 / 2) + ')'.repeat(K100 / 2)],
  ['braces', '{{'.repeat(K100 / 2)],
  ['angle brackets', '<'.repeat(K100)],
  ['dots', 'a.'.repeat(K100 / 2)],
  ['url', `http://${'a'.repeat(K100)}`],
  ['quotes', "' OR ".repeat(K100 / 5)],
  ['key headers', '-----BEGIN PRIVATE KEY-----'.repeat(K100 / 27)],
  ['spaced letters', 'f '.repeat(K100 / 2)],
  ['you', 'you '.repeat(K100 / 4)],
  ['emails', 'a@b.'.repeat(K100 / 4)],
  ['zero width', '\u200b'.repeat(K100)],
  ['look-alikes', 'ѕ'.repeat(K100)],
  ['password', 'password: '.repeat(K100 / 10)],
  ['iban-like', 'DE89 '.repeat(K100 / 5)],
  ['prices', '£1'.repeat(K100 / 2)],
  ['short codes', 'txt WIN to '.repeat(K100 / 11)],
  ['threats', 'i will kill '.repeat(K100 / 12)],
  ['groups', 'all immigrants are '.repeat(K100 / 19)],
  ['brands', 'paypal.com-'.repeat(K100 / 11)],
];

describe('no pattern backtracks catastrophically', () => {
  for (const detector of TEXT_DETECTORS) {
    it(`${detector.ids[0]} finishes on every pathological input`, { timeout: 10_000 }, () => {
      for (const [, text] of PATHOLOGICAL) {
        const findings = detector.detect(new ScreenInput(text, { ...VISITOR, senderName: text.slice(0, 255) }));
        expect(Array.isArray(findings)).toBe(true);
      }
    });
  }

  it('the whole pipeline finishes on every pathological input', { timeout: 20_000 }, () => {
    const policy = compilePolicy(DEFAULT_POLICY);
    for (const [name, text] of PATHOLOGICAL) {
      const verdict = screenText(text, VISITOR, policy);
      expect(verdict.action, name).toMatch(/allow|flag|redact|block/);
    }
  });
});
