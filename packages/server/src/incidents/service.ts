import type { IncidentPriority, IncidentReport, IncidentStatus } from '@parley/sdk/protocol';
import type { ServerContext } from '../context.js';
import { ParleyError } from '../errors.js';
import type { IncidentChange } from '../events.js';
import type { IncidentRecord, VisitorRecord } from '../store/index.js';
import { agentView, incidentView } from '../views.js';
import type { EventDraft } from '../webhooks/service.js';
import { responseDueAt } from './priority.js';
import { receiveReport } from './report.js';

export interface IncidentUpdate {
  priority?: IncidentPriority;
  status?: IncidentStatus;
  /** An agent of the app, or null to unassign. */
  assigneeId?: string | null;
}

/** Incidents: received from a visitor's report, changed by agents, watched for breaches. */
export class IncidentService {
  constructor(private readonly ctx: ServerContext) {}

  /**
   * Validates, screens and stores a report with its conversation (see report.ts), then
   * announces the three things that now exist: the conversation, its first message, the incident.
   */
  async report(visitor: VisitorRecord, report: IncidentReport, userAgent: string | undefined) {
    const { ctx } = this;
    const outbox = await ctx.webhooks.writer(visitor.appId, [
      'incident.created',
      'conversation.created',
      'message.created',
    ]);
    const result = await receiveReport(
      ctx,
      visitor,
      report,
      userAgent,
      outbox &&
        (async (tx, incident, append) => {
          const conversation = await tx.conversations.get(incident.appId, incident.conversationId);
          const key = incident.conversationId;
          const view = conversation ? agentView(conversation) : undefined;
          await outbox(tx, [
            ...(view
              ? [{ type: 'conversation.created' as const, orderingKey: key, data: { conversation: view } }]
              : []),
            { type: 'message.created', orderingKey: key, data: { message: append.message, conversation: view } },
            { type: 'incident.created', orderingKey: key, data: { incident: incidentView(incident, ctx.clock()) } },
          ]);
        }),
    );
    if (!result.created) return result;
    const { incident, append } = result;
    const appId = incident.appId;
    ctx.events.emit('message.created', { appId, message: append.message, conversation: append.conversation });
    const conversation = await ctx.store.conversations.get(appId, incident.conversationId);
    if (conversation) ctx.events.emit('conversation.created', { appId, conversation });
    ctx.events.emit('incident.created', { appId, incident });
    return result;
  }

  async get(appId: string, id: string): Promise<IncidentRecord> {
    const incident = await this.ctx.store.incidents.get(appId, id);
    if (!incident) throw new ParleyError('not_found', `incident ${id} not found`);
    return incident;
  }

  /** A new priority moves the deadline, still counted from submission. */
  async update(appId: string, id: string, change: IncidentUpdate): Promise<IncidentRecord> {
    const { ctx } = this;
    const incident = await this.get(appId, id);
    if (change.assigneeId) {
      const agent = await ctx.store.agents.get(appId, change.assigneeId);
      if (!agent || agent.disabledAt) {
        throw new ParleyError('invalid_payload', `assigneeId: no active agent ${change.assigneeId} in this app`, {
          fields: { assigneeId: 'not an active agent of this app' },
        });
      }
    }
    const changes: IncidentChange[] = [];
    if (change.priority !== undefined && change.priority !== incident.priority) changes.push('priority');
    if (change.status !== undefined && change.status !== incident.status) changes.push('status');
    if (change.assigneeId !== undefined && change.assigneeId !== incident.assigneeId) changes.push('assignee');
    const updated = await ctx.webhooks.inTransaction(appId, ['incident.updated'], async (tx) => {
      const after = await tx.incidents.update(appId, id, {
        ...(change.priority ? { priority: change.priority } : {}),
        ...(change.priority
          ? { responseDueAt: responseDueAt(new Date(incident.createdAt), change.priority).toISOString() }
          : {}),
        ...(change.status ? { status: change.status } : {}),
        ...(change.assigneeId !== undefined ? { assigneeId: change.assigneeId } : {}),
      });
      if (!after) throw new ParleyError('not_found', `incident ${id} not found`);
      const drafts: EventDraft[] =
        changes.length > 0
          ? [
              {
                type: 'incident.updated',
                orderingKey: after.conversationId,
                data: { incident: incidentView(after, ctx.clock()), changes },
              },
            ]
          : [];
      return { result: after, drafts };
    });
    if (changes.length > 0) ctx.events.emit('incident.updated', { appId, incident: updated, changes });
    return updated;
  }

  /**
   * Announces every open incident whose deadline passed unanswered, once: the store marks each
   * as announced in the same statement that finds it, so of several nodes only one gets it.
   */
  async announceBreaches(): Promise<number> {
    const { ctx } = this;
    const now = ctx.clock();
    const due = await ctx.store.incidents.breachCandidates(now.toISOString());
    let announced = 0;
    // App by app: the claim and its outbox rows commit together.
    for (const appId of new Set(due.map((i) => i.appId))) {
      const ids = due.filter((i) => i.appId === appId).map((i) => i.id);
      const claimed = await ctx.webhooks.inTransaction(appId, ['incident.breached'], async (tx) => {
        const list = await tx.incidents.claimBreaches(now.toISOString(), ids);
        const drafts: EventDraft[] = list.map((incident) => ({
          type: 'incident.breached',
          orderingKey: incident.conversationId,
          data: { incident: incidentView(incident, now) },
        }));
        return { result: list, drafts };
      });
      for (const incident of claimed) ctx.events.emit('incident.breached', { appId, incident });
      announced += claimed.length;
    }
    return announced;
  }
}
