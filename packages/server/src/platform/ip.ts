import { isIPv4, isIPv6 } from 'node:net';

/**
 * An address as Parley keeps it (logs): IPv4 without its last octet, IPv6 without its last 80
 * bits (the /48 a site gets), so it says roughly where from, not who.
 */
export function truncateIp(ip: string | undefined): string | undefined {
  if (!ip) return ip;
  const mapped = ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
  if (isIPv4(mapped)) return `${mapped.split('.').slice(0, 3).join('.')}.0`;
  if (!isIPv6(ip)) return undefined;
  // Expand ::, keep the first three groups (48 bits).
  const [head = '', tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 3)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::`;
}
