import { describe, expect, it } from 'vitest';
import { truncateIp } from '../src/platform/ip.js';

describe('truncateIp', () => {
  it('drops the last octet of IPv4 and the last 80 bits of IPv6', () => {
    expect(truncateIp('203.0.113.77')).toBe('203.0.113.0');
    expect(truncateIp('::ffff:203.0.113.77')).toBe('203.0.113.0');
    expect(truncateIp('2001:db8:85a3:8d3:1319:8a2e:370:7348')).toBe('2001:db8:85a3::');
    expect(truncateIp('2001:0db8::1')).toBe('2001:db8:0::');
    expect(truncateIp('::1')).toBe('0:0:0::');
    expect(truncateIp('not an address')).toBeUndefined();
    expect(truncateIp(undefined)).toBeUndefined();
  });
});
