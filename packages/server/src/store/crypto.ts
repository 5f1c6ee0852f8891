import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomFillSync } from 'node:crypto';
import type {
  Kysely,
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import { chacha } from './chacha.js';
import type { Database } from './schema/index.js';

/**
 * Encryption at rest, with keys in a hierarchy: the master key
 * (PARLEY_MASTER_KEY, never stored) wraps one key per app (apps.data_key_enc), which wraps one
 * key per contact (contact_keys). A contact's content is sealed with their key; erasing them
 * deletes the key, so any copy left behind (free pages, dead tuples, logs, backups) can no
 * longer be read: crypto-shredding.
 *
 * A sealed text is `enc:v2:<key id>:<base64url(nonce | ciphertext | tag)>`, sealed with
 * ChaCha20-Poly1305 (chacha.ts: libsodium, five times faster than a node:crypto cipher for a
 * short text). Texts sealed before are `enc:v1:<key id>:<base64url(iv | tag | ciphertext)>`,
 * AES-256-GCM, and still open. Sealed bytes (files) and wrapped keys are AES-256-GCM
 * (node:crypto, where a cipher's set-up is small beside the data); bytes start with the magic
 * `PENC1`, the key id's length and the key id. Values carry their key id, so reading needs
 * nothing but the value: a Kysely plugin (below) opens every sealed value a query answers.
 */

const TEXT_PREFIX = 'enc:v2:';
const AES_TEXT_PREFIX = 'enc:v1:';
const MAGIC = Buffer.from('PENC1');
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The master key from its text form: 64 hex characters or 32 bytes in base64. */
export function parseMasterKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new Error('the master key must be 32 bytes: 64 hex characters or 44 base64 characters');
  return key;
}

// Random IVs and nonces (both 12 bytes) are drawn 12 KiB at a time: one system call per
// thousand seals, not one each.
const ivPool = Buffer.alloc(IV_BYTES * 1024);
let ivOffset = ivPool.length;
/** The next 12 random bytes, as a view of the pool: use them before the next call. */
function nextNonce(): Buffer {
  if (ivOffset + IV_BYTES > ivPool.length) {
    randomFillSync(ivPool);
    ivOffset = 0;
  }
  const nonce = ivPool.subarray(ivOffset, ivOffset + IV_BYTES);
  ivOffset += IV_BYTES;
  return nonce;
}
// A copy: kept by the cipher object while the pool is refilled under it.
const nextIv = () => Buffer.from(nextNonce());

function encrypt(key: Buffer, plain: Buffer | string): Buffer {
  const iv = nextIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = typeof plain === 'string' ? cipher.update(plain, 'utf8') : cipher.update(plain);
  cipher.final();
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

function decrypt(key: Buffer, sealed: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
}

const wrap = (kek: Buffer, key: Buffer) => encrypt(kek, key).toString('base64url');
const unwrap = (kek: Buffer, wrapped: string) => decrypt(kek, Buffer.from(wrapped, 'base64url'));

export const isSealedText = (v: unknown): v is string =>
  typeof v === 'string' && (v.startsWith(TEXT_PREFIX) || v.startsWith(AES_TEXT_PREFIX));

/** Whether a row holds a sealed text (checked before opening it, which takes a turn). */
export function holdsSealedText(row: Record<string, unknown>): boolean {
  for (const column in row) if (isSealedText(row[column])) return true;
  return false;
}
export const isSealedBytes = (v: unknown): v is Uint8Array =>
  v instanceof Uint8Array && v.length > MAGIC.length && Buffer.from(v.buffer, v.byteOffset, MAGIC.length).equals(MAGIC);

/** A bounded map: the oldest entry goes when it is full. */
class Bounded<K, V> extends Map<K, V> {
  constructor(private readonly max: number) {
    super();
  }
  override set(key: K, value: V): this {
    if (this.size >= this.max && !this.has(key)) this.delete(this.keys().next().value as K);
    return super.set(key, value);
  }
}

/**
 * Where the ring reads wrapped keys: never through the caller's connection, so a lookup from
 * inside a transaction (SQLite has one connection, held by it) does not wait for itself.
 */
export interface KeySource {
  appKeyEnc(appId: string): Promise<string | null | undefined>;
  contactKeyEnc(keyId: string): Promise<{ appId: string; keyEnc: string } | undefined>;
}

/**
 * The keys, unwrapped on first use and kept in memory (bounded). Keys are created with what
 * they protect: an app's when the app is, a contact's when the visitor is (their rows are
 * written by the store's queries), and for data from before encryption when the store opens.
 */
export class KeyRing {
  private readonly appKeys = new Bounded<string, Buffer>(10_000);
  private readonly contactKeys = new Bounded<string, Buffer>(100_000);
  /** Keys erased lately: read while their erasure commits, they are not kept (forget). */
  private readonly erased = new Bounded<string, true>(10_000);

  constructor(
    private master: Buffer,
    private readonly source: KeySource,
  ) {}

  /** A new app key, wrapped with the master key, for apps.data_key_enc. */
  newAppKey(): string {
    return wrap(this.master, randomBytes(32));
  }

  /** A contact's new key, ready to seal with at once; wrapped with their app's key to be stored. */
  async newContactKeyFor(appId: string, ownerId: string): Promise<string> {
    const key = randomBytes(32);
    this.contactKeys.set(ownerId, key);
    return wrap(await this.appKey(appId), key);
  }

  /** What finds a sealed email: a keyed hash (HMAC-SHA256 under the app's key) of it, lower-cased. */
  async emailIndex(appId: string, email: string | null): Promise<string | null> {
    if (email === null) return null;
    return createHmac('sha256', await this.appKey(appId))
      .update(`email\0${email.toLowerCase()}`)
      .digest('hex');
  }

  /** What finds a host's user id when sealed: a keyed hash of it under the app's key. */
  async userIndex(appId: string, userId: string): Promise<string> {
    return `uidx:${createHmac('sha256', await this.appKey(appId))
      .update(`user\0${userId}`)
      .digest('hex')}`;
  }

  /** A value sealed with the contact's key, or null for null. */
  async sealNullable(ownerId: string, text: string | null): Promise<string | null> {
    return text === null ? null : this.sealText(ownerId, text);
  }

  /** A new contact key, wrapped with their app's key, for contact_keys.key_enc. */
  async newContactKey(appId: string): Promise<string> {
    return wrap(await this.appKey(appId), randomBytes(32));
  }

  private async appKey(appId: string): Promise<Buffer> {
    const cached = this.appKeys.get(appId);
    if (cached) return cached;
    const wrapped = await this.source.appKeyEnc(appId);
    if (!wrapped) throw new Error(`app ${appId} has no data key`);
    const key = unwrap(this.master, wrapped);
    if (!this.erased.has(appId)) this.appKeys.set(appId, key);
    return key;
  }

  private async keyById(keyId: string): Promise<Buffer | undefined> {
    // An app's id: the app's own key, for what belongs to no contact (yet): a team's file not
    // sent, an answer kept for a retry.
    if (keyId.startsWith('app_')) return this.appKey(keyId);
    const cached = this.contactKeys.get(keyId);
    if (cached) return cached;
    const row = await this.source.contactKeyEnc(keyId);
    if (!row) return undefined;
    const key = unwrap(await this.appKey(row.appId), row.keyEnc);
    if (!this.erased.has(keyId)) this.contactKeys.set(keyId, key);
    return key;
  }

  /** A contact's own key is named after them (contact_keys.id = their visitor id). */
  private async keyOf(ownerId: string): Promise<Buffer> {
    const key = await this.keyById(ownerId);
    if (!key) throw new Error(`contact ${ownerId} has no key`);
    return key;
  }

  async sealText(ownerId: string, text: string): Promise<string> {
    return this.sealTextNow(ownerId, text) ?? this.sealWith(ownerId, await this.keyOf(ownerId), text);
  }

  /** Sealed when the contact has a key; undefined when they have none (erased). */
  async sealTextIfKeyed(ownerId: string, text: string): Promise<string | undefined> {
    const key = await this.keyById(ownerId);
    return key && this.sealWith(ownerId, key, text);
  }

  /** The message path's way: sealed at once when the contact's key is known, else undefined. */
  sealTextNow(ownerId: string, text: string): string | undefined {
    const key = this.contactKeys.get(ownerId);
    return key && this.sealWith(ownerId, key, text);
  }

  private sealWith(ownerId: string, key: Buffer, text: string): string {
    return `${TEXT_PREFIX}${ownerId}:${chacha.seal(key, nextNonce(), text).toString('base64url')}`;
  }

  async sealBytes(ownerId: string, bytes: Buffer): Promise<Buffer> {
    const key = await this.keyOf(ownerId);
    const keyId = Buffer.from(ownerId, 'utf8');
    return Buffer.concat([MAGIC, Buffer.from([keyId.length]), keyId, encrypt(key, bytes)]);
  }

  /** Bytes that belong to no contact yet, sealed with their app's key (re-sealed when sent). */
  async sealBytesForApp(appId: string, bytes: Buffer): Promise<Buffer> {
    const keyId = Buffer.from(appId, 'utf8');
    return Buffer.concat([MAGIC, Buffer.from([keyId.length]), keyId, encrypt(await this.appKey(appId), bytes)]);
  }

  /** A text that belongs to no one contact, sealed with its app's key. */
  async sealTextForApp(appId: string, text: string): Promise<string> {
    return this.sealWith(appId, await this.appKey(appId), text);
  }

  /** A sealed text's plaintext; what cannot be opened (its key erased) reads as empty. */
  async openText(value: string): Promise<string> {
    const rest = value.slice(TEXT_PREFIX.length);
    const colon = rest.indexOf(':');
    const key = await this.keyById(rest.slice(0, colon));
    if (!key) return '';
    const sealed = Buffer.from(rest.slice(colon + 1), 'base64url');
    return (value.startsWith(TEXT_PREFIX) ? chacha.open(key, sealed) : decrypt(key, sealed)).toString('utf8');
  }

  /**
   * Opens every sealed value of a row in place: what a query through OpenSealedPlugin answers,
   * for rows read beside it (the SQLite thread's message path).
   */
  async openRow(row: Record<string, unknown>): Promise<void> {
    for (const column in row) {
      const v = row[column];
      if (isSealedText(v)) row[column] = await this.openText(v);
      else if (isSealedBytes(v)) row[column] = await this.openBytes(v);
    }
  }

  async openBytes(value: Uint8Array): Promise<Buffer> {
    const buf = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    const idLength = buf[MAGIC.length]!;
    const idStart = MAGIC.length + 1;
    const key = await this.keyById(buf.subarray(idStart, idStart + idLength).toString('utf8'));
    if (!key) return Buffer.alloc(0);
    return decrypt(key, buf.subarray(idStart + idLength));
  }

  /**
   * Forgets erased keys here, so that a copy of what they sealed (a backup, a free page) no
   * longer opens on this node either. Another node may keep one in memory until it restarts or
   * the key is pushed out; it never reads it again, since the rows it sealed are gone.
   */
  forget(keyIds: string[]): void {
    for (const id of keyIds) {
      this.contactKeys.delete(id);
      // Called inside the erasing transaction: a read until it commits may still find the key,
      // which is then used but not kept. (Rolled back, the key stays usable, read each time.)
      this.erased.set(id, true);
    }
  }

  /** An offboarded app's key, and every contact key (which of them were its is not kept here). */
  forgetApp(appId: string): void {
    this.appKeys.delete(appId);
    this.erased.set(appId, true);
    this.contactKeys.clear();
  }

  /**
   * Gives every app and contact from before encryption their key, once, when the store opens.
   * (Their old content stays readable as it was; what is written from now on is sealed.)
   */
  async backfill(db: Kysely<Database>): Promise<void> {
    for (const app of await db.selectFrom('apps').select('id').where('data_key_enc', 'is', null).execute()) {
      await db
        .updateTable('apps')
        .set({ data_key_enc: this.newAppKey() })
        .where('id', '=', app.id)
        .where('data_key_enc', 'is', null)
        .execute();
    }
    for (;;) {
      const missing = await db
        .selectFrom('visitors as v')
        .select(['v.id', 'v.app_id'])
        .where((eb) =>
          eb.not(eb.exists(eb.selectFrom('contact_keys as k').select('k.id').whereRef('k.id', '=', 'v.id'))),
        )
        .limit(500)
        .execute();
      if (missing.length === 0) return;
      const now = new Date().toISOString();
      const rows = await Promise.all(
        missing.map(async (v) => ({
          id: v.id,
          app_id: v.app_id,
          owner_id: v.id,
          key_enc: await this.newContactKey(v.app_id),
          created_at: now,
        })),
      );
      await db
        .insertInto('contact_keys')
        .values(rows)
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    }
  }

  /** Re-wraps every app key with a new master key (`parley keys rotate`), in one transaction. */
  async rotate(db: Kysely<Database>, next: Buffer): Promise<number> {
    const count = await db.transaction().execute(async (trx) => {
      const apps = await trx.selectFrom('apps').select(['id', 'data_key_enc']).execute();
      for (const app of apps) {
        if (!app.data_key_enc) continue;
        const key = unwrap(this.master, app.data_key_enc);
        await trx
          .updateTable('apps')
          .set({ data_key_enc: wrap(next, key) })
          .where('id', '=', app.id)
          .execute();
      }
      return apps.length;
    });
    this.master = next;
    return count;
  }
}

/**
 * Opens every sealed value a query answers, whatever the query (joins, exports, raw SQL), so
 * the code above the store reads plaintext and never sees an envelope.
 */
export class OpenSealedPlugin implements KyselyPlugin {
  constructor(private readonly ring: KeyRing) {}

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    for (const row of args.result.rows) await this.ring.openRow(row);
    return args.result;
  }
}
