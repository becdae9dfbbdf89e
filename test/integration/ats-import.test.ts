// Setup in one step, against the local Ashby server, which answers 429 to any call beyond
// Ashby's rate limit (10 a second, what Hearback's limiter holds to): saving credentials imports
// the ATS's open jobs (a job nobody applied to included) and its 2,000 applications page by page
// through the workers, never meeting that limit, honouring a 429's Retry-After; the workers
// stopped mid-import and started again continue from the saved cursor. Then a hire and a
// rejection made in Ashby whose webhooks never came are picked up by the reconciliation. Lever's
// archive reasons and stages are read into its connection's settings when it is connected; its
// published postings become requisitions with their titles, and an opportunity's stage is read
// by name. Each import and reconciliation reads the ATS's users onto the connection (GET …/users),
// and its reasons and stages (GET …/reasons answers from them, without calling the ATS).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importStateSchema } from '../../src/modules/ats-writeback/writeback.schemas.js';
import { startFakeAts, type FakeAts } from '../ats-fake/server.js';
import { atsInbound } from '../helpers/ats-inbound.js';
import request from 'supertest';
import { Prisma } from '../../src/generated/prisma/client.js';
import { callAs, connectWithCredentials, expectReconciledHireAndRejection } from '../helpers/ats-writeback.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { startDelivery } from '../helpers/delivery.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';
import { eventually, waitFor } from '../helpers/wait.js';

const COUNT = 2_000;
/** Ashby's limit as ATS_RATE_LIMITS has it (ats-api/rate-limit.ts), enforced by the local server too. */
const ASHBY_LIMIT = { requests: 10, windowMs: 1_000 };
let ctx: TestContext;
let org: TestOrganization;
let ats: FakeAts;
let workers: Awaited<ReturnType<typeof startDelivery>> | undefined;
let connectionId: string;

beforeAll(async () => {
  ats = await startFakeAts({ ashby: { apiKey: 'ashby-api-key' }, lever: { apiKey: 'lever-api-key' }, rateLimit: { ashby: ASHBY_LIMIT } });
  for (let i = 0; i < COUNT; i++) {
    const n = String(i).padStart(4, '0');
    ats.state.addApplication('ashby', { id: `app-${n}`, candidateId: `cand-${n}`, jobId: `job-${i % 5}`, jobTitle: `Role ${i % 5}` });
  }
  // Open jobs: the five applied to, and one nobody applied to yet; a closed one is not imported.
  for (let i = 0; i < 5; i++) ats.state.addJob('ashby', { id: `job-${i}`, title: `Role ${i}` });
  ats.state.addJob('ashby', { id: 'job-empty', title: 'Staff Designer' });
  ats.state.addJob('ashby', { id: 'job-closed', title: 'Old Role', status: 'closed' });
  ctx = await createTestContext({
    OUTBOX_POLL_MS: '20',
    ASHBY_API_URL: ats.url,
    LEVER_API_URL: ats.url,
    ATS_API_TIMEOUT_MS: '5000',
    ATS_WRITEBACK_RETRY_BASE_MS: '20',
    ATS_IMPORT_PAGES_PER_JOB: '2',
    ATS_CIRCUIT_FAILURES: '1000',
  });
  org = await createOrganization(ctx.deps);
  workers = await startDelivery(ctx);
});
afterAll(async () => {
  await workers?.stop();
  await ctx?.close();
  await ats?.close();
});

/** The import's state as saved (read from the database: polling the API would meet its rate limit). */
const importState = async () => importStateSchema.parse((await ctx.deps.db.atsConnection.findUniqueOrThrow({ where: { id: connectionId } })).importState);
const connection = async () => (await callAs(ctx, org, 'get', '/v1/ats-connections?limit=200')).data.find((c: { id: string }) => c.id === connectionId);
const listCalls = () => ats.state.requests.filter((r) => r.path === '/application.list');
const requisitionTitles = async (source: string) =>
  (
    await ctx.deps.db.requisition.findMany({
      where: {
        organizationId: org.id,
        id: { in: (await ctx.deps.db.externalId.findMany({ where: { organizationId: org.id, source, entity: 'requisition' } })).map((x) => x.entityId) },
      },
      select: { title: true },
    })
  )
    .map((r) => r.title)
    .sort();

/** The most calls to `provider` the local server received in any window of `windowMs`. */
function busiestWindow(provider: 'ashby' | 'lever', windowMs: number) {
  const at = ats.state.requests.filter((r) => r.provider === provider).map((r) => r.at);
  let most = 0;
  for (let i = 0, j = 0; i < at.length; i++) {
    while (at[i]! - at[j]! >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('import', () => {
  it('reads 2,000 applications through a rate-limited Ashby, and a restart mid-import continues from the cursor', async () => {
    // The first page is refused once: the import waits what Ashby asked.
    ats.state.fail('ashby', { path: /^\/application\.list$/ }, { status: 429, retryAfter: '1' });
    connectionId = (await connectWithCredentials(ctx, org, atsInbound(ctx, org), { provider: 'ashby', credentials: { apiKey: 'ashby-api-key' }, reasonMap: {}, leverToken: '' }))
      .id;
    expect((await connection()).api.import).toMatchObject({ status: 'running' });

    await waitFor(importState, (state) => state.pages >= 4, { what: 'some pages imported', progress: () => listCalls().length });
    const [refused, retried] = listCalls();
    expect(retried!.at - refused!.at).toBeGreaterThanOrEqual(1000);

    // The workers stop mid-import (as in a deploy) and another 429 is waiting for the next call.
    await workers!.stop();
    workers = undefined;
    const stopped = await importState();
    expect(stopped.status).toBe('running');
    expect(stopped.imported).toBeLessThan(COUNT);
    ats.state.fail('ashby', { path: /^\/application\.list$/ }, { status: 429, retryAfter: '1' });
    workers = await startDelivery(ctx);

    const done = await waitFor(importState, (state) => state.status === 'done', { what: 'the import to finish', progress: async () => (await importState()).pages });
    // One page of open jobs, then the applications'.
    expect(done).toMatchObject({ phase: 'applications', jobs: 6, imported: COUNT, pages: 1 + COUNT / 100, cursor: null });
    const listed = await connection();
    expect(listed.api.import).toMatchObject({ status: 'done', imported: COUNT });
    expect(listed.api.lastImportAt).not.toBeNull();
    expect(listed.api.lastReconciledAt).not.toBeNull();
    // Every page read once, but for the two refused calls and at most the one a stop interrupted.
    expect(listCalls().length).toBeGreaterThanOrEqual(COUNT / 100 + 2);
    expect(listCalls().length).toBeLessThanOrEqual(COUNT / 100 + 3);
    expect(await ctx.deps.db.externalId.count({ where: { organizationId: org.id, source: 'ashby', entity: 'application' } })).toBe(COUNT);
    expect(await requisitionTitles('ashby')).toEqual(['Role 0', 'Role 1', 'Role 2', 'Role 3', 'Role 4', 'Staff Designer']);
    expect(ats.state.requests.filter((r) => r.path === '/job.list')).toHaveLength(1);
    // Every call went through Hearback's limiter: the server's own limit never had to refuse one
    // (the two 429s above were injected, not the server's throttling).
    expect(ats.state.throttled).toEqual([]);
    expect(busiestWindow('ashby', ASHBY_LIMIT.windowMs)).toBeLessThanOrEqual(ASHBY_LIMIT.requests);
    // Ashby's users (user.list, deactivated ones too) were read with it.
    const users = await callAs(ctx, org, 'get', `/v1/ats-connections/${connectionId}/users`);
    expect(users).toMatchObject({ error: null, readAt: expect.any(String) });
    expect(users.data.map((u: { id: string; active: boolean }) => [u.id, u.active])).toEqual([
      ['ashby-user-1001', true],
      ['ashby-user-1002', true],
      ['ashby-user-1003', false],
    ]);
  });

  it('the reasons and stages read at connection time are served from the connection, and an empty reason map shows before any send', async () => {
    const reasonCalls = () => ats.state.callsTo('ashby', '/archiveReason.list');
    // Read once, when the credentials were saved (the import started from then: it did not read them again).
    expect(reasonCalls()).toBe(1);
    const listed = await callAs(ctx, org, 'get', `/v1/ats-connections/${connectionId}/reasons`);
    expect(listed).toMatchObject({ source: 'catalogue', data: [{ id: 'ar-skills', text: 'Skills' }], stagesError: null });
    expect(Date.parse(listed.readAt)).toBeLessThanOrEqual(Date.now());
    expect(listed.stages).toEqual([
      { id: 'plan-1-screen', text: 'Screen', group: 'plan-1' },
      { id: 'plan-1-archived', text: 'Archived', group: 'plan-1' },
    ]);
    expect(reasonCalls()).toBe(1);

    // Credentials and no reason mapped: the connection says write-backs will fail, before any is sent.
    expect((await connection()).api.reasonMapMissing).toBe(true);
    await callAs(ctx, org, 'put', `/v1/ats-connections/${connectionId}/reason-map`, { reasonMap: { default: 'ar-skills' } });
    expect((await connection()).api.reasonMapMissing).toBe(false);
    // Checked against the stored reasons: no call. An id they lack is checked against Ashby now, and refused.
    expect(reasonCalls()).toBe(1);
    const refused = await request(ctx.app.server)
      .put(`/v1/ats-connections/${connectionId}/reason-map`)
      .set(bearer(org.adminKey))
      .send({ reasonMap: { default: 'ar-withdrew' } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'body.reasonMap.default' }] });
    expect(reasonCalls()).toBe(2);

    // None stored (credentials saved before Hearback kept them): read from Ashby once, then kept.
    await ctx.deps.db.atsConnection.update({ where: { id: connectionId }, data: { atsCatalogue: Prisma.DbNull } });
    expect(await callAs(ctx, org, 'get', `/v1/ats-connections/${connectionId}/reasons`)).toMatchObject({ source: 'live', data: [{ id: 'ar-skills' }] });
    expect(reasonCalls()).toBe(3);
    expect(await callAs(ctx, org, 'get', `/v1/ats-connections/${connectionId}/reasons`)).toMatchObject({ source: 'catalogue', data: [{ id: 'ar-skills' }] });
    expect(reasonCalls()).toBe(3);
  });

  it('reconciliation picks up a hire and a rejection whose webhooks never came', async () => {
    ats.state.change('ashby', 'app-0001', { status: 'hired' });
    ats.state.change('ashby', 'app-0002', { status: 'rejected', reasonId: 'ar-skills' });
    const resolve = async (externalId: string) =>
      (await ctx.deps.db.externalId.findFirstOrThrow({ where: { organizationId: org.id, source: 'ashby', entity: 'application', externalId } })).entityId;
    const hired = await resolve('app-0001');
    const rejected = await resolve('app-0002');
    // Not due yet: nothing is read.
    expect(await ctx.deps.atsSync.reconcileDue()).toBe(0);
    // A rejection from the ATS is a plan for a person to confirm, exactly as from its webhook;
    // only the two changes were listed (one page), and the token moved on.
    const catalogueBefore = (await callAs(ctx, org, 'get', `/v1/ats-connections/${connectionId}/reasons`)).readAt as string;
    await expectReconciledHireAndRejection(ctx, org, connectionId, { hired, rejected, listCalls: () => listCalls().length });
    // Each reconciliation read the reasons and stages again.
    const after = await callAs(ctx, org, 'get', `/v1/ats-connections/${connectionId}/reasons`);
    expect(after.source).toBe('catalogue');
    expect(Date.parse(after.readAt)).toBeGreaterThan(Date.parse(catalogueBefore));
    expect(ats.state.throttled).toEqual([]);
  });

  it('an erased person is not filled in again when their application changes in the ATS', async () => {
    const candidateId = (await ctx.deps.db.externalId.findFirstOrThrow({ where: { organizationId: org.id, source: 'ashby', entity: 'candidate', externalId: 'cand-0003' } }))
      .entityId;
    await callAs(ctx, org, 'post', `/v1/candidates/${candidateId}/erase`, {});
    ats.state.change('ashby', 'app-0003', { candidateName: 'Someone Else' });
    expect(await ctx.deps.atsSync.reconcile(connectionId)).toEqual({ status: 'done', applied: 0 });
    const row = await ctx.deps.db.candidate.findUniqueOrThrow({ where: { id: candidateId }, include: { emails: true } });
    expect(row.erasedAt).not.toBeNull();
    expect(row.name).not.toBe('Someone Else');
    expect(row.emails).toEqual([]);
  });

  it('Lever: saving credentials reads the archive reasons and stages its id-only webhooks need, and imports its active opportunities', async () => {
    ats.state.addJob('lever', { id: 'posting-1', title: 'Backend Engineer' });
    ats.state.addJob('lever', { id: 'posting-2', title: 'Data Analyst' });
    ats.state.addJob('lever', { id: 'posting-3', title: 'Internal Only', status: 'closed' });
    ats.state.addApplication('lever', { id: 'opp-1', candidateId: 'contact-1', jobId: 'posting-1', stageId: 'stage-2' });
    ats.state.addApplication('lever', { id: 'opp-2', candidateId: 'contact-2', jobId: 'posting-1' });
    ats.state.addApplication('lever', { id: 'opp-3', candidateId: 'contact-3', jobId: 'posting-1', status: 'rejected', reasonId: 'reason-filled' });
    // A key not allowed to list users: the import goes on, and the users list says why it is empty.
    ats.state.fail('lever', { path: /^\/v1\/users$/ }, { status: 403 });
    const lever = await connectWithCredentials(ctx, org, atsInbound(ctx, org), {
      provider: 'lever',
      credentials: { apiKey: 'lever-api-key' },
      reasonMap: {},
      leverToken: 'lever-token-0123456789abcdef',
    });
    const listed = (await callAs(ctx, org, 'get', '/v1/ats-connections?limit=200')).data.find((c: { id: string }) => c.id === lever.id);
    expect(listed.settings.archiveReasons).toEqual([
      { id: 'reason-hired', text: 'Hired', type: 'hired', status: 'active' },
      { id: 'reason-underqualified', text: 'Underqualified', type: 'non-hired', status: 'active' },
      { id: 'reason-filled', text: 'Position filled', type: 'non-hired', status: 'active' },
    ]);
    expect(listed.settings.stages.map((s: { text: string }) => s.text)).toEqual(['New applicant', 'Phone screen', 'On-site interview']);

    const leverImport = async () => importStateSchema.parse((await ctx.deps.db.atsConnection.findUniqueOrThrow({ where: { id: lever.id } })).importState);
    await eventually(async () => (await leverImport()).status).toBe('done');
    expect((await leverImport()).imported).toBe(2);
    const ids = await ctx.deps.db.externalId.findMany({ where: { organizationId: org.id, source: 'lever', entity: 'application' }, select: { externalId: true } });
    expect(ids.map((i) => i.externalId).sort()).toEqual(['opp-1', 'opp-2']);
    // Its published postings, by their text — the one nobody applied to as well, the closed one not;
    // the opportunities naming a posting by id did not rename it "Requisition posting-1".
    expect(await requisitionTitles('lever')).toEqual(['Backend Engineer', 'Data Analyst']);
    expect((await leverImport()).jobs).toBe(2);
    // The opportunities were listed with their stage expanded: its name, not its id.
    const opp1 = (await ctx.deps.db.externalId.findFirstOrThrow({ where: { organizationId: org.id, source: 'lever', externalId: 'opp-1' } })).entityId;
    expect((await ctx.deps.db.application.findUniqueOrThrow({ where: { id: opp1 } })).stage).toBe('Phone screen');
    // The non-hired archive reasons and the stages, stored with the connection.
    const reasons = await callAs(ctx, org, 'get', `/v1/ats-connections/${lever.id}/reasons`);
    expect(reasons).toMatchObject({ source: 'catalogue', data: [{ id: 'reason-underqualified' }, { id: 'reason-filled' }] });
    expect(reasons.stages.map((st: { text: string }) => st.text)).toEqual(['New applicant', 'Phone screen', 'On-site interview']);
    const refused = await callAs(ctx, org, 'get', `/v1/ats-connections/${lever.id}/users`);
    expect(refused).toMatchObject({ readAt: null, data: [] });
    expect(refused.error).toContain('403');

    // Hired in Lever, its webhook lost: the reconciliation reads what changed since the import began.
    ats.state.change('lever', 'opp-2', { status: 'hired', reasonId: 'reason-hired' });
    const opp2 = (await ctx.deps.db.externalId.findFirstOrThrow({ where: { organizationId: org.id, source: 'lever', externalId: 'opp-2' } })).entityId;
    expect(await ctx.deps.atsSync.reconcile(lever.id)).toMatchObject({ status: 'done' });
    expect((await ctx.deps.db.application.findUniqueOrThrow({ where: { id: opp2 } })).status).toBe('hired');
    // The reconciliation read the users again, this time allowed: whom `performAs` can name.
    const users = await callAs(ctx, org, 'get', `/v1/ats-connections/${lever.id}/users`);
    expect(users).toMatchObject({ error: null, readAt: expect.any(String) });
    expect(users.data[0]).toEqual({ id: 'lever-user-1001', name: 'Recruiter 1001', email: 'recruiter1001@lever.test', active: true });
    expect(users.data).toHaveLength(3);
  });
});
