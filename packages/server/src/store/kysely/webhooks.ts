import type { Kysely, Selectable } from 'kysely';
import type { KeyRing } from '../crypto.js';
import type { Database, WebhookDeliveriesTable, WebhookEndpointsTable } from '../schema/index.js';
import type { ClaimedDelivery, DeliveryRecord, OutboxEvent, WebhookEndpointRecord, WebhookStore } from '../types.js';
import { transact } from './db.js';

function toEndpoint(row: Selectable<WebhookEndpointsTable>): WebhookEndpointRecord {
  return {
    id: row.id,
    appId: row.app_id,
    url: row.url,
    description: row.description,
    events: JSON.parse(row.events) as string[],
    secretEnc: row.secret_enc,
    enabled: Number(row.enabled) === 1,
    disabledReason: row.disabled_reason,
    failingSince: row.failing_since,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toDelivery(row: Selectable<WebhookDeliveriesTable>): DeliveryRecord & { seq: number } {
  return {
    seq: Number(row.seq),
    id: row.id,
    appId: row.app_id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.event_type,
    orderingKey: row.ordering_key,
    status: row.status,
    attempts: Number(row.attempts),
    nextAttemptAt: row.next_attempt_at,
    lastAttemptAt: row.last_attempt_at,
    lastStatusCode: row.last_status_code === null ? null : Number(row.last_status_code),
    lastError: row.last_error,
    lastDurationMs: row.last_duration_ms === null ? null : Number(row.last_duration_ms),
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
  };
}

export class WebhookQueries implements WebhookStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly kind: 'sqlite' | 'postgres',
    private readonly ring?: KeyRing,
  ) {}

  /**
   * An event's payload sealed with the key of the contact it is about (its ordering key is their
   * conversation, or them): it holds copies of what they wrote. Events about no contact, and
   * `contact.erased` (an id and a time), stay as they are: they hold nothing of anyone. The
   * latter is written in the erasing transaction, where the key still reads as there (keys are
   * read beside the transaction): sealed with it, it could never be opened to be delivered.
   */
  private async sealed(e: OutboxEvent): Promise<string> {
    if (!this.ring || e.type === 'contact.erased') return e.payload;
    let owner: string | undefined;
    if (e.orderingKey.startsWith('vis_')) owner = e.orderingKey;
    else if (e.orderingKey.startsWith('cnv_')) {
      owner = (
        await this.db
          .selectFrom('conversations')
          .select('visitor_id')
          .where('app_id', '=', e.appId)
          .where('id', '=', e.orderingKey)
          .executeTakeFirst()
      )?.visitor_id;
    }
    return (owner && (await this.ring.sealTextIfKeyed(owner, e.payload))) ?? e.payload;
  }

  async createEndpoint(e: WebhookEndpointRecord): Promise<void> {
    await this.db
      .insertInto('webhook_endpoints')
      .values({
        id: e.id,
        app_id: e.appId,
        url: e.url,
        description: e.description,
        events: JSON.stringify(e.events),
        secret_enc: e.secretEnc,
        enabled: e.enabled ? 1 : 0,
        disabled_reason: e.disabledReason,
        failing_since: e.failingSince,
        created_at: e.createdAt,
        updated_at: e.updatedAt,
      })
      .execute();
  }

  async getEndpoint(appId: string, id: string): Promise<WebhookEndpointRecord | undefined> {
    const row = await this.db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('app_id', '=', appId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toEndpoint(row);
  }

  async listEndpoints(appId: string): Promise<WebhookEndpointRecord[]> {
    const rows = await this.db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('app_id', '=', appId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toEndpoint);
  }

  async enabledEndpoints(appId: string): Promise<WebhookEndpointRecord[]> {
    const rows = await this.db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('app_id', '=', appId)
      .where('enabled', '=', 1)
      .execute();
    return rows.map(toEndpoint);
  }

  async updateEndpoint(
    appId: string,
    id: string,
    change: Partial<
      Pick<WebhookEndpointRecord, 'url' | 'description' | 'events' | 'enabled' | 'disabledReason' | 'failingSince'>
    > & { now: string },
  ): Promise<WebhookEndpointRecord | undefined> {
    const set: Partial<Selectable<WebhookEndpointsTable>> = { updated_at: change.now };
    if (change.url !== undefined) set.url = change.url;
    if (change.description !== undefined) set.description = change.description;
    if (change.events !== undefined) set.events = JSON.stringify(change.events);
    if (change.enabled !== undefined) set.enabled = change.enabled ? 1 : 0;
    if (change.disabledReason !== undefined) set.disabled_reason = change.disabledReason;
    if (change.failingSince !== undefined) set.failing_since = change.failingSince;
    await this.db.updateTable('webhook_endpoints').set(set).where('app_id', '=', appId).where('id', '=', id).execute();
    return this.getEndpoint(appId, id);
  }

  async deleteEndpoint(appId: string, id: string): Promise<boolean> {
    return transact(this.db, async (trx) => {
      await trx.deleteFrom('webhook_deliveries').where('app_id', '=', appId).where('endpoint_id', '=', id).execute();
      const result = await trx
        .deleteFrom('webhook_endpoints')
        .where('app_id', '=', appId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  async record(events: OutboxEvent[]): Promise<void> {
    const wanted = events.filter((e) => e.endpointIds.length > 0);
    if (wanted.length === 0) return;
    const payloads = await Promise.all(wanted.map((e) => this.sealed(e)));
    await this.db
      .insertInto('webhook_events')
      .values(
        wanted.map((e, i) => ({ id: e.id, app_id: e.appId, type: e.type, payload: payloads[i]!, created_at: e.now })),
      )
      .execute();
    await this.db
      .insertInto('webhook_deliveries')
      .values(
        wanted.flatMap((e) =>
          e.endpointIds.map((endpointId, i) => ({
            // The event id is the stable webhook-id; the delivery id names one endpoint's copy.
            id: `dlv_${e.id.slice(4)}${i.toString(36)}`,
            app_id: e.appId,
            endpoint_id: endpointId,
            event_id: e.id,
            event_type: e.type,
            ordering_key: e.orderingKey,
            status: 'pending' as const,
            attempts: 0,
            next_attempt_at: e.now,
            locked_until: null,
            last_attempt_at: null,
            last_status_code: null,
            last_error: null,
            last_duration_ms: null,
            delivered_at: null,
            created_at: e.now,
          })),
        ),
      )
      .execute();
  }

  async claimDue(now: string, lockUntil: string, limit: number): Promise<ClaimedDelivery[]> {
    return transact(this.db, async (trx) => {
      let due = trx
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhook_endpoints as w', 'w.id', 'd.endpoint_id')
        .select('d.seq')
        .where('d.status', '=', 'pending')
        .where('d.next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('d.locked_until', 'is', null), eb('d.locked_until', '<', now)]))
        .where('w.enabled', '=', 1)
        // In order per endpoint and conversation: an earlier pending delivery holds later ones back.
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('webhook_deliveries as e')
                .select('e.seq')
                .whereRef('e.endpoint_id', '=', 'd.endpoint_id')
                .whereRef('e.ordering_key', '=', 'd.ordering_key')
                .where('e.status', '=', 'pending')
                .whereRef('e.seq', '<', 'd.seq'),
            ),
          ),
        )
        .orderBy('d.seq')
        .limit(limit);
      // Several nodes share the queue: what one locks the others skip (SQLite is one node).
      if (this.kind === 'postgres') due = due.forUpdate('d').skipLocked();
      const seqs = (await due.execute()).map((r) => Number(r.seq));
      if (seqs.length === 0) return [];
      await trx.updateTable('webhook_deliveries').set({ locked_until: lockUntil }).where('seq', 'in', seqs).execute();
      const rows = await trx
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhook_endpoints as w', 'w.id', 'd.endpoint_id')
        .innerJoin('webhook_events as v', 'v.id', 'd.event_id')
        .selectAll('d')
        .select(['w.url as url', 'w.secret_enc as secret_enc', 'v.payload as payload'])
        .where('d.seq', 'in', seqs)
        .orderBy('d.seq')
        .execute();
      return rows.map((r) => ({ ...toDelivery(r), url: r.url, secretEnc: r.secret_enc, payload: r.payload }));
    });
  }

  async settle(
    id: string,
    o: {
      delivered: boolean;
      attempts: number;
      now: string;
      nextAttemptAt?: string;
      statusCode: number | null;
      error: string | null;
      durationMs: number;
      giveUp?: boolean;
    },
  ): Promise<void> {
    await this.db
      .updateTable('webhook_deliveries')
      .set({
        status: o.delivered ? 'delivered' : o.giveUp ? 'failed' : 'pending',
        attempts: o.attempts,
        locked_until: null,
        last_attempt_at: o.now,
        last_status_code: o.statusCode,
        last_error: o.error,
        last_duration_ms: o.durationMs,
        ...(o.delivered ? { delivered_at: o.now } : {}),
        ...(o.nextAttemptAt ? { next_attempt_at: o.nextAttemptAt } : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  async listDeliveries(
    appId: string,
    endpointId: string,
    query: { status?: DeliveryRecord['status']; before?: number; limit: number },
  ): Promise<(DeliveryRecord & { seq: number })[]> {
    let q = this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('app_id', '=', appId)
      .where('endpoint_id', '=', endpointId);
    if (query.status) q = q.where('status', '=', query.status);
    if (query.before !== undefined) q = q.where('seq', '<', query.before);
    return (await q.orderBy('seq', 'desc').limit(query.limit).execute()).map(toDelivery);
  }

  async getDelivery(appId: string, id: string): Promise<DeliveryRecord | undefined> {
    const row = await this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('app_id', '=', appId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toDelivery(row);
  }

  async redeliver(appId: string, deliveryId: string, newId: string, now: string): Promise<DeliveryRecord | undefined> {
    const original = await this.getDelivery(appId, deliveryId);
    if (!original) return undefined;
    await this.db
      .insertInto('webhook_deliveries')
      .values({
        id: newId,
        app_id: appId,
        endpoint_id: original.endpointId,
        event_id: original.eventId,
        event_type: original.eventType,
        // Its own key: a hand-made redelivery neither waits for nor holds back the conversation.
        ordering_key: newId,
        status: 'pending',
        attempts: 0,
        next_attempt_at: now,
        locked_until: null,
        last_attempt_at: null,
        last_status_code: null,
        last_error: null,
        last_duration_ms: null,
        delivered_at: null,
        created_at: now,
      })
      .execute();
    return this.getDelivery(appId, newId);
  }
}
