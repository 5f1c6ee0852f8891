import type { AgentProfile, Author } from '@parley/sdk/protocol';
import { ParleyError } from '../errors.js';

/**
 * Who a request speaks for. An agent, signed in (a session) or through a personal token, acts
 * with its role; an API key acts as the app's bot, with its scope.
 */
export type Principal =
  | {
      kind: 'agent';
      appId: string;
      agent: AgentProfile;
      via: 'session' | 'token';
      sessionId?: string;
      /** A session of an agent who still has their one-time password: it may only change it. */
      passwordChangeRequired?: boolean;
    }
  | { kind: 'key'; appId: string; key: { id: string; name: string; scope: 'read' | 'write' } };

/** What a route needs: to read the app's data, to change it, or to administer the app. */
export type Access = 'read' | 'write' | 'admin';

/** A stable id for limits and idempotency keys. */
export function principalId(p: Principal): string {
  return p.kind === 'agent' ? p.agent.id : p.key.id;
}

/** Who a change is attributed to: the agent, or the app's bot named after the key. */
export function actorOf(p: Principal): Author {
  return p.kind === 'agent'
    ? { type: 'agent', id: p.agent.id, name: p.agent.name }
    : { type: 'bot', id: p.key.id, name: p.key.name };
}

/** Refuses with `forbidden`, saying what is missing. */
export function authorize(p: Principal, access: Access): void {
  if (access === 'read') return;
  if (p.kind === 'key') {
    if (access === 'admin')
      throw new ParleyError('forbidden', 'API keys cannot administer the app: use an admin agent');
    if (p.key.scope !== 'write') throw new ParleyError('forbidden', 'this API key is read-only');
    return;
  }
  if (access === 'admin' && p.agent.role !== 'admin') throw new ParleyError('forbidden', 'only admins may do this');
}

/** The agent behind a principal that must be an agent (the agents' own routes). */
export function agentOf(p: Principal): AgentProfile {
  if (p.kind !== 'agent') throw new ParleyError('forbidden', 'only an agent may do this, not an API key');
  return p.agent;
}
