import type { Attributes, VisitorProfile } from '@parley/sdk/protocol';

/** The visitor columns a join brings along (`v.* as v_*`). */
export interface JoinedVisitor {
  visitor_id: string;
  v_user_id: string | null;
  v_declared_user_id: string | null;
  v_email: string | null;
  v_name: string | null;
  v_attributes: string;
}

/** The visitor's profile from the columns a conversation or incident query joined in. */
export function joinedVisitor(row: JoinedVisitor): VisitorProfile {
  return {
    id: row.visitor_id,
    userId: row.v_user_id ?? row.v_declared_user_id,
    verified: row.v_user_id !== null,
    email: row.v_email,
    name: row.v_name,
    attributes: JSON.parse(row.v_attributes) as Attributes,
  };
}
