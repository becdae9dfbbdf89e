// Setup in one step, against the local Ashby server: saving credentials imports the ATS's 2,000
// applications page by page through the workers, honouring a 429's Retry-After; the workers
// stopped mid-import and started again continue from the saved cursor. Then a hire and a
// rejection made in Ashby whose webhooks never came are picked up by the reconciliation. Lever's
// archive reasons and stages are read into its connection's settings when it is connected. Each
// import and reconciliation reads the ATS's users onto the connection (GET …/users).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importStateSchema } from '../../src/modules/ats-writeback/writeback.schemas.js';
import { startFakeAts, type FakeAts } from '../ats-fake/server.js';
import { atsInbound } from '../helpers/ats-inbound.js';
import { callAs, connectWithCredentials, expectReconciledHireAndRejection } from '../helpers/ats-writeback.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { startDelivery } from '../helpers/delivery.js';
import { createOrganization, type TestOrganization } from '../helpers/factories.js';
import { eventually, waitFor } from '../helpers/wait.js';

const COUNT = 2_000;
let ctx: TestContext;
let org: TestOrganization;
let ats: FakeAts;
let workers: Awaited<ReturnType<typeof startDelivery>> | undefined;
let connectionId: string;

beforeAll(async () => {
  ats = await startFakeAts({ ashby: { apiKey: 'ashby-api-key' }, lever: { apiKey: 'lever-api-key' } });
  for (let i = 0; i < COUNT; i++) {
    const n = String(i).padStart(4, '0');
    ats.state.addApplication('ashby', { id: `app-${n}`, candidateId: `cand-${n}`, jobId: `job-${i % 5}`, jobTitle: `Role ${i % 5}` });
  }
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
    expect(done).toMatchObject({ imported: COUNT, pages: COUNT / 100, cursor: null });
    const listed = await connection();
    expect(listed.api.import).toMatchObject({ status: 'done', imported: COUNT });
    expect(listed.api.lastImportAt).not.toBeNull();
    expect(listed.api.lastReconciledAt).not.toBeNull();
    // Every page read once, but for the two refused calls and at most the one a stop interrupted.
    expect(listCalls().length).toBeGreaterThanOrEqual(COUNT / 100 + 2);
    expect(listCalls().length).toBeLessThanOrEqual(COUNT / 100 + 3);
    expect(await ctx.deps.db.externalId.count({ where: { organizationId: org.id, source: 'ashby', entity: 'application' } })).toBe(COUNT);
    expect(await ctx.deps.db.requisition.count({ where: { organizationId: org.id } })).toBe(5);
    // Ashby's users (user.list, deactivated ones too) were read with it.
    const users = await callAs(ctx, org, 'get', `/v1/ats-connections/${connectionId}/users`);
    expect(users).toMatchObject({ error: null, readAt: expect.any(String) });
    expect(users.data.map((u: { id: string; active: boolean }) => [u.id, u.active])).toEqual([
      ['ashby-user-1001', true],
      ['ashby-user-1002', true],
      ['ashby-user-1003', false],
    ]);
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
    await expectReconciledHireAndRejection(ctx, org, connectionId, { hired, rejected, listCalls: () => listCalls().length });
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
    ats.state.addApplication('lever', { id: 'opp-1', candidateId: 'contact-1', jobId: 'posting-1' });
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
