// Greenhouse payloads → InboundEvent: every documented fixture (test/fixtures/ats/greenhouse),
// the offer statuses, ignored actions, and malformed bodies failing with the path.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inboundEventSchema } from './events.js';
import { greenhouseEventType, mapGreenhouse } from './greenhouse.js';
import { InboundPayloadError } from './read.js';

const FIXTURES = new URL('../../../../test/fixtures/ats/greenhouse/', import.meta.url);
type Json = Record<string, unknown>;
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8')) as Json;
const map = (payload: unknown) => inboundEventSchema.parse(mapGreenhouse(payload));

const hector = { externalId: '265788', name: 'Hector Porter', emails: ['hector.porter.265788@example.com'], phones: ['330-281-8004'] };
const designer = { externalId: '371417', title: 'Designer' };

/** A fixture with one application field replaced (undefined deletes it). */
const withApplication = (name: string, changes: Json) => {
  const body = fixture(name);
  const application = { ...((body.payload as Json).application as Json), ...changes };
  for (const [key, value] of Object.entries(changes)) if (value === undefined) delete application[key];
  return { ...body, payload: { application } };
};

const failure = (payload: unknown) => {
  try {
    mapGreenhouse(payload);
  } catch (error) {
    expect(error).toBeInstanceOf(InboundPayloadError);
    return (error as InboundPayloadError).message;
  }
  throw new Error('expected an InboundPayloadError');
};

describe('Greenhouse: documented payloads', () => {
  it('maps every fixture', () => {
    const names = readdirSync(FIXTURES).filter((name) => name.endsWith('.json'));
    expect(names).toHaveLength(10);
    for (const name of names) expect(() => map(fixture(name.replace(/\.json$/, '')))).not.toThrow();
  });

  it('hire_candidate → hire, with the candidate, the job and the offer’s acceptance time', () => {
    expect(map(fixture('hire_candidate'))).toEqual({
      kind: 'hire',
      application: { externalId: '46194062' },
      candidate: {
        externalId: '35897443',
        name: 'Johnny Smith',
        emails: ['personal@example.com', 'work@example.com'],
        phones: ['518-555-1212', '212-555-1212'],
      },
      requisition: { externalId: '323753', title: 'Developer' },
      occurredAt: new Date('2014-11-20T22:49:14Z'),
      stage: null,
    });
  });

  it('unhire_candidate → unhire', () => {
    expect(map(fixture('unhire_candidate'))).toEqual({
      kind: 'unhire',
      application: { externalId: '265293' },
      candidate: hector,
      requisition: designer,
      occurredAt: new Date('2015-03-18T20:28:09Z'),
      stage: 'Application Review',
    });
  });

  it('reject_candidate → reject, with the reason, the stage it happened at and rejected_at', () => {
    expect(map(fixture('reject_candidate'))).toEqual({
      kind: 'reject',
      application: { externalId: '265293' },
      candidate: hector,
      requisition: designer,
      occurredAt: new Date('2015-02-11T15:50:41Z'),
      stage: 'Offer',
      reason: 'Too Junior',
      rejectedBy: null, // the fixture's reason type, "Wrong skill set", is not one of Greenhouse's three
    });
  });

  it('unreject_candidate → unreject', () => {
    expect(map(fixture('unreject_candidate'))).toEqual({
      kind: 'unreject',
      application: { externalId: '265293' },
      candidate: hector,
      requisition: designer,
      occurredAt: new Date('2015-02-11T15:50:41Z'),
      stage: 'Offer',
    });
  });

  it('candidate_stage_change → advance, with the new stage', () => {
    expect(map(fixture('candidate_stage_change'))).toEqual({
      kind: 'advance',
      application: { externalId: '265277' },
      candidate: { externalId: '265772', name: 'Giuseppe Hurley', emails: ['giuseppe.hurley@example.com'], phones: ['330-281-8004'] },
      requisition: { externalId: '3485', title: 'Designer' },
      occurredAt: new Date('2015-02-09T16:38:36Z'),
      stage: 'Assessment',
    });
  });

  it('merge_candidate → merge: new_candidate_id wins, person.id is merged away', () => {
    expect(map(fixture('merge_candidate'))).toEqual({ kind: 'merge', winner: { externalId: '457456' }, loser: { externalId: '37031511' } });
  });

  it('offer_created → offer, ids only; an accepted offer’s resolved_at is its time', () => {
    expect(map(fixture('offer_created'))).toEqual({
      kind: 'offer',
      application: { externalId: '234556' },
      candidate: null,
      requisition: { externalId: '45678', title: null },
      occurredAt: new Date('2013-03-25T00:00:00Z'),
      stage: null,
    });
  });

  it('offer_updated → ignored for the documented example, a Deprecated (superseded) version', () => {
    expect(map(fixture('offer_updated'))).toEqual({ kind: 'ignored', eventType: 'offer_updated', reason: 'superseded offer version (offer_status Deprecated)' });
  });

  it('offer_deleted → offer_withdrawn', () => {
    expect(map(fixture('offer_deleted'))).toEqual({
      kind: 'offer_withdrawn',
      application: { externalId: '46194062' },
      candidate: null,
      requisition: { externalId: '371417', title: null },
      occurredAt: null,
      stage: null,
    });
  });

  it('delete_application → delete_application', () => {
    expect(map(fixture('delete_application'))).toEqual({
      kind: 'delete_application',
      application: { externalId: '46194062' },
      candidate: null,
      requisition: { externalId: '371417', title: null },
      occurredAt: null,
      stage: null,
    });
  });
});

describe('Greenhouse: offers', () => {
  const offer = (status: unknown) => ({ ...fixture('offer_updated'), payload: { ...(fixture('offer_updated').payload as Json), offer_status: status } });

  it.each(['Created', 'Accepted', null])('offer_updated with offer_status %s → offer', (status) => {
    expect(map(offer(status))).toMatchObject({ kind: 'offer', application: { externalId: '234556' } });
  });

  it('takes no event time from a version that is not accepted', () => {
    expect(map(offer('Created'))).toMatchObject({ kind: 'offer', occurredAt: null });
  });

  it('ignores a declined offer rather than recording an offer', () => {
    expect(map(offer('Rejected'))).toEqual({ kind: 'ignored', eventType: 'offer_updated', reason: 'declined offer (offer_status Rejected)' });
  });
});

describe('Greenhouse: details', () => {
  it.each([
    ['We rejected them', 'organization'],
    ['They rejected us', 'candidate'],
    ['None specified', null],
  ])('a rejection reason of type "%s" → rejectedBy %s', (type, expected) => {
    const body = withApplication('reject_candidate', { rejection_reason: { id: 1, name: 'Other', type: { id: 9, name: type } } });
    expect(map(body)).toMatchObject({ kind: 'reject', reason: 'Other', rejectedBy: expected });
  });

  it('has no requisition for a prospect on several jobs, and reads the deprecated `job` when `jobs` is absent', () => {
    const jobs = (fixture('reject_candidate').payload as { application: { jobs: Json[] } }).application.jobs;
    expect(map(withApplication('reject_candidate', { jobs: [...jobs, { ...jobs[0], id: 1 }] }))).toMatchObject({ requisition: null });
    expect(map(withApplication('reject_candidate', { jobs: undefined, job: { id: 7, name: 'Chef' } }))).toMatchObject({ requisition: { externalId: '7', title: 'Chef' } });
    expect(map(withApplication('reject_candidate', { jobs: [] }))).toMatchObject({ requisition: null });
  });

  it('keeps contact details as given and skips blank ones', () => {
    const candidate = {
      id: 5,
      first_name: '  Ada ',
      last_name: null,
      email_addresses: [{ value: ' Ada@Example.COM ' }, { value: '' }, { value: null, type: 'work' }],
      phone_numbers: [{ value: '+33 6 12 34 56 78', type: 'mobile' }],
    };
    expect(map(withApplication('reject_candidate', { candidate }))).toMatchObject({
      candidate: { externalId: '5', name: 'Ada', emails: [' Ada@Example.COM '], phones: ['+33 6 12 34 56 78'] },
    });
  });

  it('has a null candidate when the application carries none, and falls back to last_activity_at', () => {
    expect(map(withApplication('reject_candidate', { candidate: null, rejected_at: null }))).toMatchObject({
      candidate: null,
      occurredAt: new Date('2015-02-11T15:50:41Z'),
    });
  });
});

describe('Greenhouse: ignored actions', () => {
  it.each(['new_candidate_application', 'application_updated', 'delete_candidate', 'update_candidate', 'candidate_anonymized'])('%s is known but not a decision', (action) => {
    expect(map({ action, payload: { anything: true } })).toEqual({ kind: 'ignored', eventType: action, reason: 'not a hiring decision Hearback acts on' });
  });

  it('acknowledges the ping sent when a web hook is saved (a failed ping disables it)', () => {
    expect(map({ action: 'ping', payload: { web_hook_id: 1 } })).toEqual({ kind: 'ignored', eventType: 'ping', reason: 'web hook ping' });
  });

  it('ignores an unknown action whatever its payload, even none', () => {
    expect(map({ action: 'interview_scheduled_on_the_moon' })).toEqual({ kind: 'ignored', eventType: 'interview_scheduled_on_the_moon', reason: 'unknown event type' });
  });
});

describe('Greenhouse: malformed payloads name the path', () => {
  it.each<[string, unknown, string]>([
    ['a body that is not an object', [1, 2], 'body must be a JSON object'],
    ['no action', { payload: {} }, 'action is missing'],
    ['an action that is not text', { action: 42 }, 'action must be text'],
    ['no payload', { action: 'hire_candidate' }, 'payload is missing'],
    ['no application', { action: 'reject_candidate', payload: {} }, 'payload.application is missing'],
    ['an application that is a list', { action: 'reject_candidate', payload: { application: [] } }, 'payload.application must be an object'],
    ['no offer application id', { action: 'offer_created', payload: { id: 1 } }, 'payload.application_id is missing'],
    ['no merge winner', { action: 'merge_candidate', payload: { person: { id: 1 } } }, 'payload.person.new_candidate_id is missing'],
    ['a merge into itself', { action: 'merge_candidate', payload: { person: { id: 1, new_candidate_id: 1 } } }, 'payload.person.new_candidate_id is the merged candidate’s own id'],
  ])('%s', (_name, body, message) => {
    expect(failure(body)).toBe(message);
  });

  it.each<[string, Json, string]>([
    ['no application id', { id: undefined }, 'payload.application.id is missing'],
    ['a fractional id', { id: 1.5 }, 'payload.application.id must be a non-negative integer or a string id'],
    ['an id of the wrong type', { id: true }, 'payload.application.id must be a string or integer id'],
    ['a candidate without an id', { candidate: { first_name: 'Ada' } }, 'payload.application.candidate.id is missing'],
    ['emails that are not a list', { candidate: { id: 1, email_addresses: 'a@b.c' } }, 'payload.application.candidate.email_addresses must be a list'],
    ['an email that is not text', { candidate: { id: 1, email_addresses: [{ value: 1 }] } }, 'payload.application.candidate.email_addresses[0].value must be text'],
    ['a job without an id', { jobs: [{ name: 'Chef' }] }, 'payload.application.jobs[0].id is missing'],
    ['a date that is not one', { rejected_at: 'yesterday' }, 'payload.application.rejected_at is not an ISO 8601 date-time with a time zone'],
    ['a stage name too long', { current_stage: { name: 'x'.repeat(201) } }, 'payload.application.current_stage.name is longer than 200 characters'],
  ])('%s', (_name, changes, message) => {
    expect(failure(withApplication('reject_candidate', changes))).toBe(message);
  });
});

describe('Greenhouse: event type and dedupe key', () => {
  it('names the action, or unknown', () => {
    expect(greenhouseEventType(fixture('hire_candidate'))).toBe('hire_candidate');
    expect(greenhouseEventType({ action: 7 })).toBe('unknown');
    expect(greenhouseEventType('hire_candidate')).toBe('unknown');
  });
});
