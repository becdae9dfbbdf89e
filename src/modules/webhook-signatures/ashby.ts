// Ashby webhooks (developers.ashbyhq.com/docs/authenticating-webhooks): with a secret token set,
// `Ashby-Signature: sha256=<hex>` is the HMAC-SHA-256 of the raw JSON body keyed with that token.
// There is no timestamp or delivery id in the scheme, so replay protection has to come from the
// caller deduplicating on what the payload says (application id and its updatedAt).
import { constantTimeEqual, decodeSha256Hex, hmacSha256, isHeaderBag, isRawBody, readHeader, type HeaderBag, type RawBody, type VerifyResult } from './primitives.js';

export const SIGNATURE_HEADER = 'ashby-signature';

export type AshbySignatureError = 'invalid_body' | 'missing_signature' | 'malformed_signature' | 'unsupported_algorithm' | 'bad_secret' | 'invalid_signature';

/** The `Ashby-Signature` header Ashby would send for this body (for tests and local simulation). */
export const ashbySignatureHeader = (body: RawBody, secret: string): string => `sha256=${hmacSha256(secret, body).toString('hex')}`;

export interface AshbyVerifyInput {
  body: RawBody;
  headers: HeaderBag;
  secret: string;
}

const fail = (error: AshbySignatureError, message: string) => ({ ok: false as const, error, message });

/** Checks an Ashby delivery's signature. Never throws on what arrived over the wire. */
export function verifyAshbySignature({ body, headers, secret }: AshbyVerifyInput): VerifyResult<AshbySignatureError> {
  if (!isRawBody(body)) return fail('invalid_body', 'the body must be the raw bytes or string received');
  if (typeof secret !== 'string' || secret === '') return fail('bad_secret', 'no Ashby secret token is configured');
  if (!isHeaderBag(headers)) return fail('missing_signature', 'no headers were given');
  const header = readHeader(headers, SIGNATURE_HEADER);
  if (header.kind === 'missing') return fail('missing_signature', 'the Ashby-Signature header is missing');
  if (header.kind === 'invalid') return fail('malformed_signature', header.reason);
  // "The part before the = indicates the algorithm that was used to compute the hash digest."
  const equals = header.value.indexOf('=');
  if (equals === -1) return fail('malformed_signature', 'the Ashby-Signature header is not "<algorithm>=<hex digest>"');
  if (header.value.slice(0, equals).toLowerCase() !== 'sha256') return fail('unsupported_algorithm', 'only sha256 signatures are accepted');
  const offered = decodeSha256Hex(header.value.slice(equals + 1));
  if (!offered) return fail('malformed_signature', 'the digest is not 64 hexadecimal characters');
  if (!constantTimeEqual(offered, hmacSha256(secret, body))) return fail('invalid_signature', 'the signature does not match the body');
  return { ok: true };
}
