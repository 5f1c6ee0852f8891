import { randomFillSync } from 'node:crypto';

export type IdPrefix =
  | 'app'
  | 'agt'
  | 'vis'
  | 'cnv'
  | 'msg'
  | 'nte'
  | 'att'
  | 'inc'
  | 'vrd'
  | 'ses'
  | 'key'
  | 'whk'
  | 'evt'
  | 'dlv'
  | 'aud';

// Random bytes are drawn 4 KiB at a time: one system call per ~340 ids instead of one each.
const pool = Buffer.alloc(4096);
let offset = pool.length;

function randomPart(bytes: number): string {
  if (offset + bytes > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const part = pool.toString('base64url', offset, offset + bytes);
  offset += bytes;
  return part;
}

/**
 * Ids are a readable prefix, the creation time (base 36, so ids sort by age and index inserts
 * land at the end of the B-tree) and 12 random bytes (96 bits): unguessable, so an id alone
 * never grants access.
 */
export function newId(prefix: IdPrefix, now = Date.now()): string {
  return `${prefix}_${now.toString(36).padStart(9, '0')}${randomPart(12)}`;
}
