import type { AgentConversation, ConversationStatus, IncidentPriority } from '@parley/sdk/protocol';
import { Icon, type IconName, initials, listTime, shortDuration } from '@parley/ui';
import { useSignal } from '@preact/signals';
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { deadlineOf } from '../deadline.js';
import { hasDraft } from '../drafts.js';
import { contactName, type Inbox, NO_FILTERS, VIEW_NAMES, VIEWS, type View } from '../inbox.js';
import { signOut } from '../session.js';
import { AdminPage } from './AdminPage.js';
import { AlertsMenu } from './AlertsMenu.js';
import { type Command, CommandPalette } from './CommandPalette.js';
import { DeadlineChip } from './DeadlineChip.js';
import { ReviewPage } from './ReviewPage.js';
import { ShortcutsDialog } from './Shortcuts.js';
import { Sidebar } from './Sidebar.js';
import { ThreadPane } from './ThreadPane.js';

const VIEW_ICONS: Record<View, IconName> = {
  needs: 'inbox',
  mine: 'user',
  unassigned: 'users',
  open: 'archive',
  incidents: 'bolt',
  closed: 'check',
};

const isView = (v: string | undefined): v is View => (VIEWS as readonly string[]).includes(v ?? '');

/** A keypress that is typing, not a shortcut. */
const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

export function InboxPage({
  inbox,
  view: rawView,
  id,
  section,
}: {
  inbox: Inbox;
  view?: string;
  id?: string;
  section?: string;
}) {
  if (rawView === 'review' || rawView === 'admin') {
    return (
      <div class="shell single">
        <a class="skip" href="#thread">
          Skip to the page
        </a>
        <Nav inbox={inbox} view={rawView} />
        {rawView === 'review' ? <ReviewPage inbox={inbox} /> : <AdminPage inbox={inbox} section={section} />}
        <ConnectionBanner inbox={inbox} />
      </div>
    );
  }
  return <Inbox3 inbox={inbox} rawView={rawView} id={id} />;
}

const GO_KEYS: Record<string, string> = { i: 'needs', m: 'mine', u: 'unassigned', p: 'incidents', q: 'review' };

function Inbox3({ inbox, rawView, id }: { inbox: Inbox; rawView: string | undefined; id: string | undefined }) {
  const view: View = isView(rawView) ? rawView : 'needs';
  const location = useLocation();
  // Beside the thread on a wide screen; a drawer to open with ] (or Details) on a narrower one.
  const sidebar = useSignal(window.innerWidth >= 1280);
  const rows = inbox.rows(view);
  const open = id ? inbox.conversations.value.get(id) : undefined;
  const composer = useRef<{ focus(mode: 'reply' | 'note'): void }>(null);
  const go = (conversationId: string | null) =>
    location.route(conversationId ? `/console/${view}/c/${conversationId}` : `/console/${view}`);

  useEffect(() => {
    inbox.openId.value = id ?? null;
    // A notification's click opens its conversation in the view that holds every open one.
    inbox.navigate = (conversationId) => location.route(`/console/open/c/${conversationId}`);
  }, [id]);
  useEffect(
    () => () => {
      inbox.openId.value = null;
    },
    [],
  );

  const help = useSignal(false);
  /**
   * Which opening of the palette is showing, 0 for none. Chromium fires a dialog's close event a
   * frame after it closed: by then Ctrl K may have opened the palette again, and that late event
   * must close only the opening it came from.
   */
  const palette = useSignal(0);
  const openings = useRef(0);
  // After g, the next key picks a view (g i, g m, g u, g p, g q) within 1.5 s.
  const goPrefix = useRef(0);

  /** What the palette offers here: the views, what the open conversation allows, every conversation. */
  const paletteCommands = (): Command[] => {
    const admin = inbox.me.agent.role === 'admin';
    const goKey: Partial<Record<string, string>> = { needs: 'g i', mine: 'g m', unassigned: 'g u', incidents: 'g p' };
    const commands: Command[] = VIEWS.map((v) => ({
      id: `view-${v}`,
      label: `Go to ${VIEW_NAMES[v]}`,
      ...(goKey[v] ? { keys: goKey[v] } : {}),
      run: () => location.route(`/console/${v}`),
    }));
    if (admin) {
      commands.push(
        { id: 'review', label: 'Go to the review queue', keys: 'g q', run: () => location.route('/console/review') },
        { id: 'admin', label: 'Go to Admin', run: () => location.route('/console/admin/team') },
      );
    }
    if (open) {
      commands.push(
        { id: 'reply', label: 'Reply', keys: 'r', run: () => composer.current?.focus('reply') },
        { id: 'note', label: 'Add an internal note', keys: 'n', run: () => composer.current?.focus('note') },
        {
          id: 'assign',
          label: 'Assign to me',
          keys: 'i',
          run: () => void inbox.update(open.id, { assigneeId: inbox.me.agent.id }),
        },
        { id: 'resolve', label: 'Resolve', keys: 'e', run: () => void inbox.update(open.id, { status: 'resolved' }) },
        {
          id: 'details',
          label: 'Show or hide the details',
          keys: ']',
          run: () => {
            sidebar.value = !sidebar.value;
          },
        },
      );
    }
    commands.push({
      id: 'shortcuts',
      label: 'Keyboard shortcuts',
      keys: '?',
      run: () => {
        help.value = true;
      },
    });
    for (const c of [...inbox.conversations.value.values()].slice(0, 500)) {
      commands.push({
        id: `c-${c.id}`,
        label: `Open ${contactName(c.visitor)}`,
        hint: [c.visitor.email, c.lastMessage?.text.slice(0, 60)].filter(Boolean).join(' · '),
        run: () =>
          location.route(
            `/console/${inbox.rows(view).some((r) => r.id === c.id) ? view : c.status === 'resolved' || c.status === 'closed' ? 'closed' : 'open'}/c/${c.id}`,
          ),
      });
    }
    return commands;
  };

  // Bound before the paint that shows the rows, so a key pressed at once is not lost.
  useLayoutEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // Ctrl/⌘ K opens the palette, even while typing.
      if (
        (event.ctrlKey || event.metaKey) &&
        event.key.toLowerCase() === 'k' &&
        !document.querySelector('dialog[open]')
      ) {
        event.preventDefault();
        openings.current += 1;
        palette.value = openings.current;
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      // A dialog (shortcuts, an image) has the keys, Esc included, until it closes.
      if (document.querySelector('dialog[open]')) return;
      const index = rows.findIndex((r) => r.id === id);
      const act = (fn: () => void) => {
        event.preventDefault();
        fn();
      };
      if (Date.now() - goPrefix.current < 1500) {
        goPrefix.current = 0;
        const target = GO_KEYS[event.key];
        if (target) return act(() => location.route(`/console/${target}`));
      }
      const incident = open ? inbox.incidents.value.get(open.id) : undefined;
      switch (event.key) {
        case '?':
          return act(() => {
            help.value = true;
          });
        case 'g':
          return act(() => {
            goPrefix.current = Date.now();
          });
        case '1':
        case '2':
        case '3':
          return incident && act(() => void inbox.setPriority(incident.id, `P${event.key}` as IncidentPriority));
        case 'j':
          return act(() => {
            const next = rows[Math.min(rows.length - 1, index + 1)];
            if (next) go(next.id);
          });
        case 'k':
          return act(() => {
            const prev = rows[Math.max(0, index - 1)];
            if (prev) go(prev.id);
          });
        case 'r':
          return open && act(() => composer.current?.focus('reply'));
        case 'n':
          return open && act(() => composer.current?.focus('note'));
        case 'i':
          return open && act(() => void inbox.update(open.id, { assigneeId: inbox.me.agent.id }));
        case 'e':
          return open && act(() => void inbox.update(open.id, { status: 'resolved' }));
        case ']':
          return act(() => {
            sidebar.value = !sidebar.value;
          });
        case '/':
          return act(() => document.getElementById('search')?.focus());
        case 'Escape':
          return open && act(() => go(null));
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  const opening = palette.value;
  return (
    <div class={`shell${sidebar.value && open ? ' with-sidebar' : ''}`}>
      <a class="skip" href="#thread">
        Skip to conversation
      </a>
      <Nav inbox={inbox} view={view} />
      <ListPane inbox={inbox} view={view} rows={rows} openId={id} />
      {opening ? (
        <CommandPalette
          key={opening}
          commands={paletteCommands()}
          onClose={() => {
            if (palette.peek() === opening) palette.value = 0;
          }}
        />
      ) : null}
      {help.value ? (
        <ShortcutsDialog
          onClose={() => {
            help.value = false;
          }}
        />
      ) : null}
      {open ? (
        <>
          <ThreadPane
            key={open.id}
            inbox={inbox}
            conversation={open}
            composerRef={composer}
            sidebar={sidebar.value}
            backHref={`/console/${view}`}
            onToggleSidebar={() => {
              sidebar.value = !sidebar.value;
            }}
          />
          {sidebar.value ? <Sidebar key={`s-${open.id}`} inbox={inbox} conversation={open} /> : null}
        </>
      ) : (
        <EmptyThread inbox={inbox} missing={id !== undefined && inbox.loaded.value} />
      )}
      <ConnectionBanner inbox={inbox} />
    </div>
  );
}

function Nav({ inbox, view }: { inbox: Inbox; view: View | 'review' | 'admin' }) {
  const counts = inbox.counts.value;
  const agent = inbox.me.agent;
  const review = inbox.review.value;
  return (
    <nav class="nav" aria-label="Views">
      <p class="wordmark">Parley</p>
      <ul>
        {VIEWS.map((v) => (
          <li key={v}>
            <a
              href={`/console/${v}`}
              class={v === view ? 'current' : ''}
              aria-current={v === view ? 'page' : undefined}
            >
              <Icon name={VIEW_ICONS[v]} />
              <span class="nav-name">{VIEW_NAMES[v]}</span>
              {counts[v] > 0 ? (
                <span class={`count${v === 'incidents' ? ' danger' : ''}`}>
                  {counts[v]}
                  <span class="visually-hidden"> conversations</span>
                </span>
              ) : null}
            </a>
          </li>
        ))}
        {agent.role === 'admin' ? (
          <li>
            <a
              href="/console/review"
              class={view === 'review' ? 'current' : ''}
              aria-current={view === 'review' ? 'page' : undefined}
            >
              <Icon name="shield" />
              <span class="nav-name">Review queue</span>
              {review && review.length > 0 ? (
                <span class="count">
                  {review.length}
                  <span class="visually-hidden"> messages to review</span>
                </span>
              ) : null}
            </a>
          </li>
        ) : null}
      </ul>
      <div class="nav-footer">
        <AlertsMenu alerts={inbox.alerts} />
        <p class="me">
          <span class="avatar" aria-hidden="true">
            {initials(agent.name)}
          </span>
          <span>
            <span class="me-name">{agent.name}</span>
            <span class="me-role">{agent.role === 'admin' ? 'Admin' : 'Agent'}</span>
          </span>
        </p>
        {agent.role === 'admin' ? (
          <a
            class={`nav-admin${view === 'admin' ? ' current' : ''}`}
            href="/console/admin/team"
            aria-current={view === 'admin' ? 'page' : undefined}
          >
            <Icon name="settings" />
            <span class="nav-name">Admin</span>
          </a>
        ) : null}
        <button type="button" class="button ghost small" onClick={() => void signOut()}>
          Sign out
        </button>
      </div>
    </nav>
  );
}

const PRIORITIES: IncidentPriority[] = ['P1', 'P2', 'P3'];

function ListPane({
  inbox,
  view,
  rows,
  openId,
}: {
  inbox: Inbox;
  view: View;
  rows: AgentConversation[];
  openId: string | undefined;
}) {
  const filters = inbox.filters.value;
  const filtered = Boolean(filters.query || filters.priority || filters.flagged || filters.status);
  const location = useLocation();
  const set = (change: Partial<typeof filters>) => {
    inbox.filters.value = { ...inbox.filters.value, ...change };
  };
  return (
    <section class="list" aria-labelledby="list-title">
      <header class="list-header">
        <h1 id="list-title">
          {VIEW_NAMES[view]} <span class="muted">{rows.length}</span>
        </h1>
        <div class="view-switch">
          <label class="visually-hidden" for="view-switch">
            View
          </label>
          <select
            id="view-switch"
            value={view}
            onChange={(e) => location.route(`/console/${(e.currentTarget as HTMLSelectElement).value}`)}
          >
            {VIEWS.map((v) => (
              <option key={v} value={v}>
                {VIEW_NAMES[v]} ({inbox.counts.value[v]})
              </option>
            ))}
          </select>
          <button type="button" class="button small" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
        <div class="search">
          <Icon name="search" />
          <label class="visually-hidden" for="search">
            Search by name, email, user id or incident reference (#42)
          </label>
          <input
            id="search"
            type="search"
            placeholder="Search name, email, id, #42  /"
            value={filters.query}
            onInput={(e) => set({ query: (e.currentTarget as HTMLInputElement).value })}
          />
        </div>
        <fieldset class="chips">
          <legend class="visually-hidden">Filters</legend>
          {PRIORITIES.map((p) => (
            <button
              key={p}
              type="button"
              class="chip-toggle"
              aria-pressed={filters.priority === p}
              onClick={() => set({ priority: filters.priority === p ? null : p })}
            >
              {p}
            </button>
          ))}
          <button
            type="button"
            class="chip-toggle"
            aria-pressed={filters.flagged}
            onClick={() => set({ flagged: !filters.flagged })}
          >
            <Icon name="flag" /> Flagged
          </button>
          <label class="visually-hidden" for="status-filter">
            Status
          </label>
          <select
            id="status-filter"
            class="status-filter"
            value={filters.status ?? ''}
            onChange={(e) =>
              set({ status: ((e.currentTarget as HTMLSelectElement).value || null) as ConversationStatus | null })
            }
          >
            <option value="">Any status</option>
            {(view === 'closed' ? (['resolved', 'closed'] as const) : (['open', 'pending'] as const)).map((s) => (
              <option key={s} value={s}>
                {s[0]!.toUpperCase() + s.slice(1)}
              </option>
            ))}
          </select>
        </fieldset>
      </header>
      {!inbox.loaded.value ? (
        inbox.loadError.value ? (
          <p class="empty" role="alert">
            Could not load the inbox: {inbox.loadError.value}{' '}
            <button type="button" class="button small" onClick={() => void inbox.load()}>
              Retry
            </button>
          </p>
        ) : (
          <ul class="rows" aria-busy="true" aria-label="Loading conversations">
            {[0, 1, 2, 3, 4].map((i) => (
              <li key={i} class="row skeleton" />
            ))}
          </ul>
        )
      ) : rows.length === 0 ? (
        <div class="empty">
          <p>{filtered ? 'No conversations match.' : emptyText(view)}</p>
          {filtered ? (
            <button type="button" class="button small" onClick={() => set(NO_FILTERS)}>
              Clear filters
            </button>
          ) : null}
        </div>
      ) : (
        <RowList inbox={inbox} view={view} rows={rows} openId={openId} />
      )}
    </section>
  );
}

/** Past this many rows, only those in sight (and a screenful either side) are in the page. */
const VIRTUAL_AFTER = 200;
const OVERSCAN = 12;

/**
 * A view's rows. A long list is virtual: rows all have one height, measured from the first,
 * and spacers above and below (sized through the CSSOM, which the CSP allows) stand for the rest; the open row is kept in sight as j and k
 * move through it.
 */
function RowList({
  inbox,
  view,
  rows,
  openId,
}: {
  inbox: Inbox;
  view: View;
  rows: AgentConversation[];
  openId: string | undefined;
}) {
  const list = useRef<HTMLUListElement>(null);
  const scrollTop = useSignal(0);
  const viewport = useSignal(800);
  const rowHeight = useSignal(88);
  const virtual = rows.length > VIRTUAL_AFTER;
  useLayoutEffect(() => {
    const el = list.current;
    if (!el) return;
    const measure = () => {
      viewport.value = el.clientHeight;
      const first = el.querySelector<HTMLElement>('.row');
      if (first?.offsetHeight) rowHeight.value = first.offsetHeight;
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [virtual]);
  // Keep the open row in sight (j and k move past the rendered window).
  useLayoutEffect(() => {
    const el = list.current;
    const index = openId ? rows.findIndex((r) => r.id === openId) : -1;
    if (!el || index < 0 || !virtual) return;
    const top = index * rowHeight.value;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight.value > el.scrollTop + el.clientHeight) {
      el.scrollTop = top + rowHeight.value - el.clientHeight;
    }
    scrollTop.value = el.scrollTop;
  }, [openId, virtual]);
  const h = rowHeight.value;
  const start = virtual ? Math.max(0, Math.floor(scrollTop.value / h) - OVERSCAN) : 0;
  const end = virtual
    ? Math.min(rows.length, Math.ceil((scrollTop.value + viewport.value) / h) + OVERSCAN)
    : rows.length;
  return (
    <ul
      ref={list}
      class={`rows${virtual ? ' virtual' : ''}`}
      aria-label={`${VIEW_NAMES[view]} conversations`}
      onScroll={
        virtual
          ? (e) => {
              scrollTop.value = (e.currentTarget as HTMLElement).scrollTop;
            }
          : undefined
      }
    >
      {start > 0 ? <li class="spacer" aria-hidden="true" style={{ height: `${start * h}px` }} /> : null}
      {rows.slice(start, end).map((c, i) => (
        <Row
          key={c.id}
          inbox={inbox}
          conversation={c}
          view={view}
          open={c.id === openId}
          {...(virtual ? { position: start + i + 1, of: rows.length } : {})}
        />
      ))}
      {end < rows.length ? (
        <li class="spacer" aria-hidden="true" style={{ height: `${(rows.length - end) * h}px` }} />
      ) : null}
    </ul>
  );
}

const emptyText = (view: View) =>
  view === 'needs'
    ? 'Nothing is waiting for a reply.'
    : view === 'incidents'
      ? 'No open incidents.'
      : view === 'closed'
        ? 'Nothing resolved yet.'
        : 'No conversations here.';

function Row({
  inbox,
  conversation: c,
  view,
  open,
  position,
  of,
}: {
  inbox: Inbox;
  conversation: AgentConversation;
  view: View;
  open: boolean;
  /** In a virtual list: where the row stands, for screen readers. */
  position?: number;
  of?: number;
}) {
  const now = inbox.now.value;
  const incident = inbox.incidents.value.get(c.id);
  const last = c.lastMessage;
  const me = inbox.me.agent.id;
  const author = !last
    ? ''
    : last.author.type === 'visitor'
      ? ''
      : last.author.id === me
        ? 'You: '
        : `${last.author.name ?? 'Team'}: `;
  const preview = !last
    ? 'No messages yet'
    : last.text.trim()
      ? last.text
      : `${last.attachments.length} ${last.attachments.length === 1 ? 'file' : 'files'}`;
  const waiting = c.status === 'open' && last?.author.type === 'visitor' && !incident;
  const unread = c.unread > 0;
  const assignee = inbox.agentName(c.assigneeId);
  return (
    <li class={`row${open ? ' open' : ''}${unread ? ' unread' : ''}`} aria-posinset={position} aria-setsize={of}>
      <a href={`/console/${view}/c/${c.id}`} aria-current={open ? 'true' : undefined}>
        <span class="row-top">
          {unread ? <span class="dot" aria-hidden="true" /> : null}
          <span class="row-name">{contactName(c.visitor)}</span>
          <time class="row-time" dateTime={c.updatedAt}>
            {listTime(c.updatedAt, now)}
          </time>
        </span>
        <span class="row-preview">
          {!open && hasDraft(me, c.id) ? <span class="draft-mark">Draft: </span> : author}
          {preview}
        </span>
        <span class="row-chips">
          {incident ? (
            <>
              <span class={`badge ${incident.priority.toLowerCase()}`}>{incident.priority}</span>
              <span class="reference">#{incident.number}</span>
              <DeadlineChip deadline={deadlineOf({ ...incident, stopped: incident.status !== 'open' }, now)} />
            </>
          ) : null}
          {waiting && last ? (
            <span class="chip neutral">
              <Icon name="clock" /> waiting {shortDuration(now.getTime() - Date.parse(last.createdAt))}
            </span>
          ) : null}
          {c.flagged ? (
            <span class="chip warning">
              <Icon name="flag" /> Flagged
            </span>
          ) : null}
          {c.status === 'closed' || c.status === 'resolved' ? (
            <span class="chip neutral">{c.status === 'closed' ? 'Closed' : 'Resolved'}</span>
          ) : null}
          {c.status === 'pending' ? <span class="chip neutral">Pending</span> : null}
          <span class="row-end">
            {assignee ? (
              <span
                class="avatar small"
                title={`Assigned to ${assignee}`}
                role="img"
                aria-label={`Assigned to ${assignee}`}
              >
                {initials(assignee)}
              </span>
            ) : null}
            {unread ? (
              <span class="unread-badge">
                <span aria-hidden="true">{c.unread > 9 ? '9+' : c.unread}</span>
                <span class="visually-hidden">{c.unread} unread messages</span>
              </span>
            ) : null}
          </span>
        </span>
      </a>
    </li>
  );
}

function EmptyThread({ inbox, missing }: { inbox: Inbox; missing: boolean }) {
  return (
    <main id="thread" class="thread empty-thread">
      {missing ? (
        <p>This conversation is not in your app, or no longer exists.</p>
      ) : (
        <>
          <p class="empty-title">{inbox.counts.value.needs > 0 ? 'Pick a conversation' : 'All caught up'}</p>
          <ul class="shortcuts-hint">
            <li>
              <kbd>j</kbd> <kbd>k</kbd> next and previous conversation
            </li>
            <li>
              <kbd>r</kbd> reply, <kbd>n</kbd> internal note
            </li>
            <li>
              <kbd>i</kbd> assign to me, <kbd>e</kbd> resolve, <kbd>/</kbd> search
            </li>
            <li>
              <kbd>?</kbd> every shortcut
            </li>
          </ul>
        </>
      )}
    </main>
  );
}

function ConnectionBanner({ inbox }: { inbox: Inbox }) {
  const state = inbox.connection.value;
  const wasDown = useSignal(false);
  const showBack = useSignal(false);
  useEffect(() => {
    if (state === 'connected' && wasDown.value) {
      showBack.value = true;
      const t = setTimeout(() => {
        showBack.value = false;
      }, 3000);
      wasDown.value = false;
      return () => clearTimeout(t);
    }
    if (state === 'connecting' || state === 'disconnected') wasDown.value = inbox.loaded.value;
    return undefined;
  }, [state]);
  // A notice (an erasure's outcome) shows for 8 s.
  const notice = inbox.notice.value;
  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => {
      inbox.notice.value = null;
    }, 8000);
    return () => clearTimeout(t);
  }, [notice]);
  const down = inbox.loaded.value && (state === 'connecting' || state === 'disconnected');
  return (
    <output class={`banner${down ? ' down' : showBack.value || notice ? ' back' : ''}`}>
      {down ? (
        <>
          <Icon name="wifiOff" /> Reconnecting… replies you send will be queued.
        </>
      ) : showBack.value ? (
        'Back online — caught up.'
      ) : (
        notice
      )}
    </output>
  );
}
