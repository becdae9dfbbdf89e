// Lever webhooks (hire.lever.co/developer/documentation, "Securing webhooks"): the signature
// travels in the JSON body, next to `token` (random, 48 characters) and `triggeredAt` (epoch
// milliseconds), and is the hex HMAC-SHA-256 of token + triggeredAt keyed with the webhook's
// signature token. No byte of `data` is signed, so a valid signature proves only that Lever sent
// some event with that token at that time. Hence: bound triggeredAt's age here, accept the signed
// text (`signedText`) once whatever event and data come with it, never show token and signature
// to anyone (they are a reusable credential until the first use), and treat data's ids as
// pointers to read back from Lever's API rather than as facts.
//
// Lever signs with one token for every event when its webhooks are set up by hand, and with a
// token per webhook when they are created through its API ("A Webhook signature token for each
// created Webhook": help.lever.co, "What is Lever's Webhooks Subscription API?"). The event is not
// signed either, so with a token per webhook the token is the one of the event the body names: a
// delivery signed for one event cannot be passed off as another, and an event with no token of
// its own is refused.
import { assertClock, checkWindow, constantTimeEqual, decodeSha256Hex, hmacSha256, type VerifyResult } from './primitives.js';

const MAX_TOKEN_LENGTH = 256;
const MAX_EVENT_LENGTH = 100;
const TRIGGERED_AT_TEXT_PATTERN = /^\d{1,16}$/;

export type LeverSignatureError =
  | 'invalid_body'
  | 'missing_fields'
  | 'no_token_for_event'
  | 'malformed_signature'
  | 'invalid_timestamp'
  | 'timestamp_too_old'
  | 'timestamp_in_future'
  | 'bad_secret'
  | 'invalid_signature';

/** The token of an event's own webhook; null when no webhook of that event is known. */
export type LeverTokenOf = (event: string) => string | null;

/** Lever's signature for a token and triggeredAt (for tests and local simulation). */
export const leverSignature = (token: string, triggeredAt: number | string, signatureToken: string): string => hmacSha256(signatureToken, `${token}${triggeredAt}`).toString('hex');

export interface LeverVerifyInput {
  /** The parsed JSON body: `token`, `triggeredAt` and `signature` are read from it. */
  body: unknown;
  /**
   * The signature token from Lever's webhook settings (one for every event), or, for webhooks
   * created through Lever's API, the token of the webhook of the event the body names.
   */
  signatureToken: string | LeverTokenOf;
  now: Date;
  /**
   * How far triggeredAt may be from now. Lever retries a failed delivery (and an admin can rerun
   * one by hand) with the original triggeredAt and signature, so this bounds how late a retry may
   * still be accepted; there is deliberately no default.
   */
  toleranceSeconds: number;
}

const fail = (error: LeverSignatureError, message: string) => ({ ok: false as const, error, message });

/**
 * Checks a Lever delivery's signature and age. Never throws on what arrived over the wire. On
 * success returns the token, triggeredAt in epoch ms, and `signedText`: exactly what the
 * signature covers (token + triggeredAt as sent), the one thing to remember and refuse again —
 * `token: "…0", triggeredAt: 17…` and `token: "…", triggeredAt: "017…"` carry the same signature.
 */
export function verifyLeverSignature({
  body,
  signatureToken,
  now,
  toleranceSeconds,
}: LeverVerifyInput): VerifyResult<LeverSignatureError, { token: string; triggeredAt: number; signedText: string }> {
  assertClock(now, toleranceSeconds);
  if (signatureToken === '' || (typeof signatureToken !== 'string' && typeof signatureToken !== 'function')) return fail('bad_secret', 'no Lever signature token is configured');
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return fail('invalid_body', 'the body is not a JSON object');
  const { token, triggeredAt, signature, event } = body as Record<string, unknown>;
  if (typeof token !== 'string' || token === '' || triggeredAt === undefined || triggeredAt === null || signature === undefined || signature === null) {
    return fail('missing_fields', 'token, triggeredAt and signature are all needed');
  }
  if (token.length > MAX_TOKEN_LENGTH) return fail('missing_fields', `token is longer than ${MAX_TOKEN_LENGTH} characters`);
  let key: string;
  if (typeof signatureToken === 'string') key = signatureToken;
  else {
    if (typeof event !== 'string' || event === '' || event.length > MAX_EVENT_LENGTH) return fail('missing_fields', 'event is needed to choose the signature token');
    const own = signatureToken(event);
    if (typeof own !== 'string' || own === '') return fail('no_token_for_event', `no Lever webhook of this connection was registered for ${event}`);
    key = own;
  }

  // Lever's own sample computes `body.token + body.triggeredAt` in JavaScript, so the signed text
  // is triggeredAt as JSON gave it: a number's decimal digits, or a string's own characters.
  let triggeredAtText: string;
  if (typeof triggeredAt === 'number' && Number.isSafeInteger(triggeredAt) && triggeredAt >= 0) triggeredAtText = String(triggeredAt);
  else if (typeof triggeredAt === 'string' && TRIGGERED_AT_TEXT_PATTERN.test(triggeredAt)) triggeredAtText = triggeredAt;
  else return fail('invalid_timestamp', 'triggeredAt is not epoch milliseconds');
  const triggeredAtMs = Number(triggeredAtText);

  const offered = typeof signature === 'string' ? decodeSha256Hex(signature) : null;
  if (!offered) return fail('malformed_signature', 'signature is not 64 hexadecimal characters');

  const window = checkWindow(triggeredAtMs, now.getTime(), toleranceSeconds * 1000);
  if (window === 'too_old') return fail('timestamp_too_old', `triggeredAt is more than ${toleranceSeconds}s in the past`);
  if (window === 'in_future') return fail('timestamp_in_future', `triggeredAt is more than ${toleranceSeconds}s in the future`);

  if (!constantTimeEqual(offered, hmacSha256(key, token, triggeredAtText))) {
    return fail('invalid_signature', 'the signature does not match token and triggeredAt');
  }
  return { ok: true, token, triggeredAt: triggeredAtMs, signedText: `${token}${triggeredAtText}` };
}

/** The body fields that make a signature usable: replaced before a body is stored or shown. */
export const LEVER_SIGNATURE_FIELDS = ['token', 'signature'] as const;
