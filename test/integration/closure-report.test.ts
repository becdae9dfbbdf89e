// The closure report's figures equal what the test counts itself, after real sends.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { setUpSending, startDelivery } from '../helpers/delivery.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';
import { sendRejections } from '../helpers/sent-messages.js';
import { startPostmarkServer, type PostmarkFake } from '../postmark/server.js';

let ctx: TestContext;
let fake: PostmarkFake;
let org: TestOrganization;
let delivery: Awaited<ReturnType<typeof startDelivery>>;

beforeAll(async () => {
  fake = await startPostmarkServer();
  ctx = await createTestContext({ OUTBOX_POLL_MS: '50', POSTMARK_API_URL: fake.url });
  org = await createOrganization(ctx.deps);
  await setUpSending(ctx, org);
  delivery = await startDelivery(ctx);
});
afterAll(async () => {
  await delivery?.stop();
  await ctx?.close();
  await fake?.close();
});

const api = () => request(ctx.app.server);

describe('the closure report', () => {
  it('counts final words, promises, feedback and what waits, per requisition and as CSV', async () => {
    const sent = await sendRejections(ctx, org, fake, [
      { name: 'Bo Closure', email: 'bo.closure@x.test', feedback: { reasonCategory: 'skills_gap', strengths: ['A clear system design'] } },
      { name: 'Cy Closure', email: 'cy.closure@x.test' },
    ]);
    const requisitionId = (await api().get(`/v1/applications/${sent['Bo Closure']!.applicationId}`).set(bearer(org.adminKey))).body.requisitionId as string;
    // Rejected once their emails left.
    expect((await api().get(`/v1/applications/${sent['Cy Closure']!.applicationId}`).set(bearer(org.adminKey))).body.status).toBe('rejected');

    // One who withdrew (a final word of their own), one still waiting past the date promised to them.
    const add = async (name: string, extra: object) => {
      const candidate = (
        await api()
          .post('/v1/candidates')
          .set(bearer(org.adminKey))
          .send({ name, emails: [`${name.split(' ')[0]!.toLowerCase()}@x.test`] })
      ).body;
      const created = await api()
        .post('/v1/applications')
        .set(bearer(org.adminKey))
        .send({ candidate: { id: candidate.id }, requisition: { id: requisitionId }, ...extra });
      expect(created.status).toBe(201);
      return created.body.id as string;
    };
    const past = new Date(Date.now() - 2 * 86_400_000).toISOString();
    await add('Di Closure', { status: 'withdrawn' });
    await add('Ed Closure', { promisedDecisionAt: past, lastInterviewAt: past });

    const report = (await api().get(`/v1/reports/closure?requisitionId=${requisitionId}`).set(bearer(org.adminKey))).body;
    expect(report).toMatchObject({
      requisitionId,
      applicants: 5,
      withFinalWord: 4, // the hire, two sent rejections, the withdrawal
      finalWordShare: 0.8,
      waiting: 1,
      overdueNow: 1,
      promises: { made: 1, kept: 0, broken: 1, open: 0, keptShare: 0 },
      held: 0,
      failed: 0,
      rejectionsSent: 2,
      rejectionsWithFeedbackShare: 0.5,
      ratings: { count: 0, average: null },
    });
    expect(report.timeToFinalWord.all.count).toBe(4);
    expect(report.timeToFinalWord.interviewed.count).toBe(0);
    expect(report.timeToFinalWord.all.p90Hours).toBeGreaterThanOrEqual(report.timeToFinalWord.all.p50Hours);
    expect(report.series).toHaveLength(90);
    expect(report.series.at(-1).date).toBe(report.generatedAt.slice(0, 10));
    const total = (key: 'applications' | 'finalWords') => report.series.reduce((sum: number, day: Record<string, number>) => sum + day[key]!, 0);
    expect([total('applications'), total('finalWords')]).toEqual([5, 4]);

    const csv = await api().get(`/v1/reports/closure.csv?requisitionId=${requisitionId}`).set(bearer(org.adminKey));
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text.split('\n')).toEqual(expect.arrayContaining(['metric,value', 'applicants,5', 'with_final_word,4', 'overdue_now,1', 'ratings.average,']));

    // The organization's report covers this requisition too; another organization's sees nothing of it.
    expect((await api().get('/v1/reports/closure').set(bearer(org.adminKey))).body.applicants).toBeGreaterThanOrEqual(5);
    const stranger = await createOrganization(ctx.deps);
    expect((await api().get(`/v1/reports/closure?requisitionId=${requisitionId}`).set(bearer(stranger.adminKey))).status).toBe(404);
    expect((await api().get('/v1/reports/closure').set(bearer(stranger.adminKey))).body.applicants).toBe(0);

    // The same figures as Prometheus gauges, over every organization (this file's database holds only these).
    const all = (await api().get('/v1/reports/closure').set(bearer(org.adminKey))).body;
    const metrics = (await api().get('/metrics')).text;
    const gauge = (state: string) => Number(new RegExp(`^hearback_applications\\{state="${state}"\\} (\\d+)$`, 'm').exec(metrics)?.[1]);
    expect([gauge('final_word'), gauge('waiting'), gauge('overdue')]).toEqual([all.withFinalWord, all.waiting, all.overdueNow]);
  });
});
