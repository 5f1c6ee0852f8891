import type {
  AgentConversation,
  AgentProfile,
  Attachment,
  Attributes,
  Author,
  AuthorType,
  ConversationStatus,
  Incident,
  IncidentPriority,
  IncidentReport,
  IncidentStatus,
  Message,
  MessagePage,
  MessageScreening,
  Note,
  PartyType,
  VisitorDevice,
  VisitorProfile,
  AuditEntry as WireAuditEntry,
} from '@parley/sdk/protocol';

/** A conversation's own row: both parties' unread counts; views.ts shapes it for each party. */
export interface ConversationState
  extends Omit<AgentConversation, 'unread' | 'visitor' | 'priority' | 'responseDueAt'> {
  appId: string;
  visitorUnread: number;
  agentUnread: number;
}

/** The row with its visitor's profile and its open incident's clock, as agents see it. */
export interface StoredConversation extends ConversationState {
  visitor: AgentConversation['visitor'];
  priority: AgentConversation['priority'];
  responseDueAt: AgentConversation['responseDueAt'];
}

export interface AppRecord {
  id: string;
  name: string;
  allowedOrigins: string[];
  identityVerification: boolean;
  identitySecretEnc: string;
  settings: Record<string, unknown>;
  createdAt: string;
}

export interface AgentRecord extends AgentProfile {
  passwordHash: string;
  createdAt: string;
  /** A disabled agent cannot sign in, and its sessions and tokens stop working. */
  disabledAt: string | null;
  /** Signed in with the one-time password from their creation: must choose their own first. */
  passwordChangeRequired: boolean;
}

export interface VisitorRecord extends VisitorProfile {
  appId: string;
  createdAt: string;
  lastSeenAt: string;
}

export interface NewMessage {
  appId: string;
  /** Omit to start a new conversation for `visitorId`. */
  conversationId?: string;
  /** The conversation's visitor: for a visitor author, their own id; it scopes access. */
  visitorId?: string;
  author: Author;
  clientId: string;
  text: string;
  /** Files this author uploaded and has not sent yet. */
  attachmentIds?: string[];
  /** What screening did to the text, when it redacted or flagged it. */
  screening?: MessageScreening;
  now: string;
  /** Set by the store once `text` is sealed (store/crypto.ts): the text as written. */
  plainText?: string;
  /** And a visitor author's name as written, once sealed. */
  plainAuthorName?: string;
  /**
   * Runs inside the append's transaction once the message is stored (not for a repeat): the
   * webhook outbox rows of the change commit with it.
   */
  onStored?: (tx: TxStore, result: AppendResult) => Promise<void>;
}

export interface VerdictRecord {
  id: string;
  appId: string;
  surface: 'message' | 'incident' | 'attachment' | 'name' | 'rate';
  sender: { type: AuthorType; id: string };
  action: 'redact' | 'flag' | 'block';
  categories: string[];
  rules: string[];
  contentHash: string;
  createdAt: string;
}

export interface NewAttachment {
  id: string;
  appId: string;
  uploader: { type: AuthorType; id: string };
  name: string;
  contentType: string;
  data: Buffer;
  now: string;
}

export interface AppendResult {
  message: Message;
  /** The conversation as this append left it (its last message is `message`). */
  conversation: ConversationState;
  /** False when the clientId had been stored before: the stored message is returned. */
  created: boolean;
  conversationCreated: boolean;
  /** Incidents this agent message answered first (their firstResponseAt is now set). */
  respondedIncidentIds: string[];
}

/** An incident as stored: `breached` depends on the clock, so views.ts adds it. */
export type IncidentRecord = Omit<Incident, 'breached'> & { appId: string };

export interface NewIncident {
  id: string;
  appId: string;
  visitor: VisitorRecord;
  /** Validated and scrubbed; `context` null when none was sent. */
  report: Omit<IncidentReport, 'context'> & { context: Incident['context'] };
  /** The first message of the incident's conversation. */
  messageText: string;
  /** What screening did to the report's text, carried by that first message. */
  screening?: MessageScreening;
  client: Incident['client'];
  priority: IncidentPriority;
  responseDueAt: string;
  now: string;
  /** Runs inside the incident's transaction once it is stored (its webhook outbox rows). */
  onStored?: (tx: TxStore, incident: IncidentRecord, append: AppendResult) => Promise<void>;
}

export interface IncidentQuery {
  priority?: IncidentPriority;
  status?: IncidentStatus;
  assigneeId?: string;
  /** Filter on breach as of `now`. */
  breached?: boolean;
  now: string;
  /** Continue after this (responseDueAt, id). */
  after?: { responseDueAt: string; id: string };
  limit: number;
}

export interface ConversationQuery {
  status?: ConversationStatus;
  /** Updated before this time (newest first paging of the older API). */
  before?: string;
  limit: number;
}

/** The agents' list of conversations: filters and a cursor, newest activity first. */
export interface ConversationFilter {
  status?: ConversationStatus[];
  /** An agent id, or null for unassigned. */
  assigneeId?: string | null;
  priority?: IncidentPriority;
  flagged?: boolean;
  /** Only those with messages the agents have not read. */
  unread?: boolean;
  /** Updated at or after this time. */
  updatedSince?: string;
  /** Only this contact's. */
  visitorId?: string;
  /** Continue after this (updatedAt, id). */
  after?: { updatedAt: string; id: string };
  limit: number;
}

export interface ContactFilter {
  /** Matches email, name or user id (case-insensitive substring). */
  query?: string;
  email?: string;
  userId?: string;
  /** Continue after this (createdAt, id), newest first. */
  after?: { createdAt: string; id: string };
  limit: number;
}

export interface SessionRecord {
  id: string;
  agentId: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

export interface ApiKeyRecord {
  id: string;
  appId: string;
  name: string;
  scope: 'read' | 'write';
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A stored answer to a request sent with an Idempotency-Key. */
export interface IdempotentAnswer {
  requestHash: string;
  /** Undefined while the first request still runs. */
  statusCode?: number;
  response?: string;
}

export interface AppStore {
  create(app: AppRecord): Promise<void>;
  get(id: string): Promise<AppRecord | undefined>;
  count(): Promise<number>;
  list(): Promise<AppRecord[]>;
  update(
    id: string,
    change: Partial<Pick<AppRecord, 'allowedOrigins' | 'identityVerification' | 'identitySecretEnc' | 'settings'>>,
  ): Promise<void>;
  /** Removes an app that holds nothing yet (a demo set-up that lost a race). */
  removeEmpty(id: string): Promise<void>;
}

/** What an update may change about an agent; absent fields stay as they are. */
export interface AgentChange {
  name?: string;
  avatarUrl?: string | null;
  role?: AgentRecord['role'];
  disabledAt?: string | null;
  passwordHash?: string;
  passwordChangeRequired?: boolean;
}

export interface AgentStore {
  create(agent: AgentRecord): Promise<void>;
  get(appId: string, id: string): Promise<AgentRecord | undefined>;
  getById(id: string): Promise<AgentRecord | undefined>;
  /** Oldest first, after `after` (an agent id). */
  list(appId: string, query: { after?: string; limit: number }): Promise<AgentRecord[]>;
  update(appId: string, id: string, change: AgentChange): Promise<AgentRecord | undefined>;
  getByEmail(email: string): Promise<AgentRecord | undefined>;
  /** Personal tokens (`pat_…`, from the CLI): hashed, used as API keys with the agent's rights. */
  addToken(tokenHash: string, agentId: string, now: string): Promise<void>;
  getByTokenHash(tokenHash: string): Promise<AgentRecord | undefined>;
  touchToken(tokenHash: string, now: string): Promise<void>;
}

export interface SessionStore {
  create(session: SessionRecord & { tokenHash: string }): Promise<void>;
  getByTokenHash(tokenHash: string): Promise<SessionRecord | undefined>;
  touch(id: string, now: string): Promise<void>;
  revoke(id: string, now: string): Promise<void>;
  /** Every live session of the agent (but `exceptId`); how many there were. */
  revokeAll(agentId: string, now: string, exceptId?: string): Promise<number>;
}

export interface ApiKeyStore {
  create(key: ApiKeyRecord & { tokenHash: string }): Promise<void>;
  get(appId: string, id: string): Promise<ApiKeyRecord | undefined>;
  getByTokenHash(tokenHash: string): Promise<ApiKeyRecord | undefined>;
  /** Newest first. */
  list(appId: string): Promise<ApiKeyRecord[]>;
  touch(id: string, now: string): Promise<void>;
  revoke(appId: string, id: string, now: string): Promise<boolean>;
}

export interface IdempotencyStore {
  /**
   * Claims `key` for this principal: undefined when it is new (the caller runs the request and
   * then `complete`s it), else what was stored for it.
   */
  claim(principal: string, key: string, requestHash: string, now: string): Promise<IdempotentAnswer | undefined>;
  /** Keeps the answer (sealed with the app's key when `appId` is given and the store encrypts). */
  complete(principal: string, key: string, statusCode: number, response: string, appId?: string): Promise<void>;
  /** Forgets a claim whose request failed, so it may be tried again. */
  release(principal: string, key: string): Promise<void>;
  purge(olderThan: string): Promise<number>;
}

export interface VisitorStore {
  create(visitor: VisitorRecord): Promise<void>;
  get(appId: string, id: string): Promise<VisitorRecord | undefined>;
  getByUserId(appId: string, userId: string): Promise<VisitorRecord | undefined>;
  updateProfile(
    appId: string,
    id: string,
    profile: {
      email: string | null;
      name: string | null;
      lastSeenAt: string;
      attributes?: Attributes;
      /** Labels the visitor with a user id the page declared without proof. */
      declaredUserId?: string;
    },
  ): Promise<void>;
  /** Where and on what the visitor is now (null: keep nothing, as their browser asked). */
  seen(appId: string, id: string, device: VisitorDevice | null, at: string): Promise<void>;
  /** Moves every conversation of `fromId` to `toId` and removes `fromId`, in one transaction. */
  merge(appId: string, fromId: string, toId: string): Promise<void>;
  /** Contacts (visitors with a name, email or user id, or any), newest first. */
  list(appId: string, filter: ContactFilter): Promise<VisitorRecord[]>;
}

export interface ConversationStore {
  get(appId: string, id: string): Promise<StoredConversation | undefined>;
  listForVisitor(appId: string, visitorId: string, query: ConversationQuery): Promise<StoredConversation[]>;
  listForApp(appId: string, query: ConversationQuery): Promise<StoredConversation[]>;
  /** The agents' inbox: filters, newest activity first, by cursor. */
  filter(appId: string, filter: ConversationFilter): Promise<StoredConversation[]>;
  setAttributes(appId: string, id: string, attributes: Attributes): Promise<void>;
  /** Changes status and/or assignee (null unassigns); the conversation as it now is. */
  update(
    appId: string,
    id: string,
    change: { status?: ConversationStatus; assigneeId?: string | null; now: string },
  ): Promise<StoredConversation | undefined>;
  /** Marks it as holding a flagged message. */
  markFlagged(appId: string, id: string): Promise<void>;
  /** Moves a party's read receipt forward (never back) and recounts its unread messages. */
  markRead(
    appId: string,
    conversationId: string,
    party: PartyType,
    seq: number,
  ): Promise<StoredConversation | undefined>;
  totalVisitorUnread(appId: string, visitorId: string): Promise<number>;
}

export interface MessageStore {
  /** Stores a message with the next `seq`, idempotent on (author, clientId), in one transaction. */
  append(input: NewMessage): Promise<AppendResult>;
  /** Newest first up to `limit`, returned oldest first. */
  before(conversationId: string, beforeSeq: number | undefined, limit: number): Promise<MessagePage>;
  /** Oldest first after `afterSeq`. */
  after(conversationId: string, afterSeq: number, limit: number): Promise<MessagePage>;
}

export type ReviewDecision = 'cleared' | 'confirmed';

/** A flagged message waiting for review, with who sent it. */
export interface ReviewItem {
  message: Message;
  contact: { id: string; name: string | null; email: string | null; userId: string | null };
}

export interface ReviewStore {
  /** Flagged messages nobody has reviewed, oldest first, after (createdAt, id). */
  pending(appId: string, query: { after?: { createdAt: string; id: string }; limit: number }): Promise<ReviewItem[]>;
  /**
   * Clears or confirms one; `not_found` for another app's or no message, `conflict` when it
   * was reviewed already. The conversation loses its flagged mark once nothing in it waits.
   */
  decide(
    appId: string,
    messageId: string,
    decision: ReviewDecision,
    reviewerId: string,
    now: string,
  ): Promise<{ conversationId: string; stillFlagged: boolean }>;
}

export interface NewNote {
  id: string;
  appId: string;
  conversationId: string;
  author: Note['author'];
  text: string;
  screening?: MessageScreening;
  now: string;
}

export interface NoteStore {
  create(note: NewNote): Promise<Note>;
  /** Oldest first. */
  list(appId: string, conversationId: string, query: { after?: string; limit: number }): Promise<Note[]>;
}

export interface IncidentStore {
  /**
   * Stores an incident with its conversation and first message in one transaction; a repeated
   * clientId returns the incident stored the first time (`created` false).
   */
  create(input: NewIncident): Promise<{ incident: IncidentRecord; append: AppendResult; created: boolean }>;
  get(appId: string, id: string): Promise<IncidentRecord | undefined>;
  /** By deadline, soonest first. */
  list(appId: string, query: IncidentQuery): Promise<IncidentRecord[]>;
  /** Changing the priority moves the deadline, still counted from submission. */
  update(
    appId: string,
    id: string,
    change: {
      priority?: IncidentPriority;
      responseDueAt?: string;
      status?: IncidentStatus;
      assigneeId?: string | null;
    },
  ): Promise<IncidentRecord | undefined>;
  /**
   * Marks every open, unanswered incident past its deadline as announced, and returns them:
   * each one once, whichever node asks.
   */
  claimBreaches(now: string, ids: string[]): Promise<IncidentRecord[]>;
  /** Open, unanswered, past the deadline and not announced yet (ids and apps only). */
  breachCandidates(now: string): Promise<{ id: string; appId: string }[]>;
}

export interface ScreeningStore {
  /** An app's own screening policy document, or undefined for the default. */
  getPolicy(appId: string): Promise<unknown | undefined>;
  /** Replaces it; null goes back to the default. */
  setPolicy(appId: string, document: unknown | null, now: string): Promise<void>;
  recordVerdict(verdict: VerdictRecord): Promise<void>;
  /** Verdicts older than `before` go: their own retention. */
  purgeVerdicts(before: string): Promise<number>;
  /** Newest first; `before` a time, or `after` a (createdAt, id) cursor. */
  listVerdicts(
    appId: string,
    query: { before?: string; after?: { createdAt: string; id: string }; limit: number },
  ): Promise<VerdictRecord[]>;
}

export interface AttachmentStore {
  create(attachment: NewAttachment): Promise<Attachment>;
  /** The file, by its unguessable id. */
  getData(id: string): Promise<{ attachment: Attachment; data: Buffer } | undefined>;
}

export interface WebhookEndpointRecord {
  id: string;
  appId: string;
  url: string;
  description: string;
  /** Event types, or ['*'] for every one. */
  events: string[];
  secretEnc: string;
  enabled: boolean;
  disabledReason: string | null;
  failingSince: string | null;
  createdAt: string;
  updatedAt: string;
}

/** An event to write to the outbox, with the endpoints that get a delivery of it. */
export interface OutboxEvent {
  id: string;
  appId: string;
  type: string;
  /** Deliveries with the same key reach an endpoint in the order they were written. */
  orderingKey: string;
  payload: string;
  endpointIds: string[];
  now: string;
}

export interface DeliveryRecord {
  id: string;
  appId: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  orderingKey: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  lastDurationMs: number | null;
  deliveredAt: string | null;
  createdAt: string;
}

/** A delivery a worker claimed, with what it needs to send it. */
export interface ClaimedDelivery extends DeliveryRecord {
  url: string;
  secretEnc: string;
  payload: string;
}

export interface WebhookStore {
  createEndpoint(endpoint: WebhookEndpointRecord): Promise<void>;
  getEndpoint(appId: string, id: string): Promise<WebhookEndpointRecord | undefined>;
  listEndpoints(appId: string): Promise<WebhookEndpointRecord[]>;
  /** Every enabled endpoint of every app, for the subscription cache. */
  enabledEndpoints(appId: string): Promise<WebhookEndpointRecord[]>;
  updateEndpoint(
    appId: string,
    id: string,
    change: Partial<
      Pick<WebhookEndpointRecord, 'url' | 'description' | 'events' | 'enabled' | 'disabledReason' | 'failingSince'>
    > & {
      now: string;
    },
  ): Promise<WebhookEndpointRecord | undefined>;
  deleteEndpoint(appId: string, id: string): Promise<boolean>;
  /** Writes events and their deliveries: inside the caller's transaction when given one. */
  record(events: OutboxEvent[]): Promise<void>;
  /**
   * Takes up to `limit` due deliveries for this node until `lockUntil`: the oldest pending one
   * of each endpoint and ordering key (a later one waits for it), on enabled endpoints, never
   * one another node holds.
   */
  claimDue(now: string, lockUntil: string, limit: number): Promise<ClaimedDelivery[]>;
  /** The outcome of one attempt. */
  settle(
    id: string,
    outcome: {
      delivered: boolean;
      attempts: number;
      now: string;
      nextAttemptAt?: string;
      statusCode: number | null;
      error: string | null;
      durationMs: number;
      giveUp?: boolean;
    },
  ): Promise<void>;
  listDeliveries(
    appId: string,
    endpointId: string,
    query: { status?: DeliveryRecord['status']; before?: number; limit: number },
  ): Promise<(DeliveryRecord & { seq: number })[]>;
  getDelivery(appId: string, id: string): Promise<DeliveryRecord | undefined>;
  /** A new pending delivery of the same event to the same endpoint. */
  redeliver(appId: string, deliveryId: string, newId: string, now: string): Promise<DeliveryRecord | undefined>;
}

/**
 * The one storage interface, by area. SQLite and PostgreSQL implement it with the same queries
 * (kysely/), and one contract test suite runs against both.
 */
/** One entry of the audit trail, as stored: the entry agents read, and its app. */
export interface AuditEntry extends WireAuditEntry {
  appId: string;
}

export interface AuditQuery {
  objectId?: string;
  action?: string;
  /** Keyset cursor: entries strictly older than this one. */
  after?: { createdAt: string; id: string };
  limit: number;
}

export interface AuditStore {
  record(entry: AuditEntry): Promise<void>;
  /** Entries older than `before` go: the trail's own retention. */
  purge(before: string): Promise<number>;
  /** Newest first. */
  list(appId: string, query: AuditQuery): Promise<AuditEntry[]>;
}

/** Everything held about a contact, by table (privacy/personal-data.ts says what each holds). */
export interface ContactExport {
  tables: Record<string, { holds: string; rows?: Record<string, unknown>[]; count?: number; why?: string }>;
}

/** Export, erasure and merge of a contact, driven by the map of personal data. */
export interface PrivacyStore {
  /** Undefined when the app has no such contact. */
  export(appId: string, contactId: string): Promise<ContactExport | undefined>;
  /** Deletes every row about the contact, in one transaction: rows deleted by table. */
  erase(appId: string, contactId: string): Promise<Record<string, number> | undefined>;
  /** Moves what an anonymous visitor has to the identified one, and removes the anonymous one. */
  merge(appId: string, fromId: string, toId: string): Promise<void>;
  /** Offboarding: every row of the app, its team and settings included, in one transaction. */
  eraseApp(appId: string): Promise<Record<string, number> | undefined>;
  /**
   * Retention: up to `batch` conversations idle since `cutoff` go with everything found through
   * them, then contacts left with none and not seen since. Null: another node holds the purge.
   */
  purge(appId: string, cutoff: string, batch: number): Promise<PurgeCounts | null>;
}

export interface PurgeCounts {
  conversations: number;
  contacts: number;
  /** Rows deleted, by table. */
  rows: Record<string, number>;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * After an erasure: leaves no copy of deleted rows in the store's own files where it can
   * (SQLite: the log is copied back and emptied; deleted content was zeroed by secure_delete).
   * False when it could not now (the log stays until the next checkpoint restarts it).
   */
  scrub(): Promise<boolean>;
  /**
   * Re-wraps every app's key with a new master key (the data itself is not touched), in one
   * transaction: the count of apps. From then on the store (and every node) needs the new key.
   */
  rotateMasterKey(next: Buffer): Promise<number>;
  close(): Promise<void>;
  /**
   * Why the store cannot serve right now (unreachable, migrations not all applied), or
   * undefined when it can: one cheap query, for /readyz.
   */
  notReadyReason(): Promise<string | undefined>;
  readonly apps: AppStore;
  readonly agents: AgentStore;
  readonly sessions: SessionStore;
  readonly apiKeys: ApiKeyStore;
  readonly idempotency: IdempotencyStore;
  readonly visitors: VisitorStore;
  readonly conversations: ConversationStore;
  readonly messages: MessageStore;
  readonly reviews: ReviewStore;
  readonly notes: NoteStore;
  readonly incidents: IncidentStore;
  readonly screening: ScreeningStore;
  readonly attachments: AttachmentStore;
  readonly webhooks: WebhookStore;
  readonly privacy: PrivacyStore;
  readonly audit: AuditStore;
  /**
   * Runs `work` in one transaction, with the areas whose changes webhooks hear of bound to it:
   * the change and its outbox rows commit together or not at all.
   */
  transaction<T>(work: (tx: TxStore) => Promise<T>): Promise<T>;
}

/** The areas a service changes together with the webhook outbox. */
export interface TxStore {
  readonly conversations: ConversationStore;
  readonly reviews: ReviewStore;
  readonly notes: NoteStore;
  readonly incidents: IncidentStore;
  readonly visitors: VisitorStore;
  readonly webhooks: WebhookStore;
  readonly privacy: PrivacyStore;
  readonly audit: AuditStore;
}
