import type { Kysely, Transaction } from 'kysely';
import type { KeyRing } from '../crypto.js';
import type { Database, IncidentsTable } from '../schema/index.js';
import type {
  AppendResult,
  IncidentQuery,
  IncidentRecord,
  IncidentStore,
  NewIncident,
  NewMessage,
  TxStore,
} from '../types.js';
import { isUniqueViolation, transact } from './db.js';
import { incidentRow, selectIncident, selectIncidents } from './incidents-rows.js';
import type { MessageQueries } from './messages.js';

export class IncidentQueries implements IncidentStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly messages: MessageQueries,
    private readonly bind: (trx: Transaction<Database>) => TxStore,
    private readonly ring?: KeyRing,
  ) {}

  async create(input: NewIncident): Promise<{ incident: IncidentRecord; append: AppendResult; created: boolean }> {
    const message: NewMessage = {
      appId: input.appId,
      visitorId: input.visitor.id,
      author: { type: 'visitor', id: input.visitor.id, name: input.visitor.name },
      clientId: input.report.clientId,
      text: input.messageText,
      ...(input.screening ? { screening: input.screening } : {}),
      ...(input.report.attachmentIds ? { attachmentIds: input.report.attachmentIds } : {}),
      now: input.now,
    };
    const repeat = async () => {
      const append = await this.messages.findByClientId(this.db, message);
      const incident =
        append &&
        (await this.db
          .selectFrom('incidents')
          .select('id')
          .where('conversation_id', '=', append.conversation.id)
          .executeTakeFirst());
      const stored = incident && (await selectIncident(this.db, input.appId, incident.id));
      return append && stored ? { incident: stored, append, created: false } : undefined;
    };
    const earlier = await repeat();
    if (earlier) return earlier;
    const sealedMessage = await this.messages.seal(message);
    try {
      return await transact(this.db, async (trx) => {
        // The conversation, its first message (with the files) and the incident: all or nothing.
        const append = await this.messages.appendIn(trx, sealedMessage);
        // The app's counter, taken in this transaction: the row lock keeps two reports apart.
        const { incident_count: number } = await trx
          .updateTable('apps')
          .set((eb) => ({ incident_count: eb('incident_count', '+', 1) }))
          .where('id', '=', input.appId)
          .returning('incident_count')
          .executeTakeFirstOrThrow();
        const row = incidentRow(input, Number(number), append.conversation.id, append.message.attachments);
        await trx
          .insertInto('incidents')
          .values(await this.sealed(input.visitor.id, row))
          .execute();
        const incident = await selectIncident(trx, input.appId, input.id);
        if (!incident) throw new Error(`incident ${input.id} vanished inside its own transaction`);
        if (input.onStored) await input.onStored(this.bind(trx), incident, append);
        return { incident, append, created: true };
      });
    } catch (err) {
      // The same report sent twice at once: the loser returns the winner's incident.
      const winner = isUniqueViolation(err) ? await repeat() : undefined;
      if (winner) return winner;
      throw err;
    }
  }

  /** What the reporter wrote, and the browser's context, sealed with their key. */
  private async sealed(owner: string, row: IncidentsTable): Promise<IncidentsTable> {
    const ring = this.ring;
    if (!ring) return row;
    return {
      ...row,
      details: await ring.sealText(owner, row.details),
      steps: await ring.sealText(owner, row.steps),
      error_message: await ring.sealText(owner, row.error_message),
      context: row.context === null ? null : await ring.sealText(owner, row.context),
    };
  }

  get(appId: string, id: string): Promise<IncidentRecord | undefined> {
    return selectIncident(this.db, appId, id);
  }

  list(appId: string, query: IncidentQuery): Promise<IncidentRecord[]> {
    return selectIncidents(this.db, appId, query);
  }

  async update(
    appId: string,
    id: string,
    change: {
      priority?: IncidentRecord['priority'];
      responseDueAt?: string;
      status?: IncidentRecord['status'];
      assigneeId?: string | null;
    },
  ): Promise<IncidentRecord | undefined> {
    const set: {
      priority?: IncidentRecord['priority'];
      response_due_at?: string;
      status?: IncidentRecord['status'];
      assignee_id?: string | null;
      breach_announced_at?: null;
    } = {};
    if (change.priority) set.priority = change.priority;
    // A new deadline may be breached again later: it is announced afresh.
    if (change.responseDueAt) {
      set.response_due_at = change.responseDueAt;
      set.breach_announced_at = null;
    }
    if (change.status) set.status = change.status;
    if (change.assigneeId !== undefined) set.assignee_id = change.assigneeId;
    if (Object.keys(set).length > 0) {
      await this.db.updateTable('incidents').set(set).where('app_id', '=', appId).where('id', '=', id).execute();
    }
    return selectIncident(this.db, appId, id);
  }

  async breachCandidates(now: string): Promise<{ id: string; appId: string }[]> {
    const rows = await this.db
      .selectFrom('incidents')
      .select(['id', 'app_id'])
      .where('status', '=', 'open')
      .where('first_response_at', 'is', null)
      .where('breach_announced_at', 'is', null)
      .where('response_due_at', '<', now)
      .limit(500)
      .execute();
    return rows.map((r) => ({ id: r.id, appId: r.app_id }));
  }

  async claimBreaches(now: string, ids: string[]): Promise<IncidentRecord[]> {
    if (ids.length === 0) return [];
    const claimed = await this.db
      .updateTable('incidents')
      .set({ breach_announced_at: now })
      .where('id', 'in', ids)
      .where('status', '=', 'open')
      .where('first_response_at', 'is', null)
      .where('breach_announced_at', 'is', null)
      .where('response_due_at', '<', now)
      .returning(['id', 'app_id'])
      .execute();
    const incidents = await Promise.all(claimed.map((r) => selectIncident(this.db, r.app_id, r.id)));
    return incidents.filter((i): i is IncidentRecord => i !== undefined);
  }
}
