import { WEBHOOK_EVENT_TYPES } from '@parley/sdk/protocol';
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { call } from '../session.js';
import { OnceSecret, Problem, problemOf, Section, useAdminList, when } from './admin-parts.js';

interface Webhook {
  id: string;
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  failingSince: string | null;
  createdAt: string;
}

interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  lastDurationMs: number | null;
  createdAt: string;
}

/** The event types an admin picks from (`webhook.test` is only ever sent by hand). */
const SUBSCRIBABLE = WEBHOOK_EVENT_TYPES.filter((t) => t !== 'webhook.test');
const path = (id: string) => `/v1/webhooks/${encodeURIComponent(id)}`;

function EndpointStatus({ hook }: { hook: Webhook }) {
  if (!hook.enabled) {
    return (
      <span class="chip neutral" title={hook.disabledReason ?? undefined}>
        Disabled{hook.disabledReason ? `: ${hook.disabledReason}` : ''}
      </span>
    );
  }
  if (hook.failingSince) return <span class="chip danger">Failing since {when(hook.failingSince)}</span>;
  return <span class="chip success">Active</span>;
}

/** Webhooks: endpoints, the events each wants, a test event, and each one's delivery log. */
export function Webhooks() {
  const { items: hooks, error, change, submit } = useAdminList('/v1/webhooks', (a) => a.webhooks as Webhook[]);
  const created = useSignal<{ url: string; secret: string } | null>(null);
  const open = useSignal<string | null>(null);
  const tested = useSignal<string | null>(null);
  const everything = useSignal(true);
  const create = submit(async (data) => {
    const events = data.get('all') === 'on' ? ['*'] : data.getAll('events').map(String);
    const answer = await call<{ webhook: Webhook; secret: string }>('POST', '/v1/webhooks', {
      url: String(data.get('url')).trim(),
      events,
      description: String(data.get('description') ?? '').trim(),
    });
    created.value = { url: answer.webhook.url, secret: answer.secret };
    open.value = answer.webhook.id;
    everything.value = true;
    return answer;
  });
  const test = async (id: string) => {
    tested.value = null;
    if (await change(() => call('POST', `${path(id)}/test`))) {
      tested.value = id;
      open.value = id;
    }
  };
  const remove = (hook: Webhook) => {
    if (!confirm(`Remove the endpoint ${hook.url} and its queued deliveries?`)) return;
    if (open.value === hook.id) open.value = null;
    void change(() => call('DELETE', path(hook.id)));
  };
  const shown = hooks.value?.find((h) => h.id === open.value);
  return (
    <>
      <Section title="Webhooks">
        <p class="muted">
          Parley posts each event to your endpoints, signed with Standard Webhooks headers, and retries with back-off
          for a day. The REST reference says how to verify a delivery.
        </p>
        <Problem error={error.value} />
        {hooks.value === null ? (
          <p class="muted">Loading…</p>
        ) : hooks.value.length === 0 ? (
          <p class="muted">No endpoints yet.</p>
        ) : (
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Endpoint</th>
                <th scope="col">Events</th>
                <th scope="col">Status</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {hooks.value.map((h) => (
                <tr key={h.id} aria-current={h.id === open.value ? 'true' : undefined}>
                  <td>
                    <code class="url">{h.url}</code>
                    {h.description ? <div class="muted small">{h.description}</div> : null}
                  </td>
                  <td>{h.events.includes('*') ? 'All events' : h.events.join(', ')}</td>
                  <td>
                    <EndpointStatus hook={h} />
                    {tested.value === h.id ? <div class="muted small">Test event queued</div> : null}
                  </td>
                  <td class="row-actions">
                    <button
                      type="button"
                      class="button small"
                      aria-expanded={open.value === h.id}
                      onClick={() => {
                        open.value = open.value === h.id ? null : h.id;
                      }}
                    >
                      Deliveries
                    </button>
                    <button type="button" class="button small" onClick={() => void test(h.id)}>
                      Send test
                    </button>
                    <button
                      type="button"
                      class="button small"
                      onClick={() => void change(() => call('PATCH', path(h.id), { enabled: !h.enabled }))}
                    >
                      {h.enabled ? 'Disable' : 'Enable'}
                    </button>
                    <button type="button" class="button small ghost" onClick={() => remove(h)}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      {shown ? <DeliveryLog key={`${shown.id}:${tested.value ?? ''}`} hook={shown} /> : null}
      <Section title="Add an endpoint">
        {created.value ? (
          <OnceSecret label={`Signing secret for ${created.value.url}`} value={created.value.secret} />
        ) : null}
        <form class="settings-form" onSubmit={create}>
          <label>
            URL
            <input name="url" type="url" required maxLength={2000} placeholder="https://example.com/parley-events" />
          </label>
          <label>
            Description
            <input name="description" type="text" maxLength={500} />
          </label>
          <fieldset class="events">
            <legend>Events</legend>
            <label class="check">
              <input
                type="checkbox"
                name="all"
                checked={everything.value}
                onChange={(e) => {
                  everything.value = (e.currentTarget as HTMLInputElement).checked;
                }}
              />{' '}
              All events, and those added later
            </label>
            {everything.value
              ? null
              : SUBSCRIBABLE.map((t) => (
                  <label key={t} class="check">
                    <input type="checkbox" name="events" value={t} /> <code>{t}</code>
                  </label>
                ))}
          </fieldset>
          <div class="form-actions">
            <button type="submit" class="button primary">
              Add endpoint
            </button>
          </div>
        </form>
      </Section>
    </>
  );
}

const STATUS_CHIP = { delivered: 'success', failed: 'danger', pending: 'warning' } as const;

/** One endpoint's deliveries, newest first, filtered by status, with Redeliver and More. */
function DeliveryLog({ hook }: { hook: Webhook }) {
  const status = useSignal<'' | Delivery['status']>('');
  const deliveries = useSignal<Delivery[] | null>(null);
  const next = useSignal<string | null>(null);
  const error = useSignal<string | null>(null);
  /** The first page (as long as what is shown, to keep older rows), or the next one. */
  const load = async (more: boolean) => {
    error.value = null;
    const shown = more ? 25 : Math.min(200, Math.max(25, deliveries.value?.length ?? 0));
    const query = new URLSearchParams({ limit: String(shown) });
    if (status.value) query.set('status', status.value);
    if (more && next.value) query.set('cursor', next.value);
    try {
      const answer = await call<{ deliveries: Delivery[]; nextCursor: string | null }>(
        'GET',
        `${path(hook.id)}/deliveries?${query}`,
      );
      deliveries.value = more ? [...(deliveries.value ?? []), ...answer.deliveries] : answer.deliveries;
      next.value = answer.nextCursor;
    } catch (err) {
      error.value = problemOf(err);
    }
  };
  useEffect(() => {
    deliveries.value = null;
    void load(false);
  }, [status.value]);
  // While a delivery is on its way, the log follows it without a click.
  const waiting = deliveries.value?.some((d) => d.status === 'pending') ?? false;
  useEffect(() => {
    if (!waiting) return;
    const timer = setTimeout(() => void load(false), 2000);
    return () => clearTimeout(timer);
  }, [waiting, deliveries.value]);
  const redeliver = async (d: Delivery) => {
    error.value = null;
    try {
      await call('POST', `${path(hook.id)}/deliveries/${encodeURIComponent(d.id)}/redeliver`);
      await load(false);
    } catch (err) {
      error.value = problemOf(err);
    }
  };
  return (
    <Section title={`Deliveries to ${hook.url}`}>
      <div class="form-actions">
        <label>
          Status{' '}
          <select
            value={status.value}
            onChange={(e) => {
              status.value = (e.currentTarget as HTMLSelectElement).value as typeof status.value;
            }}
          >
            <option value="">All</option>
            <option value="pending">Pending</option>
            <option value="delivered">Delivered</option>
            <option value="failed">Failed</option>
          </select>
        </label>
        <button type="button" class="button small" onClick={() => void load(false)}>
          Refresh
        </button>
      </div>
      <Problem error={error.value} />
      {deliveries.value === null ? (
        <p class="muted">Loading…</p>
      ) : deliveries.value.length === 0 ? (
        <p class="muted">No deliveries{status.value ? ` ${status.value}` : ''} yet.</p>
      ) : (
        <table class="table deliveries">
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last answer</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {deliveries.value.map((d) => (
              <tr key={d.id}>
                <td>
                  <code>{d.eventType}</code>
                  <div class="muted small mono">{d.eventId}</div>
                </td>
                <td>
                  <span class={`chip ${STATUS_CHIP[d.status]}`}>{d.status}</span>
                  {d.status === 'pending' && d.nextAttemptAt ? (
                    <div class="muted small">next {when(d.nextAttemptAt)}</div>
                  ) : null}
                </td>
                <td class="tabular">{d.attempts}</td>
                <td>
                  {d.lastStatusCode !== null ? <span class="tabular">HTTP {d.lastStatusCode}</span> : null}
                  {d.lastError ? <div class="muted small">{d.lastError}</div> : null}
                  {d.lastDurationMs !== null ? <div class="muted small tabular">{d.lastDurationMs} ms</div> : null}
                  {d.lastAttemptAt === null ? <span class="muted">—</span> : null}
                </td>
                <td>{when(d.createdAt)}</td>
                <td>
                  {d.status === 'pending' ? null : (
                    <button type="button" class="button small" onClick={() => void redeliver(d)}>
                      Redeliver
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next.value ? (
        <button type="button" class="button small" onClick={() => void load(true)}>
          Older deliveries
        </button>
      ) : null}
    </Section>
  );
}
