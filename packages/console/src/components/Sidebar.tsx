import type { AgentConversation, Incident, IncidentPriority, VisitorDevice } from '@parley/sdk/protocol';
import { Icon, shortDuration } from '@parley/ui';
import { useSignal } from '@preact/signals';
import { useLocation } from 'preact-iso/router';
import { deadlineOf } from '../deadline.js';
import { contactName, type Inbox } from '../inbox.js';
import { ActionError } from './ActionError.js';
import { DeadlineChip } from './DeadlineChip.js';
import { ErrorContextViewer, environmentLine } from './ErrorContext.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const IMPACT_WHO = { one: 'One user', several: 'Several users', many: 'Many users' } as const;
const IMPACT_STATE = { down: 'not responding', degraded: 'slow or partly failing', working: 'working' } as const;

export function Sidebar({ inbox, conversation }: { inbox: Inbox; conversation: AgentConversation }) {
  const incident = inbox.incidents.value.get(conversation.id);
  return (
    <aside class="sidebar" aria-label="Details">
      {incident ? <IncidentCard inbox={inbox} incident={incident} /> : null}
      <ContactCard inbox={inbox} conversation={conversation} />
    </aside>
  );
}

function IncidentCard({ inbox, incident: i }: { inbox: Inbox; incident: Incident }) {
  const viewer = useSignal(false);
  const error = useSignal<string | null>(null);
  const copied = useSignal(false);
  const deadline = deadlineOf({ ...i, stopped: i.status !== 'open' }, inbox.now.value);
  const started = new Date(i.startedAt);
  const beforeReport = Date.parse(i.createdAt) - started.getTime();
  const context = i.context;
  return (
    <section class="card incident" aria-labelledby="incident-title">
      <header class="card-header">
        <h3 id="incident-title">
          <Icon name="bolt" /> Incident <span class="reference">#{i.number}</span>
        </h3>
        <DeadlineChip deadline={deadline} />
      </header>
      <div class="priority-row">
        <label for="priority">Priority</label>
        <select
          id="priority"
          value={i.priority}
          onChange={(e) => {
            error.value = null;
            const priority = (e.currentTarget as HTMLSelectElement).value as IncidentPriority;
            inbox.setPriority(i.id, priority).catch((err: Error) => {
              error.value = err.message;
            });
          }}
        >
          <option value="P1">P1 · reply within 2 hours</option>
          <option value="P2">P2 · reply within 1 day</option>
          <option value="P3">P3 · reply within 3 days</option>
        </select>
        {i.priority !== i.suggestedPriority ? <p class="muted small">Suggested: {i.suggestedPriority}</p> : null}
        {error.value ? (
          <p class="field-error" role="alert">
            {error.value}
          </p>
        ) : null}
      </div>
      <dl class="facts">
        <dt>Deadline</dt>
        <dd>{deadline.due.replace(/^due /, '')}</dd>
        <dt>Area</dt>
        <dd>{i.area}</dd>
        <dt>Started</dt>
        <dd>
          {started.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}
          {beforeReport > 60_000 ? `, ${shortDuration(beforeReport)} before the report` : ''}
        </dd>
        <dt>Impact</dt>
        <dd>
          {IMPACT_WHO[i.impact.usersAffected]} · {IMPACT_STATE[i.impact.platformState]} ·{' '}
          {i.impact.workaround ? 'has a workaround' : 'no workaround'}
        </dd>
        <dt>Status</dt>
        <dd>{i.status === 'open' ? 'Open' : 'Resolved'}</dd>
      </dl>
      {i.errorMessage ? (
        <div class="exact-error">
          <p class="label">Exact error</p>
          <pre>{i.errorMessage}</pre>
          <button
            type="button"
            class="button small"
            onClick={() => {
              void navigator.clipboard?.writeText(i.errorMessage).then(() => {
                copied.value = true;
              });
            }}
          >
            {copied.value ? 'Copied' : 'Copy'}
          </button>
        </div>
      ) : null}
      {i.steps.length > 0 ? (
        <>
          <p class="label">Steps to reproduce</p>
          <ol class="steps">
            {i.steps.map((s, n) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the steps of one stored report
              <li key={n}>{s}</li>
            ))}
          </ol>
        </>
      ) : null}
      {i.details ? (
        <>
          <p class="label">Details</p>
          <p class="details">{i.details}</p>
        </>
      ) : null}
      {context?.environment ? <p class="environment">{environmentLine(context.environment, i.client)}</p> : null}
      {context ? (
        <button
          type="button"
          class="button wide"
          onClick={() => {
            viewer.value = true;
          }}
        >
          <Icon name="code" /> Open error context ({plural(context.errors.length, 'error')},{' '}
          {plural(context.breadcrumbs.length, 'event')})
        </button>
      ) : (
        <p class="muted small">No browser context was attached.</p>
      )}
      {viewer.value && context ? (
        <ErrorContextViewer
          context={context}
          client={i.client}
          reportedAt={i.createdAt}
          onClose={() => {
            viewer.value = false;
          }}
        />
      ) : null}
    </section>
  );
}

/** "Safari 17.4 · iOS 17.4 · mobile" */
function deviceLine(d: VisitorDevice): string {
  const part = (name: string | null, version: string | null) =>
    name ? [name, version].filter(Boolean).join(' ') : null;
  return [part(d.browser, d.browserVersion), part(d.os, d.osVersion), d.device === 'unknown' ? null : d.device]
    .filter(Boolean)
    .join(' · ');
}

/** The visitor's time, in their zone: "14:05 (UTC−3)". */
function localTime(timeZone: string, now: Date): string | null {
  try {
    return new Intl.DateTimeFormat(undefined, {
      timeZone,
      hour: 'numeric',
      minute: '2-digit',
      timeZoneName: 'short',
    }).format(now);
  } catch {
    return null;
  }
}

/** Where and on what the visitor was last seen. */
function DeviceFacts({ device: d, now }: { device: VisitorDevice; now: Date }) {
  const local = d.timeZone ? localTime(d.timeZone, now) : null;
  return (
    <>
      {d.browser || d.os ? (
        <>
          <dt>Device</dt>
          <dd>{deviceLine(d)}</dd>
        </>
      ) : null}
      {d.page ? (
        <>
          <dt>Page</dt>
          <dd class="page-url">
            <a href={d.page} target="_blank" rel="noopener noreferrer" title={d.page}>
              {d.page.replace(/^https?:\/\//, '')}
            </a>
          </dd>
        </>
      ) : null}
      {local ? (
        <>
          <dt>Local time</dt>
          <dd>{local}</dd>
        </>
      ) : null}
      {d.locale ? (
        <>
          <dt>Language</dt>
          <dd>{d.locale}</dd>
        </>
      ) : null}
      <dt>Last seen</dt>
      <dd>
        <time dateTime={d.seenAt} title={new Date(d.seenAt).toLocaleString()}>
          {now.getTime() - Date.parse(d.seenAt) < 60_000
            ? 'just now'
            : `${shortDuration(now.getTime() - Date.parse(d.seenAt))} ago`}
        </time>
      </dd>
    </>
  );
}

function ContactCard({ inbox, conversation: c }: { inbox: Inbox; conversation: AgentConversation }) {
  const v = c.visitor;
  const others = [...inbox.conversations.value.values()]
    .filter((o) => o.visitor.id === v.id && o.id !== c.id)
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
    .slice(0, 5);
  const attributes = Object.entries(v.attributes).sort(([a], [b]) => a.localeCompare(b));
  const conversationAttributes = Object.entries(c.attributes).sort(([a], [b]) => a.localeCompare(b));
  return (
    <section class="card" aria-labelledby="contact-title">
      <header class="card-header">
        <h3 id="contact-title">
          <Icon name="user" /> {contactName(v)}
        </h3>
        {v.userId ? (
          <span class={`chip ${v.verified ? 'success' : 'neutral'}`}>
            <Icon name={v.verified ? 'check' : 'alert'} /> {v.verified ? 'Verified' : 'Not verified'}
          </span>
        ) : null}
      </header>
      <dl class="facts">
        <dt>Email</dt>
        <dd>{v.email ?? '—'}</dd>
        <dt>User id</dt>
        <dd>{v.userId ?? 'Anonymous'}</dd>
        <dt>First message</dt>
        <dd>{new Date(c.createdAt).toLocaleString()}</dd>
        {v.device ? <DeviceFacts device={v.device} now={inbox.now.value} /> : null}
        {attributes.map(([k, val]) => [<dt key={`k-${k}`}>{k}</dt>, <dd key={`v-${k}`}>{String(val)}</dd>])}
        {conversationAttributes.map(([k, val]) => [
          <dt key={`ck-${k}`}>{k}</dt>,
          <dd key={`cv-${k}`}>{String(val)}</dd>,
        ])}
      </dl>
      {others.length > 0 ? (
        <>
          <p class="label">Other conversations</p>
          <ul class="others">
            {others.map((o) => (
              <li key={o.id}>
                <a href={`/console/open/c/${o.id}`}>
                  {o.lastMessage?.text.slice(0, 60) || 'No messages'} <span class="muted">· {o.status}</span>
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {inbox.me.agent.role === 'admin' ? <ContactPrivacy inbox={inbox} contactId={v.id} name={contactName(v)} /> : null}
    </section>
  );
}

/** Admins: the contact's data as one JSON file, or erased for good after typing DELETE. */
function ContactPrivacy({ inbox, contactId, name }: { inbox: Inbox; contactId: string; name: string }) {
  const confirming = useSignal(false);
  const typed = useSignal('');
  const busy = useSignal(false);
  const error = useSignal<string | null>(null);
  const location = useLocation();
  const erase = async () => {
    busy.value = true;
    error.value = null;
    try {
      const rows = await inbox.eraseContact(contactId);
      const messages = rows.messages ?? 0;
      const conversations = rows.conversations ?? 0;
      inbox.notice.value = `${name} was erased: ${conversations} conversation${conversations === 1 ? '' : 's'} and ${messages} message${messages === 1 ? '' : 's'}, with everything else about them.`;
      location.route('/console/open');
    } catch (err) {
      error.value = (err as Error).message;
      busy.value = false;
    }
  };
  return (
    <div class="contact-privacy">
      <p class="label">Privacy</p>
      <div class="form-actions">
        <a class="button small" href={`/v1/contacts/${encodeURIComponent(contactId)}/export`} download>
          Export data
        </a>
        {confirming.value ? null : (
          <button
            type="button"
            class="button small danger"
            onClick={() => {
              confirming.value = true;
            }}
          >
            Delete contact…
          </button>
        )}
      </div>
      {confirming.value ? (
        <form
          class="erase-confirm"
          onSubmit={(e) => {
            e.preventDefault();
            if (typed.value === 'DELETE') void erase();
          }}
        >
          <p>
            This erases {name} for good: their profile, every conversation with all its messages (the team’s too),
            notes, incidents and files. It cannot be undone.
          </p>
          <label>
            Type DELETE to confirm
            <input
              value={typed.value}
              autoComplete="off"
              onInput={(e) => {
                typed.value = (e.currentTarget as HTMLInputElement).value;
              }}
            />
          </label>
          <ActionError error={error.value} />
          <div class="form-actions">
            <button type="submit" class="button small danger-filled" disabled={typed.value !== 'DELETE' || busy.value}>
              Erase for good
            </button>
            <button
              type="button"
              class="button small ghost"
              onClick={() => {
                confirming.value = false;
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      ) : null}
    </div>
  );
}
