import type { ClientInfo, EnvironmentInfo } from '@parley/sdk/protocol';

// Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
const BROWSERS: [name: string, pattern: RegExp][] = [
  ['Edge', /\bEdg(?:e|A|iOS)?\/([\d.]+)/],
  ['Opera', /\b(?:OPR|Opera)\/([\d.]+)/],
  ['Samsung Internet', /\bSamsungBrowser\/([\d.]+)/],
  ['Firefox', /\b(?:Firefox|FxiOS)\/([\d.]+)/],
  ['Chrome', /\b(?:HeadlessChrome|Chrome|CriOS)\/([\d.]+)/],
  ['Safari', /\bVersion\/([\d.]+)(?: Mobile\/\w+)? Safari\//],
];

const SYSTEMS: [name: string, pattern: RegExp][] = [
  ['iOS', /\b(?:iPhone|CPU) OS (\d+(?:_\d+)*)/],
  ['iPadOS', /\biPad; CPU OS (\d+(?:_\d+)*)/],
  ['Android', /\bAndroid (\d+(?:\.\d+)*)/],
  ['ChromeOS', /\bCrOS \S+ ([\d.]+)/],
  ['Windows', /\bWindows NT (\d+\.\d+)/],
  ['macOS', /\bMac OS X (\d+(?:[._]\d+)*)/],
  ['Linux', /\bLinux\b()/],
];

/**
 * Browser, OS and device from a user agent, with the client hints when the browser sent them
 * (they are more honest about the platform and about being mobile). Unknown parts are null:
 * an agent reading "unknown" is better served than by a guess.
 */
export function parseUserAgent(ua: string, hints?: EnvironmentInfo['clientHints']): ClientInfo {
  let browser: string | null = null;
  let browserVersion: string | null = null;
  for (const [name, pattern] of BROWSERS) {
    const m = pattern.exec(ua);
    if (m) {
      browser = name;
      browserVersion = majorMinor(m[1] ?? '');
      break;
    }
  }
  let os: string | null = null;
  let osVersion: string | null = null;
  // iPad first: its user agent also says "CPU OS".
  for (const [name, pattern] of ua.includes('iPad;') ? SYSTEMS.slice(1) : SYSTEMS) {
    const m = pattern.exec(ua);
    if (m) {
      os = name;
      osVersion = m[1] ? m[1].replace(/_/g, '.') : null;
      break;
    }
  }
  // "Windows NT 10.0" covers Windows 10 and 11; only the client hints can tell them apart.
  if (os === 'Windows' && osVersion === '10.0') osVersion = '10 or 11';
  if (!os && hints?.platform) os = hints.platform;

  let device: ClientInfo['device'] = 'unknown';
  if (/\biPad\b|\bTablet\b/.test(ua) || (/\bAndroid\b/.test(ua) && !/\bMobile\b/.test(ua))) device = 'tablet';
  else if (hints?.mobile === true || /\bMobi|\biPhone\b/.test(ua)) device = 'mobile';
  else if (os !== null) device = 'desktop';
  return { browser, browserVersion, os, osVersion, device };
}

function majorMinor(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}
