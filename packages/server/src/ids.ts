import { randomBytes } from 'node:crypto';

export type IdPrefix = 'app' | 'agt' | 'vis' | 'cnv' | 'msg';

/**
 * Ids are a readable prefix and 16 random bytes (base64url): unguessable, so an id alone
 * never grants access, and the prefix tells a reader what kind of thing it names.
 */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBytes(16).toString('base64url')}`;
}
