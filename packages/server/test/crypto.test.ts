import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type ChaCha, nodeChaCha, sodiumChaCha } from '../src/store/chacha.js';
import { isSealedText, KeyRing } from '../src/store/crypto.js';

const TEXTS = ['', 'hello', 'Straße, 東京, 🙂 and a lone \u00e9', 'x'.repeat(10_000)];

describe('ChaCha20-Poly1305 for sealed texts', () => {
  it('has libsodium here, so the message path does not fall back to node:crypto', () => {
    // CI's machine and this one have a build of sodium-native; a platform without one still
    // works (nodeChaCha), only slower.
    expect(sodiumChaCha).toBeDefined();
  });

  const implementations: [string, ChaCha][] = [['node:crypto', nodeChaCha]];
  if (sodiumChaCha) implementations.push(['libsodium', sodiumChaCha]);

  for (const [name, sealer] of implementations) {
    for (const [otherName, opener] of implementations) {
      it(`what ${name} seals, ${otherName} opens`, () => {
        const key = randomBytes(32);
        for (const text of TEXTS) {
          const nonce = randomBytes(12);
          const sealed = sealer.seal(key, nonce, text);
          expect(sealed.length).toBe(12 + Buffer.byteLength(text) + 16);
          expect(sealed.subarray(0, 12)).toEqual(nonce);
          expect(opener.open(key, sealed).toString('utf8')).toBe(text);
        }
      });
    }

    it(`${name} writes RFC 8439's bytes (its test vector, section 2.8.2, without the AAD)`, () => {
      // The ciphertext is the RFC's; the tag differs from the RFC's, which covers AAD we do not
      // use, so it is checked against OpenSSL's AEAD with none. Byte for byte the same, or a
      // value sealed on one platform would not open on another.
      const key = Buffer.from('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f', 'hex');
      const nonce = Buffer.from('070000004041424344454647', 'hex');
      const text =
        "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";
      const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
      const expected = Buffer.concat([nonce, cipher.update(text, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      const sealed = sealer.seal(key, nonce, text);
      expect(sealed.subarray(12, sealed.length - 16).toString('hex')).toBe(
        'd31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b' +
          '1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc' +
          '3ff4def08e4b7a9de576d26586cec64b6116',
      );
      expect(sealed.toString('hex')).toBe(expected.toString('hex'));
    });

    it(`${name} refuses a wrong key and a changed byte`, () => {
      const key = randomBytes(32);
      const sealed = sealer.seal(key, randomBytes(12), 'the card is 4111 1111 1111 1111');
      expect(() => sealer.open(randomBytes(32), sealed)).toThrow();
      for (const at of [0, 12, sealed.length - 1]) {
        const changed = Buffer.from(sealed);
        changed[at]! ^= 1;
        expect(() => sealer.open(key, changed)).toThrow();
      }
    });
  }
});

describe('KeyRing texts', () => {
  const wrappedAppKey = (master: Buffer) =>
    new KeyRing(master, { appKeyEnc: async () => undefined, contactKeyEnc: async () => undefined }).newAppKey();

  it('seals texts as enc:v2 and opens both v2 and the AES-256-GCM v1 written before', async () => {
    const master = randomBytes(32);
    const wrapped = wrappedAppKey(master);
    const ring = new KeyRing(master, {
      appKeyEnc: async () => wrapped,
      contactKeyEnc: async () => undefined,
    });
    const sealed = await ring.sealTextForApp('app_1', 'Straße 12, Berlin');
    expect(sealed.startsWith('enc:v2:app_1:')).toBe(true);
    expect(isSealedText(sealed)).toBe(true);
    expect(await ring.openText(sealed)).toBe('Straße 12, Berlin');

    // A v1 value as the store wrote them until now: AES-256-GCM, iv | tag | ciphertext.
    const appKey = await keyOf(ring, 'app_1');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', appKey, iv);
    const body = Buffer.concat([cipher.update('written last year', 'utf8'), cipher.final()]);
    const v1 = `enc:v1:app_1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
    expect(isSealedText(v1)).toBe(true);
    expect(await ring.openText(v1)).toBe('written last year');
    expect(isSealedText('enc:v3:app_1:x')).toBe(false);
  });
});

/** The app's key as the ring unwrapped it (a private method, reached for this test). */
function keyOf(ring: KeyRing, appId: string): Promise<Buffer> {
  return (ring as unknown as { appKey(id: string): Promise<Buffer> }).appKey(appId);
}
