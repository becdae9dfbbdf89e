// A connection's circuit, against the local Greenhouse server answering 503: after
// ATS_CIRCUIT_FAILURES failures in a row it opens, the admins hear it once, write-backs wait
// without calling Greenhouse, and after the open time one probe closes it again. The write-backs
// are run directly (no worker), one try at a time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueAtsNotes } from '../../src/modules/ats-writeback/writeback.enqueue.js';
import { startFakeAts, type FakeAts } from '../ats-fake/server.js';
import { atsInbound } from '../helpers/ats-inbound.js';
import { callAs, connectGreenhouse, greenhouseApplication, GREENHOUSE_CLIENT } from '../helpers/ats-writeback.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { createOrganization, type TestOrganization } from '../helpers/factories.js';

let ctx: TestContext;
let org: TestOrganization;
let ats: FakeAts;
let connectionId: string;

beforeAll(async () => {
  ats = await startFakeAts({ greenhouse: GREENHOUSE_CLIENT });
  ctx = await createTestContext({
    GREENHOUSE_API_URL: ats.url,
    GREENHOUSE_AUTH_URL: ats.url,
    ATS_API_TIMEOUT_MS: '1000',
    ATS_WRITEBACK_RETRY_BASE_MS: '10',
    ATS_WRITEBACK_MAX_ATTEMPTS: '50',
    ATS_CIRCUIT_FAILURES: '3',
    ATS_CIRCUIT_OPEN_MS: '3600000',
  });
  org = await createOrganization(ctx.deps);
  for (const email of ['ada@northwind.test', 'bo@northwind.test']) {
    await ctx.deps.db.user.create({ data: { organizationId: org.id, email, name: email, role: 'admin', activatedAt: new Date() } });
  }
  connectionId = await connectGreenhouse(ctx, org, atsInbound(ctx, org));
});
afterAll(async () => {
  await ctx?.close();
  await ats?.close();
});

/** An application from Greenhouse with a note to write about it; returns the write-back's id. */
async function noteFor(n: number) {
  const { candidateId, applicationId } = await greenhouseApplication(ctx, org, ats, n);
  await ctx.deps.db.$transaction((tx) => enqueueAtsNotes(tx, org.id, [{ applicationId, subjectId: candidateId, text: `Something happened to application ${n}.` }]));
  return (await ctx.deps.db.atsWriteback.findFirstOrThrow({ where: { applicationId } })).id;
}

const connection = () => ctx.deps.db.atsConnection.findUniqueOrThrow({ where: { id: connectionId } });
const unreachable = () => ctx.deps.db.notification.findMany({ where: { organizationId: org.id, type: 'ats_unreachable' } });
const greenhouseCalls = () => ats.state.requests.filter((r) => r.provider === 'greenhouse' && r.path !== '/token').length;

describe('the circuit of a connection', () => {
  it('opens after repeated 5xx, tells each admin once, calls nothing while open, and closes after one good probe', async () => {
    const first = await noteFor(1);
    const second = await noteFor(2);
    ats.state.fail('greenhouse', { method: 'GET', path: /^\/v3\/applications\// }, { status: 503 }, 3);

    expect(await ctx.deps.atsWriteback.run(first)).toMatchObject({ status: 'retrying' });
    expect(await ctx.deps.atsWriteback.run(second)).toMatchObject({ status: 'retrying' });
    expect((await connection()).circuitOpenUntil).toBeNull();
    expect(await unreachable()).toHaveLength(0);
    expect(await ctx.deps.atsWriteback.run(first)).toMatchObject({ status: 'retrying' });

    const opened = await connection();
    expect(opened.consecutiveFailures).toBe(3);
    expect(opened.circuitOpenUntil!.getTime()).toBeGreaterThan(Date.now() + 3_000_000);
    expect(opened.lastError).toMatch(/HTTP 503/);
    const told = await unreachable();
    expect(told).toHaveLength(2);
    expect(new Set(told.map((n) => n.userId)).size).toBe(2);
    expect(told[0]!.detail).toEqual({ kind: 'greenhouse' });
    const listed = (await callAs(ctx, org, 'get', '/v1/ats-connections?limit=200')).data.find((c: { id: string }) => c.id === connectionId);
    expect(listed.api).toMatchObject({ verified: true, circuit: 'open', consecutiveFailures: 3, lastError: expect.stringMatching(/HTTP 503/) });

    // Open: the write-backs wait for it, without calling Greenhouse and without counting a try.
    const calls = greenhouseCalls();
    const attempts = (await ctx.deps.db.atsWriteback.findUniqueOrThrow({ where: { id: second } })).attempts;
    expect(await ctx.deps.atsWriteback.run(second)).toMatchObject({ status: 'waiting', runAt: opened.circuitOpenUntil });
    expect(await ctx.deps.atsWriteback.run(first)).toMatchObject({ status: 'waiting' });
    expect(greenhouseCalls()).toBe(calls);
    expect((await ctx.deps.db.atsWriteback.findUniqueOrThrow({ where: { id: second } })).attempts).toBe(attempts);
    // A read-back (an inbound event) is not sent to an open circuit either.
    await expect(ctx.deps.atsWriteback.readBack(opened, { kind: 'hire', application: { externalId: '10' } } as never)).rejects.toThrow(/circuit .* is open/);
    expect(greenhouseCalls()).toBe(calls);

    // The open time passes: one probe goes through, Greenhouse answers, the circuit closes.
    await ctx.deps.db.atsConnection.update({ where: { id: connectionId }, data: { circuitOpenUntil: new Date(Date.now() - 1) } });
    expect(await ctx.deps.atsWriteback.run(first)).toEqual({ status: 'done' });
    expect(await connection()).toMatchObject({ consecutiveFailures: 0, circuitOpenUntil: null });
    expect((await callAs(ctx, org, 'get', '/v1/ats-connections?limit=200')).data.find((c: { id: string }) => c.id === connectionId).api).toMatchObject({
      circuit: 'closed',
      circuitOpenUntil: null,
    });
    expect(await ctx.deps.atsWriteback.run(second)).toEqual({ status: 'done' });
    expect(ats.state.notesOf('greenhouse', '11')).toHaveLength(1);
    expect(ats.state.notesOf('greenhouse', '21')).toHaveLength(1);
    expect(await unreachable()).toHaveLength(2);
  });

  it('a failed probe keeps it open and tells no one again', async () => {
    const third = await noteFor(3);
    ats.state.fail('greenhouse', { method: 'GET', path: /^\/v3\/applications\// }, { status: 500 }, 4);
    for (let i = 0; i < 3; i++) await ctx.deps.atsWriteback.run(third);
    expect((await connection()).circuitOpenUntil).not.toBeNull();
    expect(await unreachable()).toHaveLength(4);
    await ctx.deps.db.atsConnection.update({ where: { id: connectionId }, data: { circuitOpenUntil: new Date(Date.now() - 1) } });
    expect(await ctx.deps.atsWriteback.run(third)).toMatchObject({ status: 'retrying' });
    expect((await connection()).circuitOpenUntil!.getTime()).toBeGreaterThan(Date.now());
    expect(await unreachable()).toHaveLength(4);
    expect(await ctx.deps.atsWriteback.run(third)).toMatchObject({ status: 'waiting' });
  });
});
