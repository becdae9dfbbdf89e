import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { recheckMessages } from '../../src/modules/decisions/recheck.js';
import { sql } from '../helpers/database.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';

let ctx: TestContext;
let org: TestOrganization;
let writer: string;
let overrider: string;

beforeAll(async () => {
  ctx = await createTestContext();
  org = await createOrganization(ctx.deps);
  writer = await org.key(['read', 'write']);
  overrider = await org.key(['read', 'write', 'override']);
});
afterAll(() => ctx.close());

const post = (path: string, body: object, key = writer) => request(ctx.app.server).post(path).set(bearer(key)).send(body);
const get = (path: string, key = writer) => request(ctx.app.server).get(path).set(bearer(key));

let counter = 0;
/** A requisition with one application per candidate spec; returns ids by name. */
async function hiringRound(people: { name: string; emails: string[]; phone?: string; status?: string }[]) {
  const requisition = (await post('/v1/requisitions', { title: `Role ${++counter}` })).body;
  const apps: Record<string, { applicationId: string; candidateId: string }> = {};
  for (const person of people) {
    const candidate = (await post('/v1/candidates', { name: person.name, emails: person.emails, ...(person.phone ? { phone: person.phone } : {}) })).body;
    const application = await post('/v1/applications', {
      candidate: { id: candidate.id },
      requisition: { id: requisition.id },
      ...(person.status ? { status: person.status } : {}),
    });
    apps[person.name] = { applicationId: application.body.id, candidateId: candidate.id };
  }
  return { requisitionId: requisition.id as string, apps };
}

const planBody = (chosen: string[], extra: object = {}) => ({
  chosen: chosen.map((applicationId) => ({ applicationId })),
  targets: { mode: 'all_others_active' },
  ...extra,
});
const itemOf = (plan: { items: { applicationId: string }[] }, applicationId: string) =>
  plan.items.find((i) => i.applicationId === applicationId) as unknown as { checks: { code: string; severity: string; evidence: object[] }[] } & Record<string, unknown>;
const codes = (item: { checks: { code: string }[] }) => item.checks.map((c) => c.code);

/** A refused confirmation leaves no decision, status change, message or confirmation behind. */
async function expectNothingWritten(planId: string, applicationIds: string[]) {
  expect(await ctx.deps.db.decision.count({ where: { applicationId: { in: applicationIds }, source: 'plan' } })).toBe(0);
  expect(await ctx.deps.db.message.count({ where: { planId } })).toBe(0);
  expect(await ctx.deps.db.auditEvent.count({ where: { entityId: planId, action: 'plan.confirmed' } })).toBe(0);
  expect((await ctx.deps.db.decisionPlan.findUniqueOrThrow({ where: { id: planId } })).status).toBe('pending');
}

describe('the wrong email, never again', () => {
  it('blocks the rejection of a chosen candidate who exists under a second record with a differently-cased email', async () => {
    const round = await hiringRound([
      { name: 'Amara', emails: ['amara.okafor@example.com'] },
      { name: 'Amara (duplicate)', emails: ['Amara.Okafor@Example.COM'] },
      { name: 'Ben', emails: ['ben@example.com'] },
    ]);
    const chosen = round.apps['Amara']!.applicationId;
    const plan = await post(`/v1/requisitions/${round.requisitionId}/plans`, planBody([chosen]));
    expect(plan.status).toBe(201);

    const duplicate = itemOf(plan.body, round.apps['Amara (duplicate)']!.applicationId);
    expect(duplicate.checks).toEqual([
      expect.objectContaining({
        code: 'same_person_as_chosen',
        severity: 'block',
        evidence: [expect.objectContaining({ field: 'email', value: 'amara.okafor@example.com' })],
      }),
    ]);
    expect(codes(itemOf(plan.body, round.apps['Ben']!.applicationId))).toEqual([]);
    expect(plan.body.summary).toEqual({ items: 3, messages: 2, blocked: 1, warnings: 0 });
    // Read back through the response schema, the plan is the answer, evidence and all (planJson).
    expect((await get(`/v1/plans/${plan.body.id}`)).body).toEqual(plan.body);
    // An ATS retrying with its Idempotency-Key gets that same answer, byte for byte, and no second plan.
    const keyed = () => post(`/v1/requisitions/${round.requisitionId}/plans`, planBody([chosen])).set('idempotency-key', `plan-${round.requisitionId}`);
    const [once, again] = [await keyed(), await keyed()];
    expect(once.status).toBe(201);
    expect([again.status, again.headers['idempotent-replayed'], again.headers['content-type']]).toEqual([201, 'true', 'application/json; charset=utf-8']);
    expect(again.text).toBe(once.text);
    expect(once.body.items).toEqual(plan.body.items);
    const plans = await sql<{ count: string }>(ctx.database.url, 'SELECT count(*) FROM decision_plans WHERE requisition_id = $1', [round.requisitionId]);
    expect(plans[0]!.count).toBe('2');

    // Without an override the confirmation is refused, naming the blocked item; nothing changes.
    const refused = await post(`/v1/plans/${plan.body.id}/confirm`, { digest: plan.body.digest, chosenApplicationIds: [chosen] });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'blocked_items', blocked: [{ applicationId: duplicate.applicationId, code: 'same_person_as_chosen' }] });
    expect(await ctx.deps.db.message.count({ where: { planId: plan.body.id } })).toBe(0);
    expect((await get(`/v1/applications/${duplicate.applicationId}`)).body.status).toBe('active');

    // An override needs the override scope and a written reason.
    const override = { applicationId: duplicate.applicationId, code: 'same_person_as_chosen', reason: 'Two different people who share a family mailbox' };
    const noScope = await post(`/v1/plans/${plan.body.id}/confirm`, { digest: plan.body.digest, chosenApplicationIds: [chosen], overrides: [override] });
    expect(noScope.status).toBe(403);
    const tooShort = await post(
      `/v1/plans/${plan.body.id}/confirm`,
      { digest: plan.body.digest, chosenApplicationIds: [chosen], overrides: [{ ...override, reason: 'ok' }] },
      overrider,
    );
    expect(tooShort.status).toBe(400);
    const confirmed = await post(`/v1/plans/${plan.body.id}/confirm`, { digest: plan.body.digest, chosenApplicationIds: [chosen], overrides: [override] }, overrider);
    expect(confirmed.status).toBe(200);
    const audit = await get(`/v1/audit-events?action=check.overridden&entityId=${duplicate.applicationId}`);
    expect(audit.body.data[0]).toMatchObject({ after: { code: 'same_person_as_chosen', reason: override.reason } });
    // The checks run again before sending, and the written override holds there too.
    const draft = await ctx.deps.db.message.findFirstOrThrow({ where: { planId: plan.body.id as string, applicationId: duplicate.applicationId as string } });
    expect((await recheckMessages(ctx.deps.db, [draft])).get(draft.id)).toEqual({ ok: true });
    // Confirming again answers what the confirmation answered.
    const replayed = await post(`/v1/plans/${plan.body.id}/confirm`, { digest: plan.body.digest, chosenApplicationIds: [chosen], overrides: [override] }, overrider);
    expect(replayed.status).toBe(200);
    expect(replayed.body).toEqual(confirmed.body);
  });

  it('finds the chosen person through records outside the plan, two and three steps away, by every kind of key', async () => {
    // Each target is the chosen person only through records that are not in the plan, and the
    // middle of each chain is reachable by one kind of key alone (a phone, an address, a recorded
    // link, a stored person), from records themselves found only in an earlier round. Chain:
    // chosen ─email─ A ─key─ B ─link─ C ─key─ D ─email─ target, where "key" is that kind.
    const round = await hiringRound([
      { name: 'Chosen', emails: ['chosen@chain.example'], phone: '+14155550100' },
      { name: 'Via phone', emails: ['via-phone@chain.example'] },
      { name: 'Via email', emails: ['via-email@chain.example'] },
      { name: 'Via link', emails: ['via-link@chain.example'] },
      { name: 'Via person', emails: ['via-person@chain.example'] },
      { name: 'Unrelated', emails: ['unrelated@chain.example'] },
    ]);
    // This test's records (the round's and those outside it): only they are changed below.
    const mine = Object.values(round.apps).map((app) => app.candidateId);
    const record = async (name: string, emails: string[], phone?: string) => {
      const id = (await post('/v1/candidates', { name, emails, ...(phone ? { phone } : {}) })).body.id as string;
      mine.push(id);
      return id;
    };
    const link = (a: string, b: string) =>
      sql(
        ctx.database.url,
        `INSERT INTO identity_links (id, organization_id, candidate_id, linked_candidate_id, reason, evidence, source) VALUES (gen_random_uuid(), $1, $2, $3, 'merge', 'ats:merge', 'test')`,
        [org.id, a, b],
      );
    const samePerson = (a: string, b: string) => sql(ctx.database.url, `UPDATE candidates SET person_id = (SELECT person_id FROM candidates WHERE id = $1) WHERE id = $2`, [a, b]);

    // Phone: A and B share one phone, C and D another.
    const p = { a: await record('P a', ['chosen@chain.example'], '+14155550111'), b: await record('P b', ['p-b@chain.example'], '+14155550111') };
    const pc = { c: await record('P c', ['p-c@chain.example'], '+14155550122'), d: await record('P d', ['via-phone@chain.example'], '+14155550122') };
    await link(p.b, pc.c);
    // Email: A and B share an address, C and D another (A and D reached by their phones).
    const e = { a: await record('E a', ['e-ab@chain.example'], '+14155550100'), b: await record('E b', ['e-ab@chain.example']) };
    const ec = { c: await record('E c', ['e-cd@chain.example']), d: await record('E d', ['e-cd@chain.example'], '+14155550133') };
    await sql(ctx.database.url, `UPDATE candidates SET phone = '+14155550133' WHERE id = $1`, [round.apps['Via email']!.candidateId]);
    await link(e.b, ec.c);
    // Link: A ─link─ B ─link─ C ─link─ D.
    const l = { a: await record('L a', ['chosen@chain.example']), b: await record('L b', ['l-b@chain.example']), c: await record('L c', ['l-c@chain.example']) };
    const ld = await record('L d', ['via-link@chain.example']);
    await link(l.a, l.b);
    await link(l.b, l.c);
    await link(l.c, ld);
    // Person: A and B one stored person, C and D another.
    const s = { a: await record('S a', ['chosen@chain.example']), b: await record('S b', ['s-b@chain.example']) };
    const sc = { c: await record('S c', ['s-c@chain.example']), d: await record('S d', ['via-person@chain.example']) };
    await link(s.b, sc.c);
    // The keys themselves are followed, not only what was recorded when a record came to share
    // one (a link, the same stored person): each record is its own person but where said.
    await sql(ctx.database.url, `DELETE FROM identity_links WHERE reason <> 'merge' AND (candidate_id = ANY($1::uuid[]) OR linked_candidate_id = ANY($1::uuid[]))`, [mine]);
    await sql(ctx.database.url, `UPDATE candidates SET person_id = id WHERE id = ANY($1::uuid[])`, [mine]);
    await samePerson(s.a, s.b);
    await samePerson(sc.d, sc.c);

    const plan = await post(`/v1/requisitions/${round.requisitionId}/plans`, planBody([round.apps['Chosen']!.applicationId]));
    expect(plan.status).toBe(201);
    for (const name of ['Via phone', 'Via email', 'Via link', 'Via person']) {
      // (They are also one another, through the chosen person: same_person_in_plan as well.)
      expect(codes(itemOf(plan.body, round.apps[name]!.applicationId)), name).toContain('same_person_as_chosen');
    }
    expect(codes(itemOf(plan.body, round.apps['Unrelated']!.applicationId))).toEqual([]);
  });

  it('blocks the chosen candidate under an address written another way', async () => {
    const round = await hiringRound([
      { name: 'Ines', emails: ['ines.moreau@bücher.example'] },
      { name: 'Ines (trailing dot, full width)', emails: ['ｉｎｅｓ.moreau@xn--bcher-kva.example.'] },
      { name: 'Ines (soft hyphen)', emails: ['ines.mo\u00adreau@BÜCHER.example'] },
      { name: 'Ines (zero width)', emails: ['ines.\u200bmoreau@bücher.example'] },
      { name: 'Noah', emails: ['noah@bücher.example'] },
    ]);
    const plan = await post(`/v1/requisitions/${round.requisitionId}/plans`, planBody([round.apps['Ines']!.applicationId]));
    expect(plan.status).toBe(201);
    for (const name of ['Ines (trailing dot, full width)', 'Ines (soft hyphen)', 'Ines (zero width)']) {
      const item = itemOf(plan.body, round.apps[name]!.applicationId);
      expect(
        item.checks.filter((c) => c.severity === 'block').map((c) => c.code),
        name,
      ).toEqual(['same_person_as_chosen']);
    }
    expect(codes(itemOf(plan.body, round.apps['Noah']!.applicationId))).toEqual([]);
  });

  it('blocks a record merged by the ATS, though it shares no address', async () => {
    const round = await hiringRound([
      { name: 'Chen', emails: ['chen@home.test'] },
      { name: 'Chen Wei', emails: ['wei.chen@work.test'] },
    ]);
    await post(`/v1/candidates/${round.apps['Chen Wei']!.candidateId}/links`, { candidateId: round.apps['Chen']!.candidateId, source: 'greenhouse', note: 'merge 991' });
    const plan = await post(`/v1/requisitions/${round.requisitionId}/plans`, planBody([round.apps['Chen']!.applicationId]));
    const item = itemOf(plan.body, round.apps['Chen Wei']!.applicationId);
    // The merge itself is the evidence (more specific than the shared identity group).
    expect(item.checks[0]).toMatchObject({ code: 'same_person_as_chosen', evidence: [expect.objectContaining({ field: 'merge', value: 'merge 991' })] });
  });
});

describe('plans', () => {
  it('list every item with recipient, action and kind, change nothing, and confirm atomically', async () => {
    const round = await hiringRound([
      { name: 'Dana', emails: ['dana@x.test'] },
      { name: 'Eli', emails: ['Eli@X.test'] },
      { name: 'Fay', emails: ['fay@x.test'] },
    ]);
    const [dana, eli, fay] = ['Dana', 'Eli', 'Fay'].map((n) => round.apps[n]!.applicationId) as [string, string, string];
    const feedback = { reasonCategory: 'experience_level', strengths: ['Clear system design'], areasToImprove: ['Production Kubernetes'] };
    const plan = await post(
      `/v1/requisitions/${round.requisitionId}/plans`,
      planBody([dana], { messageKinds: { [fay]: 'rejection_after_application' }, feedback: { [eli]: feedback } }),
    );
    expect(plan.status).toBe(201);
    expect(plan.body).toMatchObject({ status: 'pending', chosenApplicationIds: [dana], digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(plan.body.items.map((i: Record<string, unknown>) => [i.candidateName, i.recipient, i.action, i.messageKind])).toEqual([
      ['Dana', 'dana@x.test', 'hire', null],
      ['Eli', 'Eli@X.test', 'reject', 'rejection_after_interview'], // as given, not as normalised
      ['Fay', 'fay@x.test', 'reject', 'rejection_after_application'],
    ]);
    expect(new Date(plan.body.expiresAt).getTime() - new Date(plan.body.createdAt).getTime()).toBe(60 * 60_000);
    expect((await get(`/v1/applications?requisitionId=${round.requisitionId}&status=active`)).body.data).toHaveLength(3);

    const confirm = { digest: plan.body.digest, chosenApplicationIds: [dana] };
    const confirmed = await post(`/v1/plans/${plan.body.id}/confirm`, confirm);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.decisions).toEqual([
      { applicationId: dana, kind: 'hire' },
      { applicationId: eli, kind: 'reject' },
      { applicationId: fay, kind: 'reject' },
    ]);
    expect(confirmed.body.messages.map((m: Record<string, unknown>) => [m.applicationId, m.kind, m.recipientEmail, m.status])).toEqual([
      [eli, 'rejection_after_interview', 'Eli@X.test', 'draft'],
      [fay, 'rejection_after_application', 'fay@x.test', 'draft'],
    ]);
    const statuses = (await get(`/v1/applications?requisitionId=${round.requisitionId}`)).body.data.map((a: Record<string, unknown>) => [a.id, a.status]);
    // The hire is the outcome now; the rejections become the applications' status when their emails are sent.
    expect(statuses).toEqual([
      [dana, 'hired'],
      [eli, 'active'],
      [fay, 'active'],
    ]);
    // A second reject-all of the same round finds nobody left to tell.
    const second = await post(`/v1/requisitions/${round.requisitionId}/plans`, { chosen: [{ applicationId: dana }], targets: { mode: 'all_others_active' } });
    expect(second.status, JSON.stringify(second.body).slice(0, 300)).toBe(201);
    expect(second.body.items.filter((i: { action: string }) => i.action === 'reject')).toEqual([]);
    const draft = await ctx.deps.db.message.findFirstOrThrow({ where: { applicationId: eli } });
    expect(draft.feedback).toMatchObject(feedback);

    // Confirming twice is idempotent: the answer is read back from the decisions and drafts
    // written (the plan keeps only when, and the overrides).
    const again = await post(`/v1/plans/${plan.body.id}/confirm`, confirm);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(confirmed.body);
    const [stored] = await sql<{ confirmation: object }>(ctx.database.url, `SELECT confirmation FROM decision_plans WHERE id = $1`, [plan.body.id]);
    expect(stored!.confirmation).toEqual({ planId: plan.body.id, confirmedAt: confirmed.body.confirmedAt, overrides: [] });
    // A plan confirmed before that stored its whole answer, which is what it answers again.
    await sql(ctx.database.url, `UPDATE decision_plans SET confirmation = $2 WHERE id = $1`, [plan.body.id, JSON.stringify(confirmed.body)]);
    await sql(ctx.database.url, `UPDATE messages SET recipient_email = 'changed-since@x.test' WHERE plan_id = $1`, [plan.body.id]);
    expect((await post(`/v1/plans/${plan.body.id}/confirm`, confirm)).body).toEqual(confirmed.body);
    expect(await ctx.deps.db.message.count({ where: { planId: plan.body.id } })).toBe(2);
    expect((await get(`/v1/plans/${plan.body.id}`)).body).toMatchObject({ status: 'confirmed', confirmedAt: expect.any(String) });

    // A new plan for the same people now finds they were already notified.
    const repeat = await post(`/v1/requisitions/${round.requisitionId}/plans`, { targets: { mode: 'list', applicationIds: [eli] } });
    expect(codes(itemOf(repeat.body, eli))).toContain('already_notified');
  });

  it('refuse a confirmation when the data changed since the plan (recomputed, not trusted)', async () => {
    const round = await hiringRound([
      { name: 'Gus', emails: ['gus@x.test'] },
      { name: 'Hana', emails: ['hana@x.test'] },
    ]);
    const [gus, hana] = [round.apps['Gus']!.applicationId, round.apps['Hana']!.applicationId];
    const plan = await post(`/v1/requisitions/${round.requisitionId}/plans`, planBody([gus]));
    // An offer for Hana arrives (from the ATS) after the plan was made.
    await request(ctx.app.server).patch(`/v1/applications/${hana}`).set(bearer(writer)).send({ status: 'offered' });
    const stale = await post(`/v1/plans/${plan.body.id}/confirm`, { digest: plan.body.digest, chosenApplicationIds: [gus] });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'plan_stale', changedApplicationIds: [hana] });
    expect((await get(`/v1/applications/${hana}`)).body.status).toBe('offered');
    await expectNothingWritten(plan.body.id, [gus, hana]);

    // A new plan shows why: Hana has an offer (and is no longer active, so not a reject-all target).
    const fresh = await post(`/v1/requisitions/${round.requisitionId}/plans`, { chosen: [{ applicationId: gus }], targets: { mode: 'list', applicationIds: [hana] } });
    expect(codes(itemOf(fresh.body, hana))).toEqual(['has_offer_or_hire']);
  });

  it('refuse a wrong digest, other chosen ids, and an expired plan', async () => {
    const round = await hiringRound([
      { name: 'Ivo', emails: ['ivo@x.test'] },
      { name: 'Jo', emails: ['jo@x.test'] },
    ]);
    const [ivo, jo] = [round.apps['Ivo']!.applicationId, round.apps['Jo']!.applicationId];
    const plan = await post(`/v1/requisitions/${round.requisitionId}/plans`, planBody([ivo]));
    const wrongDigest = await post(`/v1/plans/${plan.body.id}/confirm`, { digest: 'a'.repeat(64), chosenApplicationIds: [ivo] });
    expect(wrongDigest.body.code).toBe('plan_stale');
    const mismatch = await post(`/v1/plans/${plan.body.id}/confirm`, { digest: plan.body.digest, chosenApplicationIds: [jo] });
    expect(mismatch.status).toBe(409);
    expect(mismatch.body).toMatchObject({ code: 'chosen_mismatch', planned: [ivo], named: [jo] });

    await sql(ctx.database.url, `UPDATE decision_plans SET expires_at = now() - interval '1 second' WHERE id = $1`, [plan.body.id]);
    const expired = await post(`/v1/plans/${plan.body.id}/confirm`, { digest: plan.body.digest, chosenApplicationIds: [ivo] });
    expect(expired.status).toBe(409);
    expect(expired.body.code).toBe('plan_expired');
    await expectNothingWritten(plan.body.id, [ivo, jo]);
  });

  it('check decisions from any source, kinds, and other requisitions', async () => {
    const round = await hiringRound([
      { name: 'Kai', emails: ['kai@x.test'] },
      { name: 'Lou', emails: ['lou@x.test'] },
      { name: 'Mo', emails: ['mo@x.test'] },
    ]);
    const [kai, lou, mo] = ['Kai', 'Lou', 'Mo'].map((n) => round.apps[n]!.applicationId) as [string, string, string];
    const unreject = await post('/v1/decisions', { application: { id: lou }, kind: 'unreject', source: 'greenhouse' });
    expect(unreject.status).toBe(201);
    expect(unreject.body).toMatchObject({ applicationId: lou, kind: 'unreject', source: 'greenhouse', applicationStatus: 'active' });
    const other = (await post('/v1/requisitions', { title: 'Elsewhere' })).body;
    await post('/v1/applications', { candidate: { id: round.apps['Mo']!.candidateId }, requisition: { id: other.id } });
    await ctx.deps.db.suppression.create({ data: { organizationId: org.id, email: 'mo@x.test', reason: 'hard_bounce', source: 'postmark' } });

    const plan = await post(`/v1/requisitions/${round.requisitionId}/plans`, planBody([kai]));
    expect(codes(itemOf(plan.body, lou))).toEqual(['newer_positive_decision']);
    expect(itemOf(plan.body, mo).checks.map((c) => [c.code, c.severity])).toEqual([
      ['suppressed_recipient', 'warn'],
      ['active_elsewhere', 'warn'],
    ]);
    const update = await post(`/v1/requisitions/${round.requisitionId}/plans`, {
      targets: { mode: 'list', applicationIds: [mo] },
      action: 'update',
      messageKind: 'rejection_after_interview',
    });
    expect(codes(itemOf(update.body, mo))).toContain('kind_mismatch');
  });

  it('warn when everyone is rejected and nobody is chosen', async () => {
    const round = await hiringRound([{ name: 'Nia', emails: ['nia@x.test'] }]);
    const plan = await post(`/v1/requisitions/${round.requisitionId}/plans`, planBody([]));
    expect(plan.body.checks.map((c: { code: string }) => c.code)).toEqual(['no_chosen_candidate']);
    // Stored beside the items, and read back with them.
    expect((await get(`/v1/plans/${plan.body.id}`)).body).toEqual(plan.body);
  });
});

describe('choosing and rejecting the same application', () => {
  it('is blocked and cannot be overridden', async () => {
    const round = await hiringRound([{ name: 'Quinn', emails: ['quinn@x.test'] }]);
    const quinn = round.apps['Quinn']!.applicationId;
    const plan = await post(`/v1/requisitions/${round.requisitionId}/plans`, { chosen: [{ applicationId: quinn }], targets: { mode: 'list', applicationIds: [quinn] } });
    expect(codes(plan.body.items[1])).toEqual(['recipient_is_chosen']);
    const res = await post(
      `/v1/plans/${plan.body.id}/confirm`,
      { digest: plan.body.digest, chosenApplicationIds: [quinn], overrides: [{ applicationId: quinn, code: 'recipient_is_chosen', reason: 'I really mean it, honestly' }] },
      overrider,
    );
    expect(res.status).toBe(400);
    await expectNothingWritten(plan.body.id, [quinn]);
  });
});

describe('recorded decisions', () => {
  it('move the application and are found by external id', async () => {
    const requisition = (await post('/v1/requisitions', { title: 'Intake' })).body;
    const candidate = (await post('/v1/candidates', { name: 'Pia', emails: ['pia@x.test'] })).body;
    await post('/v1/applications', { candidate: { id: candidate.id }, requisition: { id: requisition.id }, externalIds: [{ source: 'lever', id: 'opp-1' }] });
    const offer = await post('/v1/decisions', { application: { source: 'lever', externalId: 'opp-1' }, kind: 'offer', source: 'lever', occurredAt: '2026-11-21T09:00:00Z' });
    expect(offer.status).toBe(201);
    expect(offer.body).toMatchObject({ kind: 'offer', applicationStatus: 'offered', occurredAt: '2026-11-21T09:00:00.000Z' });
    const hold = await post('/v1/decisions', { application: { id: offer.body.applicationId }, kind: 'hold' });
    expect(hold.body.applicationStatus).toBe('offered');
    const audit = await get(`/v1/audit-events?entityId=${offer.body.applicationId}&action=decision.recorded`);
    expect(audit.body.data.map((e: { after: { kind: string } }) => e.after.kind)).toEqual(['offer', 'hold']);
    const moved = await get(`/v1/audit-events?entityId=${offer.body.applicationId}&action=application.status_changed`);
    expect(moved.body.data.map((e: { before: unknown; after: unknown; requestId: string }) => [e.before, e.after, e.requestId])).toEqual([
      [{ status: 'active' }, { status: 'offered' }, offer.headers['x-request-id']],
    ]);
  });

  it('refuse applications that are not this organization’s', async () => {
    const stranger = await createOrganization(ctx.deps);
    const theirs = (await request(ctx.app.server).post('/v1/requisitions').set(bearer(stranger.adminKey)).send({ title: 'Theirs' })).body;
    const cand = (
      await request(ctx.app.server)
        .post('/v1/candidates')
        .set(bearer(stranger.adminKey))
        .send({ name: 'T', emails: ['t@t.test'] })
    ).body;
    const app = (
      await request(ctx.app.server)
        .post('/v1/applications')
        .set(bearer(stranger.adminKey))
        .send({ candidate: { id: cand.id }, requisition: { id: theirs.id } })
    ).body;
    const res = await post('/v1/decisions', { application: { id: app.id }, kind: 'hire' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'body.application', message: 'no such application' }]);
    expect((await post('/v1/decisions', { application: { source: 'lever', externalId: 'nope' }, kind: 'hire' })).status).toBe(400);
  });
});

describe('bad input writes nothing', () => {
  it('answers clear problems for unknown ids, other organizations, closed requisitions and malformed feedback', async () => {
    const round = await hiringRound([{ name: 'Oli', emails: ['oli@x.test'] }]);
    const oli = round.apps['Oli']!.applicationId;
    const plansBefore = await ctx.deps.db.decisionPlan.count();

    const unknown = await post(`/v1/requisitions/${round.requisitionId}/plans`, {
      chosen: [{ applicationId: '0190d2a5-0000-7000-8000-000000000000' }],
      targets: { mode: 'list', applicationIds: [oli] },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ path: 'body.chosen.0.applicationId', message: 'not an application of this requisition' }]);

    const stranger = await createOrganization(ctx.deps);
    expect((await post(`/v1/requisitions/${round.requisitionId}/plans`, planBody([oli]), stranger.adminKey)).status).toBe(404);

    const badFeedback = await post(
      `/v1/requisitions/${round.requisitionId}/plans`,
      planBody([], { feedback: { [oli]: { reasonCategory: 'vibes', strengths: ['x'.repeat(600)] } } }),
    );
    expect(badFeedback.status).toBe(400);
    expect(badFeedback.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([`body.feedback.${oli}.reasonCategory`, `body.feedback.${oli}.strengths.0`]);

    const strangerRound = await request(ctx.app.server).post('/v1/requisitions').set(bearer(stranger.adminKey)).send({ title: 'Theirs' });
    const strangerCandidate = await request(ctx.app.server)
      .post('/v1/candidates')
      .set(bearer(stranger.adminKey))
      .send({ name: 'S', emails: ['s@s.test'] });
    const strangerApp = await request(ctx.app.server)
      .post('/v1/applications')
      .set(bearer(stranger.adminKey))
      .send({ candidate: { id: strangerCandidate.body.id }, requisition: { id: strangerRound.body.id } });
    const foreign = await post(`/v1/requisitions/${round.requisitionId}/plans`, { targets: { mode: 'list', applicationIds: [strangerApp.body.id] } });
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors[0].path).toBe('body.targets.applicationIds.0');

    const twice = await post(`/v1/requisitions/${round.requisitionId}/plans`, { targets: { mode: 'list', applicationIds: [oli, oli] } });
    expect(twice.status).toBe(400);
    expect(twice.body.errors).toEqual([{ path: 'body.targets.applicationIds.1', message: 'listed twice' }]);

    // Oli withdrew: nobody is left without a word, so the requisition can close.
    await request(ctx.app.server).patch(`/v1/applications/${oli}`).set(bearer(writer)).send({ status: 'withdrawn' });
    expect((await request(ctx.app.server).patch(`/v1/requisitions/${round.requisitionId}`).set(bearer(writer)).send({ status: 'cancelled' })).status).toBe(200);
    const closed = await post(`/v1/requisitions/${round.requisitionId}/plans`, planBody([oli]));
    expect(closed.status).toBe(409);
    expect(closed.body.code).toBe('requisition_closed');

    expect(await ctx.deps.db.decisionPlan.count()).toBe(plansBefore);
    const otherPlan = await post(`/v1/plans/0190d2a5-0000-7000-8000-000000000000/confirm`, { digest: 'a'.repeat(64), chosenApplicationIds: [] });
    expect(otherPlan.status).toBe(404);
  });
});

describe('the list of plans', () => {
  it('lists plans newest first, by status, requisition and source, without their items', async () => {
    const round = await hiringRound([
      { name: 'Lia', emails: ['lia@x.test'] },
      { name: 'Mo', emails: ['mo@x.test'] },
    ]);
    const lia = round.apps.Lia!.applicationId;
    const first = (await post(`/v1/requisitions/${round.requisitionId}/plans`, planBody([lia]))).body;
    const second = (await post(`/v1/requisitions/${round.requisitionId}/plans`, planBody([lia], { expiresInMinutes: 5 }))).body;
    expect((await post(`/v1/plans/${first.id}/confirm`, { digest: first.digest, chosenApplicationIds: [lia] })).status).toBe(200);
    // An expired one, as time would leave it.
    const third = (await post(`/v1/requisitions/${round.requisitionId}/plans`, planBody([lia]))).body;
    await sql(ctx.database.url, `UPDATE decision_plans SET expires_at = now() - interval '1 minute' WHERE id = $1`, [third.id]);

    const ids = async (query: string) => (await get(`/v1/plans?requisitionId=${round.requisitionId}${query}`)).body.data.map((p: { id: string }) => p.id);
    expect(await ids('')).toEqual([third.id, second.id, first.id]);
    expect(await ids('&status=confirmed')).toEqual([first.id]);
    expect(await ids('&status=pending')).toEqual([second.id]);
    expect(await ids('&status=expired')).toEqual([third.id]);
    expect(await ids('&source=ats')).toEqual([]);
    expect(await ids('&source=api&limit=1')).toEqual([third.id]);
    const listed = (await get(`/v1/plans?requisitionId=${round.requisitionId}&status=pending`)).body.data[0];
    expect(listed).toEqual({
      id: second.id,
      requisitionId: round.requisitionId,
      status: 'pending',
      source: 'api',
      createdBy: expect.stringMatching(/^api_key:/),
      items: 2,
      createdAt: expect.any(String),
      expiresAt: second.expiresAt,
      confirmedAt: null,
      confirmedBy: null,
    });
    // Paging goes on from the cursor.
    const page1 = (await get(`/v1/plans?requisitionId=${round.requisitionId}&limit=2`)).body;
    expect((await get(`/v1/plans?requisitionId=${round.requisitionId}&limit=2&cursor=${page1.nextCursor}`)).body.data.map((p: { id: string }) => p.id)).toEqual([first.id]);
    expect((await get('/v1/plans?status=later')).status).toBe(400);
    // Another organization sees none of them.
    const stranger = await createOrganization(ctx.deps);
    expect((await get(`/v1/plans?requisitionId=${round.requisitionId}`, stranger.adminKey)).body.data).toEqual([]);
  });
});

describe('a role that changes', () => {
  it('proposes the honest message for everyone still waiting, and changes the status when confirmed', async () => {
    const round = await hiringRound([
      { name: 'Ada', emails: ['ada.role@x.test'] },
      { name: 'Bea', emails: ['bea.role@x.test'] },
    ]);
    const reason = 'The team this role was in has been merged into another department.';
    // Closing it directly would leave both without a word: refused, naming them.
    const closing = await request(ctx.app.server).patch(`/v1/requisitions/${round.requisitionId}`).set(bearer(writer)).send({ status: 'cancelled' });
    expect(closing.status).toBe(409);
    expect(closing.body.code).toBe('applicants_without_final_word');
    expect(closing.body.missing.map((m: { candidateName: string }) => m.candidateName).sort()).toEqual(['Ada', 'Bea']);
    const proposed = await post(`/v1/requisitions/${round.requisitionId}/role-changes`, { change: 'cancelled', reason });
    expect(proposed.status).toBe(201);
    expect(proposed.body.requisitionStatus).toBe('open');
    const plan = proposed.body.plan;
    expect(plan.items.map((i: { applicationId: string; action: string; messageKind: string }) => [i.applicationId, i.action, i.messageKind]).sort()).toEqual(
      [
        [round.apps.Ada!.applicationId, 'update', 'position_cancelled'],
        [round.apps.Bea!.applicationId, 'update', 'position_cancelled'],
      ].sort(),
    );
    // Nothing changed yet: the recruiter reviews who is told, then confirms both at once.
    expect((await get(`/v1/requisitions/${round.requisitionId}`)).body.status).toBe('open');
    const confirmed = await post(`/v1/plans/${plan.id}/confirm`, { digest: plan.digest, chosenApplicationIds: [] });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect((await get(`/v1/requisitions/${round.requisitionId}`)).body.status).toBe('cancelled');
    const drafts = await ctx.deps.db.message.findMany({ where: { planId: plan.id }, select: { kind: true, feedback: true } });
    expect(drafts).toHaveLength(2);
    for (const draft of drafts) expect(draft).toMatchObject({ kind: 'position_cancelled', feedback: { reasonCategory: 'role_cancelled', personalNote: reason } });
    // A closed role takes no more changes.
    expect((await post(`/v1/requisitions/${round.requisitionId}/role-changes`, { change: 'on_hold' })).body.code).toBe('requisition_closed');
  });

  it('rejects by stage when filled internally, and changes the status at once when nobody is waiting', async () => {
    const round = await hiringRound([
      { name: 'Cal', emails: ['cal.role@x.test'] },
      { name: 'Dee', emails: ['dee.role@x.test'] },
    ]);
    await request(ctx.app.server).patch(`/v1/applications/${round.apps.Cal!.applicationId}`).set(bearer(writer)).send({ lastInterviewAt: '2026-11-30T10:00:00Z' });
    const plan = (await post(`/v1/requisitions/${round.requisitionId}/role-changes`, { change: 'filled_internally' })).body.plan;
    const kinds = Object.fromEntries(plan.items.map((i: { applicationId: string; messageKind: string }) => [i.applicationId, i.messageKind]));
    expect(kinds).toEqual({ [round.apps.Cal!.applicationId]: 'rejection_after_interview', [round.apps.Dee!.applicationId]: 'rejection_after_application' });
    expect((await post(`/v1/plans/${plan.id}/confirm`, { digest: plan.digest, chosenApplicationIds: [] })).status).toBe(200);
    expect((await get(`/v1/requisitions/${round.requisitionId}`)).body.status).toBe('filled');

    const empty = await hiringRound([]);
    const atOnce = await post(`/v1/requisitions/${empty.requisitionId}/role-changes`, { change: 'budget_frozen' });
    expect(atOnce.body).toEqual({ plan: null, requisitionStatus: 'on_hold' });
    expect((await post(`/v1/requisitions/${empty.requisitionId}/role-changes`, { change: 'sold' })).status).toBe(400);
  });
});

describe('a role reopened', () => {
  it('tells those who heard it was on hold, and only them, that it moves again', async () => {
    const round = await hiringRound([
      { name: 'Eve', emails: ['eve.role@x.test'] },
      { name: 'Gus', emails: ['gus.role@x.test'] },
    ]);
    expect((await post(`/v1/requisitions/${round.requisitionId}/role-changes`, { change: 'reopened' })).body.code).toBe('requisition_not_on_hold');
    const hold = (await post(`/v1/requisitions/${round.requisitionId}/role-changes`, { change: 'on_hold' })).body.plan;
    expect((await post(`/v1/plans/${hold.id}/confirm`, { digest: hold.digest, chosenApplicationIds: [] })).status).toBe(200);
    expect((await get(`/v1/requisitions/${round.requisitionId}`)).body.status).toBe('on_hold');
    // Eve's on-hold message left; Gus's is still a draft, so Gus never heard of the pause.
    await ctx.deps.db.message.updateMany({ where: { planId: hold.id, applicationId: round.apps.Eve!.applicationId }, data: { status: 'sent', sentAt: new Date() } });

    const reason = 'Good news: the budget is back and we are restarting interviews this month.';
    const proposed = await post(`/v1/requisitions/${round.requisitionId}/role-changes`, { change: 'reopened', reason });
    expect(proposed.status).toBe(201);
    const plan = proposed.body.plan;
    expect(plan.items.map((i: { applicationId: string; action: string; messageKind: string }) => [i.applicationId, i.action, i.messageKind])).toEqual([
      [round.apps.Eve!.applicationId, 'update', 'status_update'],
    ]);
    expect((await post(`/v1/plans/${plan.id}/confirm`, { digest: plan.digest, chosenApplicationIds: [] })).status).toBe(200);
    expect((await get(`/v1/requisitions/${round.requisitionId}`)).body.status).toBe('open');
    const [draft] = await ctx.deps.db.message.findMany({ where: { planId: plan.id }, select: { kind: true, feedback: true } });
    expect(draft).toMatchObject({ kind: 'status_update', feedback: { personalNote: reason } });
    // Gus's on-hold message had not left: it is no longer true, so it never will.
    const stale = await ctx.deps.db.message.findMany({ where: { planId: hold.id }, select: { applicationId: true, status: true } });
    expect(Object.fromEntries(stale.map((m) => [m.applicationId, m.status]))).toEqual({ [round.apps.Eve!.applicationId]: 'sent', [round.apps.Gus!.applicationId]: 'cancelled' });

    // Nobody was told of a pause: reopening is just the status.
    const quiet = await hiringRound([]);
    await post(`/v1/requisitions/${quiet.requisitionId}/role-changes`, { change: 'on_hold' });
    expect((await post(`/v1/requisitions/${quiet.requisitionId}/role-changes`, { change: 'reopened' })).body).toEqual({ plan: null, requisitionStatus: 'open' });
  });
});

describe('updates told again', () => {
  it('lets a candidate hear a second status update or hold once the first left, never two on their way', async () => {
    const round = await hiringRound([{ name: 'Hal', emails: ['hal.again@x.test'] }]);
    const hal = round.apps.Hal!.applicationId;
    const update = () =>
      post(`/v1/requisitions/${round.requisitionId}/plans`, { targets: { mode: 'list', applicationIds: [hal] }, action: 'update', messageKind: 'status_update' });
    const confirm = async (plan: { id: string; digest: string }) => {
      const confirmed = await post(`/v1/plans/${plan.id}/confirm`, { digest: plan.digest, chosenApplicationIds: [] });
      expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
      return confirmed.body.messages[0].id as string;
    };
    const markSent = (id: string) => ctx.deps.db.message.update({ where: { id }, data: { status: 'sent', sentAt: new Date() } });

    const first = await confirm((await update()).body);
    // The first is still on its way: a second would tell the same thing twice.
    expect(codes(itemOf((await update()).body, hal))).toContain('already_notified');
    await markSent(first);
    // Once it left, things may move again: a new date is a new update.
    const second = (await update()).body;
    expect(codes(itemOf(second, hal))).not.toContain('already_notified');
    await markSent(await confirm(second));

    // Put on hold, reopened, and on hold again: both pauses are told.
    for (const change of ['on_hold', 'reopened', 'budget_frozen']) {
      const plan = (await post(`/v1/requisitions/${round.requisitionId}/role-changes`, { change })).body.plan;
      expect(plan.summary.blocked, `${change}: ${JSON.stringify(plan.items)}`).toBe(0);
      await markSent(await confirm(plan));
    }
    const told = await ctx.deps.db.message.findMany({ where: { applicationId: hal }, orderBy: { id: 'asc' }, select: { kind: true } });
    expect(told.map((m) => m.kind)).toEqual(['status_update', 'status_update', 'position_on_hold', 'status_update', 'position_on_hold']);
  });
});

describe('languages', () => {
  it('names a language without shipped templates instead of falling back silently', async () => {
    const requisition = (await post('/v1/requisitions', { title: `Role ${++counter}` })).body;
    const add = async (name: string, locale: string) => {
      const candidate = (await post('/v1/candidates', { name, emails: [`${name.toLowerCase()}.lang@x.test`], locale })).body;
      return (await post('/v1/applications', { candidate: { id: candidate.id }, requisition: { id: requisition.id } })).body.id as string;
    };
    const [pl, ca, br] = [await add('Zofia', 'pl-PL'), await add('Chloé', 'fr-CA'), await add('Joana', 'pt-BR')];
    const plan = (await post(`/v1/requisitions/${requisition.id}/plans`, { targets: { mode: 'list', applicationIds: [pl, ca, br] } })).body;
    expect(codes(itemOf(plan, pl))).toEqual(['language_fallback']);
    expect(itemOf(plan, pl).checks[0]).toMatchObject({ severity: 'warn', message: expect.stringContaining('pl-PL') });
    expect(itemOf(plan, pl).checks[0]).toMatchObject({ message: expect.stringContaining('goes in English') });
    expect(codes(itemOf(plan, ca))).toEqual([]);
    expect(codes(itemOf(plan, br))).toEqual([]);
  });
});
