/**
 * Parley's wire contract: namespaces, event maps, payloads, acknowledgements, error codes and
 * limits. Both ends import this module and nothing else defines them. `docs/PROTOCOL.md` is
 * the prose version of this file; change both together.
 */

export const PROTOCOL_VERSION = 1;

/** Socket.IO namespaces. Separate namespaces keep the two trust levels apart. */
export const NAMESPACES = {
  visitor: '/visitor',
  agent: '/agent',
} as const;

/** Limits both ends enforce. The server is authoritative; clients check early to fail fast. */
export const LIMITS = {
  /**
   * Characters in one message's text. Every text limit counts UTF-16 code units (JavaScript's
   * `string.length`), on both ends: an emoji outside the BMP counts as two.
   */
  messageMaxChars: 5000,
  /** Bytes in one Socket.IO frame; a larger frame closes that connection (Socket.IO's rule). */
  maxFrameBytes: 100_000,
  /** Characters in a client-generated message id. */
  clientIdMaxChars: 64,
  /** Attributes: keys per object, characters per key and per string value. */
  attributesMaxKeys: 50,
  attributeKeyMaxChars: 64,
  attributeValueMaxChars: 1000,
  /** Characters in a host user's id, name and email. */
  userIdMaxChars: 255,
  userNameMaxChars: 255,
  userEmailMaxChars: 320,
  /** The highest `seq` a client may name (PostgreSQL's integer); larger is invalid_payload. */
  seqMax: 2_147_483_647,
  /** Messages per history or sync page. */
  pageDefault: 50,
  pageMax: 200,
  /** Conversations per list page. */
  conversationPageMax: 100,
  /** An identity JWT's `iat` may be at most this old. */
  identityJwtMaxAgeSeconds: 15 * 60,
} as const;

/** Stable error codes. Clients branch on these, never on messages. */
export const ERROR_CODES = [
  'invalid_payload',
  'unauthorized',
  'forbidden',
  'not_found',
  'rate_limited',
  'payload_too_large',
  'conflict',
  'policy_blocked',
  'unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Codes a client may retry with the same payload. `unavailable` means the server could not
 * reach its database or Redis for a moment (a restart, a failover): try again shortly. A
 * message resent with the same `clientId` is stored once however often it is retried.
 */
export const RETRYABLE_CODES: readonly ErrorCode[] = ['rate_limited', 'unavailable', 'internal'];

export interface WireError {
  code: ErrorCode;
  message: string;
  /** For `invalid_payload`: which fields were wrong and why. */
  fields?: Record<string, string>;
  /** For `rate_limited`: when to try again. */
  retryAfterMs?: number;
  /** For `policy_blocked`: the rule that applied, the clause it cites, and why, in plain words. */
  rule?: string;
  category?: ScreeningCategory;
  clause?: PolicyClause;
  reason?: string;
}

// ---- Screening ------------------------------------------------------------------------------

/** The fixed vocabulary of what screening looks for (used in policies, verdicts and notes). */
export const SCREENING_CATEGORIES = [
  'financial',
  'national_id',
  'health',
  'credentials',
  'malware',
  'phishing',
  'spam',
  'flooding',
  'harassment',
  'threat',
  'hate',
  'sexual',
  'profanity',
  'impersonation',
  'harvesting',
  'probing',
  'illegal',
] as const;
export type ScreeningCategory = (typeof SCREENING_CATEGORIES)[number];

export const SCREENING_ACTIONS = ['allow', 'redact', 'flag', 'block'] as const;
export type ScreeningAction = (typeof SCREENING_ACTIONS)[number];

/** Where a rule comes from: the document, the clause (number or heading) and a one-line reason. */
export interface PolicyClause {
  document: string;
  ref: string;
  reason: string;
}

/** One rule that applied to a stored message. */
export interface ScreeningNote {
  rule: string;
  category: ScreeningCategory;
  action: 'redact' | 'flag';
  clause: PolicyClause;
  /** For redactions: what now stands in the text, e.g. `[card ••••4242]`. */
  replacements?: string[];
  /** How sure the detector was (0–1), when it was less than certain: a model's probability. */
  confidence?: number;
}

/** One entry of an app's audit trail (`GET /v1/audit`): who did what to which object; ids and counts only. */
export interface AuditEntry {
  id: string;
  actorType: 'agent' | 'bot' | 'system';
  actorId: string;
  action: string;
  objectType: string;
  objectId: string;
  detail: Record<string, unknown>;
  createdAt: string;
}

/** Present on a message that screening redacted or flagged (absent when nothing applied). */
export interface MessageScreening {
  /** The strongest action taken: `redact` (the stored text is the screened one) or `flag`. */
  action: 'redact' | 'flag';
  notes: ScreeningNote[];
}

/** Every acknowledgement is one of these two shapes. */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: WireError };
export type AckCallback<T extends object = object> = (result: Ack<T>) => void;

/** An event's payload, from its entry in an event map. */
export type PayloadOf<E> = E extends (payload: infer P, ack: AckCallback<infer _T>) => void ? P : never;
/** What a successful acknowledgement of an event carries (without `ok`), from its entry in a map. */
export type AckOf<E> = E extends (payload: infer _P, ack: AckCallback<infer T>) => void ? T : never;

// ---- Entities -------------------------------------------------------------------------------

/** The two sides of a conversation: read receipts and unread counts are per party. */
export type PartyType = 'visitor' | 'agent';

/**
 * Who wrote a message: the visitor, an agent, or the app's bot (an API key with write scope,
 * on the agents' side of the conversation).
 */
export type AuthorType = 'visitor' | 'agent' | 'bot';

export interface Author {
  type: AuthorType;
  id: string;
  /** Display name; null for an anonymous visitor. */
  name: string | null;
}

/** A file carried by a message. Upload it first (POST /v1/attachments), then send its id. */
export interface Attachment {
  id: string;
  /** The file name as uploaded, cleaned of path parts. */
  name: string;
  /** Detected from the file's content, not its name. */
  contentType: string;
  size: number;
  /** Where to fetch it: an unguessable path on the Parley server (`/v1/attachments/…`). */
  path: string;
}

/** What may be attached, and how big. */
export const ATTACHMENT_LIMITS = {
  maxBytes: 10 * 1024 * 1024,
  perMessage: 10,
  /** Types detected from content; anything else is refused with `invalid_payload`. */
  types: ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'application/zip', 'text/plain'],
} as const;

export interface Message {
  id: string;
  conversationId: string;
  /** Position in the conversation: 1, 2, 3, … with no gaps. */
  seq: number;
  /** The id the author's client chose; resending it returns this message. */
  clientId: string | null;
  author: Author;
  /** May be empty when the message carries attachments. */
  text: string;
  attachments: Attachment[];
  /** ISO 8601, UTC. */
  createdAt: string;
  /** What screening did to it, when it redacted or flagged it. */
  screening?: MessageScreening;
}

/**
 * `open`: waiting on the team. `pending`: the team waits on the visitor. `resolved`: the team
 * considers it done. `closed`: archived. A visitor's message reopens any of them.
 */
export type ConversationStatus = 'open' | 'pending' | 'resolved' | 'closed';
export const CONVERSATION_STATUSES: readonly ConversationStatus[] = ['open', 'pending', 'resolved', 'closed'];

export interface Conversation {
  id: string;
  visitorId: string;
  status: ConversationStatus;
  createdAt: string;
  updatedAt: string;
  /** Highest `seq` stored; 0 when empty. */
  lastSeq: number;
  /** Read receipts: the highest `seq` each party has read. */
  visitorLastReadSeq: number;
  agentLastReadSeq: number;
  /** Messages from the other party after this party's last read `seq`. */
  unread: number;
  lastMessage: Message | null;
  /** Set by the host with `update({ conversationAttributes })`. */
  attributes: Attributes;
  /**
   * The incident report that opened it; null for an ordinary conversation. Lists and reads
   * carry it; the conversation inside a live event may leave it out (it is the same as before).
   */
  incident?: ConversationIncident | null;
}

/** Custom data the host attaches (plan, company, order id…): flat, small, shown to agents. */
export type Attributes = Record<string, string | number | boolean | null>;

export interface VisitorProfile {
  id: string;
  /** The host app's id for this user; null while anonymous. */
  userId: string | null;
  /**
   * True when the host proved `userId` (userHash or userJwt). False for an anonymous visitor,
   * and for a user id the page only declared on an app without identity verification: such a
   * label may be anyone's, so it never opens another session's conversations.
   */
  verified: boolean;
  email: string | null;
  name: string | null;
  attributes: Attributes;
  /**
   * Where and on what they were last seen; null when never, or when their browser asked not
   * to be tracked (Global Privacy Control or Do Not Track): then nothing optional is kept.
   */
  device: VisitorDevice | null;
}

/**
 * The visitor's browser as agents need it, minimised: browser, OS and device class (never the
 * whole user agent), the page without its query or fragment, language and time zone.
 */
export interface VisitorDevice extends ClientInfo {
  page: string | null;
  locale: string | null;
  timeZone: string | null;
  seenAt: string;
}

/** What agents see: the conversation and who it is with. */
export interface AgentConversation extends Conversation {
  visitor: VisitorProfile;
  /** The agent it is assigned to; null when unassigned. */
  assigneeId: string | null;
  /** Some message in it was flagged by screening for review. */
  flagged: boolean;
  /** When it holds an incident: its priority and response deadline (the inbox sorts by them). */
  priority: IncidentPriority | null;
  responseDueAt: string | null;
}

/** An internal note on a conversation: agents see it, the visitor never does. */
export interface Note {
  id: string;
  conversationId: string;
  author: Author;
  text: string;
  createdAt: string;
  screening?: MessageScreening;
}

export interface AgentProfile {
  id: string;
  appId: string;
  email: string;
  name: string;
  role: 'admin' | 'agent';
  /** An https URL of their photo; null shows their initials. */
  avatarUrl: string | null;
}

/** What the widget needs before it connects: public, served at GET /v1/apps/:appId/widget. */
export interface WidgetSettings {
  appId: string;
  name: string;
  /** Shown in an empty conversation. */
  greeting: string | null;
  /** A CSS hex colour, e.g. `#4f46e5`. */
  accentColor: string;
  position: 'right' | 'left';
  /** Text beside the launcher icon; null for the icon alone. */
  launcherLabel: string | null;
  /** How soon the team usually answers, as the app states it: shown on the messenger's home. */
  replyTime: ReplyTime;
  /** Up to three people of the team, shown on the messenger's home (set in the console). */
  team: TeamMember[];
}

/** "Usually answers within a few minutes / a few hours / a day." */
export type ReplyTime = 'minutes' | 'hours' | 'day';
export const REPLY_TIMES: readonly ReplyTime[] = ['minutes', 'hours', 'day'];
/** How many of the team the home screen shows. */
export const TEAM_SHOWN = 3;

/** An agent as visitors see them on the home screen. */
export interface TeamMember {
  name: string;
  /** An https URL of their photo; null shows their initials. */
  avatarUrl: string | null;
}

export const DEFAULT_WIDGET_SETTINGS: Omit<WidgetSettings, 'appId' | 'name'> = {
  greeting: null,
  // Indigo 600: white text on it has a contrast ratio of 6.3:1 (WCAG AA needs 4.5:1).
  accentColor: '#4f46e5',
  position: 'right',
  launcherLabel: null,
  replyTime: 'hours',
  team: [],
};

/** Incident priority levels, from section C of the support policy. */
export type IncidentPriority = 'P1' | 'P2' | 'P3';
export const INCIDENT_PRIORITIES: readonly IncidentPriority[] = ['P1', 'P2', 'P3'];

/** Target response times on a 24/7 clock (section A: support never pauses), in hours. */
export const PRIORITY_RESPONSE_HOURS: Record<IncidentPriority, number> = { P1: 2, P2: 24, P3: 72 };

/**
 * The priority section C of the support policy gives an incident:
 * - P1: the platform is not responding or serving content, for a large number of users, with
 *   no workaround;
 * - P2: the platform responds but is degraded, or the impact is potentially severe for several
 *   users (a P1 situation with a workaround, or for fewer users, lands here);
 * - P3: everything else (no significant impact on the platform).
 */
export function suggestPriority(impact: IncidentImpact): IncidentPriority {
  if (impact.platformState === 'down' && impact.usersAffected === 'many' && !impact.workaround) return 'P1';
  if (impact.platformState === 'down' || impact.platformState === 'degraded') return 'P2';
  if (impact.usersAffected !== 'one' && !impact.workaround) return 'P2';
  return 'P3';
}

/** How many users an incident affects, and whether the platform responds at all. */
export interface IncidentImpact {
  usersAffected: 'one' | 'several' | 'many';
  /** `down`: not responding or serving content; `degraded`: slow or partly failing; `working`. */
  platformState: 'down' | 'degraded' | 'working';
  workaround: boolean;
}

export type IncidentStatus = 'open' | 'resolved';

/** Bounds of an incident report; the server refuses more with per-field errors. */
export const INCIDENT_LIMITS = {
  areaMaxChars: 200,
  /** Areas the host may offer in the boot options. */
  areasMax: 30,
  detailsMaxChars: 5000,
  stepsMax: 20,
  stepMaxChars: 500,
  errorMessageMaxChars: 2000,
  /** The error context as JSON, in bytes (the collector aims for 64 KB). */
  contextMaxBytes: 256 * 1024,
  /** The whole POST /v1/incidents body, in bytes. */
  bodyMaxBytes: 320 * 1024,
} as const;

/** One uncaught error or unhandled rejection, deduplicated with a count. */
export interface CapturedError {
  kind: 'error' | 'unhandledrejection';
  message: string;
  /** Stack frames, innermost first, at most 50. */
  stack: string[];
  source: string | null;
  line: number | null;
  column: number | null;
  count: number;
  firstAt: string;
  lastAt: string;
}

export type Breadcrumb =
  | { type: 'console'; level: 'error' | 'warn'; message: string; at: string }
  | { type: 'request'; method: string; url: string; status: number | null; durationMs: number; at: string }
  | { type: 'navigation'; from: string; to: string; at: string }
  | { type: 'click'; selector: string; at: string };

export interface EnvironmentInfo {
  userAgent: string;
  clientHints: { brands?: string[]; mobile?: boolean; platform?: string } | null;
  language: string;
  timeZone: string;
  viewport: { width: number; height: number };
  screen: { width: number; height: number; pixelRatio: number };
  url: string;
  referrer: string;
  online: boolean;
  /** The host app's version and user id, when it passed them at boot. */
  appVersion: string | null;
  userId: string | null;
}

/** Kinds of secret removed from the context; values are never listed. */
export const SCRUB_KINDS = ['url_fragment', 'query_param', 'authorization', 'jwt', 'email', 'card_number'] as const;
export type ScrubKind = (typeof SCRUB_KINDS)[number];

/** What the browser knew when the incident was reported: scrubbed, bounded (see docs/PROTOCOL.md). */
export interface ErrorContext {
  errors: CapturedError[];
  breadcrumbs: Breadcrumb[];
  /** Null when the user removed it before sending. */
  environment: EnvironmentInfo | null;
  /** Kinds of secrets removed before anything left the page (and again on the server). */
  scrubbed: ScrubKind[];
  /** Breadcrumbs dropped to stay within the size limits. */
  droppedBreadcrumbs: number;
}

/** The body of POST /v1/incidents and of `client.reportIncident()`. */
export interface IncidentReport {
  /** Chosen by the client (a UUID): resending it returns the incident already stored. */
  clientId: string;
  /** What is not working: one of the host's areas, or the user's words. */
  area: string;
  /** Anything else the user wants to say. */
  details?: string;
  impact: IncidentImpact;
  /** When it started, ISO 8601. */
  startedAt: string;
  /** Steps to reproduce, in order. */
  steps: string[];
  /** The exact wording of the error message; may be empty. */
  errorMessage: string;
  /** Files uploaded first with POST /v1/attachments (logs, screenshots). */
  attachmentIds?: string[];
  /** Omit or null to send no browser context. */
  context?: ErrorContext | null;
}

/** Browser, OS and device, derived on the server from the user agent (and client hints). */
export interface ClientInfo {
  browser: string | null;
  browserVersion: string | null;
  os: string | null;
  osVersion: string | null;
  device: 'desktop' | 'mobile' | 'tablet' | 'unknown';
}

/** What the visitor gets back: its reference, and enough to say when to expect an answer. */
export interface VisitorIncident {
  id: string;
  /** The app's running number for it, 1, 2, 3 …: shown to people as "#42". */
  number: number;
  conversationId: string;
  /** What is not working, as the reporter named it. */
  area: string;
  priority: IncidentPriority;
  createdAt: string;
  responseDueAt: string;
}

/** The incident a conversation was opened by, as both sides see it beside the conversation. */
export interface ConversationIncident extends Omit<VisitorIncident, 'conversationId'> {
  status: IncidentStatus;
  /** When an agent first replied; null until then. */
  firstResponseAt: string | null;
}

/** An incident as agents see it: every field, the context, the clock. */
export interface Incident extends VisitorIncident {
  details: string;
  impact: IncidentImpact;
  startedAt: string;
  steps: string[];
  errorMessage: string;
  attachments: Attachment[];
  context: ErrorContext | null;
  client: ClientInfo;
  /** What the rules of section C suggested; `priority` is what an agent may have set since. */
  suggestedPriority: IncidentPriority;
  status: IncidentStatus;
  /** When an agent first replied in the incident's conversation. */
  firstResponseAt: string | null;
  /** The agent it is assigned to; null when unassigned. */
  assigneeId: string | null;
  /** The deadline passed without a reply, or the first reply came after it. */
  breached: boolean;
  visitor: VisitorProfile;
}

// ---- Handshake ------------------------------------------------------------------------------

export interface HostUser {
  id: string;
  email?: string;
  name?: string;
}

/** `auth` of the `/visitor` handshake. */
export interface VisitorAuth {
  appId: string;
  /** The token from an earlier `session` event; omit for a new visitor. */
  visitorToken?: string;
  /** The host app's signed-in user. */
  user?: HostUser;
  /** Hex HMAC-SHA256 of `user.id` with the app's identity secret. */
  userHash?: string;
  /** HS256 JWT signed with the app's identity secret: `sub`, optional `email`, `name`, `iat`. */
  userJwt?: string;
  /**
   * Where the visitor is, for the agents' contact panel: the page (its query and fragment are
   * dropped by the server), the language and the time zone. The sdk leaves them out when the
   * browser sends Global Privacy Control or Do Not Track.
   */
  page?: string;
  locale?: string;
  timeZone?: string;
}

/** `auth` of the `/agent` handshake. */
export interface AgentAuth {
  token: string;
}

/** `data` of a refused handshake's `connect_error`. */
export interface HandshakeErrorData {
  code: ErrorCode;
  /** Which part of `auth` was refused and why, e.g. `{ visitorToken: 'invalid' }`. */
  fields?: Record<string, string>;
}

// ---- Payloads -------------------------------------------------------------------------------

export interface MessageSendPayload {
  /** Chosen by the client, unique per author (a UUID): makes resends idempotent. */
  clientId: string;
  /** Omit (visitors only) to start a new conversation with this message. */
  conversationId?: string;
  text: string;
  /** Ids of files uploaded by this sender and not yet sent. */
  attachmentIds?: string[];
}

export interface HistoryPayload {
  conversationId: string;
  /** Return messages with `seq` below this; omit for the newest page. */
  beforeSeq?: number;
  limit?: number;
}

export interface SyncPayload {
  conversationId: string;
  /** Return messages with `seq` above this, oldest first. */
  afterSeq: number;
  limit?: number;
}

export interface TypingPayload {
  conversationId: string;
  typing: boolean;
}

export interface ReadPayload {
  conversationId: string;
  /** The highest `seq` read; the server never moves a read receipt backwards. */
  seq: number;
}

export interface ConversationListPayload {
  /** Agents only: filter by status. */
  status?: ConversationStatus;
  /** Return conversations updated before this ISO time (paging, newest first). */
  before?: string;
  limit?: number;
}

export interface VisitorUpdatePayload {
  /** Profile fields of the visitor (not their user id: that is a new handshake). */
  name?: string;
  email?: string;
  /** Merged into the visitor's attributes; a null value removes the key. */
  attributes?: Attributes;
}

export interface ConversationUpdatePayload {
  conversationId: string;
  /** Merged into the conversation's attributes; a null value removes the key. */
  attributes: Attributes;
}

export interface MessagePage {
  messages: Message[];
  hasMore: boolean;
}

export interface TypingEvent {
  conversationId: string;
  author: Author;
  typing: boolean;
}

export interface ReadEvent {
  conversationId: string;
  party: PartyType;
  seq: number;
}

export interface UnreadEvent {
  conversationId: string;
  /** Unread in this conversation, for this visitor. */
  unread: number;
  /** Unread across all of this visitor's conversations. */
  total: number;
}

export interface VisitorSession {
  visitorId: string;
  /** Keep it and present it on the next handshake. */
  visitorToken: string;
  /** True when the host named its user (see `verified` for whether it proved it). */
  identified: boolean;
  /** True when the user's id was proven with userHash or userJwt. */
  verified: boolean;
}

// ---- Event maps -----------------------------------------------------------------------------

export interface VisitorClientToServerEvents {
  'conversation:list': (payload: ConversationListPayload, ack: AckCallback<{ conversations: Conversation[] }>) => void;
  /** Answers the stored message only: it is on the hot path, and it holds the conversation id. */
  'message:send': (payload: MessageSendPayload, ack: AckCallback<{ message: Message }>) => void;
  'message:history': (payload: HistoryPayload, ack: AckCallback<MessagePage>) => void;
  'message:sync': (payload: SyncPayload, ack: AckCallback<MessagePage>) => void;
  'typing:set': (payload: TypingPayload, ack: AckCallback) => void;
  'read:mark': (payload: ReadPayload, ack: AckCallback<{ conversation: Conversation }>) => void;
  'visitor:update': (payload: VisitorUpdatePayload, ack: AckCallback<{ visitor: VisitorProfile }>) => void;
  'conversation:update': (payload: ConversationUpdatePayload, ack: AckCallback<{ conversation: Conversation }>) => void;
}

export interface VisitorServerToClientEvents {
  session: (session: VisitorSession) => void;
  'message:new': (message: Message) => void;
  /** The team changed the conversation's status (resolved it, say). */
  'conversation:updated': (conversation: Conversation) => void;
  typing: (event: TypingEvent) => void;
  'read:updated': (event: ReadEvent) => void;
  'unread:updated': (event: UnreadEvent) => void;
}

export interface AgentClientToServerEvents {
  'conversation:list': (
    payload: ConversationListPayload,
    ack: AckCallback<{ conversations: AgentConversation[] }>,
  ) => void;
  'conversation:get': (
    payload: { conversationId: string },
    ack: AckCallback<{ conversation: AgentConversation }>,
  ) => void;
  'message:send': (
    payload: MessageSendPayload,
    ack: AckCallback<{ message: Message; conversation: AgentConversation }>,
  ) => void;
  'message:history': (payload: HistoryPayload, ack: AckCallback<MessagePage>) => void;
  'message:sync': (payload: SyncPayload, ack: AckCallback<MessagePage>) => void;
  'typing:set': (payload: TypingPayload, ack: AckCallback) => void;
  'read:mark': (payload: ReadPayload, ack: AckCallback<{ conversation: AgentConversation }>) => void;
}

export interface AgentServerToClientEvents {
  session: (session: { agent: AgentProfile }) => void;
  'conversation:new': (conversation: AgentConversation) => void;
  /** Its status, assignee or attributes changed. */
  'conversation:updated': (conversation: AgentConversation) => void;
  'message:new': (message: Message) => void;
  /** An internal note was added (the visitor never receives these). */
  'note:new': (note: Note) => void;
  typing: (event: TypingEvent) => void;
  'read:updated': (event: ReadEvent) => void;
  /** A visitor (or the host app) reported an incident; it arrives with every field. */
  'incident:new': (incident: Incident) => void;
  /** An incident's priority, status or first response changed. */
  'incident:updated': (incident: Incident) => void;
  /** A contact was erased, with every conversation of theirs: drop them from view. */
  'contact:erased': (event: { contactId: string }) => void;
}

/** What a webhook endpoint may subscribe to (REST `/v1/webhooks`; `["*"]` is all of them). */
export const WEBHOOK_EVENT_TYPES = [
  'conversation.created',
  'conversation.updated',
  'conversation.read',
  'message.created',
  'message.flagged',
  'note.created',
  'incident.created',
  'incident.updated',
  'incident.breached',
  'contact.updated',
  'contact.erased',
  'webhook.test',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
