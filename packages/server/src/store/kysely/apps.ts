import type { Kysely, Selectable } from 'kysely';
import type { KeyRing } from '../crypto.js';
import type { AppsTable, Database } from '../schema/index.js';
import type { AppRecord, AppStore } from '../types.js';

function toApp(row: Selectable<AppsTable>): AppRecord {
  return {
    id: row.id,
    name: row.name,
    allowedOrigins: JSON.parse(row.allowed_origins) as string[],
    identityVerification: Number(row.identity_verification) === 1,
    identitySecretEnc: row.identity_secret_enc,
    settings: JSON.parse(row.settings) as Record<string, unknown>,
    createdAt: row.created_at,
  };
}

export class AppQueries implements AppStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly ring?: KeyRing,
  ) {}

  async create(app: AppRecord): Promise<void> {
    await this.db
      .insertInto('apps')
      .values({
        id: app.id,
        name: app.name,
        allowed_origins: JSON.stringify(app.allowedOrigins),
        identity_verification: app.identityVerification ? 1 : 0,
        identity_secret_enc: app.identitySecretEnc,
        settings: JSON.stringify(app.settings),
        created_at: app.createdAt,
        data_key_enc: this.ring?.newAppKey() ?? null,
      })
      .execute();
  }

  async get(id: string): Promise<AppRecord | undefined> {
    const row = await this.db.selectFrom('apps').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toApp(row);
  }

  async list(): Promise<AppRecord[]> {
    return (await this.db.selectFrom('apps').selectAll().orderBy('created_at').execute()).map(toApp);
  }

  async update(
    id: string,
    change: Partial<Pick<AppRecord, 'allowedOrigins' | 'identityVerification' | 'identitySecretEnc' | 'settings'>>,
  ): Promise<void> {
    await this.db
      .updateTable('apps')
      .set({
        ...(change.allowedOrigins ? { allowed_origins: JSON.stringify(change.allowedOrigins) } : {}),
        ...(change.identityVerification !== undefined
          ? { identity_verification: change.identityVerification ? 1 : 0 }
          : {}),
        ...(change.identitySecretEnc ? { identity_secret_enc: change.identitySecretEnc } : {}),
        ...(change.settings ? { settings: JSON.stringify(change.settings) } : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  async removeEmpty(id: string): Promise<void> {
    await this.db.deleteFrom('apps').where('id', '=', id).execute();
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('apps')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
