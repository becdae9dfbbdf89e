// Secrets at rest (stored API responses that contain a key, organizations' Postmark tokens):
// AES-256-GCM with ENCRYPTION_KEY. The `v1.` prefix leaves room for key rotation.
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes } from 'node:crypto';

export interface Sealer {
  seal(plaintext: string): string;
  open(sealed: string): string;
}

export function createSealer(base64Key: string): Sealer {
  const bytes = Buffer.from(base64Key, 'base64');
  if (bytes.length !== 32) throw new Error('ENCRYPTION_KEY must be 32 bytes');
  // A KeyObject made once: given the bytes, every cipher would import the key again (~3x the cost of a short seal).
  const key = createSecretKey(bytes);
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    open(sealed) {
      if (!sealed.startsWith('v1.')) throw new Error('unknown sealed format');
      const raw = Buffer.from(sealed.slice(3), 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
