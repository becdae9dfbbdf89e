// The few primitives every webhook signature scheme here shares: HMAC-SHA-256 over raw bytes,
// a constant-time comparison that never throws, strict hex decoding, a header lookup that copes
// with whatever an HTTP layer hands over, and the timestamp window. Kept apart so each provider
// file stays about its own format, and "compare in constant time" is written exactly once.
import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';

/** What a verifier returns: the checked facts, or a stable error code and a sentence for logs. */
export type VerifyResult<Code extends string, Ok extends object = object> = ({ ok: true } & Ok) | { ok: false; error: Code; message: string };

/** Headers as Node and Fastify give them (lower-cased keys), or any casing a caller built by hand. */
export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>;

/** A request body as received: the raw bytes, or a string that is taken as UTF-8. */
export type RawBody = Buffer | Uint8Array | string;

/** Longest header value the verifiers read; anything longer is refused before any work is done. */
export const MAX_HEADER_LENGTH = 4096;

const SHA256_HEX_PATTERN = /^[0-9a-fA-F]{64}$/;

const toBytes = (body: RawBody): Buffer =>
  typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);

/** HMAC-SHA-256 of the parts in order, as if they were one message. */
export function hmacSha256(key: Buffer | string | KeyObject, ...parts: RawBody[]): Buffer {
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(toBytes(part));
  return mac.digest();
}

/** True only for two byte strings of the same length and content; the comparison takes the same time either way. */
export function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The 32 bytes a 64-character hex string spells, or null for anything else (Buffer.from would silently stop at a bad character). */
export const decodeSha256Hex = (hex: string): Buffer | null => (SHA256_HEX_PATTERN.test(hex) ? Buffer.from(hex, 'hex') : null);

export type HeaderLookup = { kind: 'missing' } | { kind: 'invalid'; reason: string } | { kind: 'value'; value: string };

/**
 * One header's value, whatever the casing of its name, trimmed. A header sent twice, or one
 * longer than MAX_HEADER_LENGTH, is invalid rather than guessed at; an empty one is missing.
 */
export function readHeader(headers: HeaderBag, name: string): HeaderLookup {
  const wanted = name.toLowerCase();
  const values: unknown[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    if (Array.isArray(value)) values.push(...(value as unknown[]));
    else values.push(value);
  }
  if (values.length === 0) return { kind: 'missing' };
  if (values.length > 1) return { kind: 'invalid', reason: `${name} was sent more than once` };
  const [only] = values;
  if (typeof only !== 'string') return { kind: 'invalid', reason: `${name} is not text` };
  const value = only.trim();
  if (value === '') return { kind: 'missing' };
  if (value.length > MAX_HEADER_LENGTH) return { kind: 'invalid', reason: `${name} is longer than ${MAX_HEADER_LENGTH} characters` };
  return { kind: 'value', value };
}

/** Guards the verifiers against a caller passing a parsed body (or nothing) where the raw bytes belong. */
export const isRawBody = (body: unknown): body is RawBody => typeof body === 'string' || body instanceof Uint8Array;

/** Guards against a headers argument that is not an object at all. */
export const isHeaderBag = (headers: unknown): headers is HeaderBag => typeof headers === 'object' && headers !== null && !Array.isArray(headers);

export type WindowCheck = 'ok' | 'too_old' | 'in_future';

/** Where an event time falls against now, allowing `toleranceMs` either side. */
export function checkWindow(eventMs: number, nowMs: number, toleranceMs: number): WindowCheck {
  if (nowMs - eventMs > toleranceMs) return 'too_old';
  if (eventMs - nowMs > toleranceMs) return 'in_future';
  return 'ok';
}

/** The caller's clock and tolerance are configuration, not request input: nonsense there is a bug, so it throws. */
export function assertClock(now: Date, toleranceSeconds: number): void {
  if (!(now instanceof Date) || !Number.isFinite(now.getTime())) throw new TypeError('now must be a valid Date');
  if (!Number.isFinite(toleranceSeconds) || toleranceSeconds < 0) throw new RangeError('toleranceSeconds must be a non-negative number');
}
