// Greenhouse Recruiting web hooks (developers.greenhouse.io/webhooks.html, "Authentication"):
// `Signature: sha256 <hex>`, the HMAC-SHA-256 of the entire raw body keyed with the secret key
// typed in when the hook was created. Greenhouse escapes non-ASCII as \uXXXX before signing, and
// signs the body exactly as sent, so only the received bytes verify — never a re-serialised
// body. Every delivery carries a Greenhouse-Event-ID, handed back for the caller to dedupe on.
import { constantTimeEqual, decodeSha256Hex, hmacSha256, isHeaderBag, isRawBody, readHeader, type HeaderBag, type RawBody, type VerifyResult } from './primitives.js';

export const SIGNATURE_HEADER = 'signature';
export const EVENT_ID_HEADER = 'greenhouse-event-id';
const EVENT_ID_PATTERN = /^[\x21-\x7e]{1,255}$/;

export type GreenhouseSignatureError = 'invalid_body' | 'missing_signature' | 'malformed_signature' | 'unsupported_algorithm' | 'bad_secret' | 'invalid_signature';

/** The `Signature` header Greenhouse would send for this body (for tests and local simulation). */
export const greenhouseSignatureHeader = (body: RawBody, secret: string): string => `sha256 ${hmacSha256(secret, body).toString('hex')}`;

export interface GreenhouseVerifyInput {
  body: RawBody;
  headers: HeaderBag;
  secret: string;
}

const fail = (error: GreenhouseSignatureError, message: string) => ({ ok: false as const, error, message });

/**
 * Checks a Greenhouse delivery's signature. Never throws on what arrived over the wire. On
 * success returns the Greenhouse-Event-ID when one was sent (null otherwise).
 */
export function verifyGreenhouseSignature({ body, headers, secret }: GreenhouseVerifyInput): VerifyResult<GreenhouseSignatureError, { eventId: string | null }> {
  if (!isRawBody(body)) return fail('invalid_body', 'the body must be the raw bytes or string received');
  if (typeof secret !== 'string' || secret === '') return fail('bad_secret', 'no Greenhouse secret key is configured');
  if (!isHeaderBag(headers)) return fail('missing_signature', 'no headers were given');
  const header = readHeader(headers, SIGNATURE_HEADER);
  if (header.kind === 'missing') return fail('missing_signature', 'the Signature header is missing');
  if (header.kind === 'invalid') return fail('malformed_signature', header.reason);
  // "The header contains: the SHA algorithm used to generate the signature, a space, and the signature."
  const parts = /^(\S+) +(\S+)$/.exec(header.value);
  if (!parts) return fail('malformed_signature', 'the Signature header is not "<algorithm> <hex digest>"');
  if (parts[1]!.toLowerCase() !== 'sha256') return fail('unsupported_algorithm', 'only sha256 signatures are accepted');
  const offered = decodeSha256Hex(parts[2]!);
  if (!offered) return fail('malformed_signature', 'the digest is not 64 hexadecimal characters');
  if (!constantTimeEqual(offered, hmacSha256(secret, body))) return fail('invalid_signature', 'the signature does not match the body');

  const eventId = readHeader(headers, EVENT_ID_HEADER);
  return { ok: true, eventId: eventId.kind === 'value' && EVENT_ID_PATTERN.test(eventId.value) ? eventId.value : null };
}
