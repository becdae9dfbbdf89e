// Ashby payloads → InboundEvent: the schema-shaped fixtures (test/fixtures/ats/ashby), the kind
// following the application's status, unarchives, merges, ignored actions, and malformed bodies
// failing with the path.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ashbyApplicationId, type AshbyContext, ashbyEventType, mapAshby } from './ashby.js';
import { inboundEventSchema } from './events.js';
import { InboundPayloadError } from './read.js';

const FIXTURES = new URL('../../../../test/fixtures/ats/ashby/', import.meta.url);
type Json = Record<string, unknown>;
type AshbyBody = { action: string; data: { application: Json } & Json };
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8')) as AshbyBody;
const map = (payload: unknown, context?: AshbyContext) => inboundEventSchema.parse(mapAshby(payload, context));

/** A fixture under another action, with application fields replaced (undefined deletes). */
const variant = (name: string, changes: Json, action?: string) => {
  const body = fixture(name);
  const application = { ...body.data.application, ...changes };
  for (const [key, value] of Object.entries(changes)) if (value === undefined) delete application[key];
  return { action: action ?? body.action, data: { ...body.data, application } };
};

const johnWick = { externalId: '561cdd98-c23b-473a-bcdb-1a44c0b09d87', name: 'John Wick', emails: ['john@wick.com'], phones: [] };
const frontEnd = { externalId: 'cb625a32-3fe8-474d-91be-53eb2e0f4d93', title: '[Acme] Front-end Engineer' };
const JOHN_WICK_APPLICATION = '37957ac3-2369-4018-9c08-61f330ee84fe';

const failure = (payload: unknown) => {
  try {
    mapAshby(payload);
  } catch (error) {
    expect(error).toBeInstanceOf(InboundPayloadError);
    return (error as InboundPayloadError).message;
  }
  throw new Error('expected an InboundPayloadError');
};

describe('Ashby: payloads', () => {
  it('candidateHire → hire, with the candidate’s primary email and phone, and a UTF-8 name', () => {
    expect(map(fixture('candidateHire'))).toEqual({
      kind: 'hire',
      application: { externalId: 'f6c0aebb-db86-4fcc-8815-18a701744522' },
      candidate: { externalId: '152fc51a-69f1-4815-b642-2f314ed22975', name: 'Chloé Lefèvre', emails: ['chloe.lefevre@example.com'], phones: ['222-222-3344'] },
      requisition: { externalId: '4071538b-3cac-4fbf-ac76-f78ed250ffdd', title: 'First Designer' },
      occurredAt: new Date('2022-07-01T09:12:03.421Z'),
      stage: 'Hired',
    });
  });

  it('applicationUpdate of an archived application → reject, with the archive reason and archivedAt', () => {
    expect(map(fixture('applicationUpdate'))).toEqual({
      kind: 'reject',
      application: { externalId: JOHN_WICK_APPLICATION },
      candidate: johnWick,
      requisition: frontEnd,
      occurredAt: new Date('2022-06-24T08:02:10.998Z'),
      stage: 'Archived',
      reason: 'Too inexperienced',
      rejectedBy: 'organization',
    });
  });

  it('candidateStageChange of an active application → advance, with the stage title', () => {
    expect(map(fixture('candidateStageChange'))).toEqual({
      kind: 'advance',
      application: { externalId: JOHN_WICK_APPLICATION },
      candidate: johnWick,
      requisition: frontEnd,
      occurredAt: new Date('2022-06-23T00:32:30.911Z'),
      stage: 'First Interview',
    });
  });
});

describe('Ashby: the kind follows the application status', () => {
  it('applicationUpdate of a hired application → hire (Ashby fires it alongside candidateHire)', () => {
    expect(map(variant('candidateHire', {}, 'applicationUpdate'))).toMatchObject({ kind: 'hire', application: { externalId: 'f6c0aebb-db86-4fcc-8815-18a701744522' } });
  });

  it('candidateStageChange into the Archived stage → reject, as the applicationUpdate fired with it', () => {
    expect(map(variant('applicationUpdate', {}, 'candidateStageChange'))).toEqual(map(fixture('applicationUpdate')));
  });

  it('an active application → advance, or unreject when Hearback holds it as archived', () => {
    const active = variant('candidateStageChange', {}, 'applicationUpdate');
    expect(map(active)).toMatchObject({ kind: 'advance', stage: 'First Interview' });
    expect(map(active, { wasArchived: true })).toMatchObject({ kind: 'unreject', stage: 'First Interview' });
    expect(map(active, { wasArchived: false })).toMatchObject({ kind: 'advance' });
  });

  it('a lead → advance', () => {
    expect(map(variant('candidateStageChange', { status: 'Lead' }))).toMatchObject({ kind: 'advance' });
  });

  it('candidateHire → hire whatever the status says', () => {
    expect(map(variant('candidateHire', { status: 'Active' }))).toMatchObject({ kind: 'hire' });
  });

  it.each([
    ['RejectedByCandidate', 'candidate'],
    ['Other', null],
  ])('an archive reason of type %s → rejectedBy %s', (reasonType, expected) => {
    const body = variant('applicationUpdate', { archiveReason: { id: 'r', text: 'Withdrew', reasonType, isArchived: false, customFields: [] } });
    expect(map(body)).toMatchObject({ kind: 'reject', reason: 'Withdrew', rejectedBy: expected });
  });

  it('an archive without a reason or archivedAt → reject at updatedAt, reason unknown', () => {
    expect(map(variant('applicationUpdate', { archiveReason: null, archivedAt: undefined }))).toMatchObject({
      kind: 'reject',
      reason: null,
      rejectedBy: null,
      occurredAt: new Date('2022-06-24T08:02:11.004Z'),
    });
  });

  it('a status Ashby may add later → ignored', () => {
    expect(map(variant('applicationUpdate', { status: 'Paused' }))).toEqual({
      kind: 'ignored',
      eventType: 'applicationUpdate',
      reason: 'application status Paused is not one Hearback knows',
    });
  });
});

describe('Ashby: other actions', () => {
  it('candidateMerge → merge: mergedCandidate wins, deletedCandidate is gone', () => {
    expect(map({ action: 'candidateMerge', data: { deletedCandidate: { id: 'old' }, mergedCandidate: { id: 'new' } } })).toEqual({
      kind: 'merge',
      winner: { externalId: 'new' },
      loser: { externalId: 'old' },
    });
  });

  it('acknowledges the ping', () => {
    expect(map({ action: 'ping', data: { webhookActionType: 'ping' } })).toEqual({ kind: 'ignored', eventType: 'ping', reason: 'webhook ping' });
  });

  it.each(['applicationSubmit', 'offerCreate', 'offerDelete', 'candidateDelete', 'interviewScheduleUpdate'])('%s is known but not a decision', (action) => {
    expect(map({ action, data: {} })).toEqual({ kind: 'ignored', eventType: action, reason: 'not a hiring decision Hearback acts on' });
  });

  it('an unknown action is ignored', () => {
    expect(map({ action: 'applicationTeleport' })).toEqual({ kind: 'ignored', eventType: 'applicationTeleport', reason: 'unknown event type' });
  });
});

describe('Ashby: malformed payloads name the path', () => {
  it.each<[string, unknown, string]>([
    ['no action', { data: {} }, 'action is missing'],
    ['no data', { action: 'candidateHire' }, 'data is missing'],
    ['no application', { action: 'applicationUpdate', data: {} }, 'data.application is missing'],
    ['no application id', variant('candidateHire', { id: undefined }), 'data.application.id is missing'],
    ['no status', variant('applicationUpdate', { status: undefined }), 'data.application.status is missing'],
    ['a status that is not text', variant('applicationUpdate', { status: 3 }), 'data.application.status must be text'],
    ['a candidate without an id', variant('candidateHire', { candidate: { name: 'X' } }), 'data.application.candidate.id is missing'],
    [
      'an email that is not text',
      variant('candidateHire', { candidate: { id: 'c', primaryEmailAddress: { value: ['a@b.c'] } } }),
      'data.application.candidate.primaryEmailAddress.value must be text',
    ],
    ['a date that is not one', variant('candidateHire', { updatedAt: '2022-13-45' }), 'data.application.updatedAt is not an ISO 8601 date-time with a time zone'],
    ['a merge without the winner', { action: 'candidateMerge', data: { deletedCandidate: { id: 'a' } } }, 'data.mergedCandidate is missing'],
    [
      'a merge into itself',
      { action: 'candidateMerge', data: { deletedCandidate: { id: 'a' }, mergedCandidate: { id: 'a' } } },
      'data.mergedCandidate.id is the deleted candidate’s own id',
    ],
  ])('%s', (_name, body, message) => {
    expect(failure(body)).toBe(message);
  });
});

describe('Ashby: the application id, read before mapping', () => {
  it('is the application’s id, or null for a body without one (the mapper then says what is wrong)', () => {
    expect(ashbyApplicationId(fixture('applicationUpdate'))).toBe(JOHN_WICK_APPLICATION);
    for (const body of [
      null,
      'x',
      { action: 'applicationUpdate' },
      { data: { application: 'x' } },
      variant('applicationUpdate', { id: { nested: true } }),
      variant('applicationUpdate', { id: '' }),
    ]) {
      expect(ashbyApplicationId(body)).toBeNull();
    }
  });
});

describe('Ashby: event type and dedupe key', () => {
  it('names the action, or unknown', () => {
    expect(ashbyEventType(fixture('candidateHire'))).toBe('candidateHire');
    expect(ashbyEventType(null)).toBe('unknown');
  });
});
