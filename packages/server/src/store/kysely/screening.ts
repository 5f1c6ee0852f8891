import type { Kysely } from 'kysely';
import type { Database } from '../schema/index.js';
import type { ScreeningStore, VerdictRecord } from '../types.js';
import { olderThan } from './db.js';

export class ScreeningQueries implements ScreeningStore {
  constructor(private readonly db: Kysely<Database>) {}

  async getPolicy(appId: string): Promise<unknown | undefined> {
    const row = await this.db
      .selectFrom('screening_policies')
      .select('document')
      .where('app_id', '=', appId)
      .executeTakeFirst();
    return row ? (JSON.parse(row.document) as unknown) : undefined;
  }

  async setPolicy(appId: string, document: unknown | null, now: string): Promise<void> {
    if (document === null) {
      await this.db.deleteFrom('screening_policies').where('app_id', '=', appId).execute();
      return;
    }
    const values = { app_id: appId, document: JSON.stringify(document), updated_at: now };
    await this.db
      .insertInto('screening_policies')
      .values(values)
      .onConflict((oc) => oc.column('app_id').doUpdateSet({ document: values.document, updated_at: now }))
      .execute();
  }

  /** Verdicts older than `before` go: their own retention. */
  async purgeVerdicts(before: string): Promise<number> {
    const result = await this.db.deleteFrom('screening_verdicts').where('created_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async recordVerdict(v: VerdictRecord): Promise<void> {
    await this.db
      .insertInto('screening_verdicts')
      .values({
        id: v.id,
        app_id: v.appId,
        surface: v.surface,
        sender_type: v.sender.type,
        sender_id: v.sender.id,
        action: v.action,
        categories: JSON.stringify(v.categories),
        rules: JSON.stringify(v.rules),
        content_hash: v.contentHash,
        created_at: v.createdAt,
      })
      .execute();
  }

  async listVerdicts(
    appId: string,
    query: { before?: string; after?: { createdAt: string; id: string }; limit: number },
  ): Promise<VerdictRecord[]> {
    let q = this.db.selectFrom('screening_verdicts').selectAll().where('app_id', '=', appId);
    if (query.before) q = q.where('created_at', '<', query.before);
    if (query.after) q = q.where(olderThan(query.after));
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
    return rows.map((r) => ({
      id: r.id,
      appId: r.app_id,
      surface: r.surface as VerdictRecord['surface'],
      sender: { type: r.sender_type, id: r.sender_id },
      action: r.action,
      categories: JSON.parse(r.categories) as string[],
      rules: JSON.parse(r.rules) as string[],
      contentHash: r.content_hash,
      createdAt: r.created_at,
    }));
  }
}
