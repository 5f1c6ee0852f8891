import { type Kysely, type RawBuilder, sql } from 'kysely';
import { APP_DATA, type AppScope, type Link, PERSONAL_DATA, type PersonalTable } from '../../privacy/personal-data.js';
import type { KeyRing } from '../crypto.js';
import type { Database } from '../schema/index.js';
import type { AuditEntry, AuditQuery, AuditStore, ContactExport, PrivacyStore, PurgeCounts } from '../types.js';
import { type Db, olderThan, transact } from './db.js';
import { attachmentPath } from './rows.js';

/** Tables whose rows carry the app's id: every match is scoped to it. */
const APP_SCOPED = (t: PersonalTable) => t.table !== 'idempotency_keys';

/** The contact's conversations, as a subquery. */
const conversationsOf = (appId: string, contactId: string) =>
  sql`(select id from conversations where app_id = ${appId} and visitor_id = ${contactId})`;

/** Whether a row of `t` (as `alias`) is about the contact: any of its links matches. */
function about(t: PersonalTable, appId: string, contactId: string): RawBuilder<boolean> {
  const conditions = t.links.map((link) => linkCondition(link, appId, contactId));
  const any = sql.join(conditions, sql` or `);
  return APP_SCOPED(t) ? sql<boolean>`(app_id = ${appId} and (${any}))` : sql<boolean>`(${any})`;
}

function linkCondition(link: Link, appId: string, contactId: string): RawBuilder<unknown> {
  if ('contact' in link) {
    const when = Object.entries(link.when ?? {}).map(([k, v]) => sql` and ${sql.ref(k)} = ${v}`);
    return sql`(${sql.ref(link.contact)} = ${contactId}${sql.join(when, sql``)})`;
  }
  if ('conversation' in link) return sql`${sql.ref(link.conversation)} in ${conversationsOf(appId, contactId)}`;
  if ('message' in link) {
    return sql`${sql.ref(link.message)} in (select id from messages where app_id = ${appId} and conversation_id in ${conversationsOf(appId, contactId)})`;
  }
  if ('deliveryOf' in link) {
    const deliveries = PERSONAL_DATA.find((t) => t.table === 'webhook_deliveries')!;
    return sql`${sql.ref(link.deliveryOf)} in (select event_id from webhook_deliveries where ${about(deliveries, appId, contactId)})`;
  }
  // A cached answer quoting their id or one of their conversations' ids.
  const column = sql.ref(link.mentions);
  return sql`(${column} like ${`%${contactId}%`} or exists (select 1 from conversations c where c.app_id = ${appId} and c.visitor_id = ${contactId} and ${column} like '%' || c.id || '%'))`;
}

/** JSON kept as text comes back as what it says; everything else as stored. */
function readable(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (typeof v === 'string' && /^[[{]/.test(v)) {
      try {
        out[k] = JSON.parse(v);
        continue;
      } catch {
        // Not JSON after all: as stored.
      }
    }
    out[k] = v;
  }
  return out;
}

/**
 * Export, erasure and merge of a contact, each driven by the map of personal data
 * (privacy/personal-data.ts): one place says where a contact's data is, and all three follow it.
 */
export class PrivacyQueries implements PrivacyStore {
  constructor(
    private readonly db: Db,
    private readonly kind: 'sqlite' | 'postgres',
    /** Erased keys leave its memory too, not only the database: nothing here opens a copy again. */
    private readonly ring?: KeyRing,
  ) {}

  async export(appId: string, contactId: string): Promise<ContactExport | undefined> {
    const db = this.db;
    const visitor = await db
      .selectFrom('visitors')
      .select('id')
      .where('app_id', '=', appId)
      .where('id', '=', contactId)
      .executeTakeFirst();
    if (!visitor) return undefined;
    const tables: ContactExport['tables'] = {};
    for (const t of PERSONAL_DATA) {
      const where = about(t, appId, contactId);
      if (t.export.as === 'count') {
        const { rows } = await sql<{
          n: string | number;
        }>`select count(*) as n from ${sql.table(t.table)} where ${where}`.execute(db);
        tables[t.table] = { holds: t.holds, count: Number(rows[0]?.n ?? 0), why: t.export.why };
        continue;
      }
      const omit = new Set<string>(t.export.omit ?? []);
      const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(t.table)} where ${where}`.execute(
        db,
      );
      tables[t.table] = {
        holds: t.holds,
        rows: rows.map((row) => {
          const kept = readable(Object.fromEntries(Object.entries(row).filter(([k]) => !omit.has(k))));
          // A file's bytes are not in the document: the link fetches them.
          if (t.table === 'attachments') kept.path = attachmentPath(String(row.id), String(row.name));
          return kept;
        }),
      };
    }
    return { tables };
  }

  async erase(appId: string, contactId: string): Promise<Record<string, number> | undefined> {
    let keyIds: string[] = [];
    const counts = await transact(this.db as Kysely<Database>, async (trx) => {
      const exists = await trx
        .selectFrom('visitors')
        .select('id')
        .where('app_id', '=', appId)
        .where('id', '=', contactId)
        .executeTakeFirst();
      if (!exists) return undefined;
      // Their keys (their own and those of contacts merged into them), forgotten once deleted.
      keyIds = (
        await trx
          .selectFrom('contact_keys')
          .select('id')
          .where('app_id', '=', appId)
          .where('owner_id', '=', contactId)
          .execute()
      ).map((k) => k.id);
      // Rows found through rows deleted earlier in the order: their ids first.
      const found = new Map<string, string[]>();
      for (const t of PERSONAL_DATA) {
        if (!t.links.some((l) => 'deliveryOf' in l || 'message' in l)) continue;
        const { rows } = await sql<{
          id: string;
        }>`select id from ${sql.table(t.table)} where ${about(t, appId, contactId)}`.execute(trx);
        found.set(
          t.table,
          rows.map((r) => r.id),
        );
      }
      const counts: Record<string, number> = {};
      for (const t of PERSONAL_DATA) {
        const ids = found.get(t.table);
        if (ids?.length === 0) {
          counts[t.table] = 0;
          continue;
        }
        const where = ids ? sql`id in (${sql.join(ids)})` : about(t, appId, contactId);
        const result = await sql`delete from ${sql.table(t.table)} where ${where}`.execute(trx);
        counts[t.table] = Number(result.numAffectedRows ?? 0);
      }
      return counts;
    });
    if (counts) this.ring?.forget(keyIds);
    return counts;
  }

  /**
   * Retention: conversations without activity since `cutoff` go, with everything found through
   * them (messages, notes, incidents, files, queued events); then contacts left with none and
   * not seen since go entirely. At most `batch` conversations, in one transaction; on
   * PostgreSQL only the node holding the advisory lock does it (the others answer `null`).
   */
  async purge(appId: string, cutoff: string, batch: number): Promise<PurgeCounts | null> {
    return transact(this.db as Kysely<Database>, async (trx) => {
      if (this.kind === 'postgres') {
        const { rows } = await sql<{
          locked: boolean;
        }>`select pg_try_advisory_xact_lock(hashtext(current_schema() || ':parley-purge')) as locked`.execute(trx);
        if (!rows[0]?.locked) return null;
      }
      const stale = (
        await trx
          .selectFrom('conversations')
          .select('id')
          .where('app_id', '=', appId)
          .where('updated_at', '<', cutoff)
          .orderBy('updated_at')
          .limit(batch)
          .execute()
      ).map((r) => r.id);
      const rows: Record<string, number> = {};
      const add = (table: string, n: number) => {
        rows[table] = (rows[table] ?? 0) + n;
      };
      if (stale.length > 0) {
        const ids = sql.join(stale);
        const scoped = (t: PersonalTable) => {
          const conditions = t.links.flatMap((link) => {
            if ('conversation' in link) return [sql`${sql.ref(link.conversation)} in (${ids})`];
            if ('message' in link)
              return [sql`${sql.ref(link.message)} in (select id from messages where conversation_id in (${ids}))`];
            if ('deliveryOf' in link)
              return [
                sql`${sql.ref(link.deliveryOf)} in (select event_id from webhook_deliveries where ordering_key in (${ids}))`,
              ];
            return [];
          });
          if (t.table === 'conversations') conditions.push(sql`id in (${ids})`);
          return conditions.length > 0 ? sql.join(conditions, sql` or `) : undefined;
        };
        // Found first (the order deletes what they are found through).
        const found = new Map<string, string[]>();
        for (const t of PERSONAL_DATA) {
          const where = scoped(t);
          if (!where || !t.links.some((l) => 'deliveryOf' in l || 'message' in l)) continue;
          const { rows: r } = await sql<{ id: string }>`select id from ${sql.table(t.table)} where ${where}`.execute(
            trx,
          );
          found.set(
            t.table,
            r.map((x) => x.id),
          );
        }
        for (const t of PERSONAL_DATA) {
          const listed = found.get(t.table);
          const where = listed ? (listed.length > 0 ? sql`id in (${sql.join(listed)})` : undefined) : scoped(t);
          if (!where) continue;
          const result = await sql`delete from ${sql.table(t.table)} where ${where}`.execute(trx);
          add(t.table, Number(result.numAffectedRows ?? 0));
        }
      }
      // Contacts with nothing left and not seen since the cutoff.
      const idle = await trx
        .selectFrom('visitors as v')
        .select('v.id')
        .where('v.app_id', '=', appId)
        .where('v.last_seen_at', '<', cutoff)
        .where((eb) =>
          eb.not(eb.exists(eb.selectFrom('conversations as c').select('c.id').whereRef('c.visitor_id', '=', 'v.id'))),
        )
        .limit(batch)
        .execute();
      for (const { id } of idle) {
        const counts = await new PrivacyQueries(trx, this.kind, this.ring).erase(appId, id);
        for (const [table, n] of Object.entries(counts ?? {})) add(table, n);
      }
      return { conversations: stale.length, contacts: idle.length, rows };
    });
  }

  async eraseApp(appId: string): Promise<Record<string, number> | undefined> {
    const counts = await transact(this.db as Kysely<Database>, async (trx) => {
      const app = await trx.selectFrom('apps').select('id').where('id', '=', appId).executeTakeFirst();
      if (!app) return undefined;
      const ofApp = (scope: AppScope) => {
        if ('column' in scope) return sql`${sql.ref(scope.column)} = ${appId}`;
        const agents = sql`(select id from agents where app_id = ${appId})`;
        if ('agentColumn' in scope) return sql`${sql.ref(scope.agentColumn)} in ${agents}`;
        return sql`(${sql.ref(scope.principalColumn)} in ${agents} or ${sql.ref(scope.principalColumn)} in (select id from api_keys where app_id = ${appId}))`;
      };
      const counts: Record<string, number> = {};
      for (const { table, scope } of APP_DATA) {
        const result = await sql`delete from ${sql.table(table)} where ${ofApp(scope)}`.execute(trx);
        counts[table] = Number(result.numAffectedRows ?? 0);
      }
      return counts;
    });
    if (counts) this.ring?.forgetApp(appId);
    return counts;
  }

  async merge(appId: string, fromId: string, toId: string): Promise<void> {
    await transact(this.db as Kysely<Database>, async (trx) => {
      for (const t of PERSONAL_DATA) {
        if (!t.merge) continue;
        for (const link of t.links) {
          if (!('contact' in link)) continue;
          const when = Object.entries(link.when ?? {}).map(([k, v]) => sql` and ${sql.ref(k)} = ${v}`);
          await sql`update ${sql.table(t.table)} set ${sql.ref(link.contact)} = ${toId} where app_id = ${appId} and ${sql.ref(link.contact)} = ${fromId}${sql.join(when, sql``)}`.execute(
            trx,
          );
        }
      }
      await trx.deleteFrom('visitors').where('app_id', '=', appId).where('id', '=', fromId).execute();
    });
  }
}

/** The audit trail: written with the change it records, read newest first. */
export class AuditQueries implements AuditStore {
  constructor(private readonly db: Db) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.db
      .insertInto('audit_log')
      .values({
        id: entry.id,
        app_id: entry.appId,
        actor_type: entry.actorType,
        actor_id: entry.actorId,
        action: entry.action,
        object_type: entry.objectType,
        object_id: entry.objectId,
        detail: JSON.stringify(entry.detail),
        created_at: entry.createdAt,
      })
      .execute();
  }

  /** Audit entries older than `before` go (their own retention). */
  async purge(before: string): Promise<number> {
    const result = await this.db.deleteFrom('audit_log').where('created_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async list(appId: string, query: AuditQuery): Promise<AuditEntry[]> {
    let q = this.db.selectFrom('audit_log').selectAll().where('app_id', '=', appId);
    if (query.objectId) q = q.where('object_id', '=', query.objectId);
    if (query.action) q = q.where('action', '=', query.action);
    if (query.after) q = q.where(olderThan(query.after));
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
    return rows.map((r) => ({
      id: r.id,
      appId: r.app_id,
      actorType: r.actor_type,
      actorId: r.actor_id,
      action: r.action,
      objectType: r.object_type,
      objectId: r.object_id,
      detail: JSON.parse(r.detail) as Record<string, unknown>,
      createdAt: r.created_at,
    }));
  }
}
