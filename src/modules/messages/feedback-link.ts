// The candidate's private feedback link. Its 256-bit token is derived from the message id with
// a server secret (HMAC-SHA-256), so every render can print it while only its SHA-256 is
// stored: a database leak reveals no working link, and the page (its own issue) looks the
// token up by hash.
import { createHmac } from 'node:crypto';
import { sha256Hex } from '../../lib/hash.js';

export function feedbackToken(secretBase64: string, messageId: string): string {
  return createHmac('sha256', Buffer.from(secretBase64, 'base64')).update(`feedback-link:${messageId}`).digest('base64url');
}

export function feedbackLink(publicBaseUrl: string, secretBase64: string, messageId: string) {
  const token = feedbackToken(secretBase64, messageId);
  return { url: `${publicBaseUrl}/f/${token}`, tokenHash: sha256Hex(token) };
}
