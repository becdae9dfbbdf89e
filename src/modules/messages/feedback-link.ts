// The candidate's private feedback link. Its 256-bit token is derived from the message id with
// a server secret (HMAC-SHA-256) and never stored: rendered content keeps a placeholder, the
// sender puts the token in at the last moment, and only the token's SHA-256 is kept for the
// candidate page to find the message. A database leak or a read-only API key reveals no
// working link.
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { sha256Hex } from '../../lib/hash.js';

export const FEEDBACK_TOKEN_PLACEHOLDER = '__HEARBACK_FEEDBACK_TOKEN__';

/**
 * The secret's key object, made once: a raw buffer key is turned into one on every HMAC, which
 * cost three times the HMAC itself (a batch of 500 sends derives 500 tokens). A process holds
 * one or two secrets (a rotation), so the map stays tiny.
 */
const keys = new Map<string, KeyObject>();
function keyOf(secretBase64: string): KeyObject {
  let key = keys.get(secretBase64);
  if (!key) {
    key = createSecretKey(Buffer.from(secretBase64, 'base64'));
    if (keys.size >= 8) keys.clear();
    keys.set(secretBase64, key);
  }
  return key;
}

export function feedbackToken(secretBase64: string, messageId: string): string {
  return createHmac('sha256', keyOf(secretBase64)).update(`hearback-feedback-link:${messageId}`).digest('base64url');
}

export const feedbackTokenHash = (secretBase64: string, messageId: string) => sha256Hex(feedbackToken(secretBase64, messageId));

/** The link as rendered and stored: the page's address with the placeholder for the token. */
export const placeholderLink = (publicBaseUrl: string) => `${publicBaseUrl}/f/${FEEDBACK_TOKEN_PLACEHOLDER}`;

/** The content as the candidate receives it (called by the sender, never stored). */
export function withFeedbackToken<T extends { subject: string; html: string; text: string }>(content: T, token: string): T {
  const put = (part: string) => part.replaceAll(FEEDBACK_TOKEN_PLACEHOLDER, token);
  return { ...content, subject: put(content.subject), html: put(content.html), text: put(content.text) };
}
