import { createCipheriv, createDecipheriv } from 'node:crypto';
import { createRequire } from 'node:module';

/**
 * ChaCha20-Poly1305 (RFC 8439: a 12-byte nonce, a 16-byte tag) for sealed texts, which every
 * message, name and attribute is. Sealed, a text is `nonce | ciphertext | tag`.
 *
 * libsodium does it, through sodium-native, in about 0.8 µs for a short message. node:crypto
 * takes 4 µs for either cipher it offers, nearly all of it OpenSSL 3 setting up a cipher
 * context, which Node does for every call; on the message path that was the largest part of the
 * event loop's own work. Where sodium-native cannot load (a platform it has no build for),
 * node:crypto does the same job: both write and open the same bytes.
 */
export interface ChaCha {
  /** `text` sealed under `key` with `nonce` (12 bytes), as `nonce | ciphertext | tag`. */
  seal(key: Buffer, nonce: Uint8Array, text: string): Buffer;
  /** The plaintext of `nonce | ciphertext | tag`; throws when it was not sealed under `key`. */
  open(key: Buffer, sealed: Buffer): Buffer;
}

export const NONCE_BYTES = 12;
const TAG_BYTES = 16;

interface Sodium {
  crypto_aead_chacha20poly1305_ietf_encrypt(
    out: Uint8Array,
    message: Uint8Array,
    ad: null,
    nsec: null,
    nonce: Uint8Array,
    key: Uint8Array,
  ): number;
  crypto_aead_chacha20poly1305_ietf_decrypt(
    out: Uint8Array,
    nsec: null,
    ciphertext: Uint8Array,
    ad: null,
    nonce: Uint8Array,
    key: Uint8Array,
  ): number;
}

function loadSodium(): Sodium | undefined {
  try {
    return createRequire(import.meta.url)('sodium-native') as Sodium;
  } catch {
    return undefined;
  }
}

const sodium = loadSodium();

/** libsodium's, through sodium-native; undefined where it has no build for the platform. */
export const sodiumChaCha: ChaCha | undefined = sodium && {
  seal(key, nonce, text) {
    const length = Buffer.byteLength(text, 'utf8');
    // One buffer for the whole result: the text is written into the part it will be sealed
    // in, and sealed there (libsodium allows the same memory in and out).
    const out = Buffer.allocUnsafe(NONCE_BYTES + length + TAG_BYTES);
    out.set(nonce, 0);
    const body = out.subarray(NONCE_BYTES);
    body.write(text, 0, length, 'utf8');
    sodium.crypto_aead_chacha20poly1305_ietf_encrypt(body, body.subarray(0, length), null, null, nonce, key);
    return out;
  },
  open(key, sealed) {
    const out = Buffer.allocUnsafe(sealed.length - NONCE_BYTES - TAG_BYTES);
    sodium.crypto_aead_chacha20poly1305_ietf_decrypt(
      out,
      null,
      sealed.subarray(NONCE_BYTES),
      null,
      sealed.subarray(0, NONCE_BYTES),
      key,
    );
    return out;
  },
};

/** OpenSSL's, through node:crypto: the same bytes, five times slower for a short text. */
export const nodeChaCha: ChaCha = {
  seal(key, nonce, text) {
    const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG_BYTES });
    const body = cipher.update(text, 'utf8');
    cipher.final();
    return Buffer.concat([nonce, body, cipher.getAuthTag()]);
  },
  open(key, sealed) {
    const decipher = createDecipheriv('chacha20-poly1305', key, sealed.subarray(0, NONCE_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
  },
};

export const chacha: ChaCha = sodiumChaCha ?? nodeChaCha;
