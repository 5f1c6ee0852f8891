import { describe, expect, it } from 'vitest';
import { scrubContext } from '../src/incidents/report.js';
import { parseUserAgent } from '../src/platform/user-agent.js';

describe('browser, OS and device from the user agent', () => {
  it.each([
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      { browser: 'Chrome', browserVersion: '131.0', os: 'Windows', osVersion: '10 or 11', device: 'desktop' },
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86',
      { browser: 'Edge', browserVersion: '131.0', os: 'Windows', device: 'desktop' },
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0',
      { browser: 'Firefox', browserVersion: '133.0', os: 'macOS', osVersion: '10.15', device: 'desktop' },
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
      { browser: 'Safari', browserVersion: '18.1', os: 'macOS', osVersion: '10.15.7', device: 'desktop' },
    ],
    [
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36',
      { browser: 'Chrome', os: 'Android', osVersion: '14', device: 'mobile' },
    ],
    [
      'Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Safari/537.36',
      { browser: 'Samsung Internet', os: 'Android', device: 'tablet' },
    ],
    [
      'Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1',
      { browser: 'Chrome', os: 'iPadOS', osVersion: '17.6', device: 'tablet' },
    ],
    [
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/142.0.0.0 Safari/537.36',
      { browser: 'Chrome', os: 'Linux', osVersion: null, device: 'desktop' },
    ],
    ['curl/8.5.0', { browser: null, os: null, device: 'unknown' }],
  ])('%s', (ua, expected) => {
    expect(parseUserAgent(ua)).toMatchObject(expected);
  });

  it('believes the client hints about being mobile', () => {
    const ua = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
    expect(parseUserAgent(ua, { mobile: true, platform: 'Android' }).device).toBe('mobile');
  });
});

describe('the server scrubs the context again', () => {
  it('cleans every string, keeps numbers and times, and lists what it removed', () => {
    const cleaned = scrubContext({
      errors: [],
      breadcrumbs: [
        {
          type: 'console',
          level: 'error',
          message: 'auth failed: Bearer abcdefghijklmnop',
          at: '2026-11-22T10:00:00.000Z',
        },
        {
          type: 'navigation',
          from: 'https://a.test/?session=s3cr3t',
          to: 'https://a.test/#me',
          at: '2026-11-22T10:00:01.000Z',
        },
      ],
      environment: null,
      scrubbed: ['jwt'],
      droppedBreadcrumbs: 4,
    });
    expect(cleaned).toEqual({
      errors: [],
      breadcrumbs: [
        { type: 'console', level: 'error', message: 'auth failed: Bearer [redacted]', at: '2026-11-22T10:00:00.000Z' },
        {
          type: 'navigation',
          from: 'https://a.test/?session=[redacted]',
          to: 'https://a.test/',
          at: '2026-11-22T10:00:01.000Z',
        },
      ],
      environment: null,
      scrubbed: ['authorization', 'jwt', 'query_param', 'url_fragment'],
      droppedBreadcrumbs: 4,
    });
  });
});
