import {
  type AgentConversation,
  ATTACHMENT_LIMITS,
  type Attachment,
  type ConversationStatus,
  type MessageScreening,
  type ScreeningNote,
} from '@parley/sdk/protocol';
import { dayKey, dayLabel, fileSize, Icon, Linkified } from '@parley/ui';
import { useSignal } from '@preact/signals';
import type { RefObject } from 'preact';
import { useEffect, useImperativeHandle, useLayoutEffect, useRef } from 'preact/hooks';
import { deadlineOf } from '../deadline.js';
import { loadDraft, saveDraft } from '../drafts.js';
import { contactName, type Inbox, itemId, type ThreadItem } from '../inbox.js';
import type { Outgoing } from '../outgoing.js';
import { ActionError } from './ActionError.js';
import { DeadlineChip } from './DeadlineChip.js';
import { Lightbox } from './Lightbox.js';

const DAY_WORDS = { today: 'Today', yesterday: 'Yesterday' };
const timeOf = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

export function ThreadPane({
  inbox,
  conversation: c,
  composerRef,
  sidebar,
  onToggleSidebar,
  backHref,
}: {
  inbox: Inbox;
  conversation: AgentConversation;
  composerRef: RefObject<{ focus(mode: 'reply' | 'note'): void }>;
  sidebar: boolean;
  onToggleSidebar: () => void;
  /** The list this conversation was opened from (a phone shows one pane at a time). */
  backHref: string;
}) {
  const thread = inbox.thread(c.id).value;
  const incident = inbox.incidents.value.get(c.id);
  const list = useRef<HTMLOListElement>(null);
  const atBottom = useRef(true);

  // Follow new messages only when already at the bottom (UX.md §1.4).
  useLayoutEffect(() => {
    const el = list.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [thread.items.length, thread.loading]);
  // Reading the thread marks it read.
  useEffect(() => {
    if (!thread.loading && document.visibilityState === 'visible') void inbox.markRead(c.id).catch(() => undefined);
  }, [c.id, c.lastSeq, thread.loading]);

  let lastDay = '';
  return (
    <main id="thread" class="thread" aria-labelledby="thread-title">
      <header class="thread-header">
        <a class="back" href={backHref}>
          ← Conversations
        </a>
        <div class="thread-who">
          <h2 id="thread-title">{contactName(c.visitor)}</h2>
          {/* Each piece begins with its separator, and the line clips what sticks out on the
              left: a piece that wraps starts its line without one (console.css, .who-line). */}
          <p class="muted who-line">
            <span class="who-pieces">
              <span class="who-piece">
                {[c.visitor.email, c.visitor.userId ? `user ${c.visitor.userId}` : null].filter(Boolean).join(' · ') ||
                  'Anonymous visitor'}
              </span>
              {incident ? (
                <span class="who-piece">
                  <span class={`badge ${incident.priority.toLowerCase()}`}>{incident.priority}</span> #{incident.number}{' '}
                  {incident.area}
                  <DeadlineChip
                    deadline={deadlineOf({ ...incident, stopped: incident.status !== 'open' }, inbox.now.value)}
                  />
                </span>
              ) : null}
            </span>
          </p>
        </div>
        <ThreadActions inbox={inbox} conversation={c} />
        <button
          type="button"
          class="button ghost details-toggle"
          aria-pressed={sidebar}
          title="Details (])"
          onClick={onToggleSidebar}
        >
          Details <kbd>]</kbd>
        </button>
      </header>
      <ol
        class="messages"
        ref={list}
        aria-live="polite"
        aria-relevant="additions"
        aria-label="Messages"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus so the keyboard can scroll it (WCAG 2.1.1; axe scrollable-region-focusable)
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
        }}
      >
        {thread.loading && thread.items.length === 0 ? (
          <>
            <li class="bubble-skeleton" />
            <li class="bubble-skeleton mine" />
            <li class="bubble-skeleton" />
          </>
        ) : null}
        {thread.error ? (
          <li class="thread-error" role="alert">
            Could not load this conversation: {thread.error}{' '}
            <button type="button" class="button small" onClick={() => inbox.retryThread(c.id)}>
              Retry
            </button>
          </li>
        ) : null}
        {thread.items.map((item) => {
          const at = item.kind === 'message' ? item.message.createdAt : item.note.createdAt;
          const day = dayKey(at);
          const separator =
            day !== lastDay ? (
              <li class="day" key={`d-${day}`}>
                <span>{dayLabel(at, DAY_WORDS)}</span>
              </li>
            ) : null;
          lastDay = day;
          return [separator, <Item key={itemId(item)} inbox={inbox} item={item} conversation={c} />];
        })}
        {inbox.outgoing.of(c.id).map((o) => (
          <OutgoingItem key={o.clientId} inbox={inbox} item={o} />
        ))}
      </ol>
      <Composer inbox={inbox} conversation={c} handle={composerRef} />
    </main>
  );
}

function ThreadActions({ inbox, conversation: c }: { inbox: Inbox; conversation: AgentConversation }) {
  const error = useSignal<string | null>(null);
  const run = (p: Promise<unknown>) => {
    error.value = null;
    p.catch((err: Error) => {
      error.value = err.message;
    });
  };
  const setStatus = (status: ConversationStatus) => run(inbox.update(c.id, { status }));
  const me = inbox.me.agent.id;
  return (
    <div class="thread-actions">
      <label class="visually-hidden" for="assignee">
        Assignee
      </label>
      <select
        id="assignee"
        value={c.assigneeId ?? ''}
        onChange={(e) => {
          const v = (e.currentTarget as HTMLSelectElement).value;
          run(inbox.update(c.id, { assigneeId: v || null }));
        }}
      >
        <option value="">Unassigned</option>
        {inbox.agents.value.map((a) => (
          <option key={a.id} value={a.id}>
            {a.id === me ? `${a.name} (me)` : a.name}
          </option>
        ))}
      </select>
      {c.assigneeId !== me ? (
        <button
          type="button"
          class="button"
          title="Assign to me (i)"
          onClick={() => run(inbox.update(c.id, { assigneeId: me }))}
        >
          Assign to me
        </button>
      ) : null}
      {c.status === 'open' ? (
        <button type="button" class="button" title="Waiting on the visitor" onClick={() => setStatus('pending')}>
          Pending
        </button>
      ) : null}
      {c.status === 'open' || c.status === 'pending' ? (
        <button type="button" class="button primary" title="Resolve (e)" onClick={() => setStatus('resolved')}>
          <Icon name="check" /> Resolve
        </button>
      ) : (
        <button type="button" class="button" onClick={() => setStatus('open')}>
          Reopen
        </button>
      )}
      <ActionError error={error.value} />
    </div>
  );
}

function Item({ inbox, item, conversation: c }: { inbox: Inbox; item: ThreadItem; conversation: AgentConversation }) {
  if (item.kind === 'note') {
    const n = item.note;
    return (
      <li class="note">
        <p class="note-label">
          <Icon name="lock" /> Internal note — visitors never see this
        </p>
        <p class="note-meta">
          <strong>{n.author.name ?? 'Team'}</strong> · <time dateTime={n.createdAt}>{timeOf(n.createdAt)}</time>
        </p>
        <div class="note-text">
          <Linkified text={n.text} />
        </div>
      </li>
    );
  }
  const m = item.message;
  const mine = m.author.type !== 'visitor';
  const seen = mine && c.visitorLastReadSeq >= m.seq;
  const name = m.author.type === 'visitor' ? contactName(c.visitor) : (m.author.name ?? 'Team');
  return (
    <li class={`message ${mine ? 'mine' : 'theirs'}${m.screening?.action === 'flag' ? ' flagged' : ''}`}>
      <p class="message-meta">
        <strong>{m.author.id === inbox.me.agent.id ? 'You' : name}</strong>
        {m.author.type === 'bot' ? <span class="chip neutral">Bot</span> : null} ·{' '}
        <time dateTime={m.createdAt} title={new Date(m.createdAt).toLocaleString()}>
          {timeOf(m.createdAt)}
        </time>
      </p>
      {m.text.trim() ? (
        <div class="bubble">
          <Linkified text={m.text} />
        </div>
      ) : null}
      {m.attachments.length > 0 ? <Files files={m.attachments} /> : null}
      {m.screening ? <ScreeningMarks screening={m.screening} /> : null}
      {mine ? <p class="receipt">{seen ? 'Seen' : 'Sent'}</p> : null}
    </li>
  );
}

/** A reply on its way: sending, waiting for the connection, or refused (with Retry). */
function OutgoingItem({ inbox, item: o }: { inbox: Inbox; item: Outgoing }) {
  const online = inbox.connection.value === 'connected';
  const files = o.attachmentIds.length;
  return (
    <li class={`message mine outgoing${o.state === 'failed' ? ' failed' : ''}`}>
      <p class="message-meta">
        <strong>You</strong>
      </p>
      {o.text.trim() ? (
        <div class="bubble">
          <Linkified text={o.text} />
        </div>
      ) : null}
      {files > 0 ? (
        <p class="muted small">
          <Icon name="paperclip" /> {files === 1 ? '1 file' : `${files} files`}
        </p>
      ) : null}
      {o.state === 'failed' ? (
        <p class="send-error">
          Not sent — {o.error}{' '}
          <button type="button" class="button small" onClick={() => inbox.outgoing.retry(o.clientId)}>
            Retry
          </button>{' '}
          <button type="button" class="button small ghost" onClick={() => inbox.outgoing.discard(o.clientId)}>
            Discard
          </button>
        </p>
      ) : (
        <p class="receipt">{o.state === 'sending' || online ? 'Sending…' : 'Will send when you’re back online'}</p>
      )}
    </li>
  );
}

function Files({ files }: { files: Attachment[] }) {
  const images = files.filter((f) => f.contentType.startsWith('image/'));
  const viewing = useSignal<number | null>(null);
  const thumbs = useRef<(HTMLButtonElement | null)[]>([]);
  return (
    <>
      <ul class="files">
        {files.map((f) =>
          f.contentType.startsWith('image/') ? (
            <li key={f.id}>
              <button
                type="button"
                class="thumb-button"
                ref={(el) => {
                  thumbs.current[images.indexOf(f)] = el;
                }}
                aria-label={`View ${f.name}`}
                onClick={() => {
                  viewing.value = images.indexOf(f);
                }}
              >
                <img class="thumb" src={f.path} alt="" loading="lazy" />
              </button>
            </li>
          ) : (
            <li key={f.id}>
              <a class="file-card" href={f.path} download={f.name}>
                <Icon name="file" />
                <span class="file-name">{f.name}</span>
                <span class="muted">{fileSize(f.size)}</span>
              </a>
            </li>
          ),
        )}
      </ul>
      {viewing.value !== null ? (
        <Lightbox
          images={images}
          start={viewing.value}
          onClose={(index) => {
            viewing.value = null;
            // After the browser has put focus back where the dialog opened from: on the image
            // last looked at instead.
            setTimeout(() => thumbs.current[index]?.focus(), 0);
          }}
        />
      ) : null}
    </>
  );
}

/** How sure a model (or a weaker rule) was, for a note that says: " · 78% sure". */
export function sureness(note: ScreeningNote): string {
  return note.confidence === undefined ? '' : ` · ${Math.floor(note.confidence * 100)}% sure`;
}

/** What screening did, with the rule and the clause, never what it removed. */
function ScreeningMarks({ screening }: { screening: MessageScreening }) {
  return (
    <ul class="screening">
      {screening.notes.map((n) => (
        <li key={`${n.rule}-${n.action}`} class={`chip ${n.action === 'flag' ? 'warning' : 'neutral'}`}>
          <Icon name={n.action === 'flag' ? 'flag' : 'shield'} />
          {n.action === 'flag' ? 'Flagged' : 'Redacted'} · {n.category.replace(/_/g, ' ')}
          {sureness(n)} · {n.clause.document} {n.clause.ref}
          <span class="visually-hidden">: {n.clause.reason}</span>
        </li>
      ))}
    </ul>
  );
}

interface Upload {
  key: string;
  name: string;
  size: number;
  attachment?: Attachment;
  error?: string;
}

/** Checks a file against the limits before anything is sent: the reason names the limit. */
function refusal(file: File, count: number): string | undefined {
  if (count >= ATTACHMENT_LIMITS.perMessage) return `at most ${ATTACHMENT_LIMITS.perMessage} files per message`;
  if (file.size > ATTACHMENT_LIMITS.maxBytes) return `larger than ${ATTACHMENT_LIMITS.maxBytes / 1024 / 1024} MB`;
  return undefined;
}

function Composer({
  inbox,
  conversation: c,
  handle,
}: {
  inbox: Inbox;
  conversation: AgentConversation;
  handle: RefObject<{ focus(mode: 'reply' | 'note'): void }>;
}) {
  const mode = useSignal<'reply' | 'note'>('reply');
  const me = inbox.me.agent.id;
  const text = useSignal(loadDraft(me, c.id, 'reply'));
  const sending = useSignal(false);
  const error = useSignal<string | null>(null);
  const uploads = useSignal<Upload[]>([]);
  const box = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const typingSince = useRef<ReturnType<typeof setTimeout> | null>(null);
  const switchTo = (m: 'reply' | 'note') => {
    if (m === mode.value) return;
    saveDraft(me, c.id, mode.value, text.value);
    mode.value = m;
    text.value = loadDraft(me, c.id, m);
  };
  useImperativeHandle(handle, () => ({
    focus(m) {
      switchTo(m);
      box.current?.focus();
    },
  }));
  // Typing reaches the visitor as "… is typing"; it stops 3 s after the last key, or on send.
  const stopTyping = () => {
    if (typingSince.current === null) return;
    clearTimeout(typingSince.current);
    typingSince.current = null;
    inbox.setAgentTyping(c.id, false);
  };
  const typed = () => {
    if (mode.value === 'note') return;
    if (typingSince.current === null) inbox.setAgentTyping(c.id, true);
    else clearTimeout(typingSince.current);
    typingSince.current = setTimeout(stopTyping, 3000);
  };
  useEffect(() => stopTyping, [c.id]);

  const note = mode.value === 'note';
  const who = contactName(c.visitor);
  const pending = uploads.value.some((u) => !u.attachment && !u.error);
  const ready = uploads.value.filter((u) => u.attachment);

  const add = (files: Iterable<File>) => {
    for (const file of files) {
      const key = `${file.name}-${file.size}-${Math.random()}`;
      const why = refusal(file, uploads.value.length);
      uploads.value = [...uploads.value, { key, name: file.name, size: file.size, ...(why ? { error: why } : {}) }];
      if (why) continue;
      inbox.upload(file).then(
        (attachment) => {
          uploads.value = uploads.value.map((u) => (u.key === key ? { ...u, attachment } : u));
        },
        (err: Error) => {
          uploads.value = uploads.value.map((u) => (u.key === key ? { ...u, error: err.message } : u));
        },
      );
    }
  };

  const send = async () => {
    const value = text.value.trim();
    if ((!value && ready.length === 0) || sending.value || pending) return;
    sending.value = true;
    error.value = null;
    stopTyping();
    try {
      if (note) await inbox.addNote(c.id, value);
      else
        inbox.reply(
          c.id,
          value,
          ready.map((u) => u.attachment!.id),
        );
      text.value = '';
      saveDraft(me, c.id, note ? 'note' : 'reply', '');
      if (!note) uploads.value = [];
    } catch (err) {
      // The text and files stay, so nothing typed is lost.
      error.value = `Not sent — ${(err as Error).message}`;
    } finally {
      sending.value = false;
    }
  };
  const typingName = inbox.typing.value.get(c.id);
  return (
    <form
      class={`composer${note ? ' note-mode' : ''}`}
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <p class="typing" aria-live="polite">
        {typingName ? `${typingName} is typing…` : ''}
      </p>
      <div class="composer-modes">
        {(['reply', 'note'] as const).map((m) => (
          <button
            key={m}
            type="button"
            aria-pressed={mode.value === m}
            class="mode"
            onClick={() => {
              switchTo(m);
              box.current?.focus();
            }}
          >
            {m === 'reply' ? 'Reply' : 'Internal note'} <kbd>{m === 'reply' ? 'r' : 'n'}</kbd>
          </button>
        ))}
        {note ? <span class="note-hint">Only your team sees this</span> : null}
      </div>
      {!note && (c.status === 'resolved' || c.status === 'closed') ? (
        <p class="composer-warning">Replying reopens this conversation for {who}.</p>
      ) : null}
      <label class="visually-hidden" for="composer-text">
        {note ? 'Internal note' : `Reply to ${who}`}
      </label>
      <textarea
        id="composer-text"
        ref={box}
        rows={3}
        value={text.value}
        placeholder={note ? 'Add a note for your team…' : `Write to ${who}…`}
        onInput={(e) => {
          text.value = (e.currentTarget as HTMLTextAreaElement).value;
          saveDraft(me, c.id, mode.value, text.value);
          typed();
        }}
        onPaste={(e) => {
          const files = [...(e.clipboardData?.files ?? [])];
          if (files.length > 0 && !note) {
            e.preventDefault();
            add(files);
          }
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            void send();
          } else if (e.key === 'Escape') {
            (e.currentTarget as HTMLTextAreaElement).blur();
          }
        }}
      />
      {uploads.value.length > 0 ? (
        <ul class="upload-chips" aria-label="Files to send">
          {uploads.value.map((u) => (
            <li key={u.key} class={`upload-chip${u.error ? ' failed' : ''}`}>
              <Icon name="file" />
              <span class="file-name">{u.name}</span>
              <span class="muted">
                {u.error ? `Not attached — ${u.error}` : u.attachment ? fileSize(u.size) : 'Uploading…'}
              </span>
              <button
                type="button"
                class="button ghost small"
                aria-label={`Remove ${u.name}`}
                onClick={() => {
                  uploads.value = uploads.value.filter((x) => x.key !== u.key);
                }}
              >
                <Icon name="x" />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div class="composer-footer">
        {!note ? (
          <>
            <input
              ref={picker}
              type="file"
              multiple
              hidden
              onChange={(e) => {
                const input = e.currentTarget as HTMLInputElement;
                add([...(input.files ?? [])]);
                input.value = '';
              }}
            />
            <button
              type="button"
              class="button ghost"
              aria-label="Attach files"
              title="Attach files (10 MB each, 10 at most)"
              onClick={() => picker.current?.click()}
            >
              <Icon name="paperclip" />
            </button>
          </>
        ) : null}
        {error.value ? (
          <p class="send-error" role="alert">
            {error.value}
          </p>
        ) : (
          <p class="muted small">{pending ? 'Waiting for uploads…' : 'Enter sends · Shift+Enter new line'}</p>
        )}
        <button
          class={`button ${note ? 'note-button' : 'primary'}`}
          type="submit"
          disabled={sending.value || pending || (!text.value.trim() && (note || ready.length === 0))}
        >
          {note ? 'Add note' : `Send to ${who}`}
        </button>
      </div>
    </form>
  );
}
