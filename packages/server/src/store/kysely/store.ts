import { type Kysely, sql, type Transaction } from 'kysely';
import type { KeyRing } from '../crypto.js';
import { MIGRATION_NAMES } from '../migrations/index.js';
import type { Database } from '../schema/index.js';
import type { SqliteWorker } from '../sqlite-worker.js';
import type { Store, TxStore } from '../types.js';
import { AgentQueries } from './agents.js';
import { ApiKeyQueries } from './api-keys.js';
import { AppQueries } from './apps.js';
import { AttachmentQueries } from './attachments.js';
import { ConversationQueries } from './conversations.js';
import { IdempotencyQueries } from './idempotency.js';
import { IncidentQueries } from './incidents.js';
import { MessageQueries } from './messages.js';
import { NoteQueries } from './notes.js';
import { AuditQueries, PrivacyQueries } from './privacy.js';
import { ReviewQueries } from './reviews.js';
import { ScreeningQueries } from './screening.js';
import { SessionQueries } from './sessions.js';
import { VisitorQueries } from './visitors.js';
import { WebhookQueries } from './webhooks.js';

/**
 * The Store over Kysely, one query module per area. Every query is written once and runs
 * unchanged on SQLite and PostgreSQL; sqlite.ts and postgres.ts only supply the dialect.
 */
export class KyselyStore implements Store {
  readonly apps: AppQueries;
  readonly agents: AgentQueries;
  readonly sessions: SessionQueries;
  readonly apiKeys: ApiKeyQueries;
  readonly idempotency: IdempotencyQueries;
  readonly visitors: VisitorQueries;
  readonly conversations: ConversationQueries;
  readonly messages: MessageQueries;
  readonly reviews: ReviewQueries;
  readonly notes: NoteQueries;
  readonly incidents: IncidentQueries;
  readonly screening: ScreeningQueries;
  readonly attachments: AttachmentQueries;
  readonly webhooks: WebhookQueries;
  readonly privacy: PrivacyQueries;
  readonly audit: AuditQueries;
  private readonly ring: KeyRing | undefined;

  constructor(
    readonly kind: 'sqlite' | 'postgres',
    private readonly db: Kysely<Database>,
    options: { groupCommit: boolean; worker?: SqliteWorker; ring?: KeyRing | undefined },
  ) {
    const ring = options.ring;
    this.ring = ring;
    this.apps = new AppQueries(db, ring);
    this.agents = new AgentQueries(db);
    this.sessions = new SessionQueries(db);
    this.apiKeys = new ApiKeyQueries(db);
    this.idempotency = new IdempotencyQueries(db, ring);
    this.visitors = new VisitorQueries(db, ring);
    this.conversations = new ConversationQueries(db, ring);
    this.messages = new MessageQueries(db, options, (trx) => this.bound(trx));
    this.reviews = new ReviewQueries(db);
    this.notes = new NoteQueries(db, ring);
    this.incidents = new IncidentQueries(db, this.messages, (trx) => this.bound(trx), ring);
    this.screening = new ScreeningQueries(db);
    this.attachments = new AttachmentQueries(db, ring);
    this.webhooks = new WebhookQueries(db, kind, ring);
    this.privacy = new PrivacyQueries(db, kind, ring);
    this.audit = new AuditQueries(db);
  }

  async rotateMasterKey(next: Buffer): Promise<number> {
    if (!this.ring) throw new Error('this store was opened without a master key: nothing is encrypted');
    return this.ring.rotate(this.db, next);
  }

  async scrub(): Promise<boolean> {
    if (this.kind !== 'sqlite') return true;
    // The log holds the deleted rows' old pages until it is copied back and emptied. The
    // checkpoint thread may be checkpointing too (then this one is busy): try again, briefly.
    for (let attempt = 0; attempt < 50; attempt++) {
      const { rows } = await sql<{ busy: number }>`pragma wal_checkpoint(TRUNCATE)`.execute(this.db);
      if (Number(rows[0]?.busy ?? 0) === 0) return true;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return false;
  }

  transaction<T>(work: (tx: TxStore) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => work(this.bound(trx)));
  }

  /** The outbox-writing areas over one transaction (cheap: they hold no state). */
  private bound(trx: Transaction<Database>): TxStore {
    return {
      conversations: new ConversationQueries(trx, this.ring),
      reviews: new ReviewQueries(trx),
      notes: new NoteQueries(trx, this.ring),
      incidents: new IncidentQueries(trx, this.messages, (t) => this.bound(t), this.ring),
      visitors: new VisitorQueries(trx, this.ring),
      webhooks: new WebhookQueries(trx, this.kind, this.ring),
      privacy: new PrivacyQueries(trx, this.kind, this.ring),
      audit: new AuditQueries(trx),
    };
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  async notReadyReason(): Promise<string | undefined> {
    try {
      const { rows } = await sql<{ n: string | number }>`select count(*) as n from parley_migrations`.execute(this.db);
      const applied = Number(rows[0]?.n ?? 0);
      if (applied < MIGRATION_NAMES.length) {
        return `database migrations pending (${applied} of ${MIGRATION_NAMES.length} applied)`;
      }
      return undefined;
    } catch (err) {
      return `database unreachable: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
}
