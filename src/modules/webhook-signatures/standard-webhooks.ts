// Standard Webhooks v1 (github.com/standard-webhooks/standard-webhooks, spec/standard-webhooks.md):
// our outbound webhooks are signed this way, and generic inbound ones are checked this way.
// Three headers — webhook-id, webhook-timestamp (unix seconds) and webhook-signature, a
// space-separated list of `v1,<base64 HMAC-SHA-256 of "{id}.{timestamp}.{body}">`. The list is
// what makes secret rotation painless: while old and new secrets overlap, each signs, and a
// receiver holding either accepts. Secrets are `whsec_` + base64 of 24–64 random bytes.
import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { assertClock, checkWindow, constantTimeEqual, hmacSha256, isHeaderBag, isRawBody, readHeader, type HeaderBag, type RawBody, type VerifyResult } from './primitives.js';

export const SECRET_PREFIX = 'whsec_';
export const HEADER_ID = 'webhook-id';
export const HEADER_TIMESTAMP = 'webhook-timestamp';
export const HEADER_SIGNATURE = 'webhook-signature';
/** The spec's and the reference libraries' default: five minutes either side of now. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

// The spec: "Random. At least 24 bytes (192 bits, 512 maximum)".
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;
// Ids and timestamps must never contain `.`, or "{id}.{timestamp}.{body}" stops being unambiguous.
const ID_PATTERN = /^[\x21-\x2d\x2f-\x7e]{1,256}$/;
const TIMESTAMP_PATTERN = /^\d{1,12}$/;
const V1_SIGNATURE_PATTERN = /^[A-Za-z0-9+/]{43}=$/;
// More signatures than any rotation needs is a request to burn CPU.
const MAX_SIGNATURES = 32;

export type StandardWebhooksError =
  'invalid_body' | 'missing_headers' | 'invalid_headers' | 'invalid_timestamp' | 'timestamp_too_old' | 'timestamp_in_future' | 'bad_secret' | 'invalid_signature';

/** A fresh signing secret: `whsec_` + base64 of 32 random bytes. */
export const generateSecret = (): string => SECRET_PREFIX + randomBytes(32).toString('base64');

/**
 * The key bytes of a secret (with or without the `whsec_` prefix, as the reference libraries
 * accept), or null when it is not canonical base64 of 24–64 bytes.
 */
export function decodeSecret(secret: string): Buffer | null {
  if (typeof secret !== 'string') return null;
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (encoded.length === 0 || encoded.length > 88) return null;
  const key = Buffer.from(encoded, 'base64');
  // Re-encoding rejects stray characters, missing padding and non-zero padding bits alike.
  if (key.toString('base64') !== encoded) return null;
  return key.length >= MIN_SECRET_BYTES && key.length <= MAX_SECRET_BYTES ? key : null;
}

export interface SignInput {
  /** The message id; stays the same across retries, so receivers can dedupe on it. */
  id: string;
  /** The attempt's time in unix seconds; a retry gets a new one. */
  timestamp: number;
  body: RawBody;
  /** Every secret currently valid for the endpoint: one normally, old and new during a rotation. */
  secrets: readonly string[];
}

const digest = (key: Buffer | KeyObject, id: string, timestamp: number, body: RawBody) => hmacSha256(key, `${id}.${timestamp}.`, body);

/** One attempt's message: signed with every key the signer holds. */
export type SignedMessage = Omit<SignInput, 'secrets'>;

/**
 * Signs many messages with one set of secrets: each secret is decoded and made a key object once,
 * not once per message (that was a twentieth of a webhook delivery's CPU). Throws on a bad secret
 * here, and on a bad id or timestamp when signing (our own data).
 */
export function webhookSigner(secrets: readonly string[]): (message: SignedMessage) => Record<string, string> {
  if (secrets.length === 0) throw new RangeError('signing needs at least one secret');
  const keys = secrets.map((secret) => {
    const key = decodeSecret(secret);
    if (!key) throw new RangeError('a signing secret is not whsec_ + base64 of 24-64 bytes');
    return createSecretKey(key);
  });
  return ({ id, timestamp, body }) => {
    if (!ID_PATTERN.test(id)) throw new RangeError('webhook id must be 1-256 printable ASCII characters without "."');
    if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new RangeError('webhook timestamp must be whole unix seconds');
    return {
      [HEADER_ID]: id,
      [HEADER_TIMESTAMP]: String(timestamp),
      [HEADER_SIGNATURE]: keys.map((key) => `v1,${digest(key, id, timestamp, body).toString('base64')}`).join(' '),
    };
  };
}

/** The `webhook-signature` header value: `v1,<base64>` for each secret, space-separated. Throws on a bad id, timestamp or secret (our own data). */
export function sign({ id, timestamp, body, secrets }: SignInput): string {
  // The checks in the spec's order: id, then timestamp, then secrets.
  if (!ID_PATTERN.test(id)) throw new RangeError('webhook id must be 1-256 printable ASCII characters without "."');
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new RangeError('webhook timestamp must be whole unix seconds');
  return webhookSigner(secrets)({ id, timestamp, body })[HEADER_SIGNATURE]!;
}

/** The three headers of one delivery attempt. */
export const webhookHeaders = (input: SignInput): Record<string, string> => webhookSigner(input.secrets)(input);

export interface VerifyInput {
  headers: HeaderBag;
  /** The raw request body, byte for byte; a re-serialised JSON body will not verify. */
  body: RawBody;
  /** Every secret to accept (two while a rotation overlaps). */
  secrets: readonly string[];
  now: Date;
  toleranceSeconds?: number;
}

const fail = (error: StandardWebhooksError, message: string) => ({ ok: false as const, error, message });

/**
 * Checks a Standard Webhooks delivery. Never throws on what arrived over the wire; on success
 * returns the message id (the idempotency key) and the attempt's timestamp.
 */
export function verify({
  headers,
  body,
  secrets,
  now,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
}: VerifyInput): VerifyResult<StandardWebhooksError, { id: string; timestamp: number }> {
  assertClock(now, toleranceSeconds);
  if (!isRawBody(body)) return fail('invalid_body', 'the body must be the raw bytes or string received');
  if (!isHeaderBag(headers)) return fail('missing_headers', 'no headers were given');

  const values: string[] = [];
  for (const name of [HEADER_ID, HEADER_TIMESTAMP, HEADER_SIGNATURE]) {
    const lookup = readHeader(headers, name);
    if (lookup.kind === 'missing') return fail('missing_headers', `${name} is missing`);
    if (lookup.kind === 'invalid') return fail('invalid_headers', lookup.reason);
    values.push(lookup.value);
  }
  const [id, timestampText, signatureList] = values as [string, string, string];
  if (!ID_PATTERN.test(id)) return fail('invalid_headers', `${HEADER_ID} must be 1-256 printable ASCII characters without "."`);
  if (!TIMESTAMP_PATTERN.test(timestampText)) return fail('invalid_timestamp', `${HEADER_TIMESTAMP} must be whole unix seconds`);

  const keys = Array.isArray(secrets) ? secrets.map(decodeSecret) : [];
  if (keys.length === 0 || !keys.every((key) => key !== null)) return fail('bad_secret', 'a verification secret is missing or not whsec_ + base64 of 24-64 bytes');

  const timestamp = Number(timestampText);
  const window = checkWindow(timestamp * 1000, now.getTime(), toleranceSeconds * 1000);
  if (window === 'too_old') return fail('timestamp_too_old', `${HEADER_TIMESTAMP} is more than ${toleranceSeconds}s in the past`);
  if (window === 'in_future') return fail('timestamp_in_future', `${HEADER_TIMESTAMP} is more than ${toleranceSeconds}s in the future`);

  const offered = signatureList.split(' ').filter((entry) => entry !== '');
  if (offered.length > MAX_SIGNATURES) return fail('invalid_headers', `${HEADER_SIGNATURE} lists more than ${MAX_SIGNATURES} signatures`);
  const expected = keys.map((key) => digest(key, id, timestamp, body));
  let matched = false;
  for (const entry of offered) {
    const comma = entry.indexOf(',');
    // Other versions (v1a is the asymmetric scheme) are not ours to check; skip them.
    if (comma === -1 || entry.slice(0, comma) !== 'v1') continue;
    const encoded = entry.slice(comma + 1);
    if (!V1_SIGNATURE_PATTERN.test(encoded)) continue;
    const candidate = Buffer.from(encoded, 'base64');
    for (const mac of expected) matched = constantTimeEqual(candidate, mac) || matched;
  }
  if (!matched) return fail('invalid_signature', `no v1 signature in ${HEADER_SIGNATURE} matches`);
  return { ok: true, id, timestamp };
}
