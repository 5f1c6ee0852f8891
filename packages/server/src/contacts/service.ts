import type { Attributes } from '@parley/sdk/protocol';
import type { ServerContext } from '../context.js';
import { mergeAttributes } from '../conversations/service.js';
import { ParleyError } from '../errors.js';
import type { VisitorRecord } from '../store/index.js';

export interface ContactChange {
  name?: string | null;
  email?: string | null;
  /** Merged; a null value removes the key. */
  attributes?: Attributes;
}

/** Contacts (visitors) as agents and the host see them: their profile and attributes. */
export class ContactService {
  constructor(private readonly ctx: ServerContext) {}

  async get(appId: string, id: string): Promise<VisitorRecord> {
    const visitor = await this.ctx.store.visitors.get(appId, id);
    if (!visitor) throw new ParleyError('not_found', `contact ${id} not found`);
    return visitor;
  }

  /** Changes the profile; the change and its `contact.updated` webhook event commit together. */
  async update(appId: string, id: string, change: ContactChange, seenNow = false): Promise<VisitorRecord> {
    const { ctx } = this;
    const visitor = await this.get(appId, id);
    const updated: VisitorRecord = {
      ...visitor,
      name: change.name === undefined ? visitor.name : change.name,
      email: change.email === undefined ? visitor.email : change.email,
      attributes: change.attributes ? mergeAttributes(visitor.attributes, change.attributes) : visitor.attributes,
      lastSeenAt: seenNow ? ctx.clock().toISOString() : visitor.lastSeenAt,
    };
    await ctx.webhooks.inTransaction(appId, ['contact.updated'], async (tx) => {
      await tx.visitors.updateProfile(appId, id, {
        name: updated.name,
        email: updated.email,
        attributes: updated.attributes,
        lastSeenAt: updated.lastSeenAt,
      });
      const { appId: _app, ...contact } = updated;
      return { result: undefined, drafts: [{ type: 'contact.updated', orderingKey: id, data: { contact } }] };
    });
    ctx.events.emit('contact.updated', { appId, visitor: updated });
    return updated;
  }
}
