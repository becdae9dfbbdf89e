import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSealer } from './crypto.js';

const keyBytes = randomBytes(32);
const sealer = createSealer(keyBytes.toString('base64'));
const text = '{"apiKey":{"id":"0193"},"secret":"hb_live_é✓"}';

describe('createSealer', () => {
  it('seals and opens in the v1 format: IV, tag, AES-256-GCM body under the raw key bytes (values stored before the key became a KeyObject still open)', () => {
    // Sealed as the bytes-keyed version did.
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', keyBytes, iv);
    const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    const stored = `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    expect(sealer.open(stored)).toBe(text);

    // And what it seals now opens with the bytes.
    const raw = Buffer.from(sealer.seal(text).slice(3), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', keyBytes, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    expect(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')).toBe(text);
  });

  it('refuses a tampered value and a key of the wrong size', () => {
    const sealed = Buffer.from(sealer.seal(text).slice(3), 'base64');
    sealed[sealed.length - 1]! ^= 1;
    expect(() => sealer.open(`v1.${sealed.toString('base64')}`)).toThrow();
    expect(() => createSealer(randomBytes(16).toString('base64'))).toThrow('ENCRYPTION_KEY must be 32 bytes');
  });
});
