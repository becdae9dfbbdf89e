// The render job reads, renders and stores drafts a page at a time: the same messages, field for field,
// as rendering and storing them one at a time; and a job interrupted mid-way renders each draft
// once when it runs again.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMessagesService, type MessagesServiceDeps } from '../../src/modules/messages/messages.service.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';

let ctx: TestContext;
let org: TestOrganization;
let writer: string;

beforeAll(async () => {
  ctx = await createTestContext();
  org = await createOrganization(ctx.deps);
  writer = await org.key(['read', 'write']);
});
afterAll(() => ctx.close());

const post = (path: string, body: object) => request(ctx.app.server).post(path).set(bearer(writer)).send(body);
const at = new Date('2026-11-02T09:30:00.000Z');
const service = (options: Partial<MessagesServiceDeps> = {}) =>
  createMessagesService({
    db: ctx.deps.db,
    templates: ctx.deps.templates,
    publicBaseUrl: ctx.config.PUBLIC_BASE_URL,
    linkSecret: ctx.config.ENCRYPTION_KEY,
    now: () => at,
    ...options,
  });

const people = [
  { name: 'Camille Petit', locale: 'fr-FR', feedback: { reasonCategory: 'experience_level', strengths: ['Une démarche de test exemplaire'] } },
  { name: 'Jordan Blake', feedback: { reasonCategory: 'experience_level', areasToImprove: ['You seemed overqualified for this team'] } },
  { name: 'Priya Raman', feedback: { reasonCategory: 'skills_gap', strengths: ['A careful reading of the incident review we gave you'] } },
  { name: 'Tom Weber', feedback: { reasonCategory: 'skills_gap', personalNote: 'Unlike Priya Raman, you did not finish the exercise.' } },
  { name: 'Ana Souza', locale: 'de-DE' },
  { name: 'Lee Park' },
];

let round = 0;
/** A confirmed plan over the people above (and a hire); `messageKind` without a template fails every render. */
async function confirmedPlan(messageKind?: string) {
  const r = ++round;
  const requisition = (await post('/v1/requisitions', { title: `Data Engineer ${r}`, hiringContact: { name: 'Rita Alves', email: 'rita@batch.test' } })).body;
  const apps: Record<string, string> = {};
  for (const person of [{ name: 'Hired Person' }, ...people]) {
    const email = `${person.name.split(' ')[0]!.toLowerCase()}.${r}@batch.test`;
    const candidate = (await post('/v1/candidates', { name: person.name, emails: [email], ...('locale' in person ? { locale: person.locale } : {}) })).body;
    apps[person.name] = (await post('/v1/applications', { candidate: { id: candidate.id }, requisition: { id: requisition.id } })).body.id;
  }
  const feedback = Object.fromEntries(people.flatMap((p) => ('feedback' in p ? [[apps[p.name]!, p.feedback]] : [])));
  const plan = (
    await post(`/v1/requisitions/${requisition.id}/plans`, {
      chosen: [{ applicationId: apps['Hired Person'] }],
      targets: { mode: 'all_others_active' },
      feedback,
      ...(messageKind ? { messageKind } : {}),
    })
  ).body;
  const confirmation = await post(`/v1/plans/${plan.id}/confirm`, { digest: plan.digest, chosenApplicationIds: [apps['Hired Person']] });
  expect(confirmation.status).toBe(200);
  return plan.id as string;
}

/** Every stored column of the plan's messages but the row's update time. */
async function stored(planId: string) {
  const rows = await ctx.deps.db.message.findMany({ where: { planId }, orderBy: { id: 'asc' } });
  return rows.map((row) => Object.fromEntries(Object.entries(row).filter(([column]) => column !== 'updatedAt')));
}

/** Back to the drafts the confirmation made (test-only: puts the rows back as they were). */
async function backToDrafts(planId: string) {
  await ctx.deps.db.$executeRaw`
    UPDATE messages SET status = 'draft', content_version = 0, locale = NULL, subject = NULL, html = NULL, text = NULL, template_version = NULL,
      formality = NULL, content_hash = NULL, lint = NULL, render_checks = NULL, severity = NULL, authored_by = NULL,
      feedback_token_hash = NULL, feedback_link_expires_at = NULL
    WHERE plan_id = ${planId}::uuid`;
}

describe('rendering a plan in chunks', () => {
  for (const [title, kind] of [
    ['renders', undefined],
    ['fails renders', 'rejection_custom_note'],
  ] as const) {
    it(`${title} exactly as one message at a time does, field for field`, async () => {
      const planId = await confirmedPlan(kind);
      expect(await service({ batchRender: false }).renderPlan(planId)).toEqual({ rendered: people.length });
      const oneByOne = await stored(planId);
      expect(oneByOne.every((m) => m.status === 'pending_approval' && m.contentVersion === 1)).toBe(true);
      if (kind) expect(oneByOne.every((m) => m.severity === 'block' && m.subject === null)).toBe(true);
      else expect(oneByOne.map((m) => m.severity)).toEqual(expect.arrayContaining([null, 'warn', 'block']));

      // Read and stored a page of drafts at a time: 4 (one full page and one partial), 1 (a page per draft).
      for (const renderChunk of [4, 1]) {
        await backToDrafts(planId);
        expect(await service({ renderChunk }).renderPlan(planId)).toEqual({ rendered: people.length });
        expect(await stored(planId)).toEqual(oneByOne);
      }
      expect(await service().renderPlan(planId)).toEqual({ rendered: 0 });
    });
  }

  it('stores what a chunk rendered before a transient failure, and the re-run renders each draft left once', async () => {
    const planId = await confirmedPlan();
    // The fourth message's render fails as a database hiccup would: chunk one (2) stored, then one more.
    let calls = 0;
    const flaky = service({
      renderChunk: 2,
      now: () => {
        if (++calls === 4) throw new Error('connection reset');
        return at;
      },
    });
    await expect(flaky.renderPlan(planId, { attemptsMade: 0, last: false })).rejects.toThrow('connection reset');
    const after = await stored(planId);
    expect(after.filter((m) => m.status === 'pending_approval')).toHaveLength(3);
    expect(after.filter((m) => m.status === 'draft')).toHaveLength(people.length - 3);

    expect(await service({ renderChunk: 2 }).renderPlan(planId)).toEqual({ rendered: people.length - 3 });
    expect(await service({ renderChunk: 2 }).renderPlan(planId)).toEqual({ rendered: 0 });
    const final = await stored(planId);
    expect(final.every((m) => m.status === 'pending_approval' && m.contentVersion === 1)).toBe(true);

    // The same as rendering the plan in one go.
    await backToDrafts(planId);
    await service({ batchRender: false }).renderPlan(planId);
    expect(await stored(planId)).toEqual(final);
  });
});
