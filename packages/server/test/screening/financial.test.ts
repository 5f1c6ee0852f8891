import { cardIssuer, findCards, findIbans, luhn } from '@parley/sdk/screening';
import { describe, expect, it } from 'vitest';
import { financialDetector, nationalIdDetector } from '../../src/screening/detectors/financial.js';
import { ids, matched } from './helpers.js';

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
});

describe('national ids', () => {
  it('finds an SSN with a context word and outside the unissued ranges', () => {
    expect(matched(nationalIdDetector, 'my SSN is 123-45-6789')).toEqual(['123-45-6789']);
    expect(ids(nationalIdDetector, 'SSN: 666-12-3456')).toEqual([]);
    expect(ids(nationalIdDetector, 'social security 900-12-3456')).toEqual([]);
    expect(ids(nationalIdDetector, 'ssn 123-00-4567')).toEqual([]);
    expect(ids(nationalIdDetector, 'call 123-45-6789')).toEqual([]);
  });
});
