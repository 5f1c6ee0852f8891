import { randomBytes } from 'node:crypto';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@parley/sdk/protocol';
import type { ServerContext } from '../context.js';
import { ParleyError } from '../errors.js';
import { newId } from '../ids.js';
import type { OutboxEvent, TxStore, WebhookEndpointRecord } from '../store/index.js';

export { WEBHOOK_EVENT_TYPES, type WebhookEventType };

/** One event to announce: its type, what orders it (a conversation), and its data. */
export interface EventDraft {
  type: WebhookEventType;
  orderingKey: string;
  data: object;
}

/** Writes the outbox rows of a change's events, inside the change's transaction. */
type Outbox = (tx: TxStore, drafts: EventDraft[]) => Promise<void>;

interface AppHooks {
  endpoints: { id: string; events: Set<string> }[];
  loadedAt: number;
}

/** How long a node trusts its list of an app's endpoints (changes invalidate it at once). */
const CACHE_MS = 30_000;

/**
 * Webhooks: endpoints per app, and the events written to the outbox for them. The outbox rows
 * are written inside the transaction of the change they describe (see `draft` callers), so a
 * crash between the commit and the delivery loses nothing; the deliverer sends them.
 */
export class WebhookService {
  private readonly cache = new Map<string, AppHooks>();
  private readonly invalidated: ((appId: string) => void)[] = [];

  constructor(private readonly ctx: ServerContext) {}

  /** The endpoints of an app, from the cache when fresh (no await on the hot path). */
  private cached(appId: string): AppHooks | undefined {
    const entry = this.cache.get(appId);
    return entry && this.ctx.clock().getTime() - entry.loadedAt < CACHE_MS ? entry : undefined;
  }

  private async hooks(appId: string): Promise<AppHooks> {
    const cached = this.cached(appId);
    if (cached) return cached;
    const endpoints = await this.ctx.store.webhooks.enabledEndpoints(appId);
    const entry = {
      endpoints: endpoints.map((e) => ({ id: e.id, events: new Set(e.events) })),
      loadedAt: this.ctx.clock().getTime(),
    };
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(appId, entry);
    return entry;
  }

  /**
   * A writer for the outbox of one app, or undefined when no endpoint of it wants any of
   * `types` (then nothing is written, and the change costs nothing more). Known at once while
   * the app's endpoints are cached: the message path asks on every send.
   */
  writer(appId: string, types: readonly WebhookEventType[]): Promise<Outbox | undefined> {
    const cached = this.cached(appId);
    if (cached) return Promise.resolve(this.outbox(appId, cached, types));
    return this.hooks(appId).then((hooks) => this.outbox(appId, hooks, types));
  }

  private outbox(appId: string, hooks: AppHooks, types: readonly WebhookEventType[]): Outbox | undefined {
    if (hooks.endpoints.length === 0) return undefined;
    const wanted = (type: string) =>
      hooks.endpoints.filter((e) => e.events.has('*') || e.events.has(type)).map((e) => e.id);
    if (!types.some((t) => wanted(t).length > 0)) return undefined;
    return async (tx, drafts) => {
      const now = this.ctx.clock();
      const events: OutboxEvent[] = drafts.map((d) => {
        const id = newId('evt', now.getTime());
        return {
          id,
          appId,
          type: d.type,
          orderingKey: d.orderingKey,
          // The Standard Webhooks payload: type, timestamp, data.
          payload: JSON.stringify({ type: d.type, timestamp: now.toISOString(), data: d.data }),
          endpointIds: wanted(d.type),
          now: now.toISOString(),
        };
      });
      await tx.webhooks.record(events);
      this.ctx.events.emit('webhook.queued', { appId });
    };
  }

  /** Runs `work` and writes its events in one transaction (when an endpoint wants them). */
  async inTransaction<T>(
    appId: string,
    types: readonly WebhookEventType[],
    work: (tx: TxStore) => Promise<{ result: T; drafts: EventDraft[] }>,
  ): Promise<T> {
    const write = await this.writer(appId, types);
    return this.ctx.store.transaction(async (tx) => {
      const { result, drafts } = await work(tx);
      if (write && drafts.length > 0) await write(tx, drafts);
      return result;
    });
  }

  /** Drops this node's list of the app's endpoints, and (through the listeners) every node's. */
  invalidate(appId: string): void {
    this.cache.delete(appId);
    for (const listener of this.invalidated) listener(appId);
  }

  dropCached(appId: string): void {
    this.cache.delete(appId);
  }

  onInvalidate(listener: (appId: string) => void): void {
    this.invalidated.push(listener);
  }

  // ---- Endpoints (admin) ----------------------------------------------------------------------

  /** Registers an endpoint; its signing secret is returned once. */
  async create(
    appId: string,
    input: { url: string; events: string[]; description?: string },
  ): Promise<{ endpoint: WebhookEndpointRecord; secret: string }> {
    const url = this.checkUrl(input.url);
    const events = checkEvents(input.events);
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const now = this.ctx.clock().toISOString();
    const endpoint: WebhookEndpointRecord = {
      id: newId('whk'),
      appId,
      url,
      description: input.description?.trim() ?? '',
      events,
      secretEnc: this.ctx.box.seal(secret),
      enabled: true,
      disabledReason: null,
      failingSince: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.ctx.store.webhooks.createEndpoint(endpoint);
    this.invalidate(appId);
    return { endpoint, secret };
  }

  async get(appId: string, id: string): Promise<WebhookEndpointRecord> {
    const endpoint = await this.ctx.store.webhooks.getEndpoint(appId, id);
    if (!endpoint) throw new ParleyError('not_found', `webhook ${id} not found`);
    return endpoint;
  }

  /** Changes the URL, events or description, or enables/disables it (enabling resumes its queue). */
  async update(
    appId: string,
    id: string,
    change: { url?: string; events?: string[]; description?: string; enabled?: boolean },
  ): Promise<WebhookEndpointRecord> {
    await this.get(appId, id);
    const updated = await this.ctx.store.webhooks.updateEndpoint(appId, id, {
      ...(change.url !== undefined ? { url: this.checkUrl(change.url) } : {}),
      ...(change.events !== undefined ? { events: checkEvents(change.events) } : {}),
      ...(change.description !== undefined ? { description: change.description.trim() } : {}),
      ...(change.enabled !== undefined
        ? {
            enabled: change.enabled,
            disabledReason: change.enabled ? null : 'disabled by an admin',
            failingSince: null,
          }
        : {}),
      now: this.ctx.clock().toISOString(),
    });
    if (!updated) throw new ParleyError('not_found', `webhook ${id} not found`);
    this.invalidate(appId);
    if (change.enabled) this.ctx.events.emit('webhook.queued', { appId });
    return updated;
  }

  async remove(appId: string, id: string): Promise<void> {
    if (!(await this.ctx.store.webhooks.deleteEndpoint(appId, id))) {
      throw new ParleyError('not_found', `webhook ${id} not found`);
    }
    this.invalidate(appId);
  }

  /** Queues a `webhook.test` event to one endpoint, to try it. */
  async test(appId: string, id: string): Promise<string> {
    const endpoint = await this.get(appId, id);
    const now = this.ctx.clock();
    const eventId = newId('evt', now.getTime());
    await this.ctx.store.transaction((tx) =>
      tx.webhooks.record([
        {
          id: eventId,
          appId,
          type: 'webhook.test',
          orderingKey: eventId,
          payload: JSON.stringify({
            type: 'webhook.test',
            timestamp: now.toISOString(),
            data: { webhookId: endpoint.id, message: 'A test event from Parley.' },
          }),
          endpointIds: [endpoint.id],
          now: now.toISOString(),
        },
      ]),
    );
    this.ctx.events.emit('webhook.queued', { appId });
    return eventId;
  }

  /**
   * An endpoint is an https URL (http and private addresses only where WEBHOOKS_ALLOW_PRIVATE
   * allows them, for development); where it resolves is checked again at every delivery.
   */
  private checkUrl(value: string): string {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new ParleyError('invalid_payload', 'url: not a URL', { fields: { url: 'not a URL' } });
    }
    const allowHttp = this.ctx.limits.webhooks.allowPrivateNetwork;
    if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) {
      throw new ParleyError('invalid_payload', 'url: webhooks are delivered over https only', {
        fields: { url: 'must be https' },
      });
    }
    if (url.username || url.password) {
      throw new ParleyError('invalid_payload', 'url: no credentials in the URL; verify the signature instead', {
        fields: { url: 'has credentials' },
      });
    }
    url.hash = '';
    return url.toString();
  }
}

function checkEvents(events: string[]): string[] {
  const unknown = events.filter((e) => e !== '*' && !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(e));
  if (events.length === 0 || unknown.length > 0) {
    throw new ParleyError(
      'invalid_payload',
      `events: ${unknown.length ? `unknown ${unknown.join(', ')}; ` : ''}known: *, ${WEBHOOK_EVENT_TYPES.join(', ')}`,
      { fields: { events: 'unknown event types' } },
    );
  }
  return [...new Set(events)];
}
