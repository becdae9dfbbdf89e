// Setup in one step for Greenhouse, against the local Harvest v3 server, which answers 429 to any
// call beyond its rate limit: saving credentials imports 1,000 active applications page by page
// (the `Link` header's cursor; each page's candidates and jobs read by id) and the ATS's 250 users,
// and never meets that limit — Hearback's own limiter keeps it under, with no 429 to learn from.
// The limit is set low (2 calls a second, ATS_RATE_LIMITS) so that each page's three calls must
// wait for it; the published 50 per 10 s would be met only by an import faster than this machine's.
// A 429 with Retry-After is still honoured, and the workers stopped mid-import and started again
// continue from the saved cursor. Then a hire and a rejection made in Greenhouse whose webhooks
// never came are picked up by the reconciliation (`updated_at=gte|…` since the last one began).
// The import reads the open jobs first (GET /v3/jobs?status=open: one nobody applied to becomes a
// requisition too), and the rejection reasons and job stages read when the credentials were saved
// are what GET …/reasons answers, without calling Greenhouse; each reconciliation reads them again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importStateSchema } from '../../src/modules/ats-writeback/writeback.schemas.js';
import { FakeAtsState, startFakeAts, type FakeAts } from '../ats-fake/server.js';
import { atsInbound } from '../helpers/ats-inbound.js';
import { callAs, connectGreenhouse, expectReconciledHireAndRejection, GREENHOUSE_CLIENT } from '../helpers/ats-writeback.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { startDelivery } from '../helpers/delivery.js';
import { createOrganization, type TestOrganization } from '../helpers/factories.js';
import { waitFor } from '../helpers/wait.js';

const COUNT = 1_000;
const USERS = 250;
const LIMIT = { requests: 2, windowMs: 1_000 };
let ctx: TestContext;
let org: TestOrganization;
let ats: FakeAts;
let workers: Awaited<ReturnType<typeof startDelivery>> | undefined;
let connectionId: string;

beforeAll(async () => {
  ats = await startFakeAts({ greenhouse: GREENHOUSE_CLIENT, rateLimit: { greenhouse: LIMIT } });
  ats.state.users.greenhouse.splice(0, Infinity, ...FakeAtsState.someUsers('greenhouse', USERS, 7001));
  for (let i = 0; i < COUNT; i++) {
    ats.state.addApplication('greenhouse', { id: String(10_000 + i), candidateId: String(50_000 + i), jobId: String(1 + (i % 5)), jobTitle: `Role ${i % 5}` });
  }
  for (let i = 0; i < 5; i++) ats.state.addJob('greenhouse', { id: String(1 + i), title: `Role ${i}` });
  ats.state.addJob('greenhouse', { id: '77', title: 'Head of Support' });
  ats.state.addJob('greenhouse', { id: '78', title: 'Draft Role', status: 'draft' });
  ctx = await createTestContext({
    OUTBOX_POLL_MS: '20',
    GREENHOUSE_API_URL: ats.url,
    GREENHOUSE_AUTH_URL: ats.url,
    ATS_API_TIMEOUT_MS: '5000',
    ATS_WRITEBACK_RETRY_BASE_MS: '20',
    ATS_IMPORT_PAGES_PER_JOB: '2',
    ATS_CIRCUIT_FAILURES: '1000',
    ATS_RATE_LIMITS: `greenhouse=${LIMIT.requests}/${LIMIT.windowMs}`,
  });
  org = await createOrganization(ctx.deps);
  workers = await startDelivery(ctx);
});
afterAll(async () => {
  await workers?.stop();
  await ctx?.close();
  await ats?.close();
});

const importState = async () => importStateSchema.parse((await ctx.deps.db.atsConnection.findUniqueOrThrow({ where: { id: connectionId } })).importState);
const harvestCalls = () => ats.state.requests.filter((r) => r.provider === 'greenhouse' && r.path !== '/token');
const listCalls = () => harvestCalls().filter((r) => r.path === '/v3/applications');

/** The most Harvest calls the local server received in any window of LIMIT.windowMs. */
function busiestWindow() {
  const at = harvestCalls().map((r) => r.at);
  let most = 0;
  for (let i = 0, j = 0; i < at.length; i++) {
    while (at[i]! - at[j]! >= LIMIT.windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('Greenhouse import', () => {
  it('reads 1,000 applications and the users through Link-header pages under the rate limit, and a restart mid-import continues from the cursor', async () => {
    // The first page is refused once: the import waits what Greenhouse asked.
    ats.state.fail('greenhouse', { path: /^\/v3\/applications$/ }, { status: 429, retryAfter: '1' });
    connectionId = await connectGreenhouse(ctx, org, atsInbound(ctx, org));

    await waitFor(importState, (state) => state.pages >= 4, { what: 'some pages imported', progress: () => listCalls().length });
    const [refused, retried] = listCalls();
    expect(retried!.at - refused!.at).toBeGreaterThanOrEqual(1000);

    // The workers stop mid-import (as in a deploy) and another 429 waits for the next call.
    await workers!.stop();
    workers = undefined;
    const stopped = await importState();
    expect(stopped.status).toBe('running');
    expect(stopped.imported).toBeLessThan(COUNT);
    ats.state.fail('greenhouse', { path: /^\/v3\/applications$/ }, { status: 429, retryAfter: '1' });
    workers = await startDelivery(ctx);

    const done = await waitFor(importState, (state) => state.status === 'done', { what: 'the import to finish', progress: async () => (await importState()).pages });
    expect(done).toMatchObject({ jobs: 6, imported: COUNT, pages: 1 + COUNT / 100, cursor: null });
    const listed = (await callAs(ctx, org, 'get', '/v1/ats-connections?limit=200')).data.find((c: { id: string }) => c.id === connectionId);
    expect(listed.api.import).toMatchObject({ status: 'done', imported: COUNT });
    expect(listed.api.lastImportAt).not.toBeNull();
    // Every page read once, but for the two refused calls and at most the one a stop interrupted.
    expect(listCalls().length).toBeGreaterThanOrEqual(COUNT / 100 + 2);
    expect(listCalls().length).toBeLessThanOrEqual(COUNT / 100 + 3);
    expect(await ctx.deps.db.externalId.count({ where: { organizationId: org.id, source: 'greenhouse', entity: 'application' } })).toBe(COUNT);
    // The five jobs applied to and the open one nobody applied to yet; not the draft.
    const titles = await ctx.deps.db.requisition.findMany({ where: { organizationId: org.id }, select: { title: true }, orderBy: { title: 'asc' } });
    expect(titles.map((r) => r.title)).toEqual(['Head of Support', 'Role 0', 'Role 1', 'Role 2', 'Role 3', 'Role 4']);
    const someone = await ctx.deps.db.externalId.findFirstOrThrow({ where: { organizationId: org.id, source: 'greenhouse', entity: 'candidate', externalId: '50007' } });
    const candidate = await ctx.deps.db.candidate.findUniqueOrThrow({ where: { id: someone.entityId }, include: { emails: true } });
    expect(candidate.name).toBe('Candidate 50007');
    expect(candidate.emails.map((e) => e.address)).toEqual(['c50007@candidates.test']);

    // The users, every page of them (the third one deactivated), to pick whom to act as.
    const users = await callAs(ctx, org, 'get', `/v1/ats-connections/${connectionId}/users`);
    expect(users).toMatchObject({ error: null, readAt: expect.any(String) });
    expect(users.data).toHaveLength(USERS);
    expect(users.data[0]).toEqual({ id: '7001', name: 'Recruiter 7001', email: 'recruiter7001@greenhouse.test', active: true });
    expect(users.data[2].active).toBe(false);
    expect(ats.state.requests.filter((r) => r.path === '/v3/users')).toHaveLength(Math.ceil(USERS / 100));

    // Three calls a page (applications, their candidates, their jobs), more than the limit allows
    // in one window, and three pages of users in a row: yet the server never had to refuse one.
    expect(harvestCalls().length).toBeGreaterThan(3 * (COUNT / 100));
    expect(ats.state.throttled).toEqual([]);
    expect(busiestWindow()).toBeLessThanOrEqual(LIMIT.requests);
  });

  it('GET …/reasons answers from the reasons and job stages stored at connection time; a reconciliation reads them again', async () => {
    const catalogueCalls = () => ats.state.callsTo('greenhouse', /^\/v3\/(rejection_reasons|job_stages)$/);
    // Read once each, when the credentials were saved; the reason map was checked against them.
    expect(catalogueCalls()).toBe(2);
    const stored = await callAs(ctx, org, 'get', `/v1/ats-connections/${connectionId}/reasons`);
    expect(stored).toMatchObject({ source: 'catalogue', data: [{ id: '101' }, { id: '102' }], stagesError: null });
    expect(stored.stages).toHaveLength(2 * 7);
    expect(stored.stages[0]).toEqual({ id: '11', text: 'Application Review', group: '1' });
    expect(catalogueCalls()).toBe(2);
    // Mapped at connection: nothing says write-backs will fail.
    const listed = (await callAs(ctx, org, 'get', '/v1/ats-connections?limit=200')).data.find((c: { id: string }) => c.id === connectionId);
    expect(listed.api.reasonMapMissing).toBe(false);

    expect(await ctx.deps.atsSync.reconcile(connectionId)).toMatchObject({ status: 'done' });
    expect(catalogueCalls()).toBe(4);
    const refreshed = await callAs(ctx, org, 'get', `/v1/ats-connections/${connectionId}/reasons`);
    expect(Date.parse(refreshed.readAt)).toBeGreaterThan(Date.parse(stored.readAt));

    // Credentials no longer allowed to list job stages: the reasons are read, the stages kept, and why said.
    ats.state.fail('greenhouse', { path: /^\/v3\/job_stages$/ }, { status: 403 });
    expect(await ctx.deps.atsSync.reconcile(connectionId)).toMatchObject({ status: 'done' });
    const refused = await callAs(ctx, org, 'get', `/v1/ats-connections/${connectionId}/reasons`);
    expect(Date.parse(refused.readAt)).toBeGreaterThan(Date.parse(refreshed.readAt));
    expect(refused.stages).toEqual(stored.stages);
    expect(refused.stagesError).toContain('403');
    expect(ats.state.throttled).toEqual([]);
  });

  it('reconciliation picks up a hire and a rejection whose webhooks never came', async () => {
    ats.state.change('greenhouse', '10001', { status: 'hired' });
    ats.state.change('greenhouse', '10002', { status: 'rejected', reasonId: '101' });
    const resolve = async (externalId: string) =>
      (await ctx.deps.db.externalId.findFirstOrThrow({ where: { organizationId: org.id, source: 'greenhouse', entity: 'application', externalId } })).entityId;
    const hired = await resolve('10001');
    const rejected = await resolve('10002');
    // Only the two changes were listed (one page, filtered by updated_at), and the mark moved on.
    await expectReconciledHireAndRejection(ctx, org, connectionId, { hired, rejected, listCalls: () => listCalls().length });
    expect(ats.state.throttled).toEqual([]);
  });
});
