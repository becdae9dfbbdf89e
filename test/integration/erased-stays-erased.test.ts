// An erased candidate stays erased: whoever sends the record again (an API client, a bulk import,
// an ATS webhook) gets nothing written back — no name, address, link or application — and the
// API says why (409 candidate_erased, naming the field). An ATS event about the erased person's
// existing application is still applied (the decision), without taking what it says about them.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { greenhouseSignatureHeader } from '../../src/modules/webhook-signatures/greenhouse.js';
import { atsFixture as fixture, atsInbound } from '../helpers/ats-inbound.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { sql } from '../helpers/database.js';
import { startDelivery } from '../helpers/delivery.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';

let ctx: TestContext;
let org: TestOrganization;
let delivery: Awaited<ReturnType<typeof startDelivery>>;

beforeAll(async () => {
  ctx = await createTestContext({ OUTBOX_POLL_MS: '20' });
  org = await createOrganization(ctx.deps);
  delivery = await startDelivery(ctx);
});
afterAll(async () => {
  await delivery?.stop();
  await ctx?.close();
});

const api = () => request(ctx.app.server);
const post = (path: string, body: object) => api().post(path).set(bearer(org.adminKey)).send(body);

/** A candidate from Greenhouse with an application, then erased. */
async function erasedCandidate(n: number) {
  const requisition = await post('/v1/requisitions', { title: 'Platform Engineer', externalIds: [{ source: 'greenhouse', id: `70${n}` }] });
  const candidate = await post('/v1/candidates', { name: `Ada ${n}`, emails: [`ada.${n}@x.test`], externalIds: [{ source: 'greenhouse', id: `80${n}` }] });
  const application = await post('/v1/applications', {
    candidate: { id: candidate.body.id },
    requisition: { id: requisition.body.id },
    stage: 'Onsite',
    externalIds: [{ source: 'greenhouse', id: `90${n}` }],
  });
  expect([requisition.status, candidate.status, application.status]).toEqual([201, 201, 201]);
  await ctx.deps.dataRights.erase({ organizationId: org.id, actor: 'cli' }, candidate.body.id);
  return { candidateId: candidate.body.id as string, applicationId: application.body.id as string, requisitionId: requisition.body.id as string };
}

/** What Hearback holds about the record: nothing but the pseudonymised row. */
async function held(candidateId: string) {
  const [row] = await sql<{ name: string; phone: string | null; erased: boolean }>(
    ctx.database.url,
    'SELECT name, phone, erased_at IS NOT NULL AS erased FROM candidates WHERE id = $1',
    [candidateId],
  );
  const emails = await sql(ctx.database.url, 'SELECT address FROM candidate_emails WHERE candidate_id = $1', [candidateId]);
  const links = await sql(ctx.database.url, 'SELECT 1 FROM identity_links WHERE candidate_id = $1 OR linked_candidate_id = $1', [candidateId]);
  const applications = await sql<{ stage: string | null }>(ctx.database.url, 'SELECT stage FROM applications WHERE candidate_id = $1', [candidateId]);
  return { ...row, emails: emails.length, links: links.length, applications: applications.map((a) => a.stage) };
}
const erasedState = { name: '[erased]', phone: null, erased: true, emails: 0, links: 0, applications: [null] };

describe('an erased candidate', () => {
  it('is never written again through the API: 409 candidate_erased naming the field, nothing stored', async () => {
    const { candidateId, requisitionId } = await erasedCandidate(1);
    expect(await held(candidateId)).toEqual(erasedState);

    const upsert = await post('/v1/candidates', { name: 'Ada Again', emails: ['ada.1@x.test'], phone: '+33612345678', externalIds: [{ source: 'greenhouse', id: '801' }] });
    expect(upsert.status).toBe(409);
    expect(upsert.headers['content-type']).toMatch(/problem\+json/);
    expect(upsert.body).toMatchObject({ code: 'candidate_erased', errors: [{ path: 'body.externalIds' }] });

    const patch = await api().patch(`/v1/candidates/${candidateId}`).set(bearer(org.adminKey)).send({ name: 'Ada Again' });
    expect(patch.status).toBe(409);
    expect(patch.body).toMatchObject({ code: 'candidate_erased', errors: [{ path: 'params.id' }] });

    const other = await post('/v1/candidates', { name: 'Someone', emails: ['someone.1@x.test'] });
    const link = await post(`/v1/candidates/${other.body.id}/links`, { candidateId, source: 'greenhouse' });
    expect(link.status).toBe(409);
    expect(link.body).toMatchObject({ code: 'candidate_erased', errors: [{ path: 'body.candidateId' }] });

    const otherRequisition = await post('/v1/requisitions', { title: 'Data Engineer' });
    const application = await post('/v1/applications', { candidate: { id: candidateId }, requisition: { id: otherRequisition.body.id }, stage: 'Screen' });
    expect(application.status).toBe(409);
    expect(application.body).toMatchObject({ code: 'candidate_erased', errors: [{ path: 'body.candidate' }] });

    // A bulk import naming them among others: refused whole, with the record's path; nothing written.
    const candidatesBefore = await sql(ctx.database.url, 'SELECT id FROM candidates WHERE organization_id = $1', [org.id]);
    const bulk = await post('/v1/bulk-upserts', {
      candidates: [
        { name: 'New Person', emails: ['new.person@x.test'], externalIds: [{ source: 'greenhouse', id: 'new-1' }] },
        { name: 'Ada Again', emails: ['ada.1@x.test'], externalIds: [{ source: 'greenhouse', id: '801' }] },
      ],
      applications: [{ candidate: { source: 'greenhouse', externalId: '801' }, requisition: { id: requisitionId }, stage: 'Offer' }],
    });
    expect(bulk.status).toBe(409);
    expect(bulk.body).toMatchObject({ code: 'candidate_erased', errors: [{ path: 'body.candidates.1.externalIds' }] });
    expect(await sql(ctx.database.url, 'SELECT id FROM candidates WHERE organization_id = $1', [org.id])).toHaveLength(candidatesBefore.length);
    // Applications alone naming them, by external id: the set-based path hands over, the record's path is named.
    const apps = await post('/v1/bulk-upserts', { applications: [{ candidate: { source: 'greenhouse', externalId: '801' }, requisition: { id: requisitionId }, stage: 'Offer' }] });
    expect(apps.status).toBe(409);
    expect(apps.body).toMatchObject({ code: 'candidate_erased', errors: [{ path: 'body.applications.0.candidate' }] });

    expect(await held(candidateId)).toEqual(erasedState);
  });

  it('takes nothing about them from an ATS webhook, and still applies the event to their application', async () => {
    const { candidateId, applicationId } = await erasedCandidate(2);
    const inbound = atsInbound(ctx, org);
    const gh = await inbound.connect('greenhouse');
    const send = (action: 'hire_candidate' | 'reject_candidate', ids: { application: number; job: number }, eventId: string) => {
      const body = fixture(`greenhouse/${action}.json`);
      const app = body.payload.application;
      app.id = ids.application;
      app.candidate.id = 802;
      app.candidate.first_name = 'Ada';
      app.candidate.last_name = 'Returned';
      app.candidate.email_addresses = [{ value: 'ada.2@x.test', type: 'personal' }];
      app.jobs = [{ ...app.jobs[0], id: ids.job, name: 'Platform Engineer' }];
      delete app.job;
      const raw = JSON.stringify(body);
      return api().post(gh.url).set('content-type', 'application/json').set('signature', greenhouseSignatureHeader(raw, gh.secret)).set('greenhouse-event-id', eventId).send(raw);
    };

    // Their existing application is hired in Greenhouse: the hire is recorded, the person is not refilled.
    expect((await send('hire_candidate', { application: 902, job: 702 }, 'evt-hire')).status).toBe(202);
    await inbound.settled(gh.id, 1);
    // A new application of theirs: nothing is made.
    expect((await send('reject_candidate', { application: 912, job: 712 }, 'evt-new')).status).toBe(202);
    await inbound.settled(gh.id, 2);

    const [hire, fresh] = await inbound.deliveries(gh.id);
    expect(hire).toMatchObject({ status: 'processed', outcome: expect.stringContaining(`recorded hire on application ${applicationId}`) });
    expect(fresh).toMatchObject({ status: 'ignored', outcome: expect.stringContaining('was erased in Hearback') });
    expect((await api().get(`/v1/applications/${applicationId}`).set(bearer(org.adminKey))).body.status).toBe('hired');
    expect(await held(candidateId)).toEqual(erasedState);
    expect(await sql(ctx.database.url, "SELECT 1 FROM candidates WHERE organization_id = $1 AND name LIKE '%Returned%'", [org.id])).toEqual([]);
  });
});
