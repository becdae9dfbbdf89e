// Promises with timers: a default promise per requisition after each interview, and a promise
// that passes without a final word is acted on once: an event, a new date, a status update proposed.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { sql } from '../helpers/database.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';
import { createPromisesService } from '../../src/modules/promises/promises.service.js';

let ctx: TestContext;
let org: TestOrganization;
beforeAll(async () => {
  ctx = await createTestContext();
  org = await createOrganization(ctx.deps);
});
afterAll(() => ctx.close());

const api = () => request(ctx.app.server);
const post = (path: string, body: object) => api().post(path).set(bearer(org.adminKey)).send(body);
const get = (path: string) => api().get(path).set(bearer(org.adminKey));

describe('promises', () => {
  it('dates a decision after each interview, and acts once on a promise that passed', async () => {
    const requisition = (await post('/v1/requisitions', { title: 'Promise keeper', promiseDaysAfterInterview: 3 })).body;
    expect(requisition.promiseDaysAfterInterview).toBe(3);
    const apply = async (name: string, extra: object = {}) => {
      const candidate = (await post('/v1/candidates', { name, emails: [`${name.toLowerCase()}.promise@x.test`] })).body;
      return (await post('/v1/applications', { candidate: { id: candidate.id }, requisition: { id: requisition.id }, ...extra })).body;
    };
    // Thursday's interview: three business days later is Tuesday, same time.
    const ana = await apply('Ana', { lastInterviewAt: '2030-01-03T14:00:00Z' });
    expect(ana.promisedDecisionAt).toBe('2030-01-08T14:00:00.000Z');
    // A date given explicitly is kept.
    const explicit = await apply('Eve', { lastInterviewAt: '2030-01-03T14:00:00Z', promisedDecisionAt: '2030-02-01T09:00:00Z' });
    expect(explicit.promisedDecisionAt).toBe('2030-02-01T09:00:00.000Z');
    const ben = await apply('Ben', { promisedDecisionAt: new Date(Date.now() - 86_400_000).toISOString() });

    expect(await ctx.deps.promises.sweepOverdue()).toBe(1);
    const after = (await get(`/v1/applications/${ben.id}`)).body;
    // The requisition’s promise again: three business days from now.
    expect(new Date(after.promisedDecisionAt).getTime()).toBeGreaterThan(Date.now() + 2 * 86_400_000);
    const audit = (await get(`/v1/audit-events?entityId=${ben.id}&action=application.overdue`)).body.data;
    expect(audit).toHaveLength(1);
    // A status update telling the new date waits for a person, like any decision.
    const plans = (await get(`/v1/plans?requisitionId=${requisition.id}&source=system&status=pending`)).body.data;
    expect(plans).toHaveLength(1);
    const plan = (await get(`/v1/plans/${plans[0].id}`)).body;
    expect(plan.items.map((i: { applicationId: string; action: string; messageKind: string }) => [i.applicationId, i.action, i.messageKind])).toEqual([
      [ben.id, 'update', 'status_update'],
    ]);
    expect((await get(`/v1/applications?requisitionId=${requisition.id}&overdue=true`)).body.data.map((a: { id: string }) => a.id)).toEqual([ben.id]);

    // Once per promise: the next sweep leaves Ben alone, until the new date passes too.
    expect(await ctx.deps.promises.sweepOverdue()).toBe(0);
    // Days later, as time would leave it: acted on three days ago, the new date passed a minute ago.
    await sql(ctx.database.url, `UPDATE applications SET overdue_notified_at = now() - interval '3 days', promised_decision_at = now() - interval '1 minute' WHERE id = $1`, [
      ben.id,
    ]);
    expect(await ctx.deps.promises.sweepOverdue()).toBe(1);
    // A final word on its way ends it: rejected by a confirmed plan, nothing more is proposed.
    await sql(ctx.database.url, `UPDATE applications SET promised_decision_at = now() - interval '1 minute' WHERE id = $1`, [ana.id]);
    const reject = (await post(`/v1/requisitions/${requisition.id}/plans`, { targets: { mode: 'list', applicationIds: [ana.id] } })).body;
    expect((await post(`/v1/plans/${reject.id}/confirm`, { digest: reject.digest, chosenApplicationIds: [] })).status).toBe(200);
    expect(await ctx.deps.promises.sweepOverdue()).toBe(0);
  });
});

describe('status updates Hearback sends on its own', () => {
  it('confirms and approves its own status update when the organization allows it, through the checks, and leaves it to a person otherwise', async () => {
    const own = await createOrganization(ctx.deps, 'Autonomous');
    const as = (key: string) => ({
      post: (path: string, body: object) => api().post(path).set(bearer(key)).send(body),
      get: (path: string) => api().get(path).set(bearer(key)),
    });
    const run = async (key: string) => {
      const { post, get } = as(key);
      const requisition = (await post('/v1/requisitions', { title: 'Self-driving role', promiseDaysAfterInterview: 2 })).body;
      const candidate = (await post('/v1/candidates', { name: 'Ola Auto', emails: [`ola.${requisition.id.slice(0, 8)}@x.test`] })).body;
      const application = (
        await post('/v1/applications', { candidate: { id: candidate.id }, requisition: { id: requisition.id }, promisedDecisionAt: new Date(Date.now() - 60_000).toISOString() })
      ).body;
      expect(await ctx.deps.promises.sweepOverdue()).toBeGreaterThanOrEqual(1);
      const [plan] = (await get(`/v1/plans?requisitionId=${requisition.id}&source=system`)).body.data;
      return { plan, application, requisition, get };
    };

    expect((await api().patch('/v1/organization').set(bearer(own.adminKey)).send({ autoApproveStatusUpdates: true, fourEyesApproval: true })).status).toBe(200);
    const allowed = await run(own.adminKey);
    expect(allowed.plan.status).toBe('confirmed');
    await ctx.deps.messages.renderPlan(allowed.plan.id);
    const [message] = (await allowed.get(`/v1/messages?requisitionId=${allowed.requisition.id}`)).body.data;
    expect(message).toMatchObject({ kind: 'status_update', status: 'approved' });
    const full = (await allowed.get(`/v1/messages/${message.id}`)).body;
    expect(full.approvedBy).toBe('system');

    // Not allowed (the default): the update waits for a person to confirm it.
    const asked = await run(org.adminKey);
    expect(asked.plan.status).toBe('pending');
  });
});

describe('promises where the candidate lives', () => {
  it('counts business days in the candidate’s time zone, keeping their local time across a clock change', async () => {
    const requisition = (await post('/v1/requisitions', { title: 'Zoned promises', promiseDaysAfterInterview: 1 })).body;
    const apply = async (name: string, timezone: string, extra: object) => {
      const candidate = (await post('/v1/candidates', { name, emails: [`${name.toLowerCase()}.zoned@x.test`], timezone })).body;
      return (await post('/v1/applications', { candidate: { id: candidate.id }, requisition: { id: requisition.id }, ...extra })).body;
    };
    // Friday 17:00 in Paris (UTC+1); the clocks go forward on Sunday: Monday 17:00 is 15:00Z.
    const paris = await apply('Paris', 'Europe/Paris', { lastInterviewAt: '2027-03-26T16:00:00Z' });
    expect(paris.promisedDecisionAt).toBe('2027-03-29T15:00:00.000Z');

    // Friday 16:00 UTC is already Saturday 01:00 in Tokyo: one business day there is Monday 01:00 Tokyo.
    const tokyo = await apply('Tokyo', 'Asia/Tokyo', { promisedDecisionAt: '2030-01-04T10:00:00Z' });
    const london = await apply('London', 'Europe/London', { promisedDecisionAt: '2030-01-04T10:00:00Z' });
    const friday = new Date('2030-01-04T16:00:00Z');
    const sweeper = createPromisesService({ db: ctx.deps.db, plans: ctx.deps.plans, now: () => friday });
    expect(await sweeper.sweepOverdue()).toBeGreaterThanOrEqual(2);
    expect((await get(`/v1/applications/${tokyo.id}`)).body.promisedDecisionAt).toBe('2030-01-06T16:00:00.000Z');
    expect((await get(`/v1/applications/${london.id}`)).body.promisedDecisionAt).toBe('2030-01-07T16:00:00.000Z');
  });
});

describe('silence', () => {
  it('proposes a status update to a candidate who heard nothing for the organization’s business days, once', async () => {
    const requisition = (await post('/v1/requisitions', { title: 'Quiet role' })).body;
    const apply = async (name: string) => {
      const candidate = (await post('/v1/candidates', { name, emails: [`${name.toLowerCase()}.quiet@x.test`] })).body;
      return (await post('/v1/applications', { candidate: { id: candidate.id }, requisition: { id: requisition.id } })).body.id as string;
    };
    const [old, fresh] = [await apply('Olga'), await apply('Finn')];
    // Olga applied two weeks ago and has heard nothing; Finn applied today.
    await sql(ctx.database.url, `UPDATE applications SET created_at = now() - interval '14 days' WHERE id = $1`, [old]);
    // No timer set: nothing happens.
    expect(await ctx.deps.promises.sweepSilence()).toBe(0);
    expect((await api().patch('/v1/organization').set(bearer(org.adminKey)).send({ silenceBusinessDays: 5 })).body.silenceBusinessDays).toBe(5);

    expect(await ctx.deps.promises.sweepSilence()).toBe(1);
    const plans = (await get(`/v1/plans?requisitionId=${requisition.id}&source=system`)).body.data;
    expect(plans).toHaveLength(1);
    const plan = (await get(`/v1/plans/${plans[0].id}`)).body;
    expect(plan.items.map((i: { applicationId: string; messageKind: string }) => [i.applicationId, i.messageKind])).toEqual([[old, 'status_update']]);
    expect((await get(`/v1/applications/${old}`)).body.promisedDecisionAt).not.toBeNull();
    expect((await get(`/v1/audit-events?entityId=${old}&action=application.overdue`)).body.data[0].after).toMatchObject({ reason: 'silence' });
    // Acted on: not again until another silence as long.
    expect(await ctx.deps.promises.sweepSilence()).toBe(0);
    expect((await get(`/v1/plans?requisitionId=${requisition.id}&source=system`)).body.data.map((p: { id: string }) => p.id)).toEqual([plans[0].id]);
    expect(plan.items.map((i: { applicationId: string }) => i.applicationId)).not.toContain(fresh);
    expect((await api().patch('/v1/organization').set(bearer(org.adminKey)).send({ silenceBusinessDays: null })).status).toBe(200);
  });
});
