import type { Kysely } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

/** One step of the schema. `up` runs inside the migration transaction. */
export interface Migration {
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}
