import http from 'node:http';
import https from 'node:https';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { Webhook } from 'standardwebhooks';
import type { ServerContext } from '../context.js';
import type { ClaimedDelivery } from '../store/index.js';

export interface WebhookSettings {
  /**
   * Deliver to private, loopback and link-local addresses, and over plain http: for
   * development and tests only (the server logs a warning when it is on).
   */
  allowPrivateNetwork: boolean;
  /** How long one attempt may take. */
  timeoutMs: number;
  /** Waits before the 2nd, 3rd, … attempt; the last repeats. Jitter of ±20 % is added. */
  retryDelaysMs: number[];
  /** An endpoint whose deliveries all failed for this long is disabled. */
  disableAfterMs: number;
  /** A delivery still failing after this long is given up. */
  giveUpAfterMs: number;
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  allowPrivateNetwork: false,
  timeoutMs: 10_000,
  // 2 s, 10 s, 1 min, 5 min, 30 min, 1 h, 2 h, 4 h, then every 8 h: well past a day.
  retryDelaysMs: [2_000, 10_000, 60_000, 300_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000],
  disableAfterMs: 24 * 3600_000,
  giveUpAfterMs: 3 * 24 * 3600_000,
};

/** How long a node holds a delivery it is sending before another may take it over. */
const LEASE_MS = 60_000;
/** Of the receiver's answer, no more than this is read. */
const RESPONSE_READ_BYTES = 4096;

/** The outcome of one POST: the status code, or why there was none. */
interface Attempt {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * Sends what the outbox holds: claims due deliveries (several nodes share the queue without
 * sending anything twice), signs each per Standard Webhooks (webhook-id, webhook-timestamp,
 * webhook-signature) and POSTs it through an agent that refuses private addresses after DNS
 * resolution (SSRF), with a short timeout, no redirects and a small read of the answer.
 * Failures are retried with exponential back-off and jitter; an endpoint failing for a day is
 * disabled and says why in the API.
 */
export class WebhookDeliverer {
  private readonly agents: { http: http.Agent; https: https.Agent };
  /** Rounds run one after another; a call during a round gets a fresh round after it. */
  private chain: Promise<unknown> = Promise.resolve();
  private queued: Promise<number> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ctx: ServerContext) {
    const settings = ctx.limits.webhooks;
    const filter = { allowPrivateIPAddress: settings.allowPrivateNetwork, keepAlive: true, maxSockets: 20 };
    this.agents = { http: new RequestFilteringHttpAgent(filter), https: new RequestFilteringHttpsAgent(filter) };
  }

  /** Sends what is due soon (debounced): after a change wrote to the outbox on this node. */
  wake(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run().catch((err: unknown) => this.ctx.log.error({ err }, 'webhook delivery round failed'));
    }, 10);
    this.timer.unref();
  }

  /**
   * A round: every due delivery, batch by batch; how many were attempted. Rounds never overlap:
   * a call while one runs gets the next one (calls meanwhile share it).
   */
  run(): Promise<number> {
    if (this.queued) return this.queued;
    const round = this.chain.then(() => {
      this.queued = undefined;
      return this.round();
    });
    this.queued = round;
    this.chain = round.catch(() => undefined);
    return round;
  }

  private async round(): Promise<number> {
    let attempted = 0;
    for (;;) {
      const now = this.ctx.clock();
      const batch = await this.ctx.store.webhooks.claimDue(
        now.toISOString(),
        new Date(now.getTime() + LEASE_MS).toISOString(),
        20,
      );
      if (batch.length === 0) return attempted;
      attempted += batch.length;
      await Promise.all(batch.map((d) => this.deliver(d)));
    }
  }

  stop(): void {
    clearTimeout(this.timer);
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private async deliver(d: ClaimedDelivery): Promise<void> {
    const { ctx } = this;
    const settings = ctx.limits.webhooks;
    const sentAt = ctx.clock();
    const attempt = await this.post(d, sentAt);
    const now = ctx.clock();
    const delivered = attempt.statusCode !== null && attempt.statusCode >= 200 && attempt.statusCode < 300;
    const attempts = d.attempts + 1;
    ctx.metrics.inc('parley_webhook_attempts_total', 'Webhook delivery attempts', {
      outcome: delivered ? 'delivered' : 'failed',
    });
    if (delivered) {
      await ctx.store.webhooks.settle(d.id, { delivered, attempts, now: now.toISOString(), ...attempt });
      const endpoint = await ctx.store.webhooks.getEndpoint(d.appId, d.endpointId);
      if (endpoint?.failingSince) {
        await ctx.store.webhooks.updateEndpoint(d.appId, d.endpointId, { failingSince: null, now: now.toISOString() });
      }
      return;
    }
    const giveUp = now.getTime() - Date.parse(d.createdAt) >= settings.giveUpAfterMs;
    const delays = settings.retryDelaysMs;
    const base = delays[Math.min(attempts - 1, delays.length - 1)] ?? 60_000;
    const nextAttemptAt = new Date(now.getTime() + Math.round(base * (0.8 + Math.random() * 0.4))).toISOString();
    await ctx.store.webhooks.settle(d.id, {
      delivered: false,
      attempts,
      now: now.toISOString(),
      nextAttemptAt,
      giveUp,
      ...attempt,
    });
    ctx.log.warn(
      {
        webhookId: d.endpointId,
        deliveryId: d.id,
        eventId: d.eventId,
        statusCode: attempt.statusCode,
        error: attempt.error,
      },
      `a webhook delivery failed (attempt ${attempts})${giveUp ? '; given up' : ''}`,
    );
    await this.noteFailure(d, now);
  }

  /** Marks the endpoint failing since now, or disables it when it has failed for a day. */
  private async noteFailure(d: ClaimedDelivery, now: Date): Promise<void> {
    const { ctx } = this;
    const endpoint = await ctx.store.webhooks.getEndpoint(d.appId, d.endpointId);
    if (!endpoint?.enabled) return;
    if (!endpoint.failingSince) {
      await ctx.store.webhooks.updateEndpoint(d.appId, d.endpointId, {
        failingSince: now.toISOString(),
        now: now.toISOString(),
      });
      return;
    }
    if (now.getTime() - Date.parse(endpoint.failingSince) < ctx.limits.webhooks.disableAfterMs) return;
    await ctx.store.webhooks.updateEndpoint(d.appId, d.endpointId, {
      enabled: false,
      disabledReason: `every delivery failed since ${endpoint.failingSince}; enable it again when it answers`,
      now: now.toISOString(),
    });
    ctx.webhooks.invalidate(d.appId);
    ctx.log.warn({ appId: d.appId, webhookId: d.endpointId }, 'a webhook endpoint failed for a day and was disabled');
  }

  private post(d: ClaimedDelivery, at: Date): Promise<Attempt> {
    const { ctx } = this;
    const started = performance.now();
    const done = (statusCode: number | null, error: string | null): Attempt => ({
      statusCode,
      error,
      durationMs: Math.round(performance.now() - started),
    });
    let url: URL;
    try {
      url = new URL(d.url);
    } catch {
      return Promise.resolve(done(null, 'the endpoint URL is not valid'));
    }
    // The event id is the webhook-id: the same for every attempt, so receivers de-duplicate.
    const signature = new Webhook(ctx.box.open(d.secretEnc)).sign(d.eventId, at, d.payload);
    const body = Buffer.from(d.payload);
    const secure = url.protocol === 'https:';
    return new Promise((resolve) => {
      const request = (secure ? https : http).request(
        url,
        {
          method: 'POST',
          agent: secure ? this.agents.https : this.agents.http,
          timeout: ctx.limits.webhooks.timeoutMs,
          headers: {
            'content-type': 'application/json',
            'content-length': String(body.length),
            'user-agent': 'Parley-Webhooks/1',
            'webhook-id': d.eventId,
            'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
            'webhook-signature': signature,
          },
        },
        (response) => {
          // Redirects are not followed: a 3xx is a failure like any other non-2xx.
          let read = 0;
          response.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > RESPONSE_READ_BYTES) response.destroy();
          });
          const finish = () => resolve(done(response.statusCode ?? null, null));
          response.on('end', finish);
          response.on('close', finish);
          response.on('error', finish);
        },
      );
      request.on('timeout', () => request.destroy(new Error(`no answer within ${ctx.limits.webhooks.timeoutMs} ms`)));
      request.on('error', (err) => resolve(done(null, err.message.slice(0, 300))));
      request.end(body);
    });
  }
}
