import type { AgentProfile, AuditEntry } from '@parley/sdk/protocol';
import { Avatar, Icon } from '@parley/ui';
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { Inbox } from '../inbox.js';
import { ApiError, call } from '../session.js';
import { Webhooks } from './AdminWebhooks.js';
import { OnceSecret, Problem, problemOf, Section, useAdminList, when } from './admin-parts.js';

const SECTIONS = [
  ['team', 'Team'],
  ['keys', 'API keys'],
  ['messenger', 'Messenger'],
  ['webhooks', 'Webhooks'],
  ['policy', 'Screening policy'],
  ['audit', 'Audit'],
] as const;
type SectionId = (typeof SECTIONS)[number][0];

/** The admin pages: settings an admin changes now and then; every save is explicit. */
export function AdminPage({ inbox, section }: { inbox: Inbox; section: string | undefined }) {
  if (inbox.me.agent.role !== 'admin') {
    return (
      <main id="thread" class="thread page denied">
        <h1>Admins only</h1>
        <p class="muted">Settings, the team, API keys and the policy are for admins of this app.</p>
      </main>
    );
  }
  const current: SectionId = SECTIONS.some(([id]) => id === section) ? (section as SectionId) : 'team';
  return (
    <main id="thread" class="thread page" aria-labelledby="admin-title">
      <header class="page-header">
        <h1 id="admin-title">Admin</h1>
        <nav class="tabs admin-tabs" aria-label="Admin sections">
          {SECTIONS.map(([id, label]) => (
            <a key={id} href={`/console/admin/${id}`} aria-current={id === current ? 'page' : undefined}>
              {label}
            </a>
          ))}
        </nav>
      </header>
      {current === 'team' ? <Team me={inbox.me.agent} /> : null}
      {current === 'keys' ? <Keys /> : null}
      {current === 'messenger' ? <Messenger /> : null}
      {current === 'webhooks' ? <Webhooks /> : null}
      {current === 'policy' ? <PolicyEditor /> : null}
      {current === 'audit' ? <Audit inbox={inbox} /> : null}
    </main>
  );
}

type TeamMember = AgentProfile & { disabled: boolean };

function Team({ me }: { me: AgentProfile }) {
  const {
    items: agents,
    error,
    change,
    submit,
  } = useAdminList('/v1/agents?limit=200', (a) => a.agents as TeamMember[]);
  const invited = useSignal<{ name: string; password: string } | null>(null);
  const update = (id: string, body: { role?: string; disabled?: boolean; avatarUrl?: string | null }) =>
    void change(() => call('PATCH', `/v1/agents/${encodeURIComponent(id)}`, body));
  const invite = submit(async (data) => {
    const answer = await call<{ agent: TeamMember; password: string }>('POST', '/v1/agents', {
      name: String(data.get('name')),
      email: String(data.get('email')),
      role: String(data.get('role')),
    });
    invited.value = { name: answer.agent.name, password: answer.password };
    return answer;
  });
  return (
    <>
      <Section title="Team">
        <Problem error={error.value} />
        {agents.value === null ? (
          <p class="muted">Loading…</p>
        ) : (
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Photo (https URL)</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {agents.value.map((a) => (
                <tr key={a.id}>
                  <td>
                    {a.name}
                    {a.id === me.id ? <span class="muted"> (you)</span> : null}
                  </td>
                  <td>{a.email}</td>
                  <td>
                    <label class="visually-hidden" for={`role-${a.id}`}>
                      Role of {a.name}
                    </label>
                    <select
                      id={`role-${a.id}`}
                      value={a.role}
                      disabled={a.id === me.id}
                      onChange={(e) => update(a.id, { role: (e.currentTarget as HTMLSelectElement).value })}
                    >
                      <option value="agent">Agent</option>
                      <option value="admin">Admin</option>
                    </select>
                  </td>
                  <td class="photo-cell">
                    <Avatar name={a.name} url={a.avatarUrl} />
                    <label class="visually-hidden" for={`photo-${a.id}`}>
                      Photo of {a.name}
                    </label>
                    <input
                      id={`photo-${a.id}`}
                      type="url"
                      placeholder="https://…"
                      maxLength={500}
                      value={a.avatarUrl ?? ''}
                      onChange={(e) => {
                        const url = (e.currentTarget as HTMLInputElement).value.trim();
                        update(a.id, { avatarUrl: url || null });
                      }}
                    />
                  </td>
                  <td>
                    {a.disabled ? <span class="chip neutral">Disabled</span> : <span class="chip success">Active</span>}{' '}
                    {a.id === me.id ? null : (
                      <button
                        type="button"
                        class="button small"
                        onClick={() => update(a.id, { disabled: !a.disabled })}
                      >
                        {a.disabled ? 'Enable' : 'Disable'}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      <Section title="Invite an agent">
        {invited.value ? (
          <OnceSecret
            label={`One-time password for ${invited.value.name} (they choose their own at first sign-in)`}
            value={invited.value.password}
          />
        ) : null}
        <form class="inline-form" onSubmit={invite}>
          <label>
            Name <input name="name" type="text" required maxLength={200} />
          </label>
          <label>
            Email <input name="email" type="email" required />
          </label>
          <label>
            Role
            <select name="role">
              <option value="agent">Agent</option>
              <option value="admin">Admin</option>
            </select>
          </label>
          <button type="submit" class="button primary">
            Invite
          </button>
        </form>
      </Section>
    </>
  );
}

interface ApiKey {
  id: string;
  name: string;
  scope: 'read' | 'write';
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

function Keys() {
  const { items: keys, error, change, submit } = useAdminList('/v1/api-keys', (a) => a.apiKeys as ApiKey[]);
  const created = useSignal<{ name: string; key: string } | null>(null);
  const create = submit(async (data) => {
    const answer = await call<{ apiKey: ApiKey; key: string }>('POST', '/v1/api-keys', {
      name: String(data.get('name')),
      scope: String(data.get('scope')),
    });
    created.value = { name: answer.apiKey.name, key: answer.key };
    return answer;
  });
  const revoke = (id: string) => void change(() => call('DELETE', `/v1/api-keys/${encodeURIComponent(id)}`));
  return (
    <>
      <Section title="API keys">
        <p class="muted">
          For your servers and bots: a read key reads everything; a write key may also reply, as the app's bot.
        </p>
        <Problem error={error.value} />
        {keys.value === null ? (
          <p class="muted">Loading…</p>
        ) : keys.value.length === 0 ? (
          <p class="muted">No keys yet.</p>
        ) : (
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Scope</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {keys.value.map((k) => (
                <tr key={k.id}>
                  <td>{k.name}</td>
                  <td>{k.scope === 'write' ? 'Read and write' : 'Read only'}</td>
                  <td>{when(k.createdAt)}</td>
                  <td>{when(k.lastUsedAt)}</td>
                  <td>
                    {k.revokedAt ? (
                      <span class="chip neutral">Revoked</span>
                    ) : (
                      <button type="button" class="button small" onClick={() => revoke(k.id)}>
                        Revoke {k.name}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      <Section title="Create a key">
        {created.value ? <OnceSecret label={`Key ${created.value.name}`} value={created.value.key} /> : null}
        <form class="inline-form" onSubmit={create}>
          <label>
            Name <input name="name" type="text" required maxLength={100} />
          </label>
          <label>
            Scope
            <select name="scope">
              <option value="read">Read only</option>
              <option value="write">Read and write</option>
            </select>
          </label>
          <button type="submit" class="button primary">
            Create key
          </button>
        </form>
      </Section>
    </>
  );
}

interface AppView {
  id: string;
  name: string;
  origins: string[];
  identityVerification: boolean;
  settings: Record<string, unknown>;
}

function Messenger() {
  const app = useSignal<AppView | null>(null);
  const agents = useSignal<TeamMember[]>([]);
  const error = useSignal<string | null>(null);
  const saved = useSignal(false);
  useEffect(() => {
    // Both before the form shows: a later render would put the saved values back over typing.
    Promise.all([
      call<{ app: AppView }>('GET', '/v1/app'),
      call<{ agents: TeamMember[] }>('GET', '/v1/agents?limit=200'),
    ]).then(
      ([a, team]) => {
        agents.value = team.agents.filter((agent) => !agent.disabled);
        app.value = a.app;
      },
      (err: Error) => {
        error.value = err.message;
      },
    );
  }, []);
  const save = async (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const setting = (k: string) => String(data.get(k) ?? '').trim() || null;
    error.value = null;
    saved.value = false;
    try {
      const answer = await call<{ app: AppView }>('PATCH', '/v1/app', {
        origins: String(data.get('origins'))
          .split('\n')
          .map((o) => o.trim())
          .filter(Boolean),
        identityVerification: data.get('identityVerification') === 'on',
        hipaaBaa: data.get('hipaaBaa') === 'on',
        settings: {
          greeting: setting('greeting'),
          accentColor: setting('accentColor'),
          position: setting('position'),
          launcherLabel: setting('launcherLabel'),
          replyTime: setting('replyTime'),
          team: data.getAll('team').join(',') || null,
        },
      });
      app.value = answer.app;
      saved.value = true;
    } catch (err) {
      error.value = problemOf(err);
    }
  };
  const a = app.value;
  if (!a) return <p class="muted">{error.value ?? 'Loading…'}</p>;
  const s = (k: string) => (typeof a.settings[k] === 'string' ? (a.settings[k] as string) : '');
  return (
    <>
      <Section title={`Messenger of ${a.name}`}>
        <form class="settings-form" onSubmit={save}>
          <Problem error={error.value} />
          <label>
            Greeting
            <textarea name="greeting" rows={2} maxLength={500} value={s('greeting')} />
          </label>
          <label>
            Accent colour
            <input name="accentColor" pattern="#[0-9a-fA-F]{6}" placeholder="#4f46e5" value={s('accentColor')} />
          </label>
          <label>
            Position
            <select name="position" value={s('position') || 'right'}>
              <option value="right">Bottom right</option>
              <option value="left">Bottom left</option>
            </select>
          </label>
          <label>
            Launcher label
            <input name="launcherLabel" maxLength={40} value={s('launcherLabel')} />
          </label>
          <label>
            Usually replies
            <select name="replyTime" value={s('replyTime') || 'hours'}>
              <option value="minutes">Within a few minutes</option>
              <option value="hours">Within a few hours</option>
              <option value="day">Within a day</option>
            </select>
          </label>
          <fieldset class="team-picker">
            <legend>Shown on the messenger's home (up to 3; none chosen shows the first three)</legend>
            {agents.value.map((agent) => {
              const chosen = s('team').split(',').includes(agent.id);
              return (
                <label class="check" key={agent.id}>
                  <input type="checkbox" name="team" value={agent.id} checked={chosen} />
                  <Avatar name={agent.name} url={agent.avatarUrl} /> {agent.name}
                </label>
              );
            })}
          </fieldset>
          <label>
            Allowed origins, one per line
            <textarea name="origins" rows={3} value={a.origins.join('\n')} />
          </label>
          <label class="check">
            <input type="checkbox" name="identityVerification" checked={a.identityVerification} /> Require identity
            verification (userHash or userJwt) for signed-in users
          </label>
          <label class="check">
            <input type="checkbox" name="hipaaBaa" checked={a.settings.hipaaBaa === true} /> We have signed a Business
            Associate Agreement: health information is allowed in conversations (HIPAA)
          </label>
          <div class="form-actions">
            <button type="submit" class="button primary">
              Save
            </button>
            {saved.value ? (
              <output class="chip success">
                <Icon name="check" /> Saved
              </output>
            ) : null}
          </div>
        </form>
      </Section>
      <Retention days={s('retentionDays')} />
      <IdentitySecret />
    </>
  );
}

/** How long conversations are kept after their last activity (0: forever); the purge runs hourly. */
function Retention({ days }: { days: string }) {
  const error = useSignal<string | null>(null);
  const saved = useSignal(false);
  const typed = useSignal(days);
  const save = async (event: Event) => {
    event.preventDefault();
    const value = typed.value.trim();
    error.value = null;
    saved.value = false;
    try {
      await call('PATCH', '/v1/app', { settings: { retentionDays: value === '' ? null : value } });
      saved.value = true;
    } catch (err) {
      error.value = (err as Error).message;
    }
  };
  return (
    <Section title="Data retention">
      <p class="muted">
        Conversations idle longer than this are deleted with their messages, notes, incidents and files, and contacts
        left with none go too; every hour, recorded in the audit trail. 0 keeps conversations; empty means the default,
        90 days.
      </p>
      <form class="inline-form" onSubmit={save}>
        <label>
          Days after the last activity
          <input
            name="retentionDays"
            type="number"
            min={0}
            max={3650}
            step={1}
            placeholder="90"
            value={typed.value}
            onInput={(e) => {
              typed.value = (e.currentTarget as HTMLInputElement).value;
            }}
          />
        </label>
        <button type="submit" class="button primary">
          Save retention
        </button>
        {saved.value ? (
          <output class="chip success">
            <Icon name="check" /> Saved
          </output>
        ) : null}
      </form>
      <Problem error={error.value} />
    </Section>
  );
}

/** The identity-verification secret: never shown again, only replaced (and then shown once). */
function IdentitySecret() {
  const secret = useSignal<string | null>(null);
  const error = useSignal<string | null>(null);
  const rotate = async () => {
    if (!confirm('Make a new secret? User hashes and tokens signed with the current one stop working at once.')) return;
    error.value = null;
    try {
      secret.value = (await call<{ identitySecret: string }>('POST', '/v1/app/identity-secret')).identitySecret;
    } catch (err) {
      error.value = (err as Error).message;
    }
  };
  return (
    <Section title="Identity verification secret">
      <p class="muted">
        Your server signs each signed-in user's id with it (a userHash, HMAC-SHA256, or a userJwt, HS256), so nobody can
        open another user's conversations. Parley keeps it encrypted and never shows it again; if it leaked, replace it
        and deploy the new one to your server.
      </p>
      <Problem error={error.value} />
      {secret.value ? <OnceSecret label="New identity secret" value={secret.value} /> : null}
      <div class="form-actions">
        <button type="button" class="button" onClick={() => void rotate()}>
          Replace the secret
        </button>
      </div>
    </Section>
  );
}

function PolicyEditor() {
  const text = useSignal<string | null>(null);
  const isDefault = useSignal(false);
  const problems = useSignal<[string, string][]>([]);
  const error = useSignal<string | null>(null);
  const saved = useSignal(false);
  const show = (answer: { policy: unknown; default: boolean }) => {
    text.value = JSON.stringify(answer.policy, null, 2);
    isDefault.value = answer.default;
  };
  useEffect(() => {
    call<{ policy: unknown; default: boolean }>('GET', '/v1/app/policy').then(show, (err: Error) => {
      error.value = err.message;
    });
  }, []);
  const run = async (request: () => Promise<{ policy: unknown; default: boolean }>) => {
    problems.value = [];
    error.value = null;
    saved.value = false;
    try {
      show(await request());
      saved.value = true;
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fields).length > 0) problems.value = Object.entries(err.fields);
      else error.value = (err as Error).message;
    }
  };
  const save = () => {
    let policy: unknown;
    try {
      policy = JSON.parse(text.value ?? '');
    } catch (err) {
      problems.value = [['(json)', (err as Error).message]];
      return;
    }
    void run(() => call('PUT', '/v1/app/policy', policy));
  };
  if (text.value === null) return <p class="muted">{error.value ?? 'Loading…'}</p>;
  return (
    <Section title="Screening policy">
      <p class="muted">
        {isDefault.value ? 'This app uses the default policy.' : 'This app has its own policy.'} Every message, report
        and file is screened against it before it is stored.
      </p>
      <Problem error={error.value} />
      {problems.value.length > 0 ? (
        <div class="form-error" role="alert">
          <p>The policy was not saved:</p>
          <ul>
            {problems.value.map(([path, why]) => (
              <li key={path}>
                <code>{path}</code>: {why}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <label class="visually-hidden" for="policy-json">
        Policy as JSON
      </label>
      <textarea
        id="policy-json"
        class="code-editor"
        spellcheck={false}
        rows={24}
        value={text.value}
        onInput={(e) => {
          text.value = (e.currentTarget as HTMLTextAreaElement).value;
        }}
      />
      <div class="form-actions">
        <button type="button" class="button primary" onClick={save}>
          Save policy
        </button>
        <button type="button" class="button" onClick={() => void run(() => call('DELETE', '/v1/app/policy'))}>
          Reset to the default
        </button>
        {saved.value ? (
          <output class="chip success">
            <Icon name="check" /> Saved
          </output>
        ) : null}
      </div>
    </Section>
  );
}

/** What the detail says, in a line: the fields changed, counts of what was erased. */
function detailLine(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .map(([k, v]) =>
      k === 'rows' && v && typeof v === 'object'
        ? Object.entries(v as Record<string, number>)
            .filter(([, n]) => n > 0)
            .map(([t, n]) => `${n} ${t.replace(/_/g, ' ').replace(/s$/, n === 1 ? '' : 's')}`)
            .join(', ')
        : `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`,
    )
    .join(' · ');
}

/** The audit trail: exports, erasures and changes to the app, newest first; ids, never content. */
function Audit({ inbox }: { inbox: Inbox }) {
  const { items: entries, error } = useAdminList('/v1/audit?limit=200', (a) => a.entries as AuditEntry[]);
  const who = (e: AuditEntry) =>
    e.actorType === 'agent'
      ? (inbox.agents.value.find((a) => a.id === e.actorId)?.name ?? e.actorId)
      : e.actorType === 'bot'
        ? `API key ${e.actorId}`
        : e.actorId;
  return (
    <Section title="Audit trail">
      <p class="muted">
        Every export, erasure and change to the app’s settings, team, keys, webhooks and policy: who, when and which
        object. It never holds the content of what was changed.
      </p>
      <Problem error={error.value} />
      {entries.value === null ? (
        <p class="muted">Loading…</p>
      ) : entries.value.length === 0 ? (
        <p class="muted">Nothing recorded yet.</p>
      ) : (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Object</th>
            </tr>
          </thead>
          <tbody>
            {entries.value.map((e) => (
              <tr key={e.id}>
                <td>{when(e.createdAt)}</td>
                <td>{who(e)}</td>
                <td>
                  <code>{e.action}</code>
                  {Object.keys(e.detail).length > 0 ? <div class="muted small">{detailLine(e.detail)}</div> : null}
                </td>
                <td class="mono small">
                  {e.objectType} {e.objectId}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}
