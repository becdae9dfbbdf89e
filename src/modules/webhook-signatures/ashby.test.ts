// Ashby signatures against the schema-shaped payloads (test/fixtures/ats/ashby), the documented
// `sha256=<hex>` header, malformed headers, and property-based fuzzing.
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ashbySignatureHeader, verifyAshbySignature } from './ashby.js';
import type { HeaderBag } from './primitives.js';

const FIXTURES = new URL('../../../test/fixtures/ats/ashby/', import.meta.url);
const fixtureNames = readdirSync(FIXTURES).filter((name) => name.endsWith('.json'));
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES));

// The example token from Ashby's "Authenticating webhooks" page.
const SECRET = '8b943c474f5d1e1712f13e1a870b485c9b6b2b57';
const HEX = 'f3124911d2956f10aa3a49c43a88bdf13bba846e94f0ae2bd7c034f90239bd04';

describe('Ashby signatures: payloads', () => {
  it('has the three events the issue needs, each keyed on an application id', () => {
    const events = fixtureNames.map((name) => JSON.parse(fixture(name).toString('utf8')) as { action: string; data: { application: { id: string } } });
    expect(events.map((event) => event.action).sort()).toEqual(['applicationUpdate', 'candidateHire', 'candidateStageChange']);
    for (const event of events) expect(event.data.application.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each(fixtureNames)('%s verifies once signed, exactly as the documented Node sample computes it', (name) => {
    const body = fixture(name);
    const headers = { 'ashby-signature': ashbySignatureHeader(body, SECRET) };
    expect(headers['ashby-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`);
    expect(verifyAshbySignature({ body, headers, secret: SECRET })).toEqual({ ok: true });
  });

  it.each(fixtureNames)('%s fails when tampered with or re-serialised', (name) => {
    const body = fixture(name);
    const headers = { 'ashby-signature': ashbySignatureHeader(body, SECRET) };
    const tampered = body.toString('utf8').replace(/"status": "\w+"/, '"status": "Hired "');
    expect(verifyAshbySignature({ body: tampered, headers, secret: SECRET })).toMatchObject({ ok: false, error: 'invalid_signature' });
    expect(verifyAshbySignature({ body: JSON.stringify(JSON.parse(body.toString('utf8'))), headers, secret: SECRET })).toMatchObject({
      ok: false,
      error: 'invalid_signature',
    });
  });

  it('signs the UTF-8 bytes of a non-ASCII body', () => {
    const body = fixture('candidateHire.json');
    expect(body.toString('utf8')).toContain('Chloé Lefèvre');
    const headers = { 'ashby-signature': ashbySignatureHeader(body.toString('utf8'), SECRET) };
    expect(verifyAshbySignature({ body, headers, secret: SECRET }).ok).toBe(true);
    expect(verifyAshbySignature({ body: Buffer.from(body.toString('utf8'), 'latin1'), headers, secret: SECRET }).ok).toBe(false);
  });
});

describe('Ashby signatures: header handling', () => {
  const body = fixture('candidateStageChange.json');
  const signature = ashbySignatureHeader(body, SECRET);
  const check = (headers: HeaderBag, secret = SECRET) => verifyAshbySignature({ body, headers, secret });

  it('reads the header in any case', () => {
    expect(check({ 'Ashby-Signature': signature }).ok).toBe(true);
    expect(check({ 'ASHBY-SIGNATURE': signature.replace('sha256', 'SHA256') }).ok).toBe(true);
  });

  it.each([
    [{}, 'missing_signature'],
    [{ 'ashby-signature': ' ' }, 'missing_signature'],
    [{ 'ashby-signature': [signature, signature] }, 'malformed_signature'],
    [{ 'ashby-signature': signature.replace('=', ' ') }, 'malformed_signature'],
    [{ 'ashby-signature': `sha256=${HEX.slice(1)}` }, 'malformed_signature'],
    [{ 'ashby-signature': `sha256=${HEX}=` }, 'malformed_signature'],
    [{ 'ashby-signature': `sha256=${'é'.repeat(64)}` }, 'malformed_signature'],
    [{ 'ashby-signature': `sha512=${HEX}` }, 'unsupported_algorithm'],
    [{ 'ashby-signature': `sha256=${HEX}` }, 'invalid_signature'],
  ] as const)('%j → %s', (headers, error) => {
    expect(check(headers)).toMatchObject({ ok: false, error });
  });

  it('refuses to verify without a secret token', () => {
    expect(check({ 'ashby-signature': signature }, '')).toMatchObject({ ok: false, error: 'bad_secret' });
  });
});

describe('Ashby signatures (property-based)', () => {
  const bodyArb = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 500 }), fc.uint8Array({ maxLength: 2048 }));

  it('any body verifies once signed, and fails once any byte changes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 2048 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (body, position, mask) => {
        const headers = { 'ashby-signature': ashbySignatureHeader(body, SECRET) };
        expect(verifyAshbySignature({ body, headers, secret: SECRET }).ok).toBe(true);
        const tampered = Buffer.from(body);
        const index = position % tampered.length;
        tampered[index] = tampered[index]! ^ mask;
        expect(verifyAshbySignature({ body: tampered, headers, secret: SECRET })).toMatchObject({ ok: false, error: 'invalid_signature' });
      }),
    );
  });

  it('garbage headers and secrets never throw and never verify', () => {
    const header = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 6000 }),
      fc.string({ unit: 'grapheme', maxLength: 100 }).map((rest) => `sha256=${rest}`),
      fc.uint8Array({ maxLength: 64 }).map((bytes) => `sha256=${Buffer.from(bytes).toString('hex')}`),
    );
    fc.assert(
      fc.property(header, bodyArb, fc.string({ unit: 'binary', maxLength: 80 }), (signature, body, secret) => {
        expect(verifyAshbySignature({ body, headers: { 'ashby-signature': signature }, secret }).ok).toBe(false);
      }),
    );
  });
});
