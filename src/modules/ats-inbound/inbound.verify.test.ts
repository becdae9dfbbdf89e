// Replay keys come from what each provider's signature covers, so what is not signed (Lever's
// event and data, a Greenhouse-Event-ID) cannot make an accepted signature new again.
import { describe, expect, it } from 'vitest';
import { ashbySignatureHeader } from '../webhook-signatures/ashby.js';
import { greenhouseSignatureHeader } from '../webhook-signatures/greenhouse.js';
import { leverSignature } from '../webhook-signatures/lever.js';
import { generateSecret, webhookHeaders } from '../webhook-signatures/standard-webhooks.js';
import { verifyDelivery, type VerifiedDelivery } from './inbound.verify.js';

const NOW = new Date('2026-11-20T10:00:00Z');
const options = { now: NOW, leverMaxAgeSeconds: 3600 };
const SECRET = 'provider-secret-0123456789';

function verified(...args: Parameters<typeof verifyDelivery>): VerifiedDelivery {
  const result = verifyDelivery(...args);
  if (!result.ok) throw new Error(`expected a verified delivery, got ${result.reason}`);
  return result;
}

describe('Lever', () => {
  const triggeredAt = NOW.getTime() - 1000;
  const token = 'a1b2c3d4e5f60';
  const signature = leverSignature(token, triggeredAt, SECRET);
  const lever = (body: object) => {
    const raw = Buffer.from(JSON.stringify(body));
    return verifyDelivery('lever', SECRET, raw, {}, JSON.parse(raw.toString()), options);
  };

  it('one key for one signed token + triggeredAt, whatever event and data come with it', () => {
    const stage = lever({ event: 'candidateStageChange', token, triggeredAt, signature, data: { opportunityId: 'a' } });
    const hire = lever({ event: 'candidateHired', token, triggeredAt: String(triggeredAt), signature, data: { opportunityId: 'b' } });
    const split = lever({ event: 'candidateHired', token: token.slice(0, -1), triggeredAt: `0${triggeredAt}`, signature, data: {} });
    expect(stage.ok && hire.ok && split.ok).toBe(true);
    const keys = new Set([stage, hire, split].map((r) => (r as VerifiedDelivery).replayKey));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^lever:sha256:[0-9a-f]{64}$/);
    expect([...keys][0]).not.toContain(token);
    // triggeredAt is signed: the window ends the signature, the delivery row remembers it until then.
    expect((stage as VerifiedDelivery).neverExpires).toBe(false);
  });

  it('another token or time is another key', () => {
    const other = 'a1b2c3d4e5f61';
    const first = lever({ event: 'candidateHired', token, triggeredAt, signature, data: {} }) as VerifiedDelivery;
    const second = lever({ event: 'candidateHired', token: other, triggeredAt, signature: leverSignature(other, triggeredAt, SECRET), data: {} }) as VerifiedDelivery;
    const later = lever({ event: 'candidateHired', token, triggeredAt: triggeredAt + 1, signature: leverSignature(token, triggeredAt + 1, SECRET), data: {} }) as VerifiedDelivery;
    expect(new Set([first.replayKey, second.replayKey, later.replayKey]).size).toBe(3);
  });

  it('keeps the body without token and signature, everything else in place', () => {
    const result = lever({ triggeredAt, event: 'candidateHired', data: { opportunityId: 'a' }, signature, token }) as VerifiedDelivery;
    expect(result.storedBody).toBe(JSON.stringify({ triggeredAt, event: 'candidateHired', data: { opportunityId: 'a' }, signature: '[redacted]', token: '[redacted]' }));
  });

  it('with a token per event (webhooks registered through the API), the body’s event chooses it; the connection secret is not used', () => {
    const tokens = new Map([['candidateHired', 'hired-webhook-token']]);
    const withTokens = (body: object) => {
      const raw = Buffer.from(JSON.stringify(body));
      return verifyDelivery('lever', SECRET, raw, {}, JSON.parse(raw.toString()), { ...options, leverTokens: (event) => tokens.get(event) ?? null });
    };
    const own = leverSignature(token, triggeredAt, 'hired-webhook-token');
    expect(withTokens({ event: 'candidateHired', token, triggeredAt, signature: own, data: {} })).toMatchObject({ ok: true, eventType: 'candidateHired' });
    expect(withTokens({ event: 'candidateStageChange', token, triggeredAt, signature: own, data: {} })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('no_token_for_event'),
    });
    expect(withTokens({ event: 'candidateHired', token, triggeredAt, signature, data: {} })).toMatchObject({ ok: false, reason: expect.stringContaining('invalid_signature') });
  });

  it('refuses a triggeredAt older than the window', () => {
    const old = NOW.getTime() - 3601 * 1000;
    expect(lever({ event: 'candidateHired', token, triggeredAt: old, signature: leverSignature(token, old, SECRET), data: {} })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('timestamp_too_old'),
    });
  });
});

describe('Greenhouse and Ashby: the body is what is signed', () => {
  const raw = Buffer.from(JSON.stringify({ action: 'hire_candidate', payload: { application: { id: 1 } } }));

  it('Greenhouse: the event id header does not change the key; another body does', () => {
    const signature = greenhouseSignatureHeader(raw, SECRET);
    const keys = ['evt-1', 'evt-2', undefined].map(
      (id) => verified('greenhouse', SECRET, raw, { signature, ...(id ? { 'greenhouse-event-id': id } : {}) }, JSON.parse(raw.toString()), options).replayKey,
    );
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^body:sha256:[0-9a-f]{64}$/);
    expect(verified('greenhouse', SECRET, raw, { signature }, {}, options).neverExpires).toBe(true);
    const other = Buffer.from(`${raw.toString()} `);
    expect(verified('greenhouse', SECRET, other, { signature: greenhouseSignatureHeader(other, SECRET) }, JSON.parse(other.toString()), options).replayKey).not.toBe(keys[0]);
  });

  it('Ashby: the same body gives the same key and is stored byte for byte', () => {
    const signature = ashbySignatureHeader(raw, SECRET);
    const first = verified('ashby', SECRET, raw, { 'ashby-signature': signature }, JSON.parse(raw.toString()), options);
    expect(verified('ashby', SECRET, Buffer.from(raw), { 'Ashby-Signature': signature }, {}, options).replayKey).toBe(first.replayKey);
    expect(first.storedBody).toBe(raw.toString());
    expect(first.neverExpires).toBe(true);
  });
});

describe('generic (Standard Webhooks)', () => {
  it('keys on the signed webhook-id, which a re-signed retry keeps', () => {
    const secret = generateSecret();
    const raw = Buffer.from('{"type":"application.hired"}');
    const at = Math.floor(NOW.getTime() / 1000);
    const first = verified('generic', secret, raw, webhookHeaders({ id: 'msg_1', timestamp: at, body: raw, secrets: [secret] }), {}, options);
    const retry = verified('generic', secret, raw, webhookHeaders({ id: 'msg_1', timestamp: at + 30, body: raw, secrets: [secret] }), {}, options);
    expect(first.replayKey).toBe('id:msg_1');
    expect(retry.replayKey).toBe(first.replayKey);
  });
});
