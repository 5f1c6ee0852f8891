export interface VisitorsTable {
  id: string;
  app_id: string;
  /** A proven host user id (userHash or userJwt): unique per app. */
  user_id: string | null;
  /** A user id the page declared without proof (identity verification off): a label only. */
  declared_user_id: string | null;
  email: string | null;
  name: string | null;
  /** JSON object of host-supplied attributes. */
  attributes: string;
  created_at: string;
  last_seen_at: string;
  /** JSON VisitorDevice: where and on what they were last seen; null when never or not to be kept. */
  device: string | null;
  /** A keyed hash of the lower-cased email (store/crypto.ts), to find a contact by it when sealed. */
  email_hash: string | null;
  /** The host's user id (proven or declared) sealed with the contact's key; the two id columns then hold keyed hashes. */
  user_label: string | null;
}
