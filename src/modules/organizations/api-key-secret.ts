// API key secrets: `hb_live_` + 256 random bits (base64url). Only the SHA-256 is stored; a fast
// hash is right here because the secret is random, not a password a person chose.
import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../../lib/hash.js';

export const API_KEY_PREFIX = 'hb_live_';
const SECRET_PATTERN = /^hb_live_[A-Za-z0-9_-]{43}$/;

export interface NewApiKeySecret {
  secret: string;
  prefix: string;
  hash: string;
}

export function generateApiKeySecret(): NewApiKeySecret {
  const secret = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  return { secret, prefix: secret.slice(0, API_KEY_PREFIX.length + 8), hash: sha256Hex(secret) };
}

/** The stored hash of a presented key, or null when it cannot be one of ours. */
export function hashPresentedKey(presented: string): string | null {
  return SECRET_PATTERN.test(presented) ? sha256Hex(presented) : null;
}
