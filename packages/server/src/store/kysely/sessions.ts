import type { Kysely, Selectable } from 'kysely';
import type { AgentSessionsTable, Database } from '../schema/index.js';
import type { SessionRecord, SessionStore } from '../types.js';

function toSession(row: Selectable<AgentSessionsTable>): SessionRecord {
  return {
    id: row.id,
    agentId: row.agent_id,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

export class SessionQueries implements SessionStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(s: SessionRecord & { tokenHash: string }): Promise<void> {
    await this.db
      .insertInto('agent_sessions')
      .values({
        id: s.id,
        token_hash: s.tokenHash,
        agent_id: s.agentId,
        created_at: s.createdAt,
        last_used_at: s.lastUsedAt,
        expires_at: s.expiresAt,
        revoked_at: s.revokedAt,
      })
      .execute();
  }

  async getByTokenHash(tokenHash: string): Promise<SessionRecord | undefined> {
    const row = await this.db
      .selectFrom('agent_sessions')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row && toSession(row);
  }

  async touch(id: string, now: string): Promise<void> {
    await this.db.updateTable('agent_sessions').set({ last_used_at: now }).where('id', '=', id).execute();
  }

  async revoke(id: string, now: string): Promise<void> {
    await this.db
      .updateTable('agent_sessions')
      .set({ revoked_at: now })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
  }

  async revokeAll(agentId: string, now: string, exceptId?: string): Promise<number> {
    let q = this.db
      .updateTable('agent_sessions')
      .set({ revoked_at: now })
      .where('agent_id', '=', agentId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now);
    if (exceptId) q = q.where('id', '!=', exceptId);
    const result = await q.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
