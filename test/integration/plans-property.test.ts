// The promise, end to end through the API: whatever the population — duplicates under
// differently-cased emails, ATS merges, offers — a confirmed plan never rejects any record of
// the chosen person, nor anyone holding an offer, unless a person overrode the check.
import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { bearer, createOrganization } from '../helpers/factories.js';

let ctx: TestContext;
let key: string;

beforeAll(async () => {
  ctx = await createTestContext();
  key = await (await createOrganization(ctx.deps)).key(['read', 'write']);
});
afterAll(() => ctx.close());

const post = (path: string, body: object) => request(ctx.app.server).post(path).set(bearer(key)).send(body);

const recordSpec = fc.record({
  // How this record is tied to the person's first record.
  tie: fc.constantFrom('same_email_other_case', 'merge', 'same_phone', 'bridge', 'email_changed_after_link'),
  offered: fc.boolean(),
});
const personSpec = fc.record({ extraRecords: fc.array(recordSpec, { maxLength: 2 }), offered: fc.boolean() });
type PersonSpec = typeof personSpec extends fc.Arbitrary<infer T> ? T : never;

const recase = (email: string, seed: number) => [...email].map((ch, i) => ((seed >> (i % 16)) & 1 ? ch.toUpperCase() : ch)).join('');

let run = 0;

interface PopulationRecord {
  person: number;
  applicationId: string;
  offered: boolean;
}

/** One requisition and a population of people, each with 1–3 candidate records tied in random ways, each record applying. */
async function population(people: PersonSpec[], caseSeed: number) {
  run++;
  const requisition = (await post('/v1/requisitions', { title: `Property ${run}` })).body;
  const records: PopulationRecord[] = [];
  for (const [p, person] of people.entries()) {
    const base = `person${p}.run${run}@example.test`;
    const phone = `+3361${String(run).padStart(4, '0')}${String(p).padStart(3, '0')}`;
    const first = (await post('/v1/candidates', { name: `P${p}`, emails: [base], phone })).body;
    const applyFor = async (candidateId: string, offered: boolean) => {
      const app = await post('/v1/applications', {
        candidate: { id: candidateId },
        requisition: { id: requisition.id },
        status: offered ? 'offered' : 'active',
      });
      records.push({ person: p, applicationId: app.body.id, offered });
    };
    await applyFor(first.id, person.offered);
    for (const [r, extra] of person.extraRecords.entries()) {
      const name = `P${p} dup ${r}`;
      let dup: { id: string };
      switch (extra.tie) {
        case 'same_email_other_case':
          dup = (await post('/v1/candidates', { name, emails: [recase(base, caseSeed + r)] })).body;
          break;
        case 'same_phone':
          dup = (await post('/v1/candidates', { name, emails: [`other${r}.${base}`], phone })).body;
          break;
        case 'merge':
          dup = (await post('/v1/candidates', { name, emails: [`merged${r}.${base}`] })).body;
          await post(`/v1/candidates/${dup.id}/links`, { candidateId: first.id, source: 'greenhouse' });
          break;
        case 'bridge': {
          // A record with no application here ties the two: first's email, the duplicate's phone.
          const bridgePhone = `+3362${String(run).padStart(4, '0')}${String(p * 10 + r).padStart(3, '0')}`;
          await post('/v1/candidates', { name: `${name} (bridge)`, emails: [base.toUpperCase()], phone: bridgePhone });
          dup = (await post('/v1/candidates', { name, emails: [`bridged${r}.${base}`], phone: bridgePhone })).body;
          break;
        }
        case 'email_changed_after_link':
          // Linked by the shared address, which then changes: the recorded link still holds.
          dup = (await post('/v1/candidates', { name, emails: [base] })).body;
          await request(ctx.app.server)
            .patch(`/v1/candidates/${dup.id}`)
            .set(bearer(key))
            .send({ emails: [`changed${r}.${base}`] });
          break;
      }
      await applyFor(dup.id, extra.offered);
    }
  }
  return { requisition, records };
}

describe('confirmed plans never reject the chosen person (property, through the API)', () => {
  it('holds over random populations with duplicates, merges and offers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(personSpec, { minLength: 2, maxLength: 4 }), fc.nat(), fc.nat(), fc.nat(), async (people, pickPerson, pickRecord, caseSeed) => {
        const { requisition, records } = await population(people, caseSeed);
        const chosenPerson = pickPerson % people.length;
        // Any record of the person may be the chosen one, the original or a duplicate.
        const ofPerson = records.filter((r) => r.person === chosenPerson);
        const chosen = ofPerson[pickRecord % ofPerson.length]!;

        const plan = await post(`/v1/requisitions/${requisition.id}/plans`, {
          chosen: [{ applicationId: chosen.applicationId, action: 'offer' }],
          targets: { mode: 'list', applicationIds: records.filter((r) => r !== chosen).map((r) => r.applicationId) },
        });
        expect(plan.status).toBe(201);
        const confirm = await post(`/v1/plans/${plan.body.id}/confirm`, { digest: plan.body.digest, chosenApplicationIds: [chosen.applicationId] });

        const mustNotBeRejected = records.filter((r) => r !== chosen && (r.person === chosenPerson || r.offered));
        if (confirm.status === 200) {
          expect(mustNotBeRejected).toEqual([]);
        } else {
          expect(confirm.body.code).toBe('blocked_items');
          const blocked = new Set(confirm.body.blocked.map((b: { applicationId: string }) => b.applicationId));
          for (const record of mustNotBeRejected) expect(blocked.has(record.applicationId)).toBe(true);
          // ...and nothing was written.
          const rejected = await ctx.deps.db.application.count({ where: { requisitionId: requisition.id, status: 'rejected' } });
          expect(rejected).toBe(0);
        }
      }),
      { numRuns: 15 },
    );
  }, 120_000);
});

describe('one person, one message (property, through the API)', () => {
  it('a person who is not chosen gets one message per decision, whatever the mix of their records', async () => {
    const notOffered = fc.record({
      extraRecords: fc.array(fc.record({ tie: recordSpec.map((r) => r.tie), offered: fc.constant(false) }), { maxLength: 2 }),
      offered: fc.constant(false),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(notOffered, { minLength: 1, maxLength: 4 }),
        fc.nat(),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 3 }),
        async (people, caseSeed, listMode, withFeedback) => {
          // The chosen person is someone else, with a single record.
          const { requisition, records } = await population([{ extraRecords: [], offered: false }, ...people], caseSeed);
          const chosen = records.find((r) => r.person === 0)!;
          const others = records.filter((r) => r.person !== 0);
          const feedback = Object.fromEntries(withFeedback.map((n) => [others[n % others.length]!.applicationId, { reasonCategory: 'skills_gap', strengths: [`Feedback ${n}`] }]));
          const plan = await post(`/v1/requisitions/${requisition.id}/plans`, {
            chosen: [{ applicationId: chosen.applicationId }],
            targets: listMode ? { mode: 'list', applicationIds: others.map((r) => r.applicationId) } : { mode: 'all_others_active' },
            feedback,
          });
          expect(plan.status, JSON.stringify(plan.body).slice(0, 300)).toBe(201);
          expect(plan.body.summary.messages).toBe(people.length);
          const confirm = await post(`/v1/plans/${plan.body.id}/confirm`, { digest: plan.body.digest, chosenApplicationIds: [chosen.applicationId] });
          expect(confirm.status, JSON.stringify(confirm.body).slice(0, 300)).toBe(200);

          const personOf = new Map(records.map((r) => [r.applicationId, r.person]));
          const messagesPerPerson = new Map<number, number>();
          for (const m of confirm.body.messages) messagesPerPerson.set(personOf.get(m.applicationId)!, (messagesPerPerson.get(personOf.get(m.applicationId)!) ?? 0) + 1);
          expect([...messagesPerPerson.values()].every((n) => n === 1)).toBe(true);
          expect(messagesPerPerson.size).toBe(people.length);
          // Every application of theirs is told, with or without its own email: by its message or by the one carrying it.
          const told = await ctx.deps.db.message.findMany({ where: { planId: plan.body.id }, select: { applicationId: true, alsoForApplicationIds: true } });
          expect(told.flatMap((m) => [m.applicationId, ...m.alsoForApplicationIds]).sort()).toEqual(others.map((r) => r.applicationId).sort());
          // ...and none shows `rejected` before that message is sent.
          expect(await ctx.deps.db.application.count({ where: { requisitionId: requisition.id, status: 'rejected' } })).toBe(0);
          // The feedback written for any of a person's applications is the feedback their message carries.
          for (const m of confirm.body.messages) {
            const person = personOf.get(m.applicationId)!;
            const written = others.filter((r) => r.person === person && feedback[r.applicationId]).map((r) => feedback[r.applicationId]!.strengths[0]);
            const stored = (await ctx.deps.db.message.findUniqueOrThrow({ where: { id: m.id }, select: { feedback: true } })).feedback as { strengths: string[] } | null;
            if (written.length === 0) expect(stored).toBeNull();
            else expect(written).toContain(stored?.strengths[0]);
          }
        },
      ),
      { numRuns: 15 },
    );
  }, 120_000);
});
