import type { Attachment } from '@parley/sdk/protocol';
import { type Selectable, sql } from 'kysely';
import type { IncidentsTable } from '../schema/index.js';
import type { IncidentQuery, IncidentRecord, NewIncident } from '../types.js';
import type { Db } from './db.js';
import { JOINED_VISITOR_COLUMNS, type JoinedVisitor, joinedVisitor } from './visitors.js';

interface IncidentRow extends Selectable<IncidentsTable>, JoinedVisitor {}

export function incidentRow(
  input: NewIncident,
  number: number,
  conversationId: string,
  attachments: Attachment[],
): IncidentsTable {
  const r = input.report;
  return {
    id: input.id,
    app_id: input.appId,
    number,
    conversation_id: conversationId,
    visitor_id: input.visitor.id,
    area: r.area,
    details: r.details ?? '',
    users_affected: r.impact.usersAffected,
    platform_state: r.impact.platformState,
    workaround: r.impact.workaround ? 1 : 0,
    started_at: r.startedAt,
    steps: JSON.stringify(r.steps),
    error_message: r.errorMessage,
    attachments: JSON.stringify(attachments),
    context: r.context ? JSON.stringify(r.context) : null,
    client: JSON.stringify(input.client),
    suggested_priority: input.priority,
    priority: input.priority,
    status: 'open',
    created_at: input.now,
    response_due_at: input.responseDueAt,
    first_response_at: null,
    assignee_id: null,
    breach_announced_at: null,
  };
}

/** Incidents joined with their visitor's profile. */
export function incidentSelect(db: Db) {
  return db
    .selectFrom('incidents as i')
    .innerJoin('visitors as v', 'v.id', 'i.visitor_id')
    .selectAll('i')
    .select(JOINED_VISITOR_COLUMNS);
}

export function toIncident(row: IncidentRow): IncidentRecord {
  return {
    id: row.id,
    number: Number(row.number),
    appId: row.app_id,
    conversationId: row.conversation_id,
    area: row.area,
    details: row.details,
    impact: {
      usersAffected: row.users_affected,
      platformState: row.platform_state,
      workaround: Number(row.workaround) === 1,
    },
    startedAt: row.started_at,
    steps: JSON.parse(row.steps) as string[],
    errorMessage: row.error_message,
    attachments: JSON.parse(row.attachments) as Attachment[],
    context: row.context ? (JSON.parse(row.context) as IncidentRecord['context']) : null,
    client: JSON.parse(row.client) as IncidentRecord['client'],
    suggestedPriority: row.suggested_priority,
    priority: row.priority,
    status: row.status,
    createdAt: row.created_at,
    responseDueAt: row.response_due_at,
    firstResponseAt: row.first_response_at,
    assigneeId: row.assignee_id,
    visitor: joinedVisitor(row),
  };
}

export async function selectIncident(db: Db, appId: string, id: string): Promise<IncidentRecord | undefined> {
  const row = await incidentSelect(db).where('i.app_id', '=', appId).where('i.id', '=', id).executeTakeFirst();
  return row && toIncident(row as IncidentRow);
}

export async function selectIncidents(db: Db, appId: string, q: IncidentQuery): Promise<IncidentRecord[]> {
  let query = incidentSelect(db).where('i.app_id', '=', appId);
  if (q.priority) query = query.where('i.priority', '=', q.priority);
  if (q.status) query = query.where('i.status', '=', q.status);
  if (q.assigneeId) query = query.where('i.assignee_id', '=', q.assigneeId);
  if (q.breached !== undefined) {
    // ISO-8601 UTC text compares chronologically (schema.ts). Both branches test for null
    // first: `null > x` is null, and `not null` would drop every unanswered incident.
    const breached = sql<boolean>`((i.first_response_at is null and i.response_due_at < ${q.now}) or (i.first_response_at is not null and i.first_response_at > i.response_due_at))`;
    query = query.where(q.breached ? breached : sql<boolean>`not ${breached}`);
  }
  if (q.after) {
    const { responseDueAt, id } = q.after;
    query = query.where((eb) =>
      eb.or([
        eb('i.response_due_at', '>', responseDueAt),
        eb.and([eb('i.response_due_at', '=', responseDueAt), eb('i.id', '>', id)]),
      ]),
    );
  }
  const rows = await query.orderBy('i.response_due_at').orderBy('i.id').limit(q.limit).execute();
  return rows.map((r) => toIncident(r as IncidentRow));
}

/** The first agent message in an incident's conversation is its first response. */
export async function markResponded(trx: Db, conversationId: string, now: string): Promise<string[]> {
  const rows = await trx
    .updateTable('incidents')
    .set({ first_response_at: now })
    .where('conversation_id', '=', conversationId)
    .where('first_response_at', 'is', null)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}
