import { findSecrets, redactBeforeSending } from '@parley/sdk/screening';
import { describe, expect, it } from 'vitest';
import { credentialsDetector } from '../../src/screening/detectors/credentials.js';
import { ids } from './helpers.js';

describe('credentials and secrets', () => {
  it.each([
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----', 'private_key'],
    ['-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA', 'private_key'],
    ['key AKIAIOSFODNN7EXAMPLE', 'aws_access_key'],
    ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret_key'],
    ['ghp_0123456789abcdefghijABCDEFGHIJ012345', 'github_token'],
    ['glpat-abcdefghij0123456789', 'gitlab_token'],
    ['xoxb-123456789012-abcdefghijkl', 'slack_token'],
    ['sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'stripe_key'],
    ['AIzaSyA-1234567890abcdefghijklmnopqrstu', 'google_api_key'],
    ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'jwt'],
    ['password: Hunter2!', 'password'],
    ['mi contraseña es Sol2024', 'password'],
  ])('finds %s', (text, kind) => {
    expect(findSecrets(text).map((s) => s.kind)).toContain(kind);
    expect(ids(credentialsDetector, text)).toEqual(['secret']);
  });

  it('leaves talk about passwords and look-alike words alone', () => {
    for (const text of [
      'my password is not working',
      'I forgot my password, can you reset it?',
      'the password field is greyed out',
      'tokens are refreshed every hour',
      'skip_live_preview is a setting',
    ]) {
      expect(ids(credentialsDetector, text)).toEqual([]);
    }
  });

  it('redacts a private key to its end, or to the end of the text when the footer is missing', () => {
    const { text } = redactBeforeSending(
      'here:\n-----BEGIN PRIVATE KEY-----\nabc\ndef\n-----END PRIVATE KEY-----\nthanks',
    );
    expect(text).toBe('here:\n[private key]\nthanks');
    expect(redactBeforeSending('-----BEGIN EC PRIVATE KEY-----\nabc').text).toBe('[private key]');
  });

  it('redacts cards, IBANs and secrets in the browser before sending', () => {
    expect(redactBeforeSending('card 4242 4242 4242 4242 and IBAN GB82WEST12345698765432, pwd=S3cret!!')).toEqual({
      text: 'card [card ••••4242] and IBAN [IBAN ••••5432], pwd=[password]',
      removed: ['card', 'iban', 'password'],
    });
  });
});
