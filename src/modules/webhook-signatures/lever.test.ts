// Lever signatures against the documented payloads (test/fixtures/ats/lever): token +
// triggeredAt signed with the signature token, triggeredAt's age, malformed bodies, and
// property-based fuzzing. Also pins down what the scheme does not cover: `data`.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leverSignature, verifyLeverSignature } from './lever.js';

const FIXTURES = new URL('../../../test/fixtures/ats/lever/', import.meta.url);
interface LeverBody {
  triggeredAt: number;
  event: string;
  data: Record<string, unknown>;
  signature: string;
  token: string;
}
const fixture = (name: string) => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as LeverBody;

const SIGNATURE_TOKEN = 'hearback-test-lever-signature-token';
const HOUR = 3600;

/** A fixture re-signed with the test token, as Lever would have sent it. */
const signed = (name: string) => {
  const body = fixture(name);
  return { ...body, signature: leverSignature(body.token, body.triggeredAt, SIGNATURE_TOKEN) };
};
const check = (body: unknown, nowMs: number, toleranceSeconds = HOUR) => verifyLeverSignature({ body, signatureToken: SIGNATURE_TOKEN, now: new Date(nowMs), toleranceSeconds });

describe('Lever signatures: documented payloads', () => {
  it.each(['candidateStageChange.json', 'candidateArchiveChange.json'])('%s verifies once signed', (name) => {
    const body = signed(name);
    expect(check(body, body.triggeredAt + 60_000)).toEqual({ ok: true, token: body.token, triggeredAt: body.triggeredAt, signedText: `${body.token}${body.triggeredAt}` });
  });

  it('computes what Lever’s documented JavaScript sample computes', () => {
    const body = fixture('candidateStageChange.json');
    const sample = createHmac('sha256', SIGNATURE_TOKEN)
      .update(body.token + body.triggeredAt)
      .digest('hex');
    expect(leverSignature(body.token, body.triggeredAt, SIGNATURE_TOKEN)).toBe(sample);
  });

  it('does not accept the documented signature under another signature token', () => {
    const body = fixture('candidateStageChange.json');
    expect(check(body, body.triggeredAt)).toMatchObject({ ok: false, error: 'invalid_signature' });
  });

  it('refuses the documented test request, whose signature is not hex', () => {
    const body = fixture('candidateHired.test-request.json');
    expect(check(body, body.triggeredAt)).toMatchObject({ ok: false, error: 'malformed_signature' });
  });

  it('does not sign data: a changed data object still verifies (so data is a pointer, never a fact)', () => {
    const body = signed('candidateStageChange.json');
    const forged = { ...body, data: { ...body.data, toStageId: 'offer' } };
    expect(check(forged, body.triggeredAt).ok).toBe(true);
  });

  it('fails when token or triggeredAt change', () => {
    const body = signed('candidateStageChange.json');
    expect(check({ ...body, token: `${body.token.slice(0, -1)}0` }, body.triggeredAt)).toMatchObject({ ok: false, error: 'invalid_signature' });
    expect(check({ ...body, triggeredAt: body.triggeredAt + 1 }, body.triggeredAt)).toMatchObject({ ok: false, error: 'invalid_signature' });
  });
});

describe('Lever signatures: triggeredAt', () => {
  const body = signed('candidateStageChange.json');

  it('accepts the edges of the tolerance and refuses beyond them', () => {
    expect(check(body, body.triggeredAt + HOUR * 1000).ok).toBe(true);
    expect(check(body, body.triggeredAt - HOUR * 1000).ok).toBe(true);
    expect(check(body, body.triggeredAt + HOUR * 1000 + 1)).toMatchObject({ ok: false, error: 'timestamp_too_old' });
    expect(check(body, body.triggeredAt - HOUR * 1000 - 1)).toMatchObject({ ok: false, error: 'timestamp_in_future' });
  });

  it('accepts triggeredAt sent as a string of digits, signed as that text', () => {
    const text = String(body.triggeredAt);
    expect(check({ ...body, triggeredAt: text, signature: leverSignature(body.token, text, SIGNATURE_TOKEN) }, body.triggeredAt).ok).toBe(true);
  });

  it.each([-1, 1.5, Number.MAX_SAFE_INTEGER + 2, Number.NaN, '1e12', '12 ', '', true, {}, []])('refuses triggeredAt %j', (triggeredAt) => {
    expect(check({ ...body, triggeredAt }, body.triggeredAt)).toMatchObject({ ok: false, error: 'invalid_timestamp' });
  });

  it('throws on a nonsensical clock or tolerance (configuration, not input)', () => {
    expect(() => verifyLeverSignature({ body, signatureToken: SIGNATURE_TOKEN, now: new Date(Number.NaN), toleranceSeconds: HOUR })).toThrow(TypeError);
    expect(() => verifyLeverSignature({ body, signatureToken: SIGNATURE_TOKEN, now: new Date(), toleranceSeconds: -1 })).toThrow(RangeError);
  });
});

describe('Lever signatures: malformed bodies', () => {
  const body = signed('candidateStageChange.json');

  it.each([null, undefined, 'a string', 42, [body]])('refuses a body that is not an object: %j', (bad) => {
    expect(check(bad, body.triggeredAt)).toMatchObject({ ok: false, error: 'invalid_body' });
  });

  it.each(['token', 'triggeredAt', 'signature'])('refuses a body without %s', (field) => {
    const rest: Record<string, unknown> = { ...body };
    delete rest[field];
    expect(check(rest, body.triggeredAt)).toMatchObject({ ok: false, error: 'missing_fields' });
  });

  it.each([42, '', 'abc', body.signature.slice(1), `${body.signature}0`, body.signature.replace(/^./, 'é')])('refuses signature %j', (signature) => {
    expect(check({ ...body, signature }, body.triggeredAt)).toMatchObject({ ok: false, error: 'malformed_signature' });
  });

  it('refuses an empty or overlong token, and verifying without a signature token', () => {
    expect(check({ ...body, token: '' }, body.triggeredAt)).toMatchObject({ ok: false, error: 'missing_fields' });
    expect(check({ ...body, token: 'x'.repeat(257) }, body.triggeredAt)).toMatchObject({ ok: false, error: 'missing_fields' });
    expect(verifyLeverSignature({ body, signatureToken: '', now: new Date(body.triggeredAt), toleranceSeconds: HOUR })).toMatchObject({
      ok: false,
      error: 'bad_secret',
    });
  });
});

describe('Lever signatures: a token per webhook (registered through the API)', () => {
  const body = fixture('candidateStageChange.json');
  const tokens = new Map([
    ['candidateStageChange', 'token-of-the-stage-change-webhook'],
    ['candidateHired', 'token-of-the-hired-webhook'],
  ]);
  const tokenOf = (event: string) => tokens.get(event) ?? null;
  const signedFor = (event: string) => ({ ...body, event, signature: leverSignature(body.token, body.triggeredAt, tokens.get(event)!) });
  const checkEach = (b: unknown) => verifyLeverSignature({ body: b, signatureToken: tokenOf, now: new Date(body.triggeredAt), toleranceSeconds: HOUR });

  it('verifies with the token of the event the body names', () => {
    expect(checkEach(signedFor('candidateStageChange')).ok).toBe(true);
    expect(checkEach(signedFor('candidateHired')).ok).toBe(true);
  });

  it('a delivery signed with one event’s token does not verify as another event', () => {
    expect(checkEach({ ...signedFor('candidateHired'), event: 'candidateStageChange' })).toMatchObject({ ok: false, error: 'invalid_signature' });
    expect(checkEach({ ...signedFor('candidateStageChange'), event: 'candidateHired' })).toMatchObject({ ok: false, error: 'invalid_signature' });
  });

  it('refuses an event with no token of its own, and a body without an event', () => {
    expect(checkEach({ ...signedFor('candidateHired'), event: 'applicationCreated' })).toMatchObject({ ok: false, error: 'no_token_for_event' });
    expect(checkEach({ ...signedFor('candidateHired'), event: '__proto__' })).toMatchObject({ ok: false, error: 'no_token_for_event' });
    const withoutEvent: Record<string, unknown> = signedFor('candidateHired');
    delete withoutEvent.event;
    expect(checkEach(withoutEvent)).toMatchObject({ ok: false, error: 'missing_fields' });
    expect(checkEach({ ...signedFor('candidateHired'), event: 42 })).toMatchObject({ ok: false, error: 'missing_fields' });
    expect(checkEach({ ...signedFor('candidateHired'), event: 'x'.repeat(101) })).toMatchObject({ ok: false, error: 'missing_fields' });
  });

  it('the token typed in by hand (one for every event) does not verify a webhook with tokens of its own', () => {
    const byHand = { ...body, signature: leverSignature(body.token, body.triggeredAt, SIGNATURE_TOKEN) };
    expect(check(byHand, body.triggeredAt).ok).toBe(true);
    expect(checkEach(byHand)).toMatchObject({ ok: false, error: 'invalid_signature' });
  });
});

describe('Lever signatures (property-based)', () => {
  const tokenArb = fc.oneof(fc.stringMatching(/^[0-9a-f]{48}$/), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 64 }));
  const timeArb = fc.integer({ min: 0, max: 4_000_000_000_000 });

  it('any token, including non-ASCII, verifies once signed, and any change to the signature breaks it', () => {
    fc.assert(
      fc.property(tokenArb, timeArb, fc.nat(63), fc.integer({ min: 1, max: 15 }), (token, triggeredAt, position, step) => {
        const signature = leverSignature(token, triggeredAt, SIGNATURE_TOKEN);
        expect(check({ token, triggeredAt, signature, event: 'candidateHired', data: {} }, triggeredAt)).toEqual({
          ok: true,
          token,
          triggeredAt,
          signedText: `${token}${triggeredAt}`,
        });
        const digit = (parseInt(signature[position]!, 16) + step) % 16;
        const altered = signature.slice(0, position) + digit.toString(16) + signature.slice(position + 1);
        expect(check({ token, triggeredAt, signature: altered }, triggeredAt)).toMatchObject({ ok: false, error: 'invalid_signature' });
      }),
    );
  });

  it('garbage bodies never throw and never verify', () => {
    const plausible = fc.record({
      token: fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.anything()),
      triggeredAt: fc.oneof(timeArb, fc.string({ maxLength: 20 }), fc.double(), fc.anything()),
      signature: fc.oneof(fc.stringMatching(/^[0-9a-fA-F]{64}$/), fc.string({ unit: 'binary', maxLength: 200 }), fc.anything()),
      data: fc.anything(),
    });
    fc.assert(
      fc.property(fc.oneof(fc.anything(), plausible), (body) => {
        expect(check(body, 2_000_000_000_000, 4_000_000_000).ok).toBe(false);
      }),
    );
  });

  it('stale and future triggeredAt are refused, whatever the tolerance', () => {
    fc.assert(
      fc.property(timeArb, fc.integer({ min: 0, max: 7 * 24 * HOUR }), fc.integer({ min: 1, max: 10_000_000_000 }), fc.boolean(), (triggeredAt, tolerance, beyond, late) => {
        const body = { token: 'be58f711f349c7780e4579cd7c63341ac6f881e4dccc3154', triggeredAt };
        const signature = leverSignature(body.token, triggeredAt, SIGNATURE_TOKEN);
        const nowMs = late ? triggeredAt + tolerance * 1000 + beyond : triggeredAt - tolerance * 1000 - beyond;
        expect(check({ ...body, signature }, nowMs, tolerance)).toMatchObject({ ok: false, error: late ? 'timestamp_too_old' : 'timestamp_in_future' });
      }),
    );
  });
});
