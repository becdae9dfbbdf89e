// Failures that end for good tell the organization's admins (ats-writeback/failure-notices.ts),
// against the local Greenhouse server: a rejection with no mapped reason and one the ATS refuses
// (4xx) each end `failed` and notify every admin once a day per connection — a second failure
// counts on the same notification instead of adding one — and nobody else. The write-backs are
// run directly (no worker), one try at a time.
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueRejectionWritebacks } from '../../src/modules/ats-writeback/writeback.enqueue.js';
import { startFakeAts, type FakeAts } from '../ats-fake/server.js';
import { atsInbound } from '../helpers/ats-inbound.js';
import { connectGreenhouse, greenhouseApplication, GREENHOUSE_CLIENT } from '../helpers/ats-writeback.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { createOrganization, type TestOrganization } from '../helpers/factories.js';

let ctx: TestContext;
let ats: FakeAts;
let round = 0;

interface Tenant {
  org: TestOrganization;
  connectionId: string;
  admins: string[];
  recruiter: string;
}

beforeAll(async () => {
  ats = await startFakeAts({ greenhouse: GREENHOUSE_CLIENT });
  ctx = await createTestContext({
    GREENHOUSE_API_URL: ats.url,
    GREENHOUSE_AUTH_URL: ats.url,
    ATS_API_TIMEOUT_MS: '1000',
    ATS_WRITEBACK_RETRY_BASE_MS: '10',
    ATS_WRITEBACK_MAX_ATTEMPTS: '3',
  });
});
afterAll(async () => {
  await ctx?.close();
  await ats?.close();
});

/** An organization with two admins and a recruiter, and a Greenhouse connection mapping every rejection to reason 101. */
async function tenant(): Promise<Tenant> {
  const org = await createOrganization(ctx.deps);
  const person = async (role: 'admin' | 'recruiter', name: string) =>
    (await ctx.deps.db.user.create({ data: { organizationId: org.id, email: `${name}.${org.id}@northwind.test`, name, role, activatedAt: new Date() } })).id;
  const admins = [await person('admin', 'ada'), await person('admin', 'bo')];
  const recruiter = await person('recruiter', 'rita');
  const connectionId = await connectGreenhouse(ctx, org, atsInbound(ctx, org));
  return { org, connectionId, admins, recruiter };
}

/** A rejection write-back for a new application from Greenhouse (its message unknown: the reason map's `default` applies); its id. */
async function rejectionFor({ org }: Tenant) {
  const n = ++round;
  const { applicationId } = await greenhouseApplication(ctx, org, ats, n);
  await ctx.deps.db.$transaction((tx) => enqueueRejectionWritebacks(tx, org.id, [{ applicationId, messageId: uuidv7() }]));
  return { id: (await ctx.deps.db.atsWriteback.findFirstOrThrow({ where: { applicationId } })).id, application: `${n}0` };
}

const told = ({ org }: Tenant) => ctx.deps.db.notification.findMany({ where: { organizationId: org.id, type: 'ats_writeback_failed' }, orderBy: { userId: 'asc' } });

/** What an admin reads in the app: the notification as the API shows it. */
const shownTo = async ({ org }: Tenant, userId: string) =>
  (
    await ctx.deps.notifications.list(
      { organizationId: org.id, userId, role: 'admin', scopes: ['admin'], apiKeyId: null, sessionId: null, requisitions: 'all' },
      { type: 'ats_writeback_failed' },
      { limit: 20 },
    )
  ).data;

describe('a write-back that fails for good', () => {
  it('with no reason mapped: failed, and each admin told once with a link to the activity; a second failure the same day only counts', async () => {
    const t = await tenant();
    await ctx.deps.db.atsConnection.update({ where: { id: t.connectionId }, data: { reasonMap: {} } });
    const first = await rejectionFor(t);
    expect(await ctx.deps.atsWriteback.run(first.id)).toEqual({ status: 'failed' });
    expect((await ctx.deps.db.atsWriteback.findUniqueOrThrow({ where: { id: first.id } })).lastError).toMatch(/No ATS reason is mapped/);
    expect(ats.state.writesOf('greenhouse', new RegExp(`/v3/applications/${first.application}/reject$`))).toHaveLength(0);

    const notified = await told(t);
    expect(notified.map((n) => n.userId)).toEqual([...t.admins].sort());
    expect(notified.map((n) => n.userId)).not.toContain(t.recruiter);
    expect(notified[0]).toMatchObject({ subjectKind: 'ats_connection', subjectId: t.connectionId, detail: { kind: 'greenhouse', code: 'rejection' } });
    const [shown] = await shownTo(t, t.admins[0]!);
    expect(shown).toMatchObject({
      title: '1 write-back(s) to Greenhouse failed',
      link: { kind: 'ats_connection', id: t.connectionId, apiPath: `/v1/ats-connections/${t.connectionId}/activity` },
    });
    // Each admin's email queued once.
    const emails = await ctx.deps.db.outboxJob.findMany({ where: { queue: 'notifications', jobId: { in: notified.map((n) => `notification-email.${n.id}`) } } });
    expect(emails).toHaveLength(2);

    // The same day, a second failure on the connection (now a refusal): no new notification, the count says two.
    await ctx.deps.db.atsConnection.update({ where: { id: t.connectionId }, data: { reasonMap: { default: '101' } } });
    const second = await rejectionFor(t);
    ats.state.fail('greenhouse', { method: 'POST', path: new RegExp(`/v3/applications/${second.application}/reject$`) }, { status: 422 });
    expect(await ctx.deps.atsWriteback.run(second.id)).toEqual({ status: 'failed' });
    const after = await told(t);
    expect(after.map((n) => n.id)).toEqual(notified.map((n) => n.id));
    expect(after.map((n) => n.detail)).toEqual([
      { kind: 'greenhouse', code: 'rejection', count: 2 },
      { kind: 'greenhouse', code: 'rejection', count: 2 },
    ]);
    expect((await shownTo(t, t.admins[1]!))[0]!.title).toBe('2 write-back(s) to Greenhouse failed');
    expect(await ctx.deps.db.notification.count({ where: { userId: t.recruiter } })).toBe(0);
  });

  it('refused by the ATS (4xx): failed at once, shown on the connection, each admin told once and no one else', async () => {
    const t = await tenant();
    const { id, application } = await rejectionFor(t);
    ats.state.fail('greenhouse', { method: 'POST', path: new RegExp(`/v3/applications/${application}/reject$`) }, { status: 403 });
    expect(await ctx.deps.atsWriteback.run(id)).toEqual({ status: 'failed' });
    const writeback = await ctx.deps.db.atsWriteback.findUniqueOrThrow({ where: { id } });
    expect(writeback.lastError).toMatch(/HTTP 403/);
    expect(writeback.attempts).toBe(1);
    expect((await ctx.deps.db.atsConnection.findUniqueOrThrow({ where: { id: t.connectionId } })).lastError).toMatch(/HTTP 403/);

    const notified = await told(t);
    expect(notified.map((n) => n.userId)).toEqual([...t.admins].sort());
    expect(await ctx.deps.db.notification.count({ where: { userId: t.recruiter } })).toBe(0);
    // A run of the ended write-back again (a redelivered job) tells no one a second time.
    expect(await ctx.deps.atsWriteback.run(id)).toEqual({ skipped: 'failed' });
    expect((await told(t)).map((n) => n.detail)).toEqual([
      { kind: 'greenhouse', code: 'rejection' },
      { kind: 'greenhouse', code: 'rejection' },
    ]);
  });

  it('retries used up, and an application the ATS no longer has: failed and counted on the same notification', async () => {
    const t = await tenant();
    const used = await rejectionFor(t);
    ats.state.fail('greenhouse', { method: 'POST', path: new RegExp(`/v3/applications/${used.application}/reject$`) }, { status: 500 }, 3);
    for (const expected of ['retrying', 'retrying', 'failed']) expect(await ctx.deps.atsWriteback.run(used.id)).toMatchObject({ status: expected });
    expect((await ctx.deps.db.atsWriteback.findUniqueOrThrow({ where: { id: used.id } })).lastError).toMatch(/HTTP 500.*after 3 tries/);
    expect((await told(t)).map((n) => n.detail)).toEqual([
      { kind: 'greenhouse', code: 'rejection' },
      { kind: 'greenhouse', code: 'rejection' },
    ]);

    const gone = await rejectionFor(t);
    ats.state.applications.delete(ats.state.key('greenhouse', gone.application));
    expect(await ctx.deps.atsWriteback.run(gone.id)).toEqual({ status: 'failed' });
    expect((await told(t)).map((n) => n.detail)).toEqual([
      { kind: 'greenhouse', code: 'rejection', count: 2 },
      { kind: 'greenhouse', code: 'rejection', count: 2 },
    ]);
  });
});

describe('an import that fails for good', () => {
  it('refused by the ATS: failed on the connection, each admin told once a day (ats_setup_failed), no one else', async () => {
    const t = await tenant();
    const importFails = async () => {
      await ctx.deps.db.$transaction((tx) => ctx.deps.atsSync.startImport(tx, t.connectionId));
      ats.state.fail('greenhouse', { method: 'GET', path: /^\/v3\/applications$/ }, { status: 403 });
      expect(await ctx.deps.atsSync.runImport(t.connectionId)).toEqual({ status: 'failed' });
    };
    await importFails();
    const connection = await ctx.deps.db.atsConnection.findUniqueOrThrow({ where: { id: t.connectionId } });
    expect(connection.lastError).toMatch(/^import: .*HTTP 403/);
    const told = () => ctx.deps.db.notification.findMany({ where: { organizationId: t.org.id, type: 'ats_setup_failed' }, orderBy: { userId: 'asc' } });
    expect((await told()).map((n) => [n.userId, n.subjectId, n.detail])).toEqual(
      [...t.admins].sort().map((admin) => [admin, t.connectionId, { kind: 'greenhouse', code: 'import' }]),
    );
    // Started again and refused again the same day: counted, not told again.
    await importFails();
    expect((await told()).map((n) => n.detail)).toEqual([
      { kind: 'greenhouse', code: 'import', count: 2 },
      { kind: 'greenhouse', code: 'import', count: 2 },
    ]);
    expect(await ctx.deps.db.notification.count({ where: { userId: t.recruiter } })).toBe(0);
  });
});
