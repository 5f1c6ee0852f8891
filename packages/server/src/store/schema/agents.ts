import type { ColumnType } from 'kysely';

export interface AgentsTable {
  id: string;
  app_id: string;
  email: string;
  name: string;
  role: 'admin' | 'agent';
  password_hash: string;
  created_at: string;
  /** A disabled agent can neither sign in nor use its tokens. */
  disabled_at: string | null;
  /** 1 while the agent still has the one-time password they were created with. */
  password_change_required: ColumnType<number, number | undefined, number>;
  /** An https URL of the agent's photo; null shows their initials. */
  avatar_url: ColumnType<string | null, string | null | undefined, string | null>;
}
