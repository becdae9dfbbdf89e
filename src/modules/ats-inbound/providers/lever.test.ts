// Lever payloads → InboundEvent: the documented fixtures (test/fixtures/ats/lever), archives
// told apart by their reason's type (hired or not), unarchives, ignored events, the test
// request, malformed bodies failing with the path, and the connection settings that give the
// archive reasons and stages (pasted from Lever's API).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inboundEventSchema } from './events.js';
import { LEVER_LIST_LIMIT, leverContextOf, type LeverContext, leverEventType, leverSettingsSchema, mapLever } from './lever.js';
import { InboundPayloadError } from './read.js';

const FIXTURES = new URL('../../../../test/fixtures/ats/lever/', import.meta.url);
type Json = Record<string, unknown>;
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8')) as Json & { data: Json };
const map = (payload: unknown, context?: LeverContext) => inboundEventSchema.parse(mapLever(payload, context));

const OPPORTUNITY = '3410c8b9-5c31-4bab-b7e9-9f710206d647';
// The fixture's archive reason: the "Hired" reason (type `hired`) of a Lever sandbox.
const HIRED_REASON = 'ddc474e6-67bd-480e-9513-4a9720fa9599';
const NOT_A_FIT = 'b3f8c1a2-0000-4000-8000-000000000001';
const archiveReasons: LeverContext['archiveReasons'] = new Map([
  [HIRED_REASON, { type: 'hired', text: 'Hired' }],
  [NOT_A_FIT, { type: 'non-hired', text: ' Not a fit for this role ' }],
]);

const archive = (changes: Json) => {
  const body = fixture('candidateArchiveChange');
  return { ...body, data: { ...body.data, ...changes } };
};
const idsOnly = { candidate: null, requisition: null, stage: null };

const failure = (payload: unknown, context?: LeverContext) => {
  try {
    mapLever(payload, context);
  } catch (error) {
    expect(error).toBeInstanceOf(InboundPayloadError);
    return (error as InboundPayloadError).message;
  }
  throw new Error('expected an InboundPayloadError');
};

describe('Lever: documented payloads', () => {
  it('candidateStageChange → advance on the opportunity, at triggeredAt, with the stage id', () => {
    expect(map(fixture('candidateStageChange'))).toEqual({
      kind: 'advance',
      application: { externalId: OPPORTUNITY },
      candidate: null,
      requisition: null,
      occurredAt: new Date(1431454330072),
      stage: '7c2690d8-6308-4ed9-ae2a-cbfe7db26593',
    });
  });

  it('names the stage when the organization’s stages are given', () => {
    const stages = new Map([['7c2690d8-6308-4ed9-ae2a-cbfe7db26593', 'On-site interview']]);
    expect(map(fixture('candidateStageChange'), { stages })).toMatchObject({ kind: 'advance', stage: 'On-site interview' });
  });

  it('candidateArchiveChange with the Hired archive reason → hire, not a rejection', () => {
    expect(map(fixture('candidateArchiveChange'), { archiveReasons })).toEqual({
      kind: 'hire',
      application: { externalId: OPPORTUNITY },
      occurredAt: new Date(1431458021951),
      ...idsOnly,
    });
  });

  it('candidateArchiveChange without the archive reasons → ignored, never guessed', () => {
    expect(map(fixture('candidateArchiveChange'))).toEqual({
      kind: 'ignored',
      eventType: 'candidateArchiveChange',
      reason: `archived with reason ${HIRED_REASON}, whose type (hired or non-hired) is not known`,
    });
  });

  it('the documented test request (data: {}) → ignored, so setting up the webhook succeeds', () => {
    expect(map(fixture('candidateHired.test-request'))).toEqual({ kind: 'ignored', eventType: 'candidateHired', reason: 'test delivery (empty data)' });
  });
});

describe('Lever: archives', () => {
  it('an archive with any other reason → reject, with the reason’s text', () => {
    expect(map(archive({ toArchived: { archivedAt: 1431458099000, reason: NOT_A_FIT } }), { archiveReasons })).toEqual({
      kind: 'reject',
      application: { externalId: OPPORTUNITY },
      occurredAt: new Date(1431458099000),
      ...idsOnly,
      reason: 'Not a fit for this role',
      rejectedBy: null,
    });
  });

  it('an archive reason not in the list → ignored', () => {
    expect(map(archive({ toArchived: { archivedAt: 1, reason: 'gone-since' } }), { archiveReasons })).toMatchObject({ kind: 'ignored' });
  });

  it('moving from one archive reason to another follows the new one', () => {
    const body = archive({ fromArchived: { archivedAt: 1, reason: NOT_A_FIT }, toArchived: { archivedAt: 2, reason: HIRED_REASON } });
    expect(map(body, { archiveReasons })).toMatchObject({ kind: 'hire', occurredAt: new Date(2) });
  });

  it('an unarchive → unreject, at triggeredAt', () => {
    expect(map(archive({ fromArchived: { archivedAt: 1, reason: NOT_A_FIT }, toArchived: null }), { archiveReasons })).toEqual({
      kind: 'unreject',
      application: { externalId: OPPORTUNITY },
      occurredAt: new Date(1431458021951),
      ...idsOnly,
    });
  });

  it('an unarchive from the Hired reason → unhire; from an unknown reason → unreject', () => {
    expect(map(archive({ fromArchived: { archivedAt: 1, reason: HIRED_REASON }, toArchived: null }), { archiveReasons })).toMatchObject({ kind: 'unhire' });
    expect(map(archive({ fromArchived: { archivedAt: 1, reason: HIRED_REASON }, toArchived: null }))).toMatchObject({ kind: 'unreject' });
  });

  it('no archive state on either side → ignored', () => {
    expect(map(archive({ fromArchived: null, toArchived: null }))).toMatchObject({ kind: 'ignored', eventType: 'candidateArchiveChange' });
  });
});

describe('Lever: other events', () => {
  it('candidateHired → hire', () => {
    const body = { ...fixture('candidateHired.test-request'), data: { opportunityId: OPPORTUNITY, candidateId: 'c', contactId: 'k' } };
    expect(map(body)).toEqual({ kind: 'hire', application: { externalId: OPPORTUNITY }, occurredAt: new Date(1431458021951), ...idsOnly });
  });

  it.each(['applicationCreated', 'candidateDeleted', 'interviewCreated', 'contactUpdated'])('%s is known but not a decision', (event) => {
    expect(map({ event, data: { opportunityId: OPPORTUNITY } })).toEqual({ kind: 'ignored', eventType: event, reason: 'not a hiring decision Hearback acts on' });
  });

  it('an unknown event is ignored, whatever its data', () => {
    expect(map({ event: 'offerSigned', data: 'not even an object' })).toEqual({ kind: 'ignored', eventType: 'offerSigned', reason: 'unknown event type' });
  });
});

describe('Lever: malformed payloads name the path', () => {
  it.each<[string, unknown, string]>([
    ['no event', { data: {} }, 'event is missing'],
    ['no data', { event: 'candidateHired' }, 'data is missing'],
    ['no opportunity id', { event: 'candidateHired', data: { candidateId: 'c' } }, 'data.opportunityId is missing'],
    ['an opportunity id of the wrong type', { event: 'candidateHired', data: { opportunityId: { id: 'x' } } }, 'data.opportunityId must be a string or integer id'],
    ['a triggeredAt that is not epoch ms', { event: 'candidateHired', triggeredAt: 'yesterday', data: { opportunityId: 'o' } }, 'triggeredAt must be epoch milliseconds'],
    ['an archive without its reason', { event: 'candidateArchiveChange', data: { opportunityId: 'o', toArchived: { archivedAt: 1 } } }, 'data.toArchived.reason is missing'],
    ['an archive state that is not an object', { event: 'candidateArchiveChange', data: { opportunityId: 'o', toArchived: 'yes' } }, 'data.toArchived must be an object'],
  ])('%s', (_name, body, message) => {
    expect(failure(body, { archiveReasons })).toBe(message);
  });
});

describe('Lever: event type and dedupe key', () => {
  it('names the event, or unknown', () => {
    expect(leverEventType(fixture('candidateStageChange'))).toBe('candidateStageChange');
    expect(leverEventType({ event: null })).toBe('unknown');
  });
});

describe('Lever: connection settings', () => {
  // As Lever's GET /archive_reasons and GET /stages answer, `data` pasted whole.
  const pasted = {
    archiveReasons: [
      { id: HIRED_REASON, text: 'Hired', status: 'active', type: 'hired', createdAt: 1431458021951 },
      { id: NOT_A_FIT, text: ' Not a fit for this role ', status: 'inactive', type: 'non-hired' },
    ],
    stages: [{ id: '7c2690d8-6308-4ed9-ae2a-cbfe7db26593', text: 'On-site interview', extra: true }],
  };

  it('take Lever’s lists as they come, dropping keys Hearback does not read', () => {
    const settings = leverSettingsSchema.parse(pasted);
    expect(settings.archiveReasons![0]).toEqual({ id: HIRED_REASON, text: 'Hired', status: 'active', type: 'hired' });
    expect(settings.stages).toEqual([{ id: '7c2690d8-6308-4ed9-ae2a-cbfe7db26593', text: 'On-site interview' }]);
    expect(leverSettingsSchema.parse({})).toEqual({});
  });

  it('give the mapper what it needs to tell a hire from a rejection, and stage names', () => {
    const context = leverContextOf(leverSettingsSchema.parse(pasted));
    expect(map(fixture('candidateArchiveChange'), context)).toMatchObject({ kind: 'hire' });
    expect(map(archive({ toArchived: { archivedAt: 1, reason: NOT_A_FIT } }), context)).toMatchObject({ kind: 'reject', reason: 'Not a fit for this role' });
    expect(map(fixture('candidateStageChange'), context)).toMatchObject({ stage: 'On-site interview' });
    expect(leverContextOf({})).toEqual({});
    expect(map(fixture('candidateArchiveChange'), leverContextOf({}))).toMatchObject({ kind: 'ignored' });
  });

  it.each<[string, unknown, (string | number)[]]>([
    ['a type Lever does not have', { archiveReasons: [{ id: 'r', type: 'hire' }] }, ['archiveReasons', 0, 'type']],
    ['a reason without its type', { archiveReasons: [{ id: 'r', text: 'Hired' }] }, ['archiveReasons', 0, 'type']],
    ['an empty id', { archiveReasons: [{ id: '', type: 'hired' }] }, ['archiveReasons', 0, 'id']],
    [
      'an id listed twice',
      {
        archiveReasons: [
          { id: 'r', type: 'hired' },
          { id: 'r', type: 'non-hired' },
        ],
      },
      ['archiveReasons', 1, 'id'],
    ],
    ['a stage without its name', { stages: [{ id: 's' }] }, ['stages', 0, 'text']],
    ['an overlong name', { stages: [{ id: 's', text: 'x'.repeat(301) }] }, ['stages', 0, 'text']],
    ['too many reasons', { archiveReasons: Array.from({ length: LEVER_LIST_LIMIT + 1 }, (_, i) => ({ id: `r${i}`, type: 'hired' })) }, ['archiveReasons']],
    ['a key Lever settings do not have', { archiveReasons: [], rejectionReasons: [] }, []],
  ])('refuse %s, naming the path', (_name, settings, path) => {
    const result = leverSettingsSchema.safeParse(settings);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(path);
  });
});
