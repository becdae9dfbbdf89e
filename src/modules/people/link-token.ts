// Secrets in links and cookies: 256 random bits, base64url (43 characters). Only their SHA-256
// is stored, so a read of the database signs nobody in.
import { createHmac, randomBytes } from 'node:crypto';
import { sha256Hex } from '../../lib/hash.js';

export const LINK_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: sha256Hex(token) };
}

/** The stored hash of a presented token, or null when it cannot be one of ours. */
export const hashOf = (presented: string): string | null => (LINK_TOKEN.test(presented) ? sha256Hex(presented) : null);

/** A session's CSRF token: an HMAC of its cookie value, so it needs no storage and dies with the session. */
export const csrfTokenOf = (secret: string, sessionToken: string) => createHmac('sha256', secret).update(`csrf\u0000${sessionToken}`).digest('base64url');
