// One person, one message per requisition and decision: duplicate records of someone who is not
// chosen share one email (the hiring season's ana.silva@example.org case), the recruiter can
// pick which record carries it, and the send-time re-check lets only one of two messages to a
// person go, in one batch or across batches.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { eventually } from '../helpers/wait.js';
import { setUpSending, startDelivery } from '../helpers/delivery.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';
import { startPostmarkServer, type PostmarkFake } from '../postmark/server.js';

let ctx: TestContext;
let fake: PostmarkFake;
let org: TestOrganization;
let writer: string;
let approver: string;
let delivery: Awaited<ReturnType<typeof startDelivery>>;

beforeAll(async () => {
  fake = await startPostmarkServer();
  ctx = await createTestContext({ OUTBOX_POLL_MS: '50', POSTMARK_API_URL: fake.url, DELIVERY_RETRY_BASE_MS: '50' });
  org = await createOrganization(ctx.deps);
  writer = await org.key(['read', 'write']);
  approver = await org.key(['read', 'approve', 'override']);
  await setUpSending(ctx, org);
  delivery = await startDelivery(ctx);
});
afterAll(async () => {
  await delivery?.stop();
  await ctx?.close();
  await fake?.close();
});

const post = (path: string, body: object, key = writer) => request(ctx.app.server).post(path).set(bearer(key)).send(body);
const get = (path: string) => request(ctx.app.server).get(path).set(bearer(writer));
const statusOf = async (id: string) => (await get(`/v1/messages/${id}`)).body.status as string;
const emailsTo = (normalized: string) => fake.messages().filter((m) => (m.Addresses.To[0]?.Email ?? '').toLowerCase() === normalized);

let round = 0;
/** A requisition with a chosen candidate and the given people (name, emails), each applying. */
async function season(people: { name: string; email: string; locale?: string }[]) {
  const r = ++round;
  const requisition = (await post('/v1/requisitions', { title: `Support Engineer ${r}` })).body;
  const apps: Record<string, string> = {};
  const candidates: Record<string, string> = {};
  for (const person of [{ name: 'Chosen One', email: `chosen.${r}@example.org` }, ...people]) {
    const candidate = await post('/v1/candidates', { name: person.name, emails: [person.email], ...(person.locale ? { locale: person.locale } : {}) });
    expect(candidate.status).toBe(201);
    candidates[person.name] = candidate.body.id;
    apps[person.name] = (await post('/v1/applications', { candidate: { id: candidate.body.id }, requisition: { id: requisition.id } })).body.id;
  }
  return { requisitionId: requisition.id as string, apps, candidates };
}

async function confirm(plan: { id: string; digest: string }, chosen: string[]) {
  const confirmed = await post(`/v1/plans/${plan.id}/confirm`, { digest: plan.digest, chosenApplicationIds: chosen });
  expect(confirmed.status, JSON.stringify(confirmed.body).slice(0, 400)).toBe(200);
  return confirmed.body as { messages: { id: string; applicationId: string; recipientEmail: string }[]; decisions: { applicationId: string; kind: string }[] };
}

async function approveAll(planId: string, messageIds: string[]) {
  await ctx.deps.messages.renderPlan(planId);
  for (const id of messageIds) {
    const approved = await post(`/v1/messages/${id}/approve`, { contentVersion: 1, overrideReason: 'Reviewed for the one-message tests' }, approver);
    expect(approved.status, JSON.stringify(approved.body).slice(0, 300)).toBe(200);
  }
}

describe('one person, one message', () => {
  it('sends one rejection to a person with two records on the requisition, and rejects both applications', async () => {
    const { requisitionId, apps } = await season([
      { name: 'Ana Silva', email: 'ana.silva@example.org' },
      { name: 'Ana Silva (ATS)', email: ' Ana.Silva@Example.ORG ', locale: 'pt-BR' },
      { name: 'Bo Lind', email: 'bo.lind@example.org' },
    ]);
    const plan = await post(`/v1/requisitions/${requisitionId}/plans`, {
      chosen: [{ applicationId: apps['Chosen One'] }],
      targets: { mode: 'all_others_active' },
      feedback: { [apps['Ana Silva']!]: { reasonCategory: 'skills_gap', strengths: ['A calm, well-argued case study'] } },
    });
    expect(plan.status).toBe(201);
    expect(plan.body.summary).toMatchObject({ items: 4, messages: 2, blocked: 0 });
    const item = (name: string) => plan.body.items.find((i: { applicationId: string }) => i.applicationId === apps[name]);
    // The record with feedback carries the message (both can receive email): its address, its feedback.
    expect(item('Ana Silva')).toMatchObject({ recipient: 'ana.silva@example.org', sharesMessageWith: null, alsoFor: [apps['Ana Silva (ATS)']], feedbackFrom: apps['Ana Silva'] });
    expect(item('Ana Silva (ATS)')).toMatchObject({ recipient: null, sharesMessageWith: apps['Ana Silva'], alsoFor: [], feedbackFrom: null });
    const carrierCheck = item('Ana Silva').checks.find((c: { code: string }) => c.code === 'same_person_in_plan');
    expect(carrierCheck).toMatchObject({ severity: 'warn', message: expect.stringContaining('one message goes to ana.silva@example.org') });
    expect(carrierCheck.message).toContain('feedback written for it');
    expect(item('Ana Silva (ATS)').checks).toEqual([expect.objectContaining({ code: 'same_person_in_plan', severity: 'warn' })]);
    expect(item('Bo Lind').checks).toEqual([]);
    // The answer sends its items as they were stored (planJson): the same, field for field, as
    // the plan read back through the response schema, with nothing the schema would strip.
    expect(plan.headers['content-type']).toBe('application/json; charset=utf-8');
    expect((await get(`/v1/plans/${plan.body.id}`)).body).toEqual(plan.body);

    const confirmation = await confirm(plan.body, [apps['Chosen One']!]);
    expect(confirmation.messages.map((m) => m.applicationId).sort()).toEqual([apps['Ana Silva'], apps['Bo Lind']].sort());
    expect(
      confirmation.decisions
        .filter((d) => d.kind === 'reject')
        .map((d) => d.applicationId)
        .sort(),
    ).toEqual([apps['Ana Silva'], apps['Ana Silva (ATS)'], apps['Bo Lind']].sort());
    // Nothing an ATS could show before the emails leave; then every application the email speaks for.
    for (const name of ['Ana Silva', 'Ana Silva (ATS)', 'Bo Lind']) {
      expect((await get(`/v1/applications/${apps[name]}`)).body.status).toBe('active');
    }

    await approveAll(
      plan.body.id,
      confirmation.messages.map((m) => m.id),
    );
    await ctx.deps.delivery.dispatchDue();
    for (const m of confirmation.messages) await eventually(() => statusOf(m.id)).toBe('sent');
    for (const name of ['Ana Silva', 'Ana Silva (ATS)', 'Bo Lind']) {
      expect((await get(`/v1/applications/${apps[name]}`)).body.status).toBe('rejected');
    }
    expect(emailsTo('ana.silva@example.org')).toHaveLength(1);
    expect(emailsTo('bo.lind@example.org')).toHaveLength(1);
  });

  it('lets the recruiter pick which record carries the message, and refuses picks that make no sense', async () => {
    const { requisitionId, apps } = await season([
      { name: 'Cy Moreau', email: 'cy.moreau@example.org', locale: 'fr-FR' },
      { name: 'Cy Moreau (old)', email: 'CY.MOREAU@example.org' },
      { name: 'Di Park', email: 'di.park@example.org' },
    ]);
    const body = {
      chosen: [{ applicationId: apps['Chosen One'] }],
      targets: { mode: 'all_others_active' },
      feedback: { [apps['Cy Moreau (old)']!]: { reasonCategory: 'skills_gap', strengths: ['Sharp questions about the on-call rota'] } },
    };
    const picked = await post(`/v1/requisitions/${requisitionId}/plans`, { ...body, recipientApplicationIds: [apps['Cy Moreau']] });
    expect(picked.status).toBe(201);
    const carrier = picked.body.items.find((i: { applicationId: string }) => i.applicationId === apps['Cy Moreau']);
    // The picked record's address and language; the only feedback written for the person comes along.
    expect(carrier).toMatchObject({ recipient: 'cy.moreau@example.org', alsoFor: [apps['Cy Moreau (old)']], feedbackFrom: apps['Cy Moreau (old)'] });
    expect(carrier.checks.find((c: { code: string }) => c.code === 'same_person_in_plan').message).toMatch(/in fr-FR.*picked by you/);
    const confirmation = await confirm(picked.body, [apps['Chosen One']!]);
    const sent = confirmation.messages.find((m) => m.applicationId === apps['Cy Moreau'])!;
    const row = await ctx.deps.db.message.findUniqueOrThrow({ where: { id: sent.id }, select: { feedback: true } });
    expect(row.feedback).toMatchObject({ strengths: ['Sharp questions about the on-call rota'] });

    const notATarget = await post(`/v1/requisitions/${requisitionId}/plans`, {
      ...body,
      targets: { mode: 'list', applicationIds: [apps['Di Park']] },
      feedback: {},
      recipientApplicationIds: [apps['Chosen One']],
    });
    expect(notATarget.status).toBe(400);
    expect(notATarget.body.errors).toEqual([{ path: 'body.recipientApplicationIds.0', message: 'not a target of this plan' }]);
  });

  it('refuses two picks for one person', async () => {
    const { requisitionId, apps } = await season([
      { name: 'Ed Ruiz', email: 'ed.ruiz@example.org' },
      { name: 'Ed Ruiz (dup)', email: 'Ed.Ruiz@example.org' },
    ]);
    const both = await post(`/v1/requisitions/${requisitionId}/plans`, {
      chosen: [{ applicationId: apps['Chosen One'] }],
      targets: { mode: 'all_others_active' },
      recipientApplicationIds: [apps['Ed Ruiz'], apps['Ed Ruiz (dup)']],
    });
    expect(both.status).toBe(400);
    expect(both.body.errors).toEqual([expect.objectContaining({ path: 'body.recipientApplicationIds.1', message: expect.stringContaining('pick one application per person') })]);
  });

  it('blocks a second plan’s message to a person already told under another record', async () => {
    const { requisitionId, apps } = await season([
      { name: 'Fay Olsen', email: 'fay.olsen@example.org' },
      { name: 'Fay Olsen (dup)', email: 'FAY.OLSEN@example.org' },
    ]);
    const first = (await post(`/v1/requisitions/${requisitionId}/plans`, { chosen: [], targets: { mode: 'list', applicationIds: [apps['Fay Olsen']] } })).body;
    const told = await confirm(first, []);
    const second = await post(`/v1/requisitions/${requisitionId}/plans`, {
      chosen: [],
      targets: { mode: 'list', applicationIds: [apps['Fay Olsen (dup)']] },
      messageKind: 'rejection_after_application',
    });
    expect(second.body.items[0].checks).toEqual([
      expect.objectContaining({
        code: 'already_notified',
        severity: 'block',
        // The workers may have rendered it by now.
        evidence: [{ applicationId: apps['Fay Olsen'], field: 'message', value: expect.stringMatching(new RegExp(`^${told.messages[0]!.id} \\((draft|pending_approval)\\)$`)) }],
      }),
    ]);
  });

  it('at send time lets one of two messages to one person go, in one batch and across batches', async () => {
    // Two records that nothing links yet: two plans, two messages, both approved.
    const { requisitionId, apps, candidates } = await season([
      { name: 'Gil Haas', email: 'gil.haas@example.org' },
      { name: 'Gil Haas (ATS)', email: 'g.haas@example.org' },
      { name: 'Hana Ito', email: 'hana.ito@example.org' },
      { name: 'Hana Ito (ATS)', email: 'h.ito@example.org' },
    ]);
    const planFor = async (names: string[]) => {
      const plan = (await post(`/v1/requisitions/${requisitionId}/plans`, { chosen: [], targets: { mode: 'list', applicationIds: names.map((n) => apps[n]) } })).body;
      const confirmation = await confirm(plan, []);
      await approveAll(
        plan.id,
        confirmation.messages.map((m) => m.id),
      );
      return Object.fromEntries(confirmation.messages.map((m) => [Object.keys(apps).find((n) => apps[n] === m.applicationId)!, m.id]));
    };
    const early = await planFor(['Gil Haas', 'Hana Ito']);
    const late = await planFor(['Gil Haas (ATS)', 'Hana Ito (ATS)']);
    // The ATS merges the duplicates after approval.
    for (const name of ['Gil Haas', 'Hana Ito']) {
      expect((await post(`/v1/candidates/${candidates[`${name} (ATS)`]}/links`, { candidateId: candidates[name], source: 'greenhouse' })).status).toBe(201);
    }

    // Gil: all four messages are due together, in one batch. The older of Gil's goes.
    // Hana: her first message leaves alone, and her second comes later, in its own batch.
    await ctx.deps.db.message.update({ where: { id: late['Hana Ito (ATS)'] }, data: { sendAt: new Date(Date.now() + 3_600_000) } });
    await ctx.deps.delivery.dispatchDue();
    await eventually(() => statusOf(early['Gil Haas']!)).toBe('sent');
    await eventually(() => statusOf(late['Gil Haas (ATS)']!)).toBe('held');
    await eventually(() => statusOf(early['Hana Ito']!)).toBe('sent');
    const held = (await get(`/v1/messages/${late['Gil Haas (ATS)']}`)).body;
    expect(held).toMatchObject({ failureCode: 'send_check_failed' });
    expect(held.sendChecks.map((c: { code: string }) => c.code)).toEqual(['already_notified']);

    await ctx.deps.db.message.update({ where: { id: late['Hana Ito (ATS)'] }, data: { sendAt: new Date() } });
    await ctx.deps.delivery.dispatchDue();
    await eventually(() => statusOf(late['Hana Ito (ATS)']!)).toBe('held');
    expect((await get(`/v1/messages/${late['Hana Ito (ATS)']}`)).body.sendChecks.map((c: { code: string }) => c.code)).toEqual(['already_notified']);

    expect(emailsTo('gil.haas@example.org').length + emailsTo('g.haas@example.org').length).toBe(1);
    expect(emailsTo('hana.ito@example.org').length + emailsTo('h.ito@example.org').length).toBe(1);
  });
});
