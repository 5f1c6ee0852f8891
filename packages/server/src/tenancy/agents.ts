import type { AgentProfile } from '@parley/sdk/protocol';
import { generatePassword, hashPassword } from '../auth/passwords.js';
import { generateAgentToken, hashAgentToken } from '../auth/tokens.js';
import type { Clock } from '../clock.js';
import { ParleyError } from '../errors.js';
import { newId } from '../ids.js';
import type { AgentRecord, Store } from '../store/index.js';

export interface NewAgent {
  appId: string;
  email: string;
  name: string;
  role: 'admin' | 'agent';
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

export function profileOf(agent: AgentRecord): AgentProfile {
  return {
    id: agent.id,
    appId: agent.appId,
    email: agent.email,
    name: agent.name,
    role: agent.role,
    avatarUrl: agent.avatarUrl,
  };
}

/**
 * Creates an agent (the CLI's `agents create`, an admin's invitation) with a one-time password
 * and a first personal token, both returned once.
 */
export async function createAgent(
  store: Store,
  input: NewAgent,
  clock: Clock,
): Promise<{ agent: AgentProfile; password: string; token: string }> {
  if (!(await store.apps.get(input.appId))) throw new ParleyError('not_found', `app ${input.appId} not found`);
  const email = input.email.trim().toLowerCase();
  if (!EMAIL.test(email)) {
    throw new ParleyError('invalid_payload', `"${input.email}" is not an email address`, {
      fields: { email: 'not an email address' },
    });
  }
  const name = input.name.trim();
  if (!name || name.length > 200) {
    throw new ParleyError('invalid_payload', 'an agent needs a name of 1 to 200 characters', {
      fields: { name: '1 to 200 characters' },
    });
  }
  const password = generatePassword();
  const record: AgentRecord = {
    id: newId('agt'),
    appId: input.appId,
    email,
    name,
    role: input.role,
    avatarUrl: null,
    passwordHash: await hashPassword(password),
    createdAt: clock().toISOString(),
    disabledAt: null,
    passwordChangeRequired: true,
  };
  await store.agents.create(record);
  const token = await issueAgentToken(store, record.id, clock);
  return { agent: profileOf(record), password, token };
}

/** A personal token (`pat_…`): it acts with the agent's own rights until the agent is disabled. */
export async function issueAgentToken(store: Store, agentId: string, clock: Clock): Promise<string> {
  const token = generateAgentToken();
  await store.agents.addToken(hashAgentToken(token), agentId, clock().toISOString());
  return token;
}
