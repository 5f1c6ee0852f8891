import type { ServerContext } from '../context.js';
import { ParleyError } from '../errors.js';
import { newId } from '../ids.js';
import type { AuditEntry, ContactExport, TxStore } from '../store/index.js';
import type { Principal } from '../tenancy/principal.js';

/** Who did it, as the audit trail says: an agent, an API key, or the system (CLI, jobs). */
export type Actor = { type: 'agent' | 'bot' | 'system'; id: string };

export function actorOf(principal: Principal): Actor {
  return principal.kind === 'agent' ? { type: 'agent', id: principal.agent.id } : { type: 'bot', id: principal.key.id };
}

/** What an erasure leaves behind: counts, ids and times, nothing about the person. */
export interface ErasureReceipt {
  contactId: string;
  erasedAt: string;
  erasedBy: Actor;
  /** Rows deleted, by table. */
  rows: Record<string, number>;
}

/** A contact's export: everything held about them, and the audit trail of operations on them. */
export interface ContactDocument {
  contactId: string;
  exportedAt: string;
  tables: ContactExport['tables'];
  audit: Omit<AuditEntry, 'appId'>[];
}

/**
 * The privacy operations on a contact (the data subject's rights): export everything held
 * about them, or erase it for good. Both follow the map of personal data and leave an entry in
 * the audit trail.
 */
export class PrivacyService {
  constructor(private readonly ctx: ServerContext) {}

  /** Writes one audit entry (in `tx` when given, so it commits with the change it records). */
  async audit(
    appId: string,
    actor: Actor,
    action: string,
    object: { type: string; id: string },
    detail: Record<string, unknown> = {},
    tx?: Pick<TxStore, 'audit'>,
  ): Promise<void> {
    await (tx ?? this.ctx.store).audit.record({
      id: newId('aud'),
      appId,
      actorType: actor.type,
      actorId: actor.id,
      action,
      objectType: object.type,
      objectId: object.id,
      detail,
      createdAt: this.ctx.clock().toISOString(),
    });
  }

  async export(appId: string, contactId: string, actor: Actor): Promise<ContactDocument> {
    const { ctx } = this;
    const found = await ctx.store.privacy.export(appId, contactId);
    if (!found) throw new ParleyError('not_found', `contact ${contactId} not found`);
    await this.audit(appId, actor, 'contact.exported', { type: 'contact', id: contactId });
    const audit = await ctx.store.audit.list(appId, { objectId: contactId, limit: 1000 });
    return {
      contactId,
      exportedAt: ctx.clock().toISOString(),
      tables: found.tables,
      audit: audit.map(({ appId: _app, ...entry }) => entry),
    };
  }

  /**
   * Erases the contact: every row the map finds, the audit entry and the `contact.erased`
   * webhook event in one transaction; then the store's own copies are scrubbed, and their
   * sockets are closed on every node.
   */
  async erase(appId: string, contactId: string, actor: Actor): Promise<ErasureReceipt> {
    const { ctx } = this;
    const erasedAt = ctx.clock().toISOString();
    const rows = await ctx.webhooks.inTransaction(appId, ['contact.erased'], async (tx) => {
      const counts = await tx.privacy.erase(appId, contactId);
      if (!counts) throw new ParleyError('not_found', `contact ${contactId} not found`);
      await this.audit(appId, actor, 'contact.erased', { type: 'contact', id: contactId }, { rows: counts }, tx);
      return {
        result: counts,
        drafts: [{ type: 'contact.erased', orderingKey: contactId, data: { contactId, erasedAt } }],
      };
    });
    if (!(await ctx.store.scrub())) {
      ctx.log.warn({ contactId }, 'the store log could not be emptied after an erasure; the next checkpoint does it');
    }
    ctx.events.emit('contact.erased', { appId, contactId });
    return { contactId, erasedAt, erasedBy: actor, rows };
  }
}
