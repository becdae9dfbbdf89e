// A render that runs out of wall-clock time (a cold or busy worker) is retried with more time,
// never turned into a permanent block; only a failure that will happen again blocks at once.
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/lib/errors.js';
import { createMessagesService } from '../../src/modules/messages/messages.service.js';
import { RenderTimeLimitError } from '../../src/modules/templates/render.js';
import { projectHandlers } from '../../workers/handlers.js';
import { startWorkers } from '../../src/queue/workers.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { eventually } from '../helpers/wait.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';

let ctx: TestContext;
let org: TestOrganization;
let writer: string;

beforeAll(async () => {
  ctx = await createTestContext({ OUTBOX_POLL_MS: '50' });
  org = await createOrganization(ctx.deps);
  writer = await org.key(['read', 'write']);
});
afterAll(() => ctx.close());

const post = (path: string, body: object) => request(ctx.app.server).post(path).set(bearer(writer)).send(body);
const message = async (id: string) => (await request(ctx.app.server).get(`/v1/messages/${id}`).set(bearer(writer))).body;

/** Messages rendered within these limits; a negative one is already spent when the render starts. */
const messagesWith = (renderLimits: { firstTryMs: number; retryMs: number }) =>
  createMessagesService({ db: ctx.deps.db, templates: ctx.deps.templates, publicBaseUrl: ctx.config.PUBLIC_BASE_URL, linkSecret: ctx.config.ENCRYPTION_KEY, renderLimits });

let round = 0;
/** A confirmed plan: one hire, one rejection; returns the plan and the rejection's message. */
async function confirmedPlan() {
  const r = ++round;
  const requisition = (await post('/v1/requisitions', { title: `Site Reliability Engineer ${r}` })).body;
  const apps: string[] = [];
  for (const name of ['Hired', 'Rejected']) {
    const candidate = (await post('/v1/candidates', { name: `${name} Person`, emails: [`${name.toLowerCase()}.${r}@render.test`] })).body;
    apps.push((await post('/v1/applications', { candidate: { id: candidate.id }, requisition: { id: requisition.id } })).body.id);
  }
  const plan = (await post(`/v1/requisitions/${requisition.id}/plans`, { chosen: [{ applicationId: apps[0] }], targets: { mode: 'all_others_active' } })).body;
  const confirmation = (await post(`/v1/plans/${plan.id}/confirm`, { digest: plan.digest, chosenApplicationIds: [apps[0]] })).body;
  return { planId: plan.id as string, id: confirmation.messages[0].id as string };
}

describe('rendering under a time limit', () => {
  it('retries a render job whose first try ran out of time, and renders the message', async () => {
    // The first try's budget is spent before it starts, as on a cold worker; the retry has time.
    const messages = messagesWith({ firstTryMs: -1, retryMs: 60_000 });
    const runtime = await startWorkers({
      config: ctx.config,
      db: ctx.deps.db,
      queues: ctx.deps.queues,
      handlers: projectHandlers({ ...ctx.deps, messages }),
      logger: pino({ level: 'silent' }),
    });
    try {
      const { planId, id } = await confirmedPlan();
      await eventually(async () => (await message(id)).status).toBe('pending_approval');
      expect(await message(id)).toMatchObject({ severity: null, renderChecks: [], subject: expect.stringContaining('Site Reliability Engineer') });
      const job = await ctx.deps.queues.messages.getJob(`render-plan.${planId}`);
      // One try that failed, one that rendered.
      expect(job?.attemptsMade).toBe(2);
      expect(job?.returnvalue).toEqual({ rendered: 1 });
    } finally {
      await runtime.stop();
    }
  });

  it('leaves drafts alone while a try may pass, and blocks only when the limit held on the last try', async () => {
    const messages = messagesWith({ firstTryMs: -1, retryMs: -1 });
    const { planId, id } = await confirmedPlan();
    await expect(messages.renderPlan(planId, { attemptsMade: 0, last: false })).rejects.toThrow(RenderTimeLimitError);
    await expect(messages.renderPlan(planId, { attemptsMade: 4, last: false })).rejects.toThrow(RenderTimeLimitError);
    expect(await message(id)).toMatchObject({ status: 'draft', subject: null, renderChecks: null });

    expect(await messages.renderPlan(planId, { attemptsMade: 7, last: true })).toEqual({ rendered: 1 });
    const blocked = await message(id);
    expect(blocked).toMatchObject({
      status: 'pending_approval',
      severity: 'block',
      renderChecks: [expect.objectContaining({ code: 'render_failed', message: expect.stringContaining('on every try') })],
    });

    // An edit that runs out of time is answered "try again" and changes nothing.
    const edit = messages.edit({ organizationId: org.id, actor: 'api_key:test' }, id, { contentVersion: blocked.contentVersion, subject: 'A new subject' });
    await expect(edit).rejects.toSatisfy((error) => error instanceof AppError && error.code === 'service_unavailable');
    expect((await message(id)).contentVersion).toBe(blocked.contentVersion);
  });

  it('blocks a failure that will happen again on the first try', async () => {
    const messages = messagesWith({ firstTryMs: 60_000, retryMs: 60_000 });
    const { planId, id } = await confirmedPlan();
    await ctx.deps.db.message.update({ where: { id }, data: { kind: 'rejection_nobody_wrote' } });
    expect(await messages.renderPlan(planId, { attemptsMade: 0, last: false })).toEqual({ rendered: 1 });
    expect(await message(id)).toMatchObject({ status: 'pending_approval', severity: 'block', renderChecks: [expect.objectContaining({ code: 'render_failed' })] });
  });
});
