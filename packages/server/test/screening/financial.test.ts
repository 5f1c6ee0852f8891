import { cardIssuer, findCards, findIbans, luhn } from '@parley/sdk/screening';
import { describe, expect, it } from 'vitest';
import { financialDetector, nationalIdDetector } from '../../src/screening/detectors/financial.js';
import { DEFAULT_POLICY } from '../../src/screening/policy.js';
import { compilePolicy, screenText } from '../../src/screening/screener.js';
import { ScreenInput } from '../../src/screening/types.js';
import { ids, matched, VISITOR } from './helpers.js';

describe('card numbers', () => {
  // Published test numbers of the networks (Stripe, Adyen, PayPal documentation).
  it.each([
    ['4242424242424242', 'visa'],
    ['4000 0566 5566 5556', 'visa'],
    ['5555-5555-5555-4444', 'mastercard'],
    ['2223003122003222', 'mastercard'],
    ['378282246310005', 'amex'],
    ['6011111111111117', 'discover'],
    ['3056930009020004', 'diners'],
    ['3566002020360505', 'jcb'],
    ['6200000000000005', 'unionpay'],
  ])('finds %s (%s) and keeps only its last four digits', (number, issuer) => {
    expect(cardIssuer(number.replace(/\D/g, ''))).toBe(issuer);
    const [span] = findCards(`pay with ${number} please`);
    expect(span?.replacement).toBe(`[card ••••${number.replace(/\D/g, '').slice(-4)}]`);
  });

  it('finds any Luhn-valid 13–19 digit number written as a card, whatever its issuer', () => {
    const withCheck = (body: string) => {
      for (let d = 0; d <= 9; d++) if (luhn(body + d)) return body + d;
      throw new Error('unreachable');
    };
    const groupsOfFour = (n: string) => n.replace(/(\d{4})(?=\d)/g, '$1 ');
    // The old 15-digit JCB ranges are in the table now; bare, they are cards.
    for (const body of ['21310000000000', '18005551234567']) {
      const number = withCheck(body);
      expect(cardIssuer(number)).toBe('jcb');
      expect(findCards(`ref ${number}`)).toHaveLength(1);
    }
    // 35xx outside the JCB table, a prefix no table knows, 13 and 19 digits: cards when written as one.
    for (const body of ['351212345678901', '790012345678901', '123456789012', '999988887777666655']) {
      const number = withCheck(body);
      expect(cardIssuer(number)).toBeNull();
      for (const written of [number, groupsOfFour(number), groupsOfFour(number).replace(/ /g, '-')]) {
        expect(findCards(`my credit card is ${written}`).map((s) => s.replacement)).toEqual([
          `[card ••••${number.slice(-4)}]`,
        ]);
      }
    }
    // Bare, with no word or expiry that makes it a card (a millisecond timestamp), grouped unlike a
    // card (an order number), or starting with 0 (no network issues those): left alone.
    const timestamp = withCheck('176440000000');
    expect(cardIssuer(timestamp)).toBeNull();
    expect(findCards(`bench message ${timestamp}`)).toEqual([]);
    expect(findCards(`please charge ${timestamp} exp 04/29`)).toHaveLength(1);
    const order = withCheck('1124456781998123');
    expect(findCards(`order ${order.slice(0, 3)}-${order.slice(3, 10)}-${order.slice(10)}`)).toEqual([]);
    expect(findCards(`ref ${withCheck('012345678901234')}`)).toEqual([]);
  });

  it('ignores numbers that fail Luhn, have no issuer, or are part of a longer number', () => {
    expect(luhn('4242424242424241')).toBe(false);
    expect(findCards('order 4242424242424241')).toEqual([]);
    expect(findCards('tracking 1Z999AA10123456784 and 9400111899223100012345')).toEqual([]);
    expect(findCards('id 74242424242424242')).toEqual([]);
    expect(findCards('call 555-123-4567 on 2026-11-22')).toEqual([]);
  });

  it('reports cards and bank numbers as financial, not short digit strings', () => {
    expect(ids(financialDetector, 'card 4111 1111 1111 1111 exp 09/28')).toEqual(['card']);
    expect(ids(financialDetector, 'order #12345678')).toEqual([]);
  });
});

describe('bank numbers', () => {
  it.each([
    'DE89 3704 0044 0532 0130 00',
    'GB82WEST12345698765432',
    'FR14 2004 1010 0505 0001 3M02 606',
    'ES91 2100 0418 4502 0005 1332',
    'NL91ABNA0417164300',
  ])('finds the IBAN %s by its country length and mod-97', (iban) => {
    expect(findIbans(`refund to ${iban} thanks`)).toHaveLength(1);
  });

  it('places an IBAN where it is in the text, after letters whose capital is longer, and in lower case', () => {
    // "ß" capitalises to "SS": found in a capitalised copy, the span would start one too late.
    const text = 'Überweisung an Straße 5, DE89 3704 0044 0532 0130 00 bitte';
    const [span] = findIbans(text);
    expect(text.slice(span!.start, span!.end)).toBe('DE89 3704 0044 0532 0130 00');
    const lower = 'iban de89370400440532013000.';
    const [found] = findIbans(lower);
    expect(lower.slice(found!.start, found!.end)).toBe('de89370400440532013000');
    expect(found!.replacement).toBe(findIbans('DE89370400440532013000')[0]!.replacement);
  });

  it('refuses IBANs with a wrong check or length', () => {
    expect(findIbans('DE89 3704 0044 0532 0130 01')).toEqual([]);
    expect(findIbans('DE89 3704 0044 0532 0130')).toEqual([]);
  });

  it('finds routing numbers only with their checksum and a context word, account numbers only with one', () => {
    expect(matched(financialDetector, 'routing number 021000021, account number 123456789')).toEqual([
      '021000021',
      '123456789',
    ]);
    expect(ids(financialDetector, 'routing number 021000022')).toEqual([]);
    expect(ids(financialDetector, 'my ticket is 021000021')).toEqual([]);
  });

  it('guesses a routing number without a context word by its checksum and Federal Reserve prefix', () => {
    const found = (text: string) =>
      financialDetector.detect(new ScreenInput(text, VISITOR)).map((f) => [f.detector, f.confidence ?? 1]);
    expect(found('wire it to 021000021 please')).toEqual([['bank_account', 0.6]]);
    expect(found('wire it to 021000022 please')).toEqual([]); // checksum
    expect(found('wire it to 991000029 please')).toEqual([]); // no such prefix
    expect(found('order number 021000021')).toEqual([]);
  });
});

describe('national ids', () => {
  it('finds an SSN with a context word and outside the unissued ranges', () => {
    expect(matched(nationalIdDetector, 'my SSN is 123-45-6789')).toEqual(['123-45-6789']);
    expect(ids(nationalIdDetector, 'SSN: 666-12-3456')).toEqual([]);
    expect(ids(nationalIdDetector, 'social security 900-12-3456')).toEqual([]);
    expect(ids(nationalIdDetector, 'ssn 123-00-4567')).toEqual([]);
  });

  it('finds an SSN in its usual written forms without a context word: sure with dashes, a guess with spaces', () => {
    const found = (text: string) =>
      nationalIdDetector.detect(new ScreenInput(text, VISITOR)).map((f) => f.confidence ?? 1);
    expect(found('here you go 219-09-9999')).toEqual([1]);
    expect(found('it is 219 09 9999')).toEqual([0.6]);
    expect(found('order 219099999 arrived')).toEqual([]);
    expect(found('666-09-9999 or 219-00-9999')).toEqual([]);
  });

  it('redacts a dashed SSN under the default policy and flags a spaced one', () => {
    const policy = compilePolicy(DEFAULT_POLICY);
    expect(screenText('mine is 219-09-9999', VISITOR, policy)).toMatchObject({
      action: 'redact',
      text: 'mine is [SSN ••••9999]',
    });
    expect(screenText('mine is 219 09 9999', VISITOR, policy)).toMatchObject({
      action: 'flag',
      text: 'mine is 219 09 9999',
    });
  });
});
