// The bulk upsert's set-based path (src/modules/hiring/bulk.ts, bulk-applications.ts) against the
// record-by-record operations it replaces, for new records and for updates: the same people,
// links, audit entries and applications; and two bulk upserts at once naming the same people.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/actor.js';
import { applicationInputSchema, candidateInputSchema, requisitionInputSchema, type ApplicationInput } from '../../src/modules/hiring/hiring.schemas.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { sql } from '../helpers/database.js';
import { createOrganization } from '../helpers/factories.js';
import { upsertCandidates } from '../../src/modules/hiring/bulk.js';
import { upsertApplications } from '../../src/modules/hiring/bulk-applications.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const actorOf = (organizationId: string): Actor => ({ organizationId, actor: 'cli' });
const PHONES = ['+33612345678', '+33612345679', '+14155550100'];

/** 1,000 records whose addresses and numbers overlap, within the batch and with records made before it. */
function batch(prefix: string) {
  const candidates = Array.from({ length: 1000 }, (_, i) =>
    candidateInputSchema.parse({
      name: `Person ${i}`,
      // Every fifth shares an address with the one before it (in another case); some have two
      // addresses, one of them shared with an earlier record or with a record made before.
      emails: [
        i % 5 === 4 ? `${prefix}-${i - 1}@X.test` : `${prefix}-${i}@x.test`,
        ...(i % 11 === 0 ? [`${prefix}-shared-${i % 3}@x.test`] : []),
        ...(i % 97 === 0 ? [`${prefix}-before-${i % 2}@x.test`] : []),
      ],
      ...(i % 13 === 0 ? { phone: PHONES[i % 3]! } : {}),
      ...(i % 17 === 0 ? { locale: 'fr', timezone: 'Europe/Paris' } : {}),
      externalIds: [{ source: 'greenhouse', id: `${prefix}-c-${i}` }],
    }),
  );
  const applications = candidates.map((_, i) =>
    applicationInputSchema.parse({
      candidate: { source: 'greenhouse', externalId: `${prefix}-c-${i}` },
      requisition: { source: 'greenhouse', externalId: `${prefix}-job` },
      stage: `Stage ${i % 4}`,
      ...(i % 9 === 0 ? { status: 'offered' as const } : {}),
      // An interview without a promise: the requisition's default promise applies.
      ...(i % 10 === 0 ? { lastInterviewAt: '2026-11-02T10:00:00Z' } : {}),
      ...(i % 23 === 0 ? { promisedDecisionAt: '2026-12-24T10:00:00Z' } : {}),
      externalIds: i % 2 ? [{ source: 'greenhouse', id: `${prefix}-a-${i}` }] : [],
    }),
  );
  return { candidates, applications };
}

/**
 * The same 1,000 records sent again, as an ATS resends them: most unchanged, some renamed or with
 * a new stage or status, some with another address (a new one, one another record has: a merge,
 * a primary swapped, a case changed), a phone added or removed, an external id added, and
 * records new to the batch among them.
 */
function updates(prefix: string) {
  const first = batch(prefix);
  const candidates = first.candidates.map((c, i) =>
    candidateInputSchema.parse({
      ...c,
      ...(i % 3 === 0 ? { name: `Person ${i} renamed` } : {}),
      ...(i % 7 === 1 ? { emails: [`${prefix}-new-${i}@x.test`] } : {}),
      // Another record's address: the two people become one.
      ...(i % 7 === 2 ? { emails: [...c.emails, `${prefix}-${i + 10}@x.test`] } : {}),
      ...(i % 7 === 3 && c.emails.length > 1 ? { emails: [...c.emails].reverse() } : {}),
      ...(i % 7 === 4 ? { emails: c.emails.map((e) => e.toUpperCase()) } : {}),
      ...(i % 19 === 0 ? { phone: PHONES[(i + 1) % 3]! } : {}),
      ...(i % 26 === 13 ? { phone: null } : {}),
      ...(i % 29 === 0 ? { externalIds: [...c.externalIds, { source: 'lever', id: `${prefix}-l-${i}` }] } : {}),
    }),
  );
  const fresh = Array.from({ length: 40 }, (_, i) =>
    candidateInputSchema.parse({ name: `Newcomer ${i}`, emails: [`${prefix}-${i * 7}@x.test`], externalIds: [{ source: 'greenhouse', id: `${prefix}-n-${i}` }] }),
  );
  // Already parsed (dates as Dates): changed as the parsed input would be.
  const applications: ApplicationInput[] = first.applications.map((a, i) => ({
    ...a,
    ...(i % 4 === 1 ? { stage: `Stage ${i % 4} again` } : {}),
    ...(i % 6 === 0 ? { status: 'rejected' as const } : {}),
    ...(i % 10 === 5 ? { lastInterviewAt: new Date('2026-11-09T10:00:00Z') } : {}),
    ...(i % 31 === 0 ? { promisedDecisionAt: null } : {}),
  }));
  const freshApplications = fresh.map((c) =>
    applicationInputSchema.parse({ candidate: { source: 'greenhouse', externalId: c.externalIds[0]!.id }, requisition: { source: 'greenhouse', externalId: `${prefix}-job` } }),
  );
  // Mixed: new records among the updates.
  return {
    candidates: [...candidates.slice(0, 500), ...fresh, ...candidates.slice(500)],
    applications: [...applications.slice(0, 500), ...freshApplications, ...applications.slice(500)],
  };
}

/** An organization with a requisition and three records made before the batch (one by one). */
async function seeded(prefix: string) {
  const organization = await createOrganization(ctx.deps);
  const actor = actorOf(organization.id);
  await ctx.deps.hiring.upsertRequisition(
    actor,
    requisitionInputSchema.parse({ title: 'Role', promiseDaysAfterInterview: 5, externalIds: [{ source: 'greenhouse', id: `${prefix}-job` }] }),
  );
  const before = [
    { name: 'Before 0', emails: [`${prefix}-before-0@x.test`], externalIds: [{ source: 'greenhouse', id: `${prefix}-b-0` }] },
    { name: 'Before 1', emails: [`${prefix}-before-1@x.test`], phone: PHONES[1]!, externalIds: [{ source: 'greenhouse', id: `${prefix}-b-1` }] },
    { name: 'Before 2', emails: [`${prefix}-b2@x.test`], phone: PHONES[1]!, externalIds: [{ source: 'greenhouse', id: `${prefix}-b-2` }] },
  ];
  for (const input of before) await ctx.deps.hiring.upsertCandidate(actor, candidateInputSchema.parse(input));
  return { organization, actor };
}

/** Everything the upsert wrote in the organization, with record ids replaced by their external ids. */
async function snapshot(organizationId: string, prefix: string) {
  const url = ctx.database.url;
  // A record with several external ids is named by its first Greenhouse one: never by the heap's
  // row order, which a rolled-back pass's dead rows (reused once vacuumed) make vary between runs.
  const ext = new Map<string, string>();
  const rows = await sql<{ entity_id: string; external_id: string }>(
    url,
    "SELECT entity_id, external_id FROM external_ids WHERE organization_id = $1 ORDER BY source <> 'greenhouse', external_id",
    [organizationId],
  );
  for (const r of rows) if (!ext.has(r.entity_id)) ext.set(r.entity_id, r.external_id.replace(`${prefix}-`, ''));
  const name = (id: string | null | undefined) => (id ? (ext.get(id) ?? `?${id}`) : id);
  const strip = (text: string) => text.replaceAll(`${prefix}-`, '');
  const candidates = await sql<{ id: string; person_id: string; name: string; phone: string | null; locale: string | null; timezone: string | null }>(
    url,
    'SELECT id, person_id, name, phone, locale, timezone FROM candidates WHERE organization_id = $1',
    [organizationId],
  );
  const emails = await sql<{ candidate_id: string; address: string; normalized: string; is_primary: boolean }>(
    url,
    'SELECT candidate_id, address, normalized, is_primary FROM candidate_emails WHERE organization_id = $1',
    [organizationId],
  );
  const links = await sql<{ candidate_id: string; linked_candidate_id: string; reason: string; evidence: string; source: string }>(
    url,
    'SELECT candidate_id, linked_candidate_id, reason, evidence, source FROM identity_links WHERE organization_id = $1',
    [organizationId],
  );
  const applications = await sql<{ id: string; candidate_id: string; stage: string; status: string; promised_decision_at: Date | null; last_interview_at: Date | null }>(
    url,
    'SELECT id, candidate_id, stage, status, promised_decision_at, last_interview_at FROM applications WHERE organization_id = $1',
    [organizationId],
  );
  const audit = await sql<{ action: string; entity_id: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null }>(
    url,
    "SELECT action, entity_id, before, after FROM audit_events WHERE organization_id = $1 AND entity <> 'requisition' ORDER BY id",
    [organizationId],
  );
  // Applications without external ids are named by their candidate.
  for (const a of applications) if (!ext.has(a.id)) ext.set(a.id, `application of ${name(a.candidate_id)}`);
  const sorted = <T>(rows: T[]) => rows.map((row) => JSON.stringify(row)).sort();
  return {
    candidates: sorted(candidates.map((c) => ({ c: name(c.id), person: name(c.person_id), name: c.name, phone: c.phone, locale: c.locale, timezone: c.timezone }))),
    emails: sorted(emails.map((e) => ({ c: name(e.candidate_id), address: strip(e.address), normalized: strip(e.normalized), primary: e.is_primary }))),
    links: sorted(links.map((l) => ({ c: name(l.candidate_id), other: name(l.linked_candidate_id), reason: l.reason, evidence: strip(l.evidence), source: l.source }))),
    applications: sorted(
      applications.map((a) => ({ a: name(a.id), c: name(a.candidate_id), stage: a.stage, status: a.status, promised: a.promised_decision_at, interview: a.last_interview_at })),
    ),
    // Per record, the actions in the order they were logged, with what they say (ids named).
    audit: sorted(
      audit.map((e) => ({
        action: e.action,
        on: e.action === 'identity.person_merged' ? `person of ${name(e.entity_id)}` : name(e.entity_id),
        linked: name(e.after?.linkedCandidateId as string | undefined),
        reason: e.after?.reason,
        evidence: typeof e.after?.evidence === 'string' ? strip(e.after.evidence) : undefined,
        person: name(e.after?.personId as string | undefined),
        from: name(e.before?.personId as string | undefined),
        emails: Array.isArray(e.after?.emails) ? (e.after.emails as string[]).map(strip) : undefined,
        stage: e.after?.stage,
        status: e.after?.status,
      })),
    ),
    auditCount: audit.length,
  };
}

function expectSameWrites(actual: Snapshot, expected: Snapshot) {
  expect(actual.candidates).toEqual(expected.candidates);
  expect(actual.emails).toEqual(expected.emails);
  expect(actual.links).toEqual(expected.links);
  expect(actual.applications).toEqual(expected.applications);
  expect(actual.auditCount).toBe(expected.auditCount);
  expect(actual.audit).toEqual(expected.audit);
}
type Snapshot = Awaited<ReturnType<typeof snapshot>>;

/** Every external id of the organization, with the record it names as that record's first external id. */
async function externalIds(organizationId: string, prefix: string) {
  const rows = await sql<{ entity: string; entity_id: string; source: string; external_id: string }>(
    ctx.database.url,
    'SELECT entity::text, entity_id, source, external_id FROM external_ids WHERE organization_id = $1 ORDER BY external_id',
    [organizationId],
  );
  const first = new Map<string, string>();
  for (const r of rows) if (r.source === 'greenhouse' && !first.has(r.entity_id)) first.set(r.entity_id, r.external_id);
  return rows.map((r) => `${r.entity} ${r.source} ${r.external_id.replace(`${prefix}-`, '')} → ${(first.get(r.entity_id) ?? '?').replace(`${prefix}-`, '')}`).sort();
}

describe('bulk upsert, set-based', () => {
  it('writes what the same records upserted one by one write: people, links, audit, applications', async () => {
    const one = await seeded('p');
    const bulk = await seeded('p');
    const { candidates, applications } = batch('p');

    for (const input of candidates) await ctx.deps.hiring.upsertCandidate(one.actor, input);
    for (const input of applications) await ctx.deps.hiring.upsertApplication(one.actor, input);
    const result = await ctx.deps.hiring.bulkUpsert(bulk.actor, { requisitions: [], candidates, applications });

    const [expected, actual] = [await snapshot(one.organization.id, 'p'), await snapshot(bulk.organization.id, 'p')];
    expect(actual.links.length).toBeGreaterThan(300); // the batch links a lot, within itself and to records before it
    expect(actual.audit.some((e) => e.includes('identity.person_merged'))).toBe(true);
    expectSameWrites(actual, expected);

    // The response: one outcome per record, in the request's order.
    const ext = new Map(
      (
        await sql<{ entity_id: string; external_id: string }>(ctx.database.url, 'SELECT entity_id, external_id FROM external_ids WHERE organization_id = $1', [
          bulk.organization.id,
        ])
      ).map((r) => [r.entity_id, r.external_id]),
    );
    expect(result.candidates.map((c) => ext.get(c.id))).toEqual(candidates.map((c) => c.externalIds[0]!.id));
    expect(result.candidates.every((c) => c.created)).toBe(true);
    expect(result.applications).toHaveLength(1000);
    expect(result.applications.every((a) => a.created)).toBe(true);

    // Sent again, the records are updates (record by record): the same ids, nothing new.
    const again = await ctx.deps.hiring.bulkUpsert(bulk.actor, { requisitions: [], candidates: candidates.slice(0, 50), applications: applications.slice(0, 50) });
    expect(again.candidates).toEqual(result.candidates.slice(0, 50).map((c) => ({ ...c, created: false })));
    expect(again.applications).toEqual(result.applications.slice(0, 50).map((a) => ({ ...a, created: false })));
    expect((await snapshot(bulk.organization.id, 'p')).auditCount).toBe(actual.auditCount);
  }, 300_000);

  it('updates write what the same updates one by one write: changed fields, addresses, links, merges, audit', async () => {
    const one = await seeded('u');
    const bulk = await seeded('u');
    const first = batch('u');
    // The first batch the same way for both (set-based, proven equal above).
    await ctx.deps.hiring.bulkUpsert(one.actor, { requisitions: [], ...first });
    await ctx.deps.hiring.bulkUpsert(bulk.actor, { requisitions: [], ...first });
    const { candidates, applications } = updates('u');

    // Taken set-based (checked, then rolled back).
    const rollback = new Error('rollback');
    await expect(
      ctx.deps.db.$transaction(async (tx) => {
        expect(await upsertCandidates(tx, bulk.actor, candidates)).not.toBeNull();
        expect(await upsertApplications(tx, bulk.actor, applications)).not.toBeNull();
        throw rollback;
      }),
    ).rejects.toBe(rollback);

    for (const input of candidates) await ctx.deps.hiring.upsertCandidate(one.actor, input);
    for (const input of applications) await ctx.deps.hiring.upsertApplication(one.actor, input);
    const result = await ctx.deps.hiring.bulkUpsert(bulk.actor, { requisitions: [], candidates, applications });

    const [expected, actual] = [await snapshot(one.organization.id, 'u'), await snapshot(bulk.organization.id, 'u')];
    expect(actual.audit.filter((e) => e.includes('candidate.updated')).length).toBeGreaterThan(300);
    expect(actual.audit.filter((e) => e.includes('identity.person_merged')).length).toBeGreaterThan(1);
    expectSameWrites(actual, expected);
    expect(await externalIds(bulk.organization.id, 'u')).toEqual(await externalIds(one.organization.id, 'u'));
    expect(result.candidates.filter((c) => c.created)).toHaveLength(40);
    expect(result.applications.filter((a) => a.created)).toHaveLength(40);
    expect(result.candidates[500]!.created).toBe(true);
    expect(result.candidates[0]!.created).toBe(false);
  }, 600_000);

  it('two bulk upserts at once naming the same people: no duplicates, no deadlock, one person per address', async () => {
    const { actor } = await seeded('q');
    const { candidates, applications } = batch('q');
    const first = { requisitions: [], candidates: candidates.slice(0, 300), applications: applications.slice(0, 300) };
    // The same records in the opposite order, and records of their own sharing the addresses.
    const second = {
      requisitions: [],
      candidates: [
        ...candidates.slice(0, 300).reverse(),
        ...candidates.slice(0, 100).map((c, i) => ({ ...c, name: `Other ${i}`, externalIds: [{ source: 'lever', id: `q-o-${i}` }] })),
      ],
      applications: applications.slice(0, 300).reverse(),
    };
    const [a, b] = await Promise.all([ctx.deps.hiring.bulkUpsert(actor, first), ctx.deps.hiring.bulkUpsert(actor, second)]);

    // One record per external id, one application per pair, whoever came first.
    expect(b.candidates.slice(0, 300).map((c) => c.id)).toEqual(a.candidates.map((c) => c.id).reverse());
    expect(b.applications.map((x) => x.id)).toEqual(a.applications.map((x) => x.id).reverse());
    const counts = await sql<{ candidates: string; applications: string; pairs: string }>(
      ctx.database.url,
      `SELECT (SELECT count(*) FROM candidates WHERE organization_id = $1) AS candidates,
              (SELECT count(*) FROM applications WHERE organization_id = $1) AS applications,
              (SELECT count(DISTINCT (requisition_id, candidate_id)) FROM applications WHERE organization_id = $1) AS pairs`,
      [actor.organizationId],
    );
    expect(counts[0]).toEqual({ candidates: String(3 + 300 + 100), applications: '300', pairs: '300' });
    // Records sharing a normalised address are one person, across the two batches.
    const split = await sql<{ normalized: string }>(
      ctx.database.url,
      `SELECT e.normalized FROM candidate_emails e JOIN candidates c ON c.id = e.candidate_id
       WHERE e.organization_id = $1 GROUP BY e.normalized HAVING count(DISTINCT c.person_id) > 1`,
      [actor.organizationId],
    );
    expect(split).toEqual([]);

    // Applications naming the records by id (no external id to queue on), in opposite orders.
    const job = await ctx.deps.hiring.upsertRequisition(actor, requisitionInputSchema.parse({ title: 'Second role' }));
    const byId = a.candidates.map((c) => applicationInputSchema.parse({ candidate: { id: c.id }, requisition: { id: job.requisition.id } }));
    const [x, y] = await Promise.all([
      ctx.deps.hiring.bulkUpsert(actor, { requisitions: [], candidates: [], applications: byId }),
      ctx.deps.hiring.bulkUpsert(actor, { requisitions: [], candidates: [], applications: [...byId].reverse() }),
    ]);
    expect(y.applications.map((o) => o.id)).toEqual(x.applications.map((o) => o.id).reverse());
    expect([...x.applications, ...y.applications].filter((o) => o.created)).toHaveLength(300);
  }, 300_000);
});
