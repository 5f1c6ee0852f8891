import type { Author, Message, Note, PartyType } from '@parley/sdk/protocol';
import type { Logger } from 'pino';
import type { ConversationState, IncidentRecord, StoredConversation, VisitorRecord } from './store/index.js';

/** Who made a change: a visitor, an agent, the app's bot (an API key), or the system (a job). */
export type Actor = Author | { type: 'system'; id: 'parley'; name: null };

/** `flagged`: its last flagged message was reviewed (the mark comes off). */
export type ConversationChange = 'status' | 'assignee' | 'attributes' | 'flagged';
export type IncidentChange = 'priority' | 'status' | 'assignee' | 'first_response';

/**
 * The domain events: what changed, emitted by the services after the change is committed.
 * Socket.IO fan-out, metrics and webhooks subscribe; no transport calls another. Every event
 * names its app.
 */
export interface DomainEvents {
  'conversation.created': { appId: string; conversation: StoredConversation };
  'conversation.updated': {
    appId: string;
    conversation: StoredConversation;
    changes: ConversationChange[];
    actor: Actor;
  };
  'conversation.read': { appId: string; conversation: StoredConversation; party: PartyType };
  /** Ephemeral: never stored, never sent to webhooks. */
  'conversation.typing': { appId: string; conversation: ConversationState; author: Author; typing: boolean };
  /** `origin`: the socket that sent it, which has it in its acknowledgement already. */
  'message.created': { appId: string; message: Message; conversation: ConversationState; origin?: string };
  /**
   * A resend found the message stored already. The node that stored it may have died before
   * announcing it, so listeners announce it again; receivers drop what they have by `seq`.
   */
  'message.resent': { appId: string; message: Message; conversation: ConversationState; origin?: string };
  /** Screening flagged it for review (it was stored and delivered). */
  'message.flagged': { appId: string; message: Message; conversation: ConversationState };
  'note.created': { appId: string; note: Note; conversation: StoredConversation };
  'incident.created': { appId: string; incident: IncidentRecord };
  'incident.updated': { appId: string; incident: IncidentRecord; changes: IncidentChange[] };
  /** Its response deadline passed without an agent reply (announced once, by one node). */
  'incident.breached': { appId: string; incident: IncidentRecord };
  'contact.updated': { appId: string; visitor: VisitorRecord };
  /** Every row about the contact is gone: their sockets close, on every node. */
  'contact.erased': { appId: string; contactId: string };
  /** An agent was disabled or their sessions ended: their connections close, on every node. */
  'agent.access_revoked': { appId: string; agentId: string; sessionId?: string };
  /** Webhook deliveries were written to the outbox on this node: the deliverer wakes. */
  'webhook.queued': { appId: string };
}

export type DomainEventName = keyof DomainEvents;
type Listener<K extends DomainEventName> = (event: DomainEvents[K]) => void | Promise<void>;

/**
 * A typed, in-process event bus. A listener that throws (or rejects) is logged and never
 * stops the others or the service that emitted: the change is committed already.
 */
export class DomainEventBus {
  private readonly listeners = new Map<DomainEventName, Listener<never>[]>();

  constructor(private readonly log: Pick<Logger, 'error'>) {}

  on<K extends DomainEventName>(name: K, listener: Listener<K>): () => void {
    const list = (this.listeners.get(name) ?? []) as Listener<K>[];
    list.push(listener);
    this.listeners.set(name, list as Listener<never>[]);
    return () => {
      const at = list.indexOf(listener);
      if (at !== -1) list.splice(at, 1);
    };
  }

  emit<K extends DomainEventName>(name: K, event: DomainEvents[K]): void {
    const list = this.listeners.get(name) as Listener<K>[] | undefined;
    if (!list) return;
    for (const listener of list) {
      try {
        const result = listener(event);
        if (result instanceof Promise) result.catch((err: unknown) => this.fail(name, err));
      } catch (err) {
        this.fail(name, err);
      }
    }
  }

  private fail(name: DomainEventName, err: unknown): void {
    this.log.error({ err, event: name }, `a listener of ${name} failed`);
  }
}
