import type { Kysely, Selectable, Updateable } from 'kysely';
import { ParleyError } from '../../errors.js';
import type { AgentsTable, Database } from '../schema/index.js';
import type { AgentChange, AgentRecord, AgentStore } from '../types.js';
import { isUniqueViolation } from './db.js';

function toAgent(row: Selectable<AgentsTable>): AgentRecord {
  return {
    id: row.id,
    appId: row.app_id,
    email: row.email,
    name: row.name,
    role: row.role,
    avatarUrl: row.avatar_url ?? null,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
    passwordChangeRequired: Number(row.password_change_required) === 1,
  };
}

export class AgentQueries implements AgentStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(agent: AgentRecord): Promise<void> {
    try {
      await this.db
        .insertInto('agents')
        .values({
          id: agent.id,
          app_id: agent.appId,
          email: agent.email,
          name: agent.name,
          role: agent.role,
          password_hash: agent.passwordHash,
          created_at: agent.createdAt,
          disabled_at: agent.disabledAt,
          password_change_required: agent.passwordChangeRequired ? 1 : 0,
          avatar_url: agent.avatarUrl,
        })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new ParleyError('conflict', `an agent with email ${agent.email} already exists`);
      }
      throw err;
    }
  }

  async get(appId: string, id: string): Promise<AgentRecord | undefined> {
    const row = await this.db
      .selectFrom('agents')
      .selectAll()
      .where('app_id', '=', appId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toAgent(row);
  }

  async getById(id: string): Promise<AgentRecord | undefined> {
    const row = await this.db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toAgent(row);
  }

  async list(appId: string, query: { after?: string; limit: number }): Promise<AgentRecord[]> {
    let q = this.db.selectFrom('agents').selectAll().where('app_id', '=', appId);
    if (query.after) q = q.where('id', '>', query.after);
    return (await q.orderBy('id').limit(query.limit).execute()).map(toAgent);
  }

  async update(appId: string, id: string, change: AgentChange): Promise<AgentRecord | undefined> {
    const set: Updateable<AgentsTable> = {};
    if (change.name !== undefined) set.name = change.name;
    if (change.role !== undefined) set.role = change.role;
    if (change.avatarUrl !== undefined) set.avatar_url = change.avatarUrl;
    if (change.disabledAt !== undefined) set.disabled_at = change.disabledAt;
    if (change.passwordHash !== undefined) set.password_hash = change.passwordHash;
    if (change.passwordChangeRequired !== undefined)
      set.password_change_required = change.passwordChangeRequired ? 1 : 0;
    if (Object.keys(set).length > 0) {
      await this.db.updateTable('agents').set(set).where('app_id', '=', appId).where('id', '=', id).execute();
    }
    return this.get(appId, id);
  }

  async getByEmail(email: string): Promise<AgentRecord | undefined> {
    const row = await this.db.selectFrom('agents').selectAll().where('email', '=', email).executeTakeFirst();
    return row && toAgent(row);
  }

  async addToken(tokenHash: string, agentId: string, now: string): Promise<void> {
    await this.db
      .insertInto('agent_tokens')
      .values({ token_hash: tokenHash, agent_id: agentId, created_at: now })
      .execute();
  }

  async getByTokenHash(tokenHash: string): Promise<AgentRecord | undefined> {
    const row = await this.db
      .selectFrom('agent_tokens as t')
      .innerJoin('agents as a', 'a.id', 't.agent_id')
      .selectAll('a')
      .where('t.token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row && toAgent(row);
  }

  async touchToken(tokenHash: string, now: string): Promise<void> {
    await this.db.updateTable('agent_tokens').set({ last_used_at: now }).where('token_hash', '=', tokenHash).execute();
  }
}
