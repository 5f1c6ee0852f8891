import { createHash, randomBytes } from 'node:crypto';
import type { AgentProfile } from '@parley/sdk/protocol';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import { hashAgentToken } from '../auth/tokens.js';
import type { Clock } from '../clock.js';
import { ParleyError } from '../errors.js';
import { newId } from '../ids.js';
import type { ApiKeyRecord, Store } from '../store/index.js';
import { profileOf } from './agents.js';
import type { Principal } from './principal.js';

/** A session ends after 12 hours without use, and 7 days after sign-in however active. */
export const SESSION_IDLE_MS = 12 * 3600_000;
export const SESSION_MAX_MS = 7 * 24 * 3600_000;
/** Last-use times are written at most once a minute per credential: reads stay reads. */
const TOUCH_EVERY_MS = 60_000;

/** Why a new password will not do, or undefined when it will (NIST SP 800-63B: length, not rules). */
export function passwordProblem(password: string, agent: { email: string; name: string }): string | undefined {
  if ([...password].length < 12) return 'use at least 12 characters';
  if ([...password].length > 200) return 'use at most 200 characters';
  const lower = password.toLowerCase();
  if (lower === agent.email || lower === agent.email.split('@')[0] || lower === agent.name.toLowerCase()) {
    return 'choose something other than your email or name';
  }
  if (/^(.)\1+$/.test(password) || /^(?:0123456789|1234567890|password|qwerty)/i.test(password)) {
    return 'that password is too easy to guess';
  }
  return undefined;
}

const tokenOf = (prefix: 'ses' | 'key') => `${prefix}_${randomBytes(32).toString('base64url')}`;
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface SignedIn {
  agent: AgentProfile;
  /** `ses_…`: send as `Authorization: Bearer`. Shown once. */
  token: string;
  sessionId: string;
  expiresAt: string;
  /** The agent still has their one-time password: the session may only change it (or end). */
  passwordChangeRequired: boolean;
}

/**
 * Sign-in, sessions, personal tokens and API keys: turns a bearer credential into the
 * principal it speaks for, or `unauthorized` with one message that says what to do.
 */
export class AccessService {
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** Email and password to a new session. One message for every failure, so emails do not leak. */
  async login(email: string, password: string): Promise<SignedIn> {
    const agent = await this.store.agents.getByEmail(email.trim().toLowerCase());
    if (!agent || !(await verifyPassword(password, agent.passwordHash)) || agent.disabledAt) {
      throw new ParleyError('unauthorized', 'email or password is wrong');
    }
    const now = this.clock();
    const token = tokenOf('ses');
    const session = {
      id: newId('ses'),
      agentId: agent.id,
      createdAt: now.toISOString(),
      lastUsedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + SESSION_MAX_MS).toISOString(),
      revokedAt: null,
    };
    await this.store.sessions.create({ ...session, tokenHash: hashToken(token) });
    return {
      agent: profileOf(agent),
      token,
      sessionId: session.id,
      expiresAt: session.expiresAt,
      passwordChangeRequired: agent.passwordChangeRequired,
    };
  }

  /**
   * An agent chooses a new password, proving the current one. Their other sessions end (a
   * password change is what people do when they fear someone else has it); this one goes on.
   */
  async changePassword(
    agentId: string,
    current: string,
    next: string,
    keepSessionId: string | undefined,
  ): Promise<AgentProfile> {
    const agent = await this.store.agents.getById(agentId);
    if (!agent || agent.disabledAt) throw new ParleyError('unauthorized', 'this agent is disabled');
    if (!(await verifyPassword(current, agent.passwordHash))) {
      throw new ParleyError('invalid_payload', 'the current password is wrong', {
        fields: { currentPassword: 'wrong password' },
      });
    }
    const problem = passwordProblem(next, agent);
    if (problem) throw new ParleyError('invalid_payload', problem, { fields: { newPassword: problem } });
    if (await verifyPassword(next, agent.passwordHash)) {
      throw new ParleyError('invalid_payload', 'choose a password other than the current one', {
        fields: { newPassword: 'same as the current one' },
      });
    }
    await this.store.agents.update(agent.appId, agent.id, {
      passwordHash: await hashPassword(next),
      passwordChangeRequired: false,
    });
    await this.store.sessions.revokeAll(agent.id, this.clock().toISOString(), keepSessionId);
    return profileOf(agent);
  }

  async logout(sessionId: string): Promise<void> {
    await this.store.sessions.revoke(sessionId, this.clock().toISOString());
  }

  /** Ends every session of an agent (their own "sign out everywhere", or an admin's). */
  revokeSessions(agentId: string): Promise<number> {
    return this.store.sessions.revokeAll(agentId, this.clock().toISOString());
  }

  /**
   * The principal behind a bearer token: a session (`ses_`), a personal token (`pat_`) or an
   * API key (`key_`). `agentsOnly` refuses keys (the agent socket is for people).
   */
  async authenticate(token: unknown, options: { agentsOnly?: boolean } = {}): Promise<Principal> {
    if (typeof token !== 'string' || token.length > 100 || !/^(ses|pat|key)_[\w-]+$/.test(token)) {
      throw new ParleyError('unauthorized', 'a bearer token (ses_…, pat_… or key_…) is required');
    }
    const now = this.clock();
    if (token.startsWith('ses_')) {
      const session = await this.store.sessions.getByTokenHash(hashToken(token));
      if (!session || session.revokedAt) throw new ParleyError('unauthorized', 'this session has ended: sign in again');
      if (Date.parse(session.expiresAt) <= now.getTime()) {
        throw new ParleyError('unauthorized', 'this session has expired: sign in again');
      }
      if (now.getTime() - Date.parse(session.lastUsedAt) > SESSION_IDLE_MS) {
        await this.store.sessions.revoke(session.id, now.toISOString());
        throw new ParleyError('unauthorized', 'this session expired after 12 hours without use: sign in again');
      }
      const agent = await this.store.agents.getById(session.agentId);
      if (!agent || agent.disabledAt) throw new ParleyError('unauthorized', 'this agent is disabled');
      if (this.due(session.id, now)) await this.store.sessions.touch(session.id, now.toISOString());
      return {
        kind: 'agent',
        appId: agent.appId,
        agent: profileOf(agent),
        via: 'session',
        sessionId: session.id,
        ...(agent.passwordChangeRequired ? { passwordChangeRequired: true } : {}),
      };
    }
    if (token.startsWith('pat_')) {
      const hash = hashAgentToken(token);
      const agent = await this.store.agents.getByTokenHash(hash);
      if (!agent) throw new ParleyError('unauthorized', 'agent token is not valid');
      if (agent.disabledAt) throw new ParleyError('unauthorized', 'this agent is disabled');
      if (this.due(hash, now)) await this.store.agents.touchToken(hash, now.toISOString());
      return { kind: 'agent', appId: agent.appId, agent: profileOf(agent), via: 'token' };
    }
    if (options.agentsOnly) throw new ParleyError('unauthorized', 'API keys cannot open an agent connection');
    const key = await this.store.apiKeys.getByTokenHash(hashToken(token));
    if (!key || key.revokedAt) throw new ParleyError('unauthorized', 'this API key is not valid or was revoked');
    if (this.due(key.id, now)) await this.store.apiKeys.touch(key.id, now.toISOString());
    return { kind: 'key', appId: key.appId, key: { id: key.id, name: key.name, scope: key.scope } };
  }

  /** Creates an API key; the key itself is returned once and only its hash is kept. */
  async createKey(
    appId: string,
    input: { name: string; scope: 'read' | 'write' },
    createdBy: string,
  ): Promise<{ apiKey: ApiKeyRecord; key: string }> {
    const key = tokenOf('key');
    const apiKey: ApiKeyRecord = {
      id: newId('key'),
      appId,
      name: input.name.trim(),
      scope: input.scope,
      createdBy,
      createdAt: this.clock().toISOString(),
      lastUsedAt: null,
      revokedAt: null,
    };
    await this.store.apiKeys.create({ ...apiKey, tokenHash: hashToken(key) });
    return { apiKey, key };
  }

  private due(id: string, now: Date): boolean {
    const last = this.touched.get(id) ?? 0;
    if (now.getTime() - last < TOUCH_EVERY_MS) return false;
    if (this.touched.size > 10_000) this.touched.clear();
    this.touched.set(id, now.getTime());
    return true;
  }
}
