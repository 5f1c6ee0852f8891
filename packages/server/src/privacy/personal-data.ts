import type { Database } from '../store/schema/index.js';

type Table = keyof Database;
type Column<T extends Table> = keyof Database[T] & string;

/**
 * How a row relates to a contact (a visitor):
 * - `contact`: the column holds the contact's id (`when`: only rows where these columns have
 *   these values, e.g. the author is a visitor);
 * - `conversation`: the column holds the id of one of the contact's conversations;
 * - `message`: the column holds the id of a message in one of those conversations;
 * - `deliveryOf`: the row is a webhook event one of the contact's deliveries carries;
 * - `mentions`: a JSON column that may quote the contact's or their conversations' ids (a
 *   cached answer): matched as text.
 */
export type Link =
  | { contact: string; when?: Record<string, string> }
  | { conversation: string }
  | { message: string }
  | { deliveryOf: 'id' }
  | { mentions: string };

export interface PersonalTable<T extends Table = Table> {
  table: T;
  /** A row is about the contact when any link matches. */
  links: Link[];
  /** What it holds about them, in words (the README's Privacy section says the same). */
  holds: string;
  /** Moves to the identified contact when an anonymous visitor signs in (`contact` links). */
  merge: boolean;
  /** In the export: the rows (columns left out: binary file contents), or a count only. */
  export: { as: 'rows'; omit?: Column<T>[] } | { as: 'count'; why: string };
}

const table = <T extends Table>(t: PersonalTable<T>): PersonalTable => t as unknown as PersonalTable;

/**
 * Every table that holds data about a contact, and how each row relates to them: the one map
 * merge, export and erasure are driven by (store/kysely/privacy.ts). Erasure runs it in this
 * order, each table before the ones it refers to; rows found through another table's rows
 * (`message`, `deliveryOf`) are found before anything is deleted.
 *
 * A table missing from here and from NOT_PERSONAL fails test/privacy-map.test.ts: a new table
 * cannot be forgotten by one of the three.
 */
export const PERSONAL_DATA: readonly PersonalTable[] = [
  table({
    table: 'webhook_deliveries',
    links: [{ conversation: 'ordering_key' }, { contact: 'ordering_key' }],
    holds: 'the delivery log of those events (status codes, times)',
    merge: false,
    export: { as: 'count', why: 'delivery attempts of the events above' },
  }),
  table({
    table: 'webhook_events',
    links: [{ deliveryOf: 'id' }],
    holds: 'events about them waiting for (or kept after) delivery to the app’s webhooks',
    merge: false,
    export: { as: 'count', why: 'copies of the conversations and messages above, on their way to the app' },
  }),
  table({
    table: 'idempotency_keys',
    links: [{ mentions: 'mentions' }],
    holds: 'answers to REST requests about them, kept 24 hours so a retry gets the same answer',
    merge: false,
    export: { as: 'count', why: 'copies of answers above, kept 24 hours' },
  }),
  table({
    table: 'attachments',
    links: [{ contact: 'uploader_id', when: { uploader_type: 'visitor' } }, { message: 'message_id' }],
    holds: 'files they sent, and files sent to them',
    merge: true,
    export: { as: 'rows', omit: ['data'] },
  }),
  table({
    table: 'screening_verdicts',
    links: [{ contact: 'sender_id', when: { sender_type: 'visitor' } }],
    holds: 'what screening decided about what they sent (categories, rules, a hash; never the content)',
    merge: true,
    export: { as: 'rows' },
  }),
  table({
    table: 'notes',
    links: [{ conversation: 'conversation_id' }],
    holds: 'the team’s internal notes on their conversations',
    merge: false,
    export: { as: 'rows' },
  }),
  table({
    table: 'incidents',
    links: [{ contact: 'visitor_id' }],
    holds: 'incidents they reported, with the browser’s error context they chose to attach',
    merge: true,
    export: { as: 'rows' },
  }),
  table({
    table: 'messages',
    links: [{ conversation: 'conversation_id' }, { contact: 'author_id', when: { author_type: 'visitor' } }],
    holds: 'every message in their conversations, theirs and the team’s, as stored (screened)',
    merge: true,
    export: { as: 'rows' },
  }),
  table({
    table: 'conversations',
    links: [{ contact: 'visitor_id' }],
    holds: 'their conversations: status, assignment, attributes, read marks',
    merge: true,
    export: { as: 'rows' },
  }),
  table({
    table: 'contact_keys',
    links: [{ contact: 'owner_id' }],
    holds: 'the keys their content is encrypted with: deleting them leaves any copy unreadable',
    merge: true,
    export: { as: 'count', why: 'encryption keys, never exported' },
  }),
  table({
    table: 'visitors',
    links: [{ contact: 'id' }],
    holds: 'their profile: name, email, host user id, attributes, last seen device and page',
    merge: false,
    export: { as: 'rows' },
  }),
];

/** Tables that hold nothing about a contact, and why: a decision made once per table. */
export const NOT_PERSONAL: Readonly<Record<string, string>> = {
  apps: 'the client business’s settings',
  agents: 'the team (people working for the client, not its customers)',
  agent_tokens: 'the team’s personal tokens (hashed)',
  agent_sessions: 'the team’s sign-in sessions (hashed)',
  api_keys: 'the app’s keys (hashed)',
  screening_policies: 'the app’s acceptable use policy',
  webhook_endpoints: 'the app’s webhook addresses and secrets',
  audit_log: 'actions with ids and counts only, never personal data: it outlives the contacts it mentions',
  parley_migrations: 'the schema version',
};

/** How a table's rows belong to an app: a column holding its id, or through its agents or keys. */
export type AppScope = { column: string } | { agentColumn: string } | { principalColumn: string };

/**
 * Offboarding: every table of the store with how its rows belong to an app, in the order an
 * app's data is deleted (each table before the ones it refers to). A table missing here fails
 * test/privacy.test.ts, so deleting an app cannot leave one behind.
 */
export const APP_DATA: readonly { table: Table; scope: AppScope }[] = [
  { table: 'webhook_deliveries', scope: { column: 'app_id' } },
  { table: 'webhook_events', scope: { column: 'app_id' } },
  { table: 'webhook_endpoints', scope: { column: 'app_id' } },
  // A cached answer belongs to the agent or key that asked.
  { table: 'idempotency_keys', scope: { principalColumn: 'principal' } },
  { table: 'attachments', scope: { column: 'app_id' } },
  { table: 'screening_verdicts', scope: { column: 'app_id' } },
  { table: 'notes', scope: { column: 'app_id' } },
  { table: 'incidents', scope: { column: 'app_id' } },
  { table: 'messages', scope: { column: 'app_id' } },
  { table: 'conversations', scope: { column: 'app_id' } },
  { table: 'contact_keys', scope: { column: 'app_id' } },
  { table: 'visitors', scope: { column: 'app_id' } },
  { table: 'screening_policies', scope: { column: 'app_id' } },
  { table: 'audit_log', scope: { column: 'app_id' } },
  { table: 'agent_sessions', scope: { agentColumn: 'agent_id' } },
  { table: 'agent_tokens', scope: { agentColumn: 'agent_id' } },
  { table: 'api_keys', scope: { column: 'app_id' } },
  { table: 'agents', scope: { column: 'app_id' } },
  { table: 'apps', scope: { column: 'id' } },
];
