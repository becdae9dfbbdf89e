// Property-based tests of the confirmation checks over random populations: people with several
// records tied by shared emails, phones, ATS merges or identity groups, with offers, decisions
// and messages sprinkled in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluatePlan, type ApplicationFact, type CandidateFact, type PlanFacts, type PlannedItem } from './checks.js';

const REQ = '00000000-0000-7000-8000-000000000001';
const NO_PICKS = { picked: new Set<string>(), withFeedback: new Set<string>() };
const OTHER_REQ = '00000000-0000-7000-8000-000000000002';

type Tie = 'email' | 'phone' | 'merge' | 'person';

interface PersonSpec {
  records: number;
  ties: Tie[];
  statuses: ('active' | 'offered' | 'hired' | 'none')[];
}

const personSpec = fc.record({
  records: fc.integer({ min: 1, max: 4 }),
  ties: fc.array(fc.constantFrom<Tie>('email', 'phone', 'merge', 'person'), { minLength: 3, maxLength: 3 }),
  statuses: fc.array(fc.constantFrom('active', 'active', 'active', 'offered', 'hired', 'none'), { minLength: 4, maxLength: 4 }),
});

/** Builds facts where records of one person are chained by the given ties and people share nothing. */
function population(people: PersonSpec[]) {
  const candidates = new Map<string, CandidateFact>();
  const applications = new Map<string, ApplicationFact>();
  const links: PlanFacts['links'] = [];
  const personOfRecord = new Map<string, number>();
  let n = 0;
  const id = () => `00000000-0000-7000-8000-${String(++n).padStart(12, '0')}`;
  people.forEach((person, p) => {
    const recordIds: string[] = [];
    for (let r = 0; r < person.records; r++) {
      const candidateId = id();
      recordIds.push(candidateId);
      personOfRecord.set(candidateId, p);
      // Each record starts with identity keys of its own...
      const email = `p${p}r${r}@x.test`;
      candidates.set(candidateId, { id: candidateId, name: `P${p}R${r}`, personId: candidateId, emails: [email], primaryAddress: email, phone: null });
      if (person.statuses[r] !== 'none') {
        const applicationId = id();
        applications.set(applicationId, { id: applicationId, candidateId, requisitionId: REQ, status: person.statuses[r]! });
      }
    }
    // ...and is tied to the previous record of the same person in one of the four ways.
    for (let r = 1; r < recordIds.length; r++) {
      const [previous, current] = [candidates.get(recordIds[r - 1]!)!, candidates.get(recordIds[r]!)!];
      switch (person.ties[r - 1]) {
        case 'email':
          current.emails.push(previous.emails[0]!);
          break;
        case 'phone':
          previous.phone ??= `+3361234${String(p).padStart(4, '0')}`;
          current.phone = previous.phone;
          break;
        case 'merge':
          links.push({ candidateId: current.id, linkedCandidateId: previous.id, reason: 'merge', evidence: 'merge' });
          break;
        case 'person':
          current.personId = previous.personId;
          break;
      }
    }
  });
  const facts: PlanFacts = {
    requisitionId: REQ,
    applications,
    candidates,
    links,
    latestDecisions: new Map(),
    messages: [],
    suppressed: new Map(),
  };
  return { facts, personOfRecord };
}

describe('confirmation checks (property-based)', () => {
  it('every record of a chosen person is blocked, and nobody else is blocked for identity', () => {
    fc.assert(
      fc.property(fc.array(personSpec, { minLength: 1, maxLength: 8 }), fc.nat(), (people, pick) => {
        const { facts, personOfRecord } = population(people);
        const apps = [...facts.applications.values()];
        fc.pre(apps.length > 0);
        const chosenApp = apps[pick % apps.length]!;
        const chosenPerson = personOfRecord.get(chosenApp.candidateId)!;
        const chosen: PlannedItem[] = [{ applicationId: chosenApp.id, action: 'hire', messageKind: null }];
        const targets: PlannedItem[] = apps
          .filter((a) => a.id !== chosenApp.id && a.status === 'active')
          .map((a) => ({ applicationId: a.id, action: 'reject', messageKind: 'rejection_after_interview' }));

        const { items } = evaluatePlan(facts, chosen, targets, { rejectAllOthers: true, onePerPerson: NO_PICKS });
        for (const item of items.slice(1)) {
          const codes = item.checks.filter((c) => c.severity === 'block').map((c) => c.code);
          const samePerson = personOfRecord.get(item.candidateId) === chosenPerson;
          const identityBlocked = codes.includes('recipient_is_chosen') || codes.includes('same_person_as_chosen');
          expect(identityBlocked, `${item.candidateName} vs chosen P${chosenPerson}`).toBe(samePerson);
          // Anyone holding an offer or a hire here, under any of their records, is blocked too.
          const personHasOffer = apps.some(
            (a) => a.id !== chosenApp.id && personOfRecord.get(a.candidateId) === personOfRecord.get(item.candidateId) && ['offered', 'hired'].includes(a.status),
          );
          expect(codes.includes('has_offer_or_hire')).toBe(personHasOffer);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('gives evidence that names the record and the field that matched', () => {
    const { facts } = population([{ records: 2, ties: ['email', 'email', 'email'], statuses: ['active', 'active', 'none', 'none'] }]);
    const [first, second] = [...facts.applications.values()];
    const { items } = evaluatePlan(
      facts,
      [{ applicationId: first!.id, action: 'hire', messageKind: null }],
      [{ applicationId: second!.id, action: 'reject', messageKind: 'rejection_after_interview' }],
      { rejectAllOthers: false },
    );
    expect(items[1]!.checks).toEqual([
      expect.objectContaining({
        code: 'same_person_as_chosen',
        severity: 'block',
        evidence: [{ candidateId: first!.candidateId, field: 'email', value: 'p0r0@x.test' }],
      }),
    ]);
  });

  it('flags kinds that do not fit the action', () => {
    const { facts } = population([
      { records: 1, ties: [], statuses: ['active', 'none', 'none', 'none'] },
      { records: 1, ties: [], statuses: ['active', 'none', 'none', 'none'] },
    ]);
    const [a, b] = [...facts.applications.values()];
    const { items } = evaluatePlan(
      facts,
      [{ applicationId: a!.id, action: 'offer', messageKind: 'rejection_after_interview' }],
      [{ applicationId: b!.id, action: 'update', messageKind: 'rejection_after_application' }],
      { rejectAllOthers: false },
    );
    expect(items.map((i) => i.checks.map((c) => c.code))).toEqual([['kind_mismatch'], ['kind_mismatch']]);
  });

  it('reads the newest decision, earlier messages, suppressions and other requisitions', () => {
    const { facts } = population([
      { records: 1, ties: [], statuses: ['active', 'none', 'none', 'none'] },
      { records: 1, ties: [], statuses: ['active', 'none', 'none', 'none'] },
    ]);
    const [a, b] = [...facts.applications.values()];
    const target = b!;
    facts.latestDecisions.set(target.id, { id: 'd', applicationId: target.id, kind: 'unreject', source: 'greenhouse', occurredAt: new Date('2026-11-20T10:00:00Z') });
    facts.messages.push({ id: 'm1', applicationId: target.id, kind: 'rejection_after_interview', status: 'sent' });
    facts.messages.push({ id: 'm2', applicationId: target.id, kind: 'status_update', status: 'cancelled' });
    facts.suppressed.set(facts.candidates.get(target.candidateId)!.emails[0]!, 'hard_bounce');
    facts.applications.set('elsewhere', { id: 'elsewhere', candidateId: target.candidateId, requisitionId: OTHER_REQ, status: 'active' });
    const { items } = evaluatePlan(
      facts,
      [{ applicationId: a!.id, action: 'hire', messageKind: null }],
      [{ applicationId: target.id, action: 'reject', messageKind: 'rejection_after_interview' }],
      { rejectAllOthers: false },
    );
    expect(items[1]!.checks.map((c) => [c.code, c.severity])).toEqual([
      ['newer_positive_decision', 'block'],
      ['already_notified', 'block'],
      ['suppressed_recipient', 'warn'],
      ['active_elsewhere', 'warn'],
    ]);
  });

  it('sees a positive decision on any record of the person, not only the rejected application', () => {
    const { facts } = population([
      { records: 1, ties: [], statuses: ['active', 'none', 'none', 'none'] },
      { records: 2, ties: ['email', 'email', 'email'], statuses: ['active', 'active', 'none', 'none'] },
    ]);
    const [chosen, target, duplicate] = [...facts.applications.values()];
    facts.latestDecisions.set(duplicate!.id, { id: 'd', applicationId: duplicate!.id, kind: 'offer', source: 'ashby', occurredAt: new Date('2026-11-20T10:00:00Z') });
    const { items } = evaluatePlan(
      facts,
      [{ applicationId: chosen!.id, action: 'hire', messageKind: null }],
      [{ applicationId: target!.id, action: 'reject', messageKind: 'rejection_after_interview' }],
      { rejectAllOthers: false },
    );
    expect(items[1]!.checks).toEqual([expect.objectContaining({ code: 'newer_positive_decision', evidence: [expect.objectContaining({ applicationId: duplicate!.id })] })]);
  });

  it('warns when everyone is rejected and nobody is chosen', () => {
    const { facts } = population([{ records: 1, ties: [], statuses: ['active', 'none', 'none', 'none'] }]);
    const [a] = [...facts.applications.values()];
    const evaluation = evaluatePlan(facts, [], [{ applicationId: a!.id, action: 'reject', messageKind: 'rejection_after_application' }], { rejectAllOthers: true });
    expect(evaluation.checks.map((c) => c.code)).toEqual(['no_chosen_candidate']);
  });

  it('gives every person one message, whatever their records: the others share it (property)', () => {
    fc.assert(
      fc.property(fc.array(personSpec, { minLength: 1, maxLength: 5 }), fc.nat(), fc.array(fc.nat(), { maxLength: 3 }), (people, pick, feedbackPicks) => {
        const { facts, personOfRecord } = population(people);
        const apps = [...facts.applications.values()].filter((a) => a.status === 'active');
        fc.pre(apps.length > 0);
        const picked = new Set([apps[pick % apps.length]!.id]);
        const withFeedback = new Set(feedbackPicks.map((n) => apps[n % apps.length]!.id));
        const targets: PlannedItem[] = apps.map((a) => ({ applicationId: a.id, action: 'reject', messageKind: 'rejection_after_interview' }));
        const { items } = evaluatePlan(facts, [], targets, { rejectAllOthers: true, onePerPerson: { picked, withFeedback } });
        const byId = new Map(items.map((item) => [item.applicationId, item]));
        const carriers = new Map<number, string[]>();
        for (const item of items) {
          const person = personOfRecord.get(item.candidateId)!;
          if (item.sharesMessageWith === null) {
            carriers.set(person, [...(carriers.get(person) ?? []), item.applicationId]);
            expect(item.recipient).not.toBeNull();
          } else {
            // The carrier is the same person's, and it does send.
            const carrier = byId.get(item.sharesMessageWith)!;
            expect(personOfRecord.get(carrier.candidateId)).toBe(person);
            expect(carrier.sharesMessageWith).toBeNull();
            expect(carrier.alsoFor).toContain(item.applicationId);
            expect(item.recipient).toBeNull();
          }
        }
        for (const [person, ids] of carriers) {
          expect(ids, `P${person}`).toHaveLength(1);
          const carrier = byId.get(ids[0]!)!;
          const group = [carrier.applicationId, ...carrier.alsoFor];
          // The recruiter's pick wins; otherwise feedback written for one of them is carried.
          if (group.includes([...picked][0]!)) expect(carrier.applicationId).toBe([...picked][0]);
          const written = group.filter((id) => withFeedback.has(id));
          if (written.length > 0) expect(written).toContain(carrier.feedbackFrom);
          else expect(carrier.feedbackFrom).toBeNull();
          const shared = group.length > 1;
          expect(carrier.checks.some((c) => c.code === 'same_person_in_plan')).toBe(shared);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('counts a message to any record of the person as already notified, and at send time lets exactly one of two go', () => {
    const { facts } = population([{ records: 2, ties: ['email', 'email', 'email'], statuses: ['active', 'active', 'none', 'none'] }]);
    const [a, b] = [...facts.applications.values()];
    facts.messages.push({ id: 'm1', applicationId: a!.id, kind: 'rejection_after_application', status: 'pending_approval' });
    const planned = evaluatePlan(facts, [], [{ applicationId: b!.id, action: 'reject', messageKind: 'rejection_after_interview' }], {
      rejectAllOthers: false,
      onePerPerson: NO_PICKS,
    });
    expect(planned.items[0]!.checks).toEqual([
      expect.objectContaining({ code: 'already_notified', evidence: [{ applicationId: a!.id, field: 'message', value: 'm1 (pending_approval)' }] }),
    ]);

    // Two approved messages to one person, sent in one batch: the older goes, the newer is held.
    facts.messages.splice(
      0,
      1,
      { id: 'm1', applicationId: a!.id, kind: 'rejection_after_interview', status: 'scheduled' },
      { id: 'm2', applicationId: b!.id, kind: 'rejection_after_interview', status: 'scheduled' },
    );
    const atSend = evaluatePlan(
      facts,
      [],
      [
        { applicationId: a!.id, action: 'reject', messageKind: 'rejection_after_interview', messageId: 'm1' },
        { applicationId: b!.id, action: 'reject', messageKind: 'rejection_after_interview', messageId: 'm2' },
      ],
      { rejectAllOthers: false },
    );
    expect(atSend.items.map((item) => item.checks.map((c) => c.code))).toEqual([[], ['already_notified']]);
    // Once the older one has left, it holds back the newer one however old that is.
    facts.messages[0] = { id: 'm3', applicationId: a!.id, kind: 'rejection_after_interview', status: 'sent' };
    const later = evaluatePlan(facts, [], [{ applicationId: b!.id, action: 'reject', messageKind: 'rejection_after_interview', messageId: 'm2' }], { rejectAllOthers: false });
    expect(later.items[0]!.checks.map((c) => c.code)).toEqual(['already_notified']);
    // A draft waiting for approval does not hold back one being sent.
    facts.messages[0] = { id: 'm0', applicationId: a!.id, kind: 'rejection_after_interview', status: 'pending_approval' };
    const draft = evaluatePlan(facts, [], [{ applicationId: b!.id, action: 'reject', messageKind: 'rejection_after_interview', messageId: 'm2' }], { rejectAllOthers: false });
    expect(draft.items[0]!.checks).toEqual([]);
  });
});
