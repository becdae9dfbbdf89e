// Hearback's own webhook format → InboundEvent: every type, unknown types ignored, malformed
// bodies failing with the path, and the schema publishable as JSON Schema (OpenAPI).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { inboundEventSchema } from './events.js';
import { genericEventType, genericWebhookSchema, mapGeneric, type GenericWebhookEvent } from './generic.js';
import { InboundPayloadError } from './read.js';

const map = (payload: unknown) => inboundEventSchema.parse(mapGeneric(payload));

const application = { externalId: 'APP-1' };
const full = {
  application,
  candidate: { externalId: 'CAN-1', name: ' Ada Lovelace ', emails: ['Ada@Example.com', ''], phones: ['+44 20 7946 0000'] },
  requisition: { externalId: 'REQ-1', title: 'Analyst' },
  stage: 'Onsite',
};

const failure = (payload: unknown) => {
  try {
    mapGeneric(payload);
  } catch (error) {
    expect(error).toBeInstanceOf(InboundPayloadError);
    return (error as InboundPayloadError).message;
  }
  throw new Error('expected an InboundPayloadError');
};

describe('Generic: types', () => {
  it('application.hired → hire, with everything sent', () => {
    const body: GenericWebhookEvent = { type: 'application.hired', id: 'evt-1', occurredAt: '2026-03-01T10:00:00+01:00', data: full };
    expect(map(body)).toEqual({
      kind: 'hire',
      application,
      candidate: { externalId: 'CAN-1', name: 'Ada Lovelace', emails: ['Ada@Example.com'], phones: ['+44 20 7946 0000'] },
      requisition: { externalId: 'REQ-1', title: 'Analyst' },
      occurredAt: new Date('2026-03-01T09:00:00Z'),
      stage: 'Onsite',
    });
  });

  it.each([
    ['application.offered', 'offer'],
    ['application.unrejected', 'unreject'],
    ['application.unhired', 'unhire'],
  ])('%s → %s, with only the application', (type, kind) => {
    expect(map({ type, data: { application } })).toEqual({ kind, application, candidate: null, requisition: null, occurredAt: null, stage: null });
  });

  it('application.rejected → reject, with the reason and who ended it', () => {
    expect(map({ type: 'application.rejected', data: { application, reason: 'Position filled', rejectedBy: 'organization' } })).toEqual({
      kind: 'reject',
      application,
      candidate: null,
      requisition: null,
      occurredAt: null,
      stage: null,
      reason: 'Position filled',
      rejectedBy: 'organization',
    });
  });

  it('application.stage_changed → advance; its stage is required', () => {
    expect(map({ type: 'application.stage_changed', data: { application, stage: 'Phone screen' } })).toMatchObject({ kind: 'advance', stage: 'Phone screen' });
    expect(failure({ type: 'application.stage_changed', data: { application } })).toBe('data.stage is missing');
  });

  it('candidate.merged → merge', () => {
    expect(map({ type: 'candidate.merged', data: { winner: { externalId: 'A' }, loser: { externalId: 'B' } } })).toEqual({
      kind: 'merge',
      winner: { externalId: 'A' },
      loser: { externalId: 'B' },
    });
  });

  it('an unknown type is acknowledged and ignored, whatever its data', () => {
    expect(map({ type: 'application.teleported', data: 42 })).toEqual({ kind: 'ignored', eventType: 'application.teleported', reason: 'unknown event type' });
  });
});

describe('Generic: malformed payloads name the path', () => {
  it.each<[string, unknown, string]>([
    ['a body that is not an object', 'application.hired', 'body must be a JSON object'],
    ['no type', { data: {} }, 'type is missing'],
    ['no data', { type: 'application.hired' }, 'data is missing'],
    ['no application id', { type: 'application.hired', data: { application: {} } }, 'data.application.externalId is missing'],
    [
      'an application id that is a number',
      { type: 'application.hired', data: { application: { externalId: 7 } } },
      'data.application.externalId Invalid input: expected string, received number',
    ],
    [
      'an email that is not text',
      { type: 'application.hired', data: { application, candidate: { externalId: 'c', emails: [1] } } },
      'data.candidate.emails[0] Invalid input: expected string, received number',
    ],
    ['a time without a zone', { type: 'application.hired', occurredAt: '2026-03-01T10:00:00', data: { application } }, 'occurredAt Invalid ISO datetime'],
    [
      'a merge into itself',
      { type: 'candidate.merged', data: { winner: { externalId: 'A' }, loser: { externalId: 'A' } } },
      'data.loser.externalId must differ from data.winner.externalId',
    ],
  ])('%s', (_name, body, message) => {
    expect(failure(body)).toBe(message);
  });

  it('lists every problem, not just the first', () => {
    try {
      mapGeneric({ type: 'application.rejected', data: { application: {}, rejectedBy: 'recruiter' } });
      expect.unreachable();
    } catch (error) {
      expect((error as InboundPayloadError).options.errors?.map((e) => e.path)).toEqual(['data.application.externalId', 'data.rejectedBy']);
    }
  });
});

describe('Generic: contract', () => {
  it('is publishable as JSON Schema, for the OpenAPI document', () => {
    type Union = { oneOf?: { properties: { type: { const: string } } }[]; description?: string };
    const document = z.toJSONSchema(genericWebhookSchema, { io: 'input' }) as Union & { $defs?: Record<string, Union> };
    const schema = document.$defs?.InboundWebhookEvent ?? document;
    expect(schema.description).toMatch(/^Hearback’s webhook format/);
    expect(schema.oneOf?.map((option) => option.properties.type.const)).toEqual([
      'application.hired',
      'application.offered',
      'application.rejected',
      'application.unrejected',
      'application.unhired',
      'application.stage_changed',
      'candidate.merged',
    ]);
  });

  it('names the type, or unknown', () => {
    expect(genericEventType({ type: 'application.hired' })).toBe('application.hired');
    expect(genericEventType({ type: 7 })).toBe('unknown');
  });
});
