import { type AgentClient, type ConnectionState, createAgentClient } from '@parley/sdk';
import type {
  AgentConversation,
  AgentProfile,
  Attachment,
  ConversationStatus,
  Incident,
  IncidentPriority,
  Message,
  Note,
} from '@parley/sdk/protocol';
import { computed, type Signal, signal } from '@preact/signals';
import { deadlineOf } from './deadline.js';
import { Alerts } from './notify.js';
import { type Outgoing, OutgoingQueue } from './outgoing.js';
import { call, clockOffset, type Me } from './session.js';

/** The inbox's views (UX.md §1.1), in the navigation's order. */
export const VIEWS = ['needs', 'mine', 'unassigned', 'open', 'incidents', 'closed'] as const;
export type View = (typeof VIEWS)[number];
export const VIEW_NAMES: Record<View, string> = {
  needs: 'Needs reply',
  mine: 'Mine',
  unassigned: 'Unassigned',
  open: 'All open',
  incidents: 'Incidents',
  closed: 'Closed',
};

/** A flagged message waiting for an admin (GET /v1/review). */
export interface ReviewItem {
  message: Message;
  contact: { id: string; name: string | null; email: string | null; userId: string | null };
}

/** One entry of a thread: a message, or an internal note shown apart from the replies. */
export type ThreadItem = { kind: 'message'; message: Message } | { kind: 'note'; note: Note };

export interface Thread {
  items: ThreadItem[];
  loading: boolean;
  error: string | null;
  hasMore: boolean;
}

export interface Filters {
  priority: IncidentPriority | null;
  /** Within the view: only conversations of this status. */
  status: ConversationStatus | null;
  flagged: boolean;
  query: string;
}

/** A contact's display name: their name, else their email, else "Visitor 4f2a". */
export function contactName(c: AgentConversation['visitor']): string {
  return c.name ?? c.email ?? `Visitor ${c.id.slice(-4)}`;
}

const OPEN: ConversationStatus[] = ['open', 'pending'];
export const NO_FILTERS: Filters = { priority: null, status: null, flagged: false, query: '' };
/** Conversations per request (the API's most), and how many pages the console keeps. */
const PAGE = 100;
const MAX_PAGES = 20;

interface ConversationPage {
  conversations: AgentConversation[];
  nextCursor: string | null;
}

/**
 * The console's state: the app's conversations and incidents, kept live by the /agent socket
 * (the sdk's agent client, signed in by the session cookie), and the threads opened so far.
 * Components read signals; every change goes through the public REST API or the socket.
 */
export class Inbox {
  readonly conversations = signal<ReadonlyMap<string, AgentConversation>>(new Map());
  /** Incidents by conversation id. */
  readonly incidents = signal<ReadonlyMap<string, Incident>>(new Map());
  private readonly incidentsLoaded = signal(false);
  readonly agents = signal<AgentProfile[]>([]);
  readonly connection = signal<ConnectionState>('connecting');
  readonly loaded = signal(false);
  readonly loadError = signal<string | null>(null);
  readonly filters = signal<Filters>(NO_FILTERS);
  /** Admins: flagged messages nobody reviewed yet, oldest first (null: not loaded, or not an admin). */
  readonly review = signal<ReviewItem[] | null>(null);
  /** Who is typing where (conversation id → name), from the visitors' typing events. */
  readonly typing = signal<ReadonlyMap<string, string>>(new Map());
  private readonly typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Ticks every 30 s (on the server's clock): deadline chips and "waiting" times read it. */
  readonly now = signal(new Date(Date.now() + clockOffset.value));
  private readonly threads = new Map<string, Signal<Thread>>();
  readonly client: AgentClient;
  /** Replies on their way to the server (UX.md §1.5: offline sends queue). */
  readonly outgoing: OutgoingQueue;
  /** Sound and desktop notifications (UX.md §1.10). */
  readonly alerts: Alerts;
  /** A sentence the page shows once, politely (an erasure's outcome, say). */
  readonly notice = signal<string | null>(null);
  /** The conversation open in this tab: no alert for it while the tab is seen. */
  readonly openId = signal<string | null>(null);
  /** Opens a conversation (set by the page, which owns the router). */
  navigate: (conversationId: string) => void = () => undefined;
  private lastReminder = 0;
  private readonly timer: ReturnType<typeof setInterval>;
  /** When the connection last dropped (server time), until what changed meanwhile is loaded. */
  private downSince: number | null = null;

  constructor(readonly me: Me) {
    this.client = createAgentClient({ url: location.origin, csrfToken: me.csrfToken, transports: ['websocket'] });
    this.outgoing = new OutgoingQueue({
      deliver: (item) => this.deliver(item),
      sent: (m) => this.onMessage(m),
      online: () => this.connection.value === 'connected',
      storageKey: `parley.outgoing.${me.agent.id}`,
    });
    this.client.on('connection', (state) => {
      const was = this.connection.value;
      this.connection.value = state;
      if (state !== 'connected') {
        if (was === 'connected') this.downSince = Date.now() + clockOffset.value;
        return;
      }
      void this.outgoing.flush();
      if (this.downSince !== null) void this.catchUp(this.downSince);
    });
    this.alerts = new Alerts(me.agent.id);
    this.client.on('conversation', (c) => {
      this.put(c);
      this.announce(c.id, `New conversation — ${contactName(c.visitor)}`, c.lastMessage?.text ?? '', false);
    });
    this.client.on('conversationUpdated', (c) => this.put(c));
    this.client.on('message', (m) => {
      this.onMessage(m);
      const c = this.conversations.value.get(m.conversationId);
      if (m.author.type === 'visitor' && c) this.announce(c.id, contactName(c.visitor), m.text, false);
    });
    this.client.on('note', (n) => this.onNote(n));
    this.client.on('incident', (i) => {
      this.putIncident(i);
      const c = this.conversations.value.get(i.conversationId);
      const who = c ? ` — ${contactName(c.visitor)}` : '';
      this.announce(i.conversationId, `${i.priority} · ${i.area}${who}`, i.details, i.priority === 'P1');
    });
    this.client.on('incidentUpdated', (i) => this.putIncident(i));
    this.client.on('contactErased', ({ contactId }) => this.forgetContact(contactId));
    this.client.on('typing', (e) => {
      if (e.author.type !== 'visitor') return;
      const c = this.conversations.value.get(e.conversationId);
      this.setTyping(e.conversationId, e.typing ? (c ? contactName(c.visitor) : 'The visitor') : null);
    });
    this.timer = setInterval(() => {
      this.now.value = new Date(Date.now() + clockOffset.value);
      this.remindP1();
    }, 30_000);
  }

  /**
   * The first paint comes from one request: the open and recent conversations, which carry
   * their incident's priority and deadline. The open incidents (for the cards and the clocks),
   * the team and the older pages follow without holding it up.
   */
  async load(): Promise<void> {
    const incidents = call<{ incidents: Incident[] }>('GET', '/v1/incidents?status=open&limit=200');
    const agents = call<{ agents: AgentProfile[] }>('GET', '/v1/agents?limit=200');
    try {
      const list = await call<ConversationPage>('GET', `/v1/conversations?limit=${PAGE}`);
      this.conversations.value = new Map(list.conversations.map((c) => [c.id, c]));
      this.now.value = new Date(Date.now() + clockOffset.value);
      this.loaded.value = true;
      this.loadError.value = null;
      void this.loadRest(list.nextCursor);
      if (this.me.agent.role === 'admin') void this.loadReview();
    } catch (err) {
      this.loadError.value = (err as Error).message;
    }
    try {
      const [open, team] = await Promise.all([incidents, agents]);
      const next = new Map(open.incidents.map((i) => [i.conversationId, i]));
      // Live ones that came meanwhile are newer than the page.
      for (const [id, i] of this.incidents.value) next.set(id, i);
      this.incidents.value = next;
      this.incidentsLoaded.value = true;
      this.agents.value = team.agents;
    } catch {
      // The rows still show the priority and deadline they carry; the cards load with the thread.
    }
  }

  async loadReview(): Promise<void> {
    const { items } = await call<{ items: ReviewItem[] }>('GET', '/v1/review?limit=200');
    this.review.value = items;
  }

  /** Clears or confirms a flagged message: it leaves the queue at once (back if the call fails). */
  async decide(messageId: string, decision: 'cleared' | 'confirmed'): Promise<void> {
    const before = this.review.value ?? [];
    this.review.value = before.filter((i) => i.message.id !== messageId);
    try {
      await call('POST', `/v1/messages/${encodeURIComponent(messageId)}/review`, { decision });
    } catch (err) {
      this.review.value = before;
      throw err;
    }
  }

  /**
   * After an outage: what changed while it lasted (status, assignment, new conversations and
   * incidents). Messages catch up by seq in the sdk; this covers the rest. A minute of margin
   * covers clocks and requests in flight; `put` ignores what is older than what it has.
   */
  private async catchUp(since: number): Promise<void> {
    const from = new Date(since - 60_000).toISOString();
    try {
      const [list, incidents] = await Promise.all([
        call<ConversationPage>('GET', `/v1/conversations?limit=${PAGE}&updatedSince=${encodeURIComponent(from)}`),
        call<{ incidents: Incident[] }>('GET', '/v1/incidents?status=open&limit=200'),
      ]);
      for (const c of list.conversations) this.put(c);
      for (const i of incidents.incidents) this.putIncident(i);
      this.downSince = null;
    } catch {
      // Tried again at the next reconnection (downSince stays).
    }
  }

  /** An alert about a conversation; "mine" means assigned to me or to nobody yet. */
  private announce(conversationId: string, title: string, text: string, urgent: boolean): void {
    const assignee = this.conversations.value.get(conversationId)?.assigneeId ?? null;
    this.alerts.alert(
      {
        conversationId,
        title,
        body: text.split('\n')[0]!.slice(0, 140),
        urgent,
        mine: assignee === null || assignee === this.me.agent.id,
        open: () => this.navigate(conversationId),
      },
      this.openId.value === conversationId,
    );
  }

  /** Every 2 minutes while a P1 is unassigned and unanswered: the urgent sound again. */
  private remindP1(): void {
    const now = this.now.value.getTime();
    if (!this.alerts.settings.value.p1Reminder || now - this.lastReminder < 120_000) return;
    for (const i of this.incidents.value.values()) {
      const c = this.conversations.value.get(i.conversationId);
      if (i.priority !== 'P1' || i.status !== 'open' || i.firstResponseAt || !c || c.assigneeId !== null) continue;
      this.lastReminder = now;
      this.alerts.remind();
      return;
    }
  }

  /** The older pages, after the first paint (live events keep what is loaded current). */
  private async loadRest(cursor: string | null): Promise<void> {
    for (let pages = 1; cursor && pages < MAX_PAGES; pages++) {
      const page = await call<ConversationPage>(
        'GET',
        `/v1/conversations?limit=${PAGE}&cursor=${encodeURIComponent(cursor)}`,
      );
      const next = new Map(this.conversations.value);
      for (const c of page.conversations) if (!next.has(c.id)) next.set(c.id, c);
      this.conversations.value = next;
      cursor = page.nextCursor;
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.outgoing.close();
    this.alerts.close();
    this.client.close();
  }

  // ---- What the views show ---------------------------------------------------------------------

  private inView(c: AgentConversation, view: View): boolean {
    const mine = c.assigneeId === this.me.agent.id;
    switch (view) {
      case 'needs':
        return c.status === 'open' && (mine || c.assigneeId === null) && c.lastMessage?.author.type === 'visitor';
      case 'mine':
        return mine && OPEN.includes(c.status);
      case 'unassigned':
        return c.assigneeId === null && c.status === 'open';
      case 'open':
        return OPEN.includes(c.status);
      case 'incidents':
        // Until the open incidents arrive, what the conversation says of its incident.
        return (
          (this.incidents.value.has(c.id) || (!this.incidentsLoaded.value && c.priority !== null)) &&
          OPEN.includes(c.status)
        );
      case 'closed':
        return c.status === 'resolved' || c.status === 'closed';
    }
  }

  /** The incident's deadline if it still runs (no reply yet), for sorting and the title. */
  dueAt(c: AgentConversation): number | null {
    const incident = this.incidents.value.get(c.id);
    // Before the incidents arrive, the deadline the conversation carries.
    if (!incident) return c.responseDueAt && OPEN.includes(c.status) ? Date.parse(c.responseDueAt) : null;
    if (incident.firstResponseAt || incident.status !== 'open') return null;
    return Date.parse(incident.responseDueAt);
  }

  readonly counts = computed(() => {
    const counts = Object.fromEntries(VIEWS.map((v) => [v, 0])) as Record<View, number>;
    for (const c of this.conversations.value.values()) for (const v of VIEWS) if (this.inView(c, v)) counts[v]++;
    return counts;
  });

  /**
   * A view's rows: running incident deadlines first, soonest first; then the longest waiting
   * (the closed view: the newest first). Filters and the search narrow it.
   */
  rows(view: View): AgentConversation[] {
    const { priority, status, flagged, query } = this.filters.value;
    const q = query.trim().toLowerCase();
    const rows = [...this.conversations.value.values()].filter((c) => {
      if (!this.inView(c, view)) return false;
      if (priority && (this.incidents.value.get(c.id)?.priority ?? c.priority) !== priority) return false;
      if (flagged && !c.flagged) return false;
      if (status && c.status !== status) return false;
      if (q) {
        const v = c.visitor;
        // An incident is found by its reference too ("#42" or "42").
        const incident = this.incidents.value.get(c.id) ?? c.incident;
        const reference = incident ? `#${incident.number}` : null;
        const hay = [v.name, v.email, v.userId, reference].filter(Boolean).join(' ').toLowerCase();
        if (reference && (q === reference || `#${q}` === reference)) return true;
        if (!hay.includes(q)) return false;
      }
      return true;
    });
    return rows.sort((a, b) => {
      const da = this.dueAt(a);
      const db = this.dueAt(b);
      if (da !== null || db !== null) {
        if (da === null) return 1;
        if (db === null) return -1;
        if (da !== db) return da - db;
      }
      const ta = Date.parse(a.updatedAt);
      const tb = Date.parse(b.updatedAt);
      return view === 'closed' ? tb - ta : ta - tb;
    });
  }

  /** The browser tab's title (UX.md §1.10): an unanswered P1 leads, then how many wait. */
  readonly title = computed(() => {
    const waiting = this.counts.value.needs;
    const now = this.now.value;
    let lead = '';
    for (const i of this.incidents.value.values()) {
      if (i.priority !== 'P1' || i.firstResponseAt || i.status !== 'open') continue;
      const d = deadlineOf(i, now);
      lead = d.state === 'overdue' ? 'P1 OVERDUE · ' : `P1 ${d.label.replace(' left', '')} · `;
      break;
    }
    return `${lead}${waiting > 0 ? `(${waiting}) ` : ''}Needs reply · Parley`;
  });

  agentName(id: string | null): string | null {
    if (!id) return null;
    return this.agents.value.find((a) => a.id === id)?.name ?? 'Someone';
  }

  // ---- Threads -----------------------------------------------------------------------------------

  thread(conversationId: string): Signal<Thread> {
    let thread = this.threads.get(conversationId);
    if (!thread) {
      thread = signal<Thread>({ items: [], loading: true, error: null, hasMore: false });
      this.threads.set(conversationId, thread);
      void this.loadThread(conversationId, thread);
    }
    return thread;
  }

  private async loadThread(conversationId: string, thread: Signal<Thread>): Promise<void> {
    try {
      const base = `/v1/conversations/${encodeURIComponent(conversationId)}`;
      const [page, notes, conversation] = await Promise.all([
        call<{ messages: Message[]; hasMore: boolean }>('GET', `${base}/messages?limit=100`),
        call<{ notes: Note[] }>('GET', `${base}/notes?limit=100`),
        this.conversations.value.has(conversationId)
          ? Promise.resolve(undefined)
          : call<{ conversation: AgentConversation }>('GET', base),
      ]);
      if (conversation) this.put(conversation.conversation);
      // Live messages that arrived while this loaded stay; the page fills in the rest.
      const items = new Map<string, ThreadItem>();
      for (const m of page.messages) items.set(m.id, { kind: 'message', message: m });
      for (const n of notes.notes) items.set(n.id, { kind: 'note', note: n });
      for (const item of thread.value.items) items.set(itemId(item), item);
      thread.value = { items: sortItems([...items.values()]), loading: false, error: null, hasMore: page.hasMore };
    } catch (err) {
      thread.value = { ...thread.value, loading: false, error: (err as Error).message };
    }
  }

  retryThread(conversationId: string): void {
    const thread = this.threads.get(conversationId);
    if (!thread) return;
    thread.value = { ...thread.value, loading: true, error: null };
    void this.loadThread(conversationId, thread);
  }

  private addItem(conversationId: string, item: ThreadItem): void {
    const thread = this.threads.get(conversationId);
    if (!thread) return;
    if (thread.value.items.some((i) => itemId(i) === itemId(item))) return;
    thread.value = { ...thread.value, items: sortItems([...thread.value.items, item]) };
  }

  /** Shows (or clears) "… is typing"; it clears itself if the stop never comes. */
  private setTyping(conversationId: string, name: string | null): void {
    clearTimeout(this.typingTimers.get(conversationId));
    const next = new Map(this.typing.value);
    if (name) {
      next.set(conversationId, name);
      this.typingTimers.set(
        conversationId,
        setTimeout(() => this.setTyping(conversationId, null), 8000),
      );
    } else next.delete(conversationId);
    this.typing.value = next;
  }

  private onMessage(m: Message): void {
    if (m.author.type === 'visitor') this.setTyping(m.conversationId, null);
    const queue = this.review.value;
    if (m.screening?.action === 'flag' && queue && !queue.some((i) => i.message.id === m.id)) {
      const v = this.conversations.value.get(m.conversationId)?.visitor;
      this.review.value = [
        ...queue,
        {
          message: m,
          contact: { id: v?.id ?? '', name: v?.name ?? null, email: v?.email ?? null, userId: v?.userId ?? null },
        },
      ];
    }
    this.addItem(m.conversationId, { kind: 'message', message: m });
    const c = this.conversations.value.get(m.conversationId);
    if (!c) {
      // A conversation this console has not listed yet (older than the first page).
      void call<{ conversation: AgentConversation }>(
        'GET',
        `/v1/conversations/${encodeURIComponent(m.conversationId)}`,
      ).then(
        ({ conversation }) => this.put(conversation),
        () => undefined,
      );
      return;
    }
    if (m.seq < c.lastSeq) return;
    const fromVisitor = m.author.type === 'visitor';
    this.put({
      ...c,
      lastSeq: m.seq,
      lastMessage: m,
      updatedAt: m.createdAt,
      status: fromVisitor ? 'open' : c.status,
      unread: fromVisitor ? c.unread + 1 : 0,
    });
  }

  private onNote(n: Note): void {
    this.addItem(n.conversationId, { kind: 'note', note: n });
  }

  put(c: AgentConversation): void {
    const next = new Map(this.conversations.value);
    const known = next.get(c.id);
    // A slower answer never takes a conversation back in time.
    if (known && known.lastSeq > c.lastSeq) c = { ...c, lastSeq: known.lastSeq, lastMessage: known.lastMessage };
    next.set(c.id, c);
    this.conversations.value = next;
  }

  /** An erased contact: their conversations, incidents and threads leave this console. */
  forgetContact(contactId: string): void {
    const gone = [...this.conversations.value.values()].filter((c) => c.visitor.id === contactId).map((c) => c.id);
    if (gone.length === 0) return;
    const conversations = new Map(this.conversations.value);
    const incidents = new Map(this.incidents.value);
    for (const id of gone) {
      conversations.delete(id);
      incidents.delete(id);
      this.threads.delete(id);
    }
    this.conversations.value = conversations;
    this.incidents.value = incidents;
    if (this.review.value) this.review.value = this.review.value.filter((i) => i.contact.id !== contactId);
  }

  /** Erases a contact for good (admins): the receipt's counts by table. */
  async eraseContact(contactId: string): Promise<Record<string, number>> {
    const { receipt } = await call<{ receipt: { rows: Record<string, number> } }>(
      'DELETE',
      `/v1/contacts/${encodeURIComponent(contactId)}`,
    );
    this.forgetContact(contactId);
    return receipt.rows;
  }

  putIncident(i: Incident): void {
    const next = new Map(this.incidents.value);
    next.set(i.conversationId, i);
    this.incidents.value = next;
  }

  // ---- Actions ----------------------------------------------------------------------------------

  /**
   * A reply: queued at once (the thread shows it on its way), sent when the connection is up,
   * stored once. With files it goes over REST (the socket's send takes text only).
   */
  reply(conversationId: string, text: string, attachmentIds: string[] = []): void {
    this.outgoing.add(conversationId, text, attachmentIds);
  }

  private async deliver(item: Outgoing): Promise<Message> {
    if (item.attachmentIds.length === 0) {
      return this.client.send(item.conversationId, item.text, { clientId: item.clientId });
    }
    const { message } = await call<{ message: Message }>(
      'POST',
      `/v1/conversations/${encodeURIComponent(item.conversationId)}/messages`,
      { text: item.text, attachmentIds: item.attachmentIds, clientId: item.clientId },
    );
    return message;
  }

  /** Uploads one file for a reply; screening and the type check happen on the server. */
  async upload(file: File): Promise<Attachment> {
    const response = await fetch('/v1/attachments', {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'content-type': file.type || 'application/octet-stream',
        'x-filename': encodeURIComponent(file.name),
        'x-csrf-token': this.me.csrfToken,
      },
      body: file,
    });
    const answer = (await response.json().catch(() => ({}))) as { attachment?: Attachment; detail?: string };
    if (!response.ok || !answer.attachment) throw new Error(answer.detail ?? `upload failed (HTTP ${response.status})`);
    return answer.attachment;
  }

  /** Tells the visitor this agent is typing (or stopped). */
  setAgentTyping(conversationId: string, typing: boolean): void {
    void this.client.setTyping(conversationId, typing).catch(() => undefined);
  }

  async addNote(conversationId: string, text: string): Promise<void> {
    const { note } = await call<{ note: Note }>(
      'POST',
      `/v1/conversations/${encodeURIComponent(conversationId)}/notes`,
      { text },
    );
    this.onNote(note);
  }

  async update(conversationId: string, change: { status?: ConversationStatus; assigneeId?: string | null }) {
    const { conversation } = await call<{ conversation: AgentConversation }>(
      'PATCH',
      `/v1/conversations/${encodeURIComponent(conversationId)}`,
      change,
    );
    this.put(conversation);
  }

  async setPriority(incidentId: string, priority: IncidentPriority): Promise<void> {
    const { incident } = await call<{ incident: Incident }>(
      'PATCH',
      `/v1/incidents/${encodeURIComponent(incidentId)}`,
      { priority },
    );
    this.putIncident(incident);
  }

  async markRead(conversationId: string): Promise<void> {
    const c = this.conversations.value.get(conversationId);
    if (!c || c.lastSeq === 0 || (c.agentLastReadSeq >= c.lastSeq && c.unread === 0)) return;
    const conversation = await this.client.markRead(conversationId, c.lastSeq);
    this.put({ ...conversation, unread: 0 });
  }
}

export const itemId = (i: ThreadItem) => (i.kind === 'message' ? i.message.id : i.note.id);
const itemTime = (i: ThreadItem) => (i.kind === 'message' ? i.message.createdAt : i.note.createdAt);

function sortItems(items: ThreadItem[]): ThreadItem[] {
  return items.sort((a, b) => {
    if (a.kind === 'message' && b.kind === 'message') return a.message.seq - b.message.seq;
    const t = itemTime(a).localeCompare(itemTime(b));
    return t !== 0 ? t : a.kind === 'message' ? -1 : 1;
  });
}
