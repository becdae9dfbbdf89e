// Standard Webhooks signing and verification: the spec's published test vector (CI fails if our
// bytes ever drift from the reference implementations), the reference library's own failure
// cases, secret rotation, and property-based fuzzing of bodies, headers, secrets and clocks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TOLERANCE_SECONDS, decodeSecret, generateSecret, sign, verify, webhookHeaders, webhookSigner } from './standard-webhooks.js';

// The published test vector: standard-webhooks/standard-webhooks,
// libraries/javascript/src/webhook.test.ts, test "sign function works":
//   const key = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
//   const msgId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
//   const timestamp = new Date(1614265330 * 1000);
//   const payload = '{"test": 2432232314}';
//   const expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
// (the same values drive the Python, Go, Rust, Ruby, PHP, Java, C# and Elixir libraries' tests).
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

const at = (seconds: number) => new Date(seconds * 1000);

describe('Standard Webhooks: published test vector', () => {
  it('signs the vector exactly as the reference libraries do', () => {
    expect(sign({ id: VECTOR.id, timestamp: VECTOR.timestamp, body: VECTOR.body, secrets: [VECTOR.secret] })).toBe(VECTOR.signature);
  });

  it('verifies the vector, with and without the whsec_ prefix, from a string or from bytes', () => {
    const headers = { 'webhook-id': VECTOR.id, 'webhook-timestamp': String(VECTOR.timestamp), 'webhook-signature': VECTOR.signature };
    for (const secret of [VECTOR.secret, VECTOR.secret.slice('whsec_'.length)]) {
      for (const body of [VECTOR.body, Buffer.from(VECTOR.body)]) {
        expect(verify({ headers, body, secrets: [secret], now: at(VECTOR.timestamp) })).toEqual({ ok: true, id: VECTOR.id, timestamp: VECTOR.timestamp });
      }
    }
  });
});

describe('Standard Webhooks: secrets', () => {
  it('generates whsec_ + base64 of 32 random bytes', () => {
    const [a, b] = [generateSecret(), generateSecret()];
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(decodeSecret(a)).toHaveLength(32);
    expect(a).not.toBe(b);
  });

  it('refuses secrets that are not canonical base64 of 24 to 64 bytes', () => {
    for (const bad of [
      '',
      'whsec_',
      'whsec_not base64!',
      'whsec_' + Buffer.alloc(16).toString('base64'),
      'whsec_' + Buffer.alloc(65).toString('base64'),
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS',
    ]) {
      expect(decodeSecret(bad)).toBeNull();
    }
  });

  it('signs with every secret during a rotation, and either one verifies alone', () => {
    const [old, next, stranger] = [generateSecret(), generateSecret(), generateSecret()];
    const input = { id: 'msg_rotation', timestamp: 1_800_000_000, body: '{"type":"decision.confirmed"}', secrets: [old, next] };
    const headers = webhookHeaders(input);
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    const check = (secrets: string[]) => verify({ headers, body: input.body, secrets, now: at(input.timestamp) });
    expect(check([old]).ok).toBe(true);
    expect(check([next]).ok).toBe(true);
    expect(check([stranger])).toMatchObject({ ok: false, error: 'invalid_signature' });
    expect(check([stranger, next]).ok).toBe(true);
  });

  it('throws when asked to sign with nothing, a bad secret, a dotted id or a fractional time (our own data)', () => {
    const base = { id: 'msg_1', timestamp: 1, body: '{}', secrets: [VECTOR.secret] };
    expect(() => sign({ ...base, secrets: [] })).toThrow(RangeError);
    expect(() => sign({ ...base, secrets: ['whsec_short'] })).toThrow(RangeError);
    expect(() => sign({ ...base, id: 'msg.1' })).toThrow(RangeError);
    expect(() => sign({ ...base, timestamp: 1.5 })).toThrow(RangeError);
  });

  it('a signer made once signs every message as webhookHeaders does, and refuses what sign refuses', () => {
    const secrets = [generateSecret(), generateSecret()];
    const signer = webhookSigner(secrets);
    expect(signer({ id: VECTOR.id, timestamp: VECTOR.timestamp, body: VECTOR.body })).toEqual(webhookHeaders({ ...VECTOR, secrets }));
    expect(webhookSigner([VECTOR.secret])({ id: VECTOR.id, timestamp: VECTOR.timestamp, body: Buffer.from(VECTOR.body) })['webhook-signature']).toBe(VECTOR.signature);
    for (let i = 0; i < 3; i++) {
      const message = { id: `msg_${i}`, timestamp: 1_800_000_000 + i, body: `{"n":${i},"text":"Grüße"}` };
      expect(signer(message)).toEqual(webhookHeaders({ ...message, secrets }));
    }
    expect(() => webhookSigner([])).toThrow(RangeError);
    expect(() => webhookSigner(['whsec_short'])).toThrow(RangeError);
    expect(() => signer({ id: 'msg.1', timestamp: 1, body: '{}' })).toThrow(RangeError);
    expect(() => signer({ id: 'msg_1', timestamp: 1.5, body: '{}' })).toThrow(RangeError);
  });

  it('reports a bad verification secret as such, not as a bad signature', () => {
    const headers = webhookHeaders({ id: VECTOR.id, timestamp: VECTOR.timestamp, body: VECTOR.body, secrets: [VECTOR.secret] });
    for (const secrets of [[], ['nonsense'], [VECTOR.secret, '']]) {
      expect(verify({ headers, body: VECTOR.body, secrets, now: at(VECTOR.timestamp) })).toMatchObject({ ok: false, error: 'bad_secret' });
    }
  });
});

describe('Standard Webhooks: rejected deliveries (the reference library’s cases)', () => {
  const now = 1_800_000_000;
  const good = () => webhookHeaders({ id: VECTOR.id, timestamp: now, body: VECTOR.body, secrets: [VECTOR.secret] });
  const check = (headers: Record<string, string | string[] | undefined>, when = now) => verify({ headers, body: VECTOR.body, secrets: [VECTOR.secret], now: at(when) });

  it('needs all three headers', () => {
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      expect(check({ ...good(), [name]: undefined })).toMatchObject({ ok: false, error: 'missing_headers' });
      expect(check({ ...good(), [name]: '   ' })).toMatchObject({ ok: false, error: 'missing_headers' });
    }
  });

  it('reads header names in any case', () => {
    const { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature } = good();
    expect(check({ 'Webhook-Id': id, 'WEBHOOK-TIMESTAMP': timestamp, 'Webhook-Signature': signature }).ok).toBe(true);
  });

  it('refuses a header sent twice, an id with a dot, and a timestamp that is not whole seconds', () => {
    expect(check({ ...good(), 'webhook-signature': [good()['webhook-signature']!, 'v1,x'] })).toMatchObject({ ok: false, error: 'invalid_headers' });
    expect(check({ ...good(), 'Webhook-Id': 'other' })).toMatchObject({ ok: false, error: 'invalid_headers' });
    expect(check({ ...good(), 'webhook-id': 'msg.1' })).toMatchObject({ ok: false, error: 'invalid_headers' });
    for (const timestamp of ['hello', '1.5', '-1', '1e9', '']) {
      expect(check({ ...good(), 'webhook-timestamp': timestamp })).toMatchObject({ ok: false });
    }
    expect(check({ ...good(), 'webhook-timestamp': 'hello' })).toMatchObject({ error: 'invalid_timestamp' });
  });

  it('refuses invalid, partial and empty signatures', () => {
    const valid = good()['webhook-signature']!;
    for (const signature of ['v1,dawfeoifkpqwoekfpqoekf', valid.slice(0, 8), 'v1,', 'v1', valid.replace('v1,', 'v2,'), valid.slice(0, -2) + '==']) {
      expect(check({ ...good(), 'webhook-signature': signature })).toMatchObject({ ok: false, error: 'invalid_signature' });
    }
  });

  it('accepts a list where one signature of several is valid', () => {
    const junk = 'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=';
    const signature = [junk, junk.replace('v1,', 'v2,'), good()['webhook-signature'], junk].join(' ');
    expect(check({ ...good(), 'webhook-signature': signature }).ok).toBe(true);
  });

  it('refuses timestamps outside the tolerance, and accepts its edges', () => {
    expect(check(good(), now + DEFAULT_TOLERANCE_SECONDS).ok).toBe(true);
    expect(check(good(), now - DEFAULT_TOLERANCE_SECONDS).ok).toBe(true);
    expect(check(good(), now + DEFAULT_TOLERANCE_SECONDS + 1)).toMatchObject({ ok: false, error: 'timestamp_too_old' });
    expect(check(good(), now - DEFAULT_TOLERANCE_SECONDS - 1)).toMatchObject({ ok: false, error: 'timestamp_in_future' });
  });

  it('refuses a body that is not raw bytes', () => {
    const result = verify({ headers: good(), body: JSON.parse(VECTOR.body) as never, secrets: [VECTOR.secret], now: at(now) });
    expect(result).toMatchObject({ ok: false, error: 'invalid_body' });
  });
});

describe('Standard Webhooks (property-based)', () => {
  const secret = generateSecret();
  const idArb = fc.stringMatching(/^msg_[A-Za-z0-9_-]{1,40}$/);
  const timeArb = fc.integer({ min: 0, max: 4_000_000_000 });
  const bodyArb = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 500 }), fc.string({ unit: 'binary', maxLength: 500 }), fc.uint8Array({ maxLength: 2048 }));

  it('any body, including non-ASCII text and arbitrary bytes, verifies once signed', () => {
    fc.assert(
      fc.property(idArb, timeArb, bodyArb, (id, timestamp, body) => {
        const headers = webhookHeaders({ id, timestamp, body, secrets: [secret] });
        expect(verify({ headers, body, secrets: [secret], now: at(timestamp) })).toEqual({ ok: true, id, timestamp });
      }),
    );
  });

  it('changing any byte of the body breaks the signature', () => {
    fc.assert(
      fc.property(idArb, timeArb, fc.uint8Array({ minLength: 1, maxLength: 2048 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (id, timestamp, body, position, mask) => {
        const headers = webhookHeaders({ id, timestamp, body, secrets: [secret] });
        const tampered = Buffer.from(body);
        const index = position % tampered.length;
        tampered[index] = tampered[index]! ^ mask;
        expect(verify({ headers, body: tampered, secrets: [secret], now: at(timestamp) })).toMatchObject({ ok: false, error: 'invalid_signature' });
      }),
    );
  });

  it('garbage headers of any length never throw and never verify', () => {
    const garbage = fc.option(fc.oneof(fc.string({ unit: 'binary', maxLength: 6000 }), fc.string({ unit: 'grapheme-ascii', maxLength: 200 })), { nil: undefined });
    const plausibleSignature = fc
      .array(fc.uint8Array({ minLength: 0, maxLength: 40 }), { maxLength: 40 })
      .map((macs) => macs.map((mac) => `v1,${Buffer.from(mac).toString('base64')}`).join(' '));
    fc.assert(
      fc.property(garbage, fc.oneof(garbage, timeArb.map(String)), fc.oneof(garbage, plausibleSignature), bodyArb, (id, timestamp, signature, body) => {
        const headers = { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature };
        const seconds = Number(timestamp);
        const result = verify({ headers, body, secrets: [secret], now: at(Number.isSafeInteger(seconds) && seconds < 1e11 ? seconds : 0) });
        expect(result.ok).toBe(false);
      }),
    );
  });

  it('garbage secrets never throw and never verify a signature made with another secret', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 120 }), { maxLength: 3 }), (secrets) => {
        const headers = webhookHeaders({ id: VECTOR.id, timestamp: VECTOR.timestamp, body: VECTOR.body, secrets: [secret] });
        expect(verify({ headers, body: VECTOR.body, secrets, now: at(VECTOR.timestamp) }).ok).toBe(false);
      }),
    );
  });

  it('stale and future timestamps are refused, whatever the tolerance', () => {
    fc.assert(
      fc.property(timeArb, fc.integer({ min: 0, max: 86_400 }), fc.integer({ min: 1, max: 10_000_000 }), fc.boolean(), (timestamp, tolerance, beyond, late) => {
        const headers = webhookHeaders({ id: VECTOR.id, timestamp, body: VECTOR.body, secrets: [secret] });
        const now = late ? timestamp + tolerance + beyond : timestamp - tolerance - beyond;
        expect(verify({ headers, body: VECTOR.body, secrets: [secret], now: at(now), toleranceSeconds: tolerance })).toMatchObject({
          ok: false,
          error: late ? 'timestamp_too_old' : 'timestamp_in_future',
        });
      }),
    );
  });
});
