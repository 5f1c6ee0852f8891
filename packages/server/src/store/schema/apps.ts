import type { ColumnType } from 'kysely';

export interface AppsTable {
  id: string;
  name: string;
  allowed_origins: string;
  identity_verification: number;
  /** AES-256-GCM ciphertext of the identity-verification secret. */
  identity_secret_enc: string;
  settings: string;
  created_at: string;
  /** The app's data key, wrapped with the master key (store/crypto.ts); null before encryption. */
  data_key_enc: string | null;
  /** How many incidents the app has had: the next report takes this plus one as its number. */
  incident_count: ColumnType<number, number | undefined, number>;
}
