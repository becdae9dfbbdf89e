// Greenhouse signatures against the documented payloads (test/fixtures/ats/greenhouse), the
// documented \uXXXX escaping, malformed headers, and property-based fuzzing.
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { greenhouseSignatureHeader, verifyGreenhouseSignature } from './greenhouse.js';
import type { HeaderBag } from './primitives.js';

const FIXTURES = new URL('../../../test/fixtures/ats/greenhouse/', import.meta.url);
const fixtureNames = readdirSync(FIXTURES).filter((name) => name.endsWith('.json'));
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES));

const SECRET = 'hearback-test-greenhouse-secret-key';
const EVENT_ID = '3ce5180d-9119-4ddc-9ef6-21edb6e76f8a';
const HEX = 'a'.repeat(64);

const delivery = (body: Buffer | string, secret = SECRET) => ({
  signature: greenhouseSignatureHeader(body, secret),
  'greenhouse-event-id': EVENT_ID,
  'content-type': 'application/json',
});

describe('Greenhouse signatures: documented payloads', () => {
  it('has every documented event the issue needs', () => {
    expect(fixtureNames.map((name) => JSON.parse(fixture(name).toString('utf8')).action).sort()).toEqual(
      [
        'candidate_stage_change',
        'delete_application',
        'hire_candidate',
        'merge_candidate',
        'offer_created',
        'offer_deleted',
        'offer_updated',
        'reject_candidate',
        'unhire_candidate',
        'unreject_candidate',
      ].sort(),
    );
  });

  it.each(fixtureNames)('%s verifies once signed, and hands back the Greenhouse-Event-ID', (name) => {
    const body = fixture(name);
    const headers = delivery(body);
    expect(headers.signature).toMatch(/^sha256 [0-9a-f]{64}$/);
    expect(verifyGreenhouseSignature({ body, headers, secret: SECRET })).toEqual({ ok: true, eventId: EVENT_ID });
  });

  it.each(fixtureNames)('%s fails when tampered with, re-serialised or checked with another key', (name) => {
    const body = fixture(name);
    const headers = delivery(body);
    const tampered = Buffer.from(body.toString('utf8').replace(/"id": (\d)/, '"id": 9$1'));
    expect(tampered.equals(body)).toBe(false);
    expect(verifyGreenhouseSignature({ body: tampered, headers, secret: SECRET })).toMatchObject({ ok: false, error: 'invalid_signature' });
    const reserialised = JSON.stringify(JSON.parse(body.toString('utf8')));
    expect(verifyGreenhouseSignature({ body: reserialised, headers, secret: SECRET })).toMatchObject({ ok: false, error: 'invalid_signature' });
    expect(verifyGreenhouseSignature({ body, headers, secret: `${SECRET}-rotated` })).toMatchObject({ ok: false, error: 'invalid_signature' });
  });

  it('verifies the body as sent, with Greenhouse’s \\uXXXX escapes, and not the decoded text', () => {
    // "Greenhouse will escape Unicode characters when they are encoded as JSON before computing
    // the signature ... we use the string exactly as it appears in the body."
    const raw = fixture('candidate_stage_change.json').toString('utf8').replace('"Giuseppe"', '"Zo\\u00eb \\u003cb\\u003e"');
    const headers = delivery(raw);
    expect(verifyGreenhouseSignature({ body: raw, headers, secret: SECRET }).ok).toBe(true);
    const decoded = JSON.stringify(JSON.parse(raw), null, 2);
    expect(decoded).toContain('"Zoë <b>"');
    expect(verifyGreenhouseSignature({ body: decoded, headers, secret: SECRET })).toMatchObject({ ok: false, error: 'invalid_signature' });
  });
});

describe('Greenhouse signatures: header handling', () => {
  const body = fixture('hire_candidate.json');
  const signature = greenhouseSignatureHeader(body, SECRET);
  const check = (headers: HeaderBag, secret = SECRET) => verifyGreenhouseSignature({ body, headers, secret });

  it('reads the header in any case and the digest in either case', () => {
    expect(check({ Signature: signature }).ok).toBe(true);
    expect(check({ SIGNATURE: signature.toUpperCase() }).ok).toBe(true);
    expect(check({ signature: `  ${signature}  ` }).ok).toBe(true);
  });

  it('returns no event id when none (or an unusable one) was sent', () => {
    expect(check({ signature })).toEqual({ ok: true, eventId: null });
    expect(check({ signature, 'greenhouse-event-id': 'x'.repeat(300) })).toEqual({ ok: true, eventId: null });
  });

  it.each([
    [{}, 'missing_signature'],
    [{ signature: '' }, 'missing_signature'],
    [{ signature: [signature, signature] }, 'malformed_signature'],
    [{ signature: signature.replace(' ', '=') }, 'malformed_signature'],
    [{ signature: signature.slice(0, -1) }, 'malformed_signature'],
    [{ signature: `${signature}0` }, 'malformed_signature'],
    [{ signature: `sha256 ${'g'.repeat(64)}` }, 'malformed_signature'],
    [{ signature: `sha256 ${HEX} extra` }, 'malformed_signature'],
    [{ signature: `sha1 ${HEX}` }, 'unsupported_algorithm'],
    [{ signature: `sha256 ${HEX}` }, 'invalid_signature'],
  ] as const)('%j → %s', (headers, error) => {
    expect(check(headers)).toMatchObject({ ok: false, error });
  });

  it('refuses to verify without a secret, or with a body that is not raw bytes', () => {
    expect(check({ signature }, '')).toMatchObject({ ok: false, error: 'bad_secret' });
    expect(verifyGreenhouseSignature({ body: JSON.parse(body.toString('utf8')) as never, headers: { signature }, secret: SECRET })).toMatchObject({
      ok: false,
      error: 'invalid_body',
    });
    expect(verifyGreenhouseSignature({ body, headers: null as never, secret: SECRET })).toMatchObject({ ok: false, error: 'missing_signature' });
  });
});

describe('Greenhouse signatures (property-based)', () => {
  const bodyArb = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 500 }), fc.uint8Array({ maxLength: 2048 }));
  const secretArb = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 64 });

  it('any body and any key, including non-ASCII, verify once signed', () => {
    fc.assert(
      fc.property(bodyArb, secretArb, (body, secret) => {
        expect(verifyGreenhouseSignature({ body, headers: delivery(Buffer.from(body), secret), secret })).toEqual({ ok: true, eventId: EVENT_ID });
      }),
    );
  });

  it('changing any byte of the body breaks the signature', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 2048 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (body, position, mask) => {
        const headers = delivery(Buffer.from(body));
        const tampered = Buffer.from(body);
        const index = position % tampered.length;
        tampered[index] = tampered[index]! ^ mask;
        expect(verifyGreenhouseSignature({ body: tampered, headers, secret: SECRET })).toMatchObject({ ok: false, error: 'invalid_signature' });
      }),
    );
  });

  it('garbage signature headers of any length never throw and never verify', () => {
    const header = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 6000 }),
      fc.string({ unit: 'grapheme', maxLength: 100 }).map((rest) => `sha256 ${rest}`),
      fc.uint8Array({ maxLength: 64 }).map((bytes) => `sha256 ${Buffer.from(bytes).toString('hex')}`),
      fc.array(fc.string(), { maxLength: 3 }),
    );
    fc.assert(
      fc.property(header, bodyArb, (signature, body) => {
        expect(verifyGreenhouseSignature({ body, headers: { signature }, secret: SECRET }).ok).toBe(false);
      }),
    );
  });
});
