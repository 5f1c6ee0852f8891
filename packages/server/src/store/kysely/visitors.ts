import type { Attributes, VisitorDevice, VisitorProfile } from '@parley/sdk/protocol';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { KeyRing } from '../crypto.js';
import type { Database, VisitorsTable } from '../schema/index.js';
import type { ContactFilter, VisitorRecord, VisitorStore } from '../types.js';
import { olderThan, transact } from './db.js';
import { PrivacyQueries } from './privacy.js';

function toVisitor(row: Selectable<VisitorsTable>): VisitorRecord {
  return {
    id: row.id,
    appId: row.app_id,
    userId: row.user_label ?? row.user_id ?? row.declared_user_id,
    verified: row.user_id !== null,
    email: row.email,
    name: row.name,
    attributes: JSON.parse(row.attributes) as Attributes,
    device: deviceOf(row.device),
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
  };
}

const deviceOf = (json: string | null): VisitorDevice | null => (json ? (JSON.parse(json) as VisitorDevice) : null);

/** The visitor columns a join brings along (`v.* as v_*`). */
export interface JoinedVisitor {
  visitor_id: string;
  v_user_id: string | null;
  v_declared_user_id: string | null;
  v_user_label: string | null;
  v_email: string | null;
  v_name: string | null;
  v_attributes: string;
  v_device: string | null;
}

/** What a query that joins `visitors as v` selects of it. */
export const JOINED_VISITOR_COLUMNS = [
  'v.user_id as v_user_id',
  'v.declared_user_id as v_declared_user_id',
  'v.user_label as v_user_label',
  'v.email as v_email',
  'v.name as v_name',
  'v.attributes as v_attributes',
  'v.device as v_device',
] as const;

/** The visitor's profile from the columns a conversation or incident query joined in. */
export function joinedVisitor(row: JoinedVisitor): VisitorProfile {
  return {
    id: row.visitor_id,
    userId: row.v_user_label ?? row.v_user_id ?? row.v_declared_user_id,
    verified: row.v_user_id !== null,
    email: row.v_email,
    name: row.v_name,
    attributes: JSON.parse(row.v_attributes) as Attributes,
    device: deviceOf(row.v_device),
  };
}

export class VisitorQueries implements VisitorStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly ring?: KeyRing,
  ) {}

  async list(appId: string, filter: ContactFilter): Promise<VisitorRecord[]> {
    // Sealed profiles are searched in memory, newest first, a page at a time (a bounded scan).
    if (this.ring && filter.query) return this.searchSealed(appId, filter);
    let q = this.db.selectFrom('visitors').selectAll().where('app_id', '=', appId);
    if (filter.email && this.ring) {
      const hash = await this.ring.emailIndex(appId, filter.email);
      const lower = filter.email.toLowerCase();
      // Or a profile from before encryption, still in the clear.
      q = q.where((eb) =>
        eb.or([eb('email_hash', '=', hash), eb.and([eb('email_hash', 'is', null), eb(sql`lower(email)`, '=', lower)])]),
      );
    } else if (filter.email) q = q.where(sql`lower(email)`, '=', filter.email.toLowerCase());
    if (filter.userId) {
      const ids = await this.userKeys(appId, filter.userId);
      q = q.where((eb) => eb.or([eb('user_id', 'in', ids), eb('declared_user_id', 'in', ids)]));
    }
    if (filter.query) {
      // Portable case-insensitive substring: lower() on both sides (PostgreSQL's like is case-sensitive).
      const like = `%${filter.query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q = q.where((eb) =>
        eb.or(
          ['email', 'name', 'user_id', 'declared_user_id'].map((column) =>
            eb(sql`lower(${sql.ref(column)})`, 'like', sql`${like} escape '\\'`),
          ),
        ),
      );
    }
    if (filter.after) q = q.where(olderThan(filter.after));
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
    return rows.map(toVisitor);
  }

  /**
   * The visitor, with their key (named after them: what is written about them is sealed with
   * it) in the same transaction, and their profile sealed with it.
   */
  async create(visitor: VisitorRecord): Promise<void> {
    const ring = this.ring;
    const keyEnc = ring ? await ring.newContactKeyFor(visitor.appId, visitor.id) : undefined;
    const row = {
      attributes: '{}',
      id: visitor.id,
      app_id: visitor.appId,
      ...(await this.sealedUser(visitor.appId, visitor.id, visitor.userId, visitor.verified)),
      ...(await this.sealedProfile(visitor.appId, visitor.id, {
        email: visitor.email,
        name: visitor.name,
        attributes: visitor.attributes,
      })),
      created_at: visitor.createdAt,
      last_seen_at: visitor.lastSeenAt,
      device: await this.sealedJson(visitor.id, visitor.device),
    };
    await transact(this.db, async (trx) => {
      await trx.insertInto('visitors').values(row).execute();
      if (keyEnc === undefined) return;
      await trx
        .insertInto('contact_keys')
        .values({
          id: visitor.id,
          app_id: visitor.appId,
          owner_id: visitor.id,
          key_enc: keyEnc,
          created_at: visitor.createdAt,
        })
        .execute();
    });
  }

  /** Name, email and attributes as stored: sealed with the contact's key, the email findable by its hash. */
  private async sealedProfile(
    appId: string,
    id: string,
    p: { email: string | null; name: string | null; attributes?: Attributes | undefined },
  ) {
    const ring = this.ring;
    const attributes = p.attributes === undefined ? undefined : JSON.stringify(p.attributes);
    if (!ring) return { email: p.email, name: p.name, ...(attributes !== undefined ? { attributes } : {}) };
    return {
      email: await ring.sealNullable(id, p.email),
      email_hash: await ring.emailIndex(appId, p.email),
      name: await ring.sealNullable(id, p.name),
      ...(attributes !== undefined ? { attributes: await ring.sealText(id, attributes) } : {}),
    };
  }

  /**
   * A host's user id as stored: a keyed hash in the column it is found by (proven or only
   * declared) and the id itself sealed for reading; in the clear without encryption.
   */
  private async sealedUser(appId: string, id: string, userId: string | null, verified: boolean) {
    if (userId === null) return { user_id: null, declared_user_id: null, user_label: null };
    const stored = this.ring ? await this.ring.userIndex(appId, userId) : userId;
    return {
      user_id: verified ? stored : null,
      declared_user_id: verified ? null : stored,
      user_label: this.ring ? await this.ring.sealText(id, userId) : null,
    };
  }

  /** What a user id is stored as: its keyed hash, or itself (before encryption, or without it). */
  private async userKeys(appId: string, userId: string): Promise<string[]> {
    return this.ring ? [await this.ring.userIndex(appId, userId), userId] : [userId];
  }

  private async sealedJson(id: string, value: object | null): Promise<string | null> {
    if (value === null) return null;
    const json = JSON.stringify(value);
    return this.ring ? this.ring.sealText(id, json) : json;
  }

  /** A search over sealed profiles: pages of the newest, opened and matched here, until `limit`. */
  private async searchSealed(appId: string, filter: ContactFilter): Promise<VisitorRecord[]> {
    const needle = (filter.query ?? '').toLowerCase();
    const found: VisitorRecord[] = [];
    let after = filter.after;
    // At most this many contacts are looked at per search: a bounded cost whatever the app's size.
    for (let scanned = 0; scanned < 5000 && found.length < filter.limit; ) {
      const page = await this.list(appId, {
        ...(filter.email ? { email: filter.email } : {}),
        ...(filter.userId ? { userId: filter.userId } : {}),
        ...(after ? { after } : {}),
        limit: 500,
      });
      for (const v of page) {
        const hay = [v.email, v.name, v.userId].filter(Boolean).join('\n').toLowerCase();
        if (hay.includes(needle) && found.length < filter.limit) found.push(v);
      }
      scanned += page.length;
      const last = page.at(-1);
      if (!last || page.length < 500) break;
      after = { createdAt: last.createdAt, id: last.id };
    }
    return found;
  }

  async seen(appId: string, id: string, device: VisitorDevice | null, at: string): Promise<void> {
    await this.db
      .updateTable('visitors')
      .set({ device: await this.sealedJson(id, device), last_seen_at: at })
      .where('app_id', '=', appId)
      .where('id', '=', id)
      .execute();
  }

  async get(appId: string, id: string): Promise<VisitorRecord | undefined> {
    const row = await this.db
      .selectFrom('visitors')
      .selectAll()
      .where('app_id', '=', appId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toVisitor(row);
  }

  async getByUserId(appId: string, userId: string): Promise<VisitorRecord | undefined> {
    const row = await this.db
      .selectFrom('visitors')
      .selectAll()
      .where('app_id', '=', appId)
      .where('user_id', 'in', await this.userKeys(appId, userId))
      .executeTakeFirst();
    return row && toVisitor(row);
  }

  async updateProfile(
    appId: string,
    id: string,
    profile: {
      email: string | null;
      name: string | null;
      lastSeenAt: string;
      attributes?: Attributes;
      declaredUserId?: string;
    },
  ): Promise<void> {
    await this.db
      .updateTable('visitors')
      .set({
        ...(await this.sealedProfile(appId, id, profile)),
        last_seen_at: profile.lastSeenAt,
        ...(profile.declaredUserId !== undefined
          ? await this.sealedUser(appId, id, profile.declaredUserId, false)
          : {}),
      })
      .where('app_id', '=', appId)
      .where('id', '=', id)
      .execute();
  }

  /** What the anonymous visitor has moves to the identified one: the map of personal data says where. */
  async merge(appId: string, fromId: string, toId: string): Promise<void> {
    await new PrivacyQueries(this.db, 'sqlite').merge(appId, fromId, toId);
  }
}
