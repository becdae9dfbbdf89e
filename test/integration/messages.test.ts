import fc from 'fast-check';
import type { MessageStatus } from '../../src/generated/prisma/enums.js';
import { canTransition } from '../../src/modules/messages/message-states.js';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/lib/hash.js';
import { FEEDBACK_TOKEN_PLACEHOLDER, feedbackToken, withFeedbackToken } from '../../src/modules/messages/feedback-link.js';
import { projectHandlers } from '../../workers/handlers.js';
import { startWorkers } from '../../src/queue/workers.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';
import { eventually } from '../helpers/wait.js';

let ctx: TestContext;
let org: TestOrganization;
let writer: string;
let approver: string;
let overrider: string;

beforeAll(async () => {
  ctx = await createTestContext({ OUTBOX_POLL_MS: '100' });
  org = await createOrganization(ctx.deps);
  writer = await org.key(['read', 'write']);
  approver = await org.key(['read', 'approve']);
  overrider = await org.key(['read', 'approve', 'override']);
});
afterAll(() => ctx.close());

const post = (path: string, body: object, key = writer) => request(ctx.app.server).post(path).set(bearer(key)).send(body);
const get = (path: string, key = writer) => request(ctx.app.server).get(path).set(bearer(key));

let round = 0;
/** A confirmed plan: one hire, rejections with the given feedback; returns the drafts by name. */
async function confirmedPlan(people: { name: string; email: string; locale?: string; feedback?: object }[]) {
  const req = (await post('/v1/requisitions', { title: `Platform Engineer ${++round}`, hiringContact: { name: 'Rita Alves', email: 'rita@northwind.test' } })).body;
  const apps: Record<string, string> = {};
  for (const person of [{ name: 'Hired Person', email: `hired${round}@x.test` }, ...people]) {
    const candidate = (await post('/v1/candidates', { name: person.name, emails: [person.email], ...('locale' in person ? { locale: person.locale } : {}) })).body;
    apps[person.name] = (await post('/v1/applications', { candidate: { id: candidate.id }, requisition: { id: req.id } })).body.id;
  }
  const feedback = Object.fromEntries(people.filter((p) => p.feedback).map((p) => [apps[p.name]!, p.feedback!]));
  const plan = (await post(`/v1/requisitions/${req.id}/plans`, { chosen: [{ applicationId: apps['Hired Person'] }], targets: { mode: 'all_others_active' }, feedback })).body;
  const confirmation = (await post(`/v1/plans/${plan.id}/confirm`, { digest: plan.digest, chosenApplicationIds: [apps['Hired Person']] })).body;
  const byName = Object.fromEntries(people.map((p) => [p.name, confirmation.messages.find((m: { applicationId: string }) => m.applicationId === apps[p.name]).id as string]));
  return { planId: plan.id as string, messages: byName };
}

describe('messages', () => {
  it('are rendered by the workers after confirmation, in the candidate’s language, with lint', async () => {
    const runtime = await startWorkers({
      config: ctx.config,
      db: ctx.deps.db,
      queues: ctx.deps.queues,
      handlers: projectHandlers(ctx.deps),
      logger: pino({ level: 'silent' }),
    });
    try {
      const { messages } = await confirmedPlan([
        {
          name: 'Camille Petit',
          email: 'camille@x.test',
          locale: 'fr-FR',
          feedback: { reasonCategory: 'experience_level', strengths: ['Une démarche de test exemplaire'], areasToImprove: ['La conduite de projets longs'] },
        },
        {
          name: 'Jordan Blake',
          email: 'jordan@x.test',
          feedback: { reasonCategory: 'experience_level', strengths: ['Great API design'], areasToImprove: ['You seemed overqualified for this team'] },
        },
      ]);
      await eventually(async () => (await get(`/v1/messages/${messages['Camille Petit']}`)).body.status).toBe('pending_approval');
      const camille = (await get(`/v1/messages/${messages['Camille Petit']}`)).body;
      expect(camille).toMatchObject({ locale: 'fr', templateVersion: 0, contentVersion: 1, severity: null, kind: 'rejection_after_interview' });
      expect(camille.subject).toContain('Platform Engineer');
      expect(camille.text).toContain('Une démarche de test exemplaire');
      expect(camille.html).toContain('lang="fr"');
      expect(camille.text).not.toContain('Jordan');

      await eventually(async () => (await get(`/v1/messages/${messages['Jordan Blake']}`)).body.status).toBe('pending_approval');
      const jordan = (await get(`/v1/messages/${messages['Jordan Blake']}`)).body;
      expect(jordan.severity).toBe('block');
      expect(jordan.lint).toEqual([expect.objectContaining({ code: 'protected_age', field: 'areasToImprove.0', excerpt: 'overqualified' })]);
      const queue = await get('/v1/messages?status=pending_approval&severity=block');
      expect(queue.body.data.map((m: { id: string }) => m.id)).toContain(messages['Jordan Blake']);
      expect(queue.body.data.map((m: { id: string }) => m.id)).not.toContain(messages['Camille Petit']);
    } finally {
      await runtime.stop();
    }
  });

  it('do not block feedback that is the candidate’s own, even where two of their items read on into someone else’s sentence', async () => {
    const { planId, messages } = await confirmedPlan([
      {
        name: 'Xiu Chen',
        email: 'xiu@x.test',
        feedback: { reasonCategory: 'skills_gap', strengths: ['Calm under pressure and handles test automation', 'During the case study: a clear plan from the start'] },
      },
      {
        name: 'Yusuf Demir',
        email: 'yusuf@x.test',
        feedback: { reasonCategory: 'skills_gap', personalNote: 'We enjoyed the discussion of test automation. During the case study, it showed.' },
      },
    ]);
    expect(await ctx.deps.messages.renderPlan(planId)).toEqual({ rendered: 2 });
    for (const id of Object.values(messages)) {
      const message = (await get(`/v1/messages/${id}`)).body;
      expect(message.renderChecks).toEqual([]);
      expect(message.severity).not.toBe('block');
    }
  });

  it('block a message that shows another candidate’s name or feedback from the same plan', async () => {
    const { planId, messages } = await confirmedPlan([
      { name: 'Priya Raman', email: 'priya@x.test', feedback: { reasonCategory: 'skills_gap', strengths: ['A careful reading of the incident review we gave you'] } },
      {
        name: 'Tom Weber',
        email: 'tom@x.test',
        feedback: { reasonCategory: 'skills_gap', personalNote: 'Unlike Priya Raman, you did not finish the exercise.', areasToImprove: ['Finish the exercise'] },
      },
    ]);
    expect(await ctx.deps.messages.renderPlan(planId)).toEqual({ rendered: 2 });
    const tom = (await get(`/v1/messages/${messages['Tom Weber']}`)).body;
    expect(tom.severity).toBe('block');
    expect(tom.renderChecks).toEqual([expect.objectContaining({ code: 'foreign_candidate_data', evidence: [expect.objectContaining({ field: 'name', value: 'priya raman' })] })]);
    expect((await get(`/v1/messages/${messages['Priya Raman']}`)).body.renderChecks).toEqual([]);
    // Another candidate's data is fixed by editing, not overridden.
    const forced = await post(`/v1/messages/${messages['Tom Weber']}/approve`, { contentVersion: 1, overrideReason: 'Looks fine to me, honestly' }, overrider);
    expect(forced.status).toBe(409);
    expect(forced.body.code).toBe('message_blocked');
    // Rendering again changes nothing: only drafts are rendered.
    expect(await ctx.deps.messages.renderPlan(planId)).toEqual({ rendered: 0 });
  });

  it('are approved once, for the version seen, and blocking findings need an override', async () => {
    const { planId, messages } = await confirmedPlan([
      { name: 'Ana Costa', email: 'ana@x.test', feedback: { reasonCategory: 'skills_gap', areasToImprove: ['Observability practice'] } },
      { name: 'Ben Okoye', email: 'ben@x.test', feedback: { reasonCategory: 'skills_gap', areasToImprove: ['She is pregnant, timing is bad'] } },
    ]);
    await ctx.deps.messages.renderPlan(planId);
    const ana = messages['Ana Costa']!;
    expect((await post(`/v1/messages/${ana}/approve`, { contentVersion: 1 }, writer)).status).toBe(403);
    const stale = await post(`/v1/messages/${ana}/approve`, { contentVersion: 2 }, approver);
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'message_changed', contentVersion: 1 });

    const racing = await Promise.all([1, 2, 3].map(() => post(`/v1/messages/${ana}/approve`, { contentVersion: 1 }, approver)));
    expect(racing.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    expect(racing.find((r) => r.status === 409)!.body.code).toBe('message_state');
    const approved = racing.find((r) => r.status === 200)!.body;
    expect(approved).toMatchObject({ status: 'approved', approvedBy: expect.stringMatching(/^api_key:/), approvedAt: expect.any(String) });
    expect((await get(`/v1/audit-events?entityId=${ana}&action=message.approved`)).body.data).toHaveLength(1);

    const ben = messages['Ben Okoye']!;
    const blocked = await post(`/v1/messages/${ben}/approve`, { contentVersion: 1 }, approver);
    expect(blocked.status).toBe(409);
    expect(blocked.body.code).toBe('message_blocked');
    expect((await post(`/v1/messages/${ben}/approve`, { contentVersion: 1, overrideReason: 'Reviewed with legal, wording fixed' }, approver)).status).toBe(403);
    const overridden = await post(`/v1/messages/${ben}/approve`, { contentVersion: 1, overrideReason: 'Reviewed with legal, wording fixed' }, overrider);
    expect(overridden.status).toBe(200);
    expect((await get(`/v1/audit-events?entityId=${ben}&action=message.approved`)).body.data[0].after).toMatchObject({ overrideReason: 'Reviewed with legal, wording fixed' });
  });

  it('are recalled or cancelled only from states that allow it', async () => {
    const { planId, messages } = await confirmedPlan([
      { name: 'Cleo Marsh', email: 'cleo@x.test' },
      { name: 'Dev Shah', email: 'dev@x.test' },
    ]);
    const [cleo, dev] = [messages['Cleo Marsh']!, messages['Dev Shah']!];
    // A draft can be cancelled before it is even rendered; rendering then leaves it alone.
    expect((await post(`/v1/messages/${dev}/cancel`, {})).body.status).toBe('cancelled');
    await ctx.deps.messages.renderPlan(planId);
    expect((await get(`/v1/messages/${dev}`)).body.status).toBe('cancelled');

    const notYet = await post(`/v1/messages/${cleo}/recall`, {}, approver);
    expect(notYet.status).toBe(409);
    expect(notYet.body).toMatchObject({ code: 'message_state', status: 'pending_approval' });
    await post(`/v1/messages/${cleo}/approve`, { contentVersion: 1 }, approver);
    expect((await post(`/v1/messages/${cleo}/recall`, {}, approver)).body.status).toBe('recalled');
    expect((await post(`/v1/messages/${cleo}/cancel`, {})).status).toBe(409);
    const audit = await get(`/v1/audit-events?entityId=${cleo}`);
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(['message.approved', 'message.recalled']);
  });

  it('carry their candidate’s private link, whose token is never stored or shown', async () => {
    const { planId, messages } = await confirmedPlan([{ name: 'Fran Diaz', email: 'fran@x.test' }]);
    await ctx.deps.messages.renderPlan(planId);
    const fran = (await get(`/v1/messages/${messages['Fran Diaz']}`)).body;
    expect(fran.text).toContain(`/f/${FEEDBACK_TOKEN_PLACEHOLDER}`);
    const token = feedbackToken(ctx.config.ENCRYPTION_KEY, fran.id);
    const row = await ctx.deps.db.message.findUniqueOrThrow({ where: { id: fran.id } });
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row.feedbackTokenHash).toBe(sha256Hex(token));
    // What the sender will hand to Postmark.
    const sent = withFeedbackToken({ subject: row.subject!, html: row.html!, text: row.text! }, token);
    expect(sent.text).toContain(`/f/${token}`);
    expect(sent.html).toContain(`/f/${token}`);
    const days = (row.feedbackLinkExpiresAt!.getTime() - row.createdAt.getTime()) / 86_400_000;
    expect(Math.round(days)).toBe(180);
  });

  it('turn a render failure into a blocking check that only an edit can clear', async () => {
    const req = (await post('/v1/requisitions', { title: 'Custom kind' })).body;
    const ids = [];
    for (const name of ['Chosen Kim', 'Lee Park']) {
      const c = (await post('/v1/candidates', { name, emails: [`${name.split(' ')[1]!.toLowerCase()}@custom.test`] })).body;
      ids.push((await post('/v1/applications', { candidate: { id: c.id }, requisition: { id: req.id } })).body.id);
    }
    // A custom kind nobody wrote a template for.
    const plan = (
      await post(`/v1/requisitions/${req.id}/plans`, { chosen: [{ applicationId: ids[0] }], targets: { mode: 'all_others_active' }, messageKind: 'rejection_custom_note' })
    ).body;
    const id = (await post(`/v1/plans/${plan.id}/confirm`, { digest: plan.digest, chosenApplicationIds: [ids[0]] })).body.messages[0].id;
    expect(await ctx.deps.messages.renderPlan(plan.id)).toEqual({ rendered: 1 });
    const failed = (await get(`/v1/messages/${id}`)).body;
    expect(failed).toMatchObject({ status: 'pending_approval', severity: 'block', subject: null, renderChecks: [expect.objectContaining({ code: 'render_failed' })] });
    const forced = await post(`/v1/messages/${id}/approve`, { contentVersion: 1, overrideReason: 'Send it anyway please' }, overrider);
    expect(forced.status).toBe(409);
    expect(forced.body.code).toBe('message_blocked');
  });

  it('edits re-render, re-lint, bump the version and reset an approval', async () => {
    const { planId, messages } = await confirmedPlan([
      { name: 'Gil Ortega', email: 'gil@x.test', feedback: { reasonCategory: 'skills_gap', areasToImprove: ['Too old for this fast team'] } },
    ]);
    await ctx.deps.messages.renderPlan(planId);
    const gil = messages['Gil Ortega']!;
    expect((await get(`/v1/messages/${gil}`)).body.severity).toBe('block');
    const edited = await request(ctx.app.server)
      .patch(`/v1/messages/${gil}`)
      .set(bearer(writer))
      .send({ contentVersion: 1, subject: 'Your application with us', feedback: { reasonCategory: 'skills_gap', areasToImprove: ['Depth in distributed tracing'] } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      contentVersion: 2,
      status: 'pending_approval',
      severity: null,
      subject: 'Your application with us',
      authoredBy: expect.stringMatching(/^api_key:/),
    });
    expect(edited.body.text).toContain('Depth in distributed tracing');

    const approved = await post(`/v1/messages/${gil}/approve`, { contentVersion: 2 }, approver);
    expect(approved.body.status).toBe('approved');
    expect(new Date(approved.body.sendAt).getTime()).toBeGreaterThanOrEqual(new Date(approved.body.approvedAt).getTime() + 15 * 60_000);
    // Editing after approval takes the approval back.
    const again = await request(ctx.app.server).patch(`/v1/messages/${gil}`).set(bearer(writer)).send({ contentVersion: 2, subject: null });
    expect(again.body).toMatchObject({ contentVersion: 3, status: 'pending_approval', approvedAt: null, sendAt: null, customSubject: null });
    const stale = await request(ctx.app.server).patch(`/v1/messages/${gil}`).set(bearer(writer)).send({ contentVersion: 2, subject: 'x' });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('message_changed');
  });

  it('honour four-eyes: whoever confirmed or edited may not approve', async () => {
    await request(ctx.app.server).patch('/v1/organization').set(bearer(org.adminKey)).send({ fourEyesApproval: true });
    try {
      const both = await org.key(['read', 'write', 'approve']);
      const req = (await post('/v1/requisitions', { title: 'Four eyes' }, both)).body;
      const ids = [];
      for (const name of ['Hire Me', 'Hana Kim']) {
        const c = (await post('/v1/candidates', { name, emails: [`${name.split(' ')[0]!.toLowerCase()}@4eyes.test`] }, both)).body;
        ids.push((await post('/v1/applications', { candidate: { id: c.id }, requisition: { id: req.id } }, both)).body.id);
      }
      const plan = (await post(`/v1/requisitions/${req.id}/plans`, { chosen: [{ applicationId: ids[0] }], targets: { mode: 'all_others_active' } }, both)).body;
      const confirmation = (await post(`/v1/plans/${plan.id}/confirm`, { digest: plan.digest, chosenApplicationIds: [ids[0]] }, both)).body;
      await ctx.deps.messages.renderPlan(plan.id);
      const id = confirmation.messages[0].id;
      const self = await post(`/v1/messages/${id}/approve`, { contentVersion: 1 }, both);
      expect(self.status).toBe(403);
      expect(self.body.code).toBe('four_eyes');
      // Whoever edits becomes an author too; the confirmer stays one.
      const editor = await org.key(['read', 'write', 'approve']);
      await request(ctx.app.server).patch(`/v1/messages/${id}`).set(bearer(editor)).send({ contentVersion: 1, subject: 'About your application' });
      expect((await post(`/v1/messages/${id}/approve`, { contentVersion: 2 }, editor)).body.code).toBe('four_eyes');
      expect((await post(`/v1/messages/${id}/approve`, { contentVersion: 2 }, both)).body.code).toBe('four_eyes');
      expect((await post(`/v1/messages/${id}/approve`, { contentVersion: 2 }, approver)).status).toBe(200);
    } finally {
      await request(ctx.app.server).patch('/v1/organization').set(bearer(org.adminKey)).send({ fourEyesApproval: false });
    }
  });

  it('approve many, each on its own', async () => {
    const { planId, messages } = await confirmedPlan([
      { name: 'Ida Berg', email: 'ida@x.test' },
      { name: 'Jon Falk', email: 'jon@x.test' },
    ]);
    await ctx.deps.messages.renderPlan(planId);
    const res = await post(
      '/v1/message-approvals',
      {
        items: [
          { id: messages['Ida Berg'], contentVersion: 1 },
          { id: messages['Jon Falk'], contentVersion: 7 },
        ],
      },
      approver,
    );
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { id: messages['Ida Berg'], status: 'approved', sendAt: expect.any(String), error: null },
      { id: messages['Jon Falk'], status: null, sendAt: null, error: { code: 'message_changed', detail: expect.any(String) } },
    ]);
  });

  it('refuse a content version past the column’s range (int4) with 400, on approve, edit and approve many', async () => {
    const { planId, messages } = await confirmedPlan([{ name: 'Kai Lund', email: 'kai@x.test' }]);
    await ctx.deps.messages.renderPlan(planId);
    const kai = messages['Kai Lund']!;
    const tooBig = 2 ** 31;
    const answers = [
      await post(`/v1/messages/${kai}/approve`, { contentVersion: tooBig }, approver),
      await request(ctx.app.server).patch(`/v1/messages/${kai}`).set(bearer(writer)).send({ contentVersion: tooBig, subject: 'Hello' }),
      await post('/v1/message-approvals', { items: [{ id: kai, contentVersion: tooBig }] }, approver),
    ];
    expect(answers.map((r) => [r.status, r.body.code, r.body.errors?.[0]?.path])).toEqual([
      [400, 'validation_failed', 'body.contentVersion'],
      [400, 'validation_failed', 'body.contentVersion'],
      [400, 'validation_failed', 'body.items.0.contentVersion'],
    ]);
    // The largest int4 is a version like any other: stale, not an error.
    expect((await post(`/v1/messages/${kai}/approve`, { contentVersion: tooBig - 1 }, approver)).body.code).toBe('message_changed');
    expect((await get(`/v1/messages/${kai}`)).body).toMatchObject({ status: 'pending_approval', contentVersion: 1 });
  });

  it('refuse send-policy settings that make no sense', async () => {
    const res = await request(ctx.app.server).patch('/v1/organization').set(bearer(org.adminKey)).send({ sendHourStart: 19 });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('body.sendHourEnd');
  });

  it('only ever make legal transitions (property: random action sequences)', async () => {
    type Action = 'approve' | 'approve_stale' | 'edit' | 'edit_stale' | 'cancel' | 'recall';
    const actor = { organizationId: org.id, actor: 'api_key:property', requestId: 'property' };
    const scopes = ['read', 'write', 'approve'] as const;
    // The model is the state table itself: what it allows happens, nothing else does.
    const next: Record<Action, (status: MessageStatus) => MessageStatus | null> = {
      approve: (s) => (canTransition(s, 'approve') ? 'approved' : null),
      approve_stale: () => null,
      edit: (s) => (canTransition(s, 'edit') ? 'pending_approval' : null),
      edit_stale: () => null,
      cancel: (s) => (canTransition(s, 'cancel') ? 'cancelled' : null),
      recall: (s) => (canTransition(s, 'recall') ? 'recalled' : null),
    };
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom<Action>('approve', 'approve_stale', 'edit', 'edit_stale', 'cancel', 'recall'), { maxLength: 12 }), async (actions) => {
        const { planId, messages } = await confirmedPlan([{ name: 'Prop Erty', email: `prop${Math.random()}@x.test` }]);
        await ctx.deps.messages.renderPlan(planId);
        const id = messages['Prop Erty']!;
        let model: { status: MessageStatus; version: number } = { status: 'pending_approval', version: 1 };
        for (const action of actions) {
          const version = action.endsWith('_stale') ? model.version + 5 : model.version;
          const run = {
            approve: () => ctx.deps.messages.approve(actor, scopes, { id, contentVersion: version }),
            approve_stale: () => ctx.deps.messages.approve(actor, scopes, { id, contentVersion: version }),
            edit: () => ctx.deps.messages.edit(actor, id, { contentVersion: version, subject: `Edited ${version}` }),
            edit_stale: () => ctx.deps.messages.edit(actor, id, { contentVersion: version, subject: 'stale' }),
            cancel: () => ctx.deps.messages.cancel(actor, id),
            recall: () => ctx.deps.messages.recall(actor, id),
          }[action];
          const expected = next[action](model.status);
          const outcome = await run().then(
            () => 'ok',
            (error: { code?: string }) => error.code,
          );
          if (expected === null) {
            expect(outcome, `${action} from ${model.status}`).toMatch(/^message_(state|changed)$/);
          } else {
            expect(outcome, `${action} from ${model.status}`).toBe('ok');
            model = { status: expected, version: action === 'edit' ? model.version + 1 : model.version };
          }
          const row = await ctx.deps.db.message.findUniqueOrThrow({ where: { id } });
          expect({ status: row.status, version: row.contentVersion }).toEqual(model);
          // Approved means someone, at some time, with a send time; nothing else carries one.
          expect(row.status === 'approved').toBe(row.approvedBy !== null && row.sendAt !== null);
        }
      }),
      { numRuns: 20 },
    );
  }, 120_000);

  it('are invisible to other organizations', async () => {
    const { messages } = await confirmedPlan([{ name: 'Eve Lund', email: 'eve@x.test' }]);
    const stranger = await createOrganization(ctx.deps);
    expect((await get(`/v1/messages/${messages['Eve Lund']}`, stranger.adminKey)).status).toBe(404);
    expect((await post(`/v1/messages/${messages['Eve Lund']}/cancel`, {}, stranger.adminKey)).status).toBe(404);
  });
});
