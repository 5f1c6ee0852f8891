/**
 * One key per contact (store/crypto.ts), wrapped with their app's key. Content about the
 * contact is sealed with it; erasing the contact deletes it (crypto-shredding). Its id is the
 * visitor it was made for; after a merge it belongs to (`owner_id`) the identified visitor.
 */
export interface ContactKeysTable {
  id: string;
  app_id: string;
  owner_id: string;
  key_enc: string;
  created_at: string;
}
