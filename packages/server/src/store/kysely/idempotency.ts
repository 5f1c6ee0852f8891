import type { Kysely } from 'kysely';
import type { KeyRing } from '../crypto.js';
import type { Database } from '../schema/index.js';
import type { IdempotencyStore, IdempotentAnswer } from '../types.js';
import { isUniqueViolation } from './db.js';

export class IdempotencyQueries implements IdempotencyStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly ring?: KeyRing,
  ) {}

  async claim(principal: string, key: string, requestHash: string, now: string): Promise<IdempotentAnswer | undefined> {
    try {
      await this.db
        .insertInto('idempotency_keys')
        .values({ principal, key, request_hash: requestHash, status_code: null, response: null, created_at: now })
        .execute();
      return undefined;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
    const row = await this.db
      .selectFrom('idempotency_keys')
      .select(['request_hash', 'status_code', 'response'])
      .where('principal', '=', principal)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!row) return this.claim(principal, key, requestHash, now);
    return {
      requestHash: row.request_hash,
      ...(row.status_code !== null ? { statusCode: Number(row.status_code) } : {}),
      ...(row.response !== null ? { response: row.response } : {}),
    };
  }

  async complete(principal: string, key: string, statusCode: number, response: string, appId?: string): Promise<void> {
    const mentions = [...new Set(response.match(/\b(?:vis|cnv)_[A-Za-z0-9_-]+/g) ?? [])].join(' ');
    await this.db
      .updateTable('idempotency_keys')
      .set({
        status_code: statusCode,
        response: this.ring && appId ? await this.ring.sealTextForApp(appId, response) : response,
        mentions: mentions || null,
      })
      .where('principal', '=', principal)
      .where('key', '=', key)
      .execute();
  }

  async release(principal: string, key: string): Promise<void> {
    await this.db.deleteFrom('idempotency_keys').where('principal', '=', principal).where('key', '=', key).execute();
  }

  async purge(olderThan: string): Promise<number> {
    const result = await this.db.deleteFrom('idempotency_keys').where('created_at', '<', olderThan).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
