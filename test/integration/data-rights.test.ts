// Candidates' data rights end to end, over HTTP: an export asked for on the page is confirmed by
// email and downloaded once through a short-lived link (the organization sees it delivered); a
// deletion is approved by an admin and erases the person, who is then never emailed again;
// requests carry due dates and the list shows the overdue ones; an organization may let
// erasures approve themselves after a wait.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataRightsService } from '../../src/modules/data-rights/data-rights.service.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { sql } from '../helpers/database.js';
import { setUpSending, startDelivery } from '../helpers/delivery.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';
import { sendRejections } from '../helpers/sent-messages.js';
import { waitFor } from '../helpers/wait.js';
import { startPostmarkServer, type PostmarkFake } from '../postmark/server.js';

let ctx: TestContext;
let fake: PostmarkFake;
let org: TestOrganization;
let delivery: Awaited<ReturnType<typeof startDelivery>>;

beforeAll(async () => {
  fake = await startPostmarkServer();
  ctx = await createTestContext({ OUTBOX_POLL_MS: '50', POSTMARK_API_URL: fake.url, PUBLIC_BASE_URL: 'http://localhost:3000', PAGE_RATE_LIMIT_PER_MINUTE: '100000' });
  org = await createOrganization(ctx.deps, 'Northwind Labs');
  await setUpSending(ctx, org);
  delivery = await startDelivery(ctx);
});
afterAll(async () => {
  await delivery?.stop();
  await ctx?.close();
  await fake?.close();
});

const api = () => request(ctx.app.server);
const admin = () => bearer(org.adminKey);
const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)![1]!;
async function ask(token: string, fields: Record<string, string>) {
  const csrf = csrfOf((await api().get(`/f/${token}`)).text);
  const posted = await api()
    .post(`/f/${token}/data-requests`)
    .type('form')
    .send({ csrf, ...fields });
  expect(posted.status).toBe(303);
}
const feedback = { reasonCategory: 'experience_level', strengths: ['Crisp incident write-up for Zebulon'], areasToImprove: ['Deeper Postgres tuning for Zebulon'] };

describe('data rights', () => {
  let sent: Awaited<ReturnType<typeof sendRejections>>;
  beforeAll(async () => {
    sent = await sendRejections(ctx, org, fake, [
      { name: 'Zebulon Krane', email: 'zebulon.krane@x.test', locale: 'fr', feedback },
      { name: 'Odile Ferrant', email: 'odile.ferrant@x.test', feedback },
    ]);
  });

  it('exports the person after they confirm by email, through a short-lived link, and the organization sees it delivered', async () => {
    const zebulon = sent['Zebulon Krane']!;
    await ask(zebulon.token, { kind: 'export' });
    const [pending] = (await api().get('/v1/data-requests?kind=export').set(admin())).body.data;
    // Named, so a list of them needs no request per row.
    expect(pending).toMatchObject({ status: 'pending', overdue: false, confirmationSentAt: null, candidateName: 'Zebulon Krane' });
    expect(new Date(pending.dueAt).getTime() - new Date(pending.createdAt).getTime()).toBeGreaterThanOrEqual(28 * 86_400_000);

    expect(await ctx.deps.dataRights.sendConfirmations()).toBe(1);
    const email = fake.messages().find((m) => m.Tag === 'data-export-confirmation')!;
    expect(email.To).toBe('zebulon.krane@x.test');
    expect(email.Subject).toContain('Confirmez');
    const link = /\/f\/export\/([A-Za-z0-9_-]{43})/.exec(email.TextBody ?? '')![1]!;

    // Opening the link confirms nothing (mail scanners follow links); the button does.
    const confirmPage = await api().get(`/f/export/${link}`);
    expect(confirmPage.status).toBe(200);
    expect(confirmPage.text).toContain('<html lang="fr"');
    expect((await api().get('/v1/data-requests?kind=export').set(admin())).body.data[0].confirmedAt).toBeNull();
    const ready = await api().post(`/f/export/${link}`);
    expect(ready.status).toBe(200);
    const download = /\/f\/export\/download\/([A-Za-z0-9_-]{43})\/json/.exec(ready.text)![1]!;

    const json = await api().get(`/f/export/download/${download}/json`);
    expect(json.status).toBe(200);
    expect(json.headers['content-disposition']).toContain('attachment');
    const bundle = JSON.parse(json.text);
    expect(bundle.candidates.map((c: { id: string }) => c.id)).toEqual([zebulon.candidateId]);
    expect(bundle.messages[0]).toMatchObject({ id: zebulon.messageId, recipientEmail: 'zebulon.krane@x.test' });
    expect(bundle.dataRequests).toHaveLength(1);
    expect(json.text).not.toContain('Odile');
    const readable = await api().get(`/f/export/download/${download}/html`);
    expect(readable.text).toContain('Vos données');
    expect(readable.text).toContain('Crisp incident write-up for Zebulon');

    const done = (await api().get('/v1/data-requests?kind=export').set(admin())).body.data[0];
    expect(done).toMatchObject({ status: 'completed', completedBy: 'candidate' });
    expect(done.deliveredAt).not.toBeNull();
    const audit = (await api().get('/v1/audit-events?action=data_request.export_delivered').set(admin())).body.data;
    expect(audit).toHaveLength(1);
    // A made-up link is the unavailable page.
    expect((await api().get(`/f/export/download/${'x'.repeat(43)}/json`)).status).toBe(404);
  });

  it('lists overdue requests: pending past their due date', async () => {
    const odile = sent['Odile Ferrant']!;
    await ask(odile.token, { kind: 'deletion', confirm: 'yes' });
    expect((await api().get('/v1/data-requests?overdue=true').set(admin())).body.data).toHaveLength(0);
    await sql(ctx.database.url, "UPDATE data_requests SET due_at = now() - interval '1 day' WHERE kind = 'deletion'");
    const overdue = (await api().get('/v1/data-requests?overdue=true').set(admin())).body.data;
    expect(overdue).toHaveLength(1);
    expect(overdue[0]).toMatchObject({ kind: 'deletion', overdue: true });
    expect((await api().get(`/v1/data-requests?dueBefore=${new Date().toISOString()}`).set(admin())).body.data).toHaveLength(1);
    // What a reminder reads, across organizations: due within a week, overdue included.
    expect((await ctx.deps.dataRights.dueSoon(7 * 86_400_000)).map((r) => r.kind)).toEqual(['deletion']);
  });

  it('erases on an admin’s approval: the page stops working, the ATS is told, and the address is never emailed again', async () => {
    const odile = sent['Odile Ferrant']!;
    const [request] = (await api().get('/v1/data-requests?kind=deletion').set(admin())).body.data;
    const approved = await api().post(`/v1/data-requests/${request.id}/approve`).set(admin()).send({});
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'completed', approvedBy: expect.stringMatching(/^api_key:/) });
    expect(approved.body.report).toMatchObject({ candidates: 1, candidateEmails: 1 });
    expect((await api().post(`/v1/data-requests/${request.id}/approve`).set(admin()).send({})).status).toBe(409);
    expect((await api().get(`/f/${odile.token}`)).status).toBe(404);
    const [row] = await sql(ctx.database.url, 'SELECT name, erased_at FROM candidates WHERE id = $1', [odile.candidateId]);
    expect(row).toMatchObject({ name: '[erased]' });
    const events = await sql(ctx.database.url, "SELECT payload FROM webhook_events WHERE type = 'candidate.erased'");
    expect(events.length).toBeLessThanOrEqual(1);
    const suppressions = await sql(ctx.database.url, 'SELECT email FROM suppressions WHERE organization_id = $1', [org.id]);
    expect(suppressions.map((s) => s.email).join()).not.toContain('odile');

    // Added again (by the ATS, say), the address is refused: the plan warns, the sender holds.
    const again = await api()
      .post('/v1/candidates')
      .set(admin())
      .send({ name: 'O. F.', emails: ['Odile.Ferrant@x.test'] });
    const requisition = await api().post('/v1/requisitions').set(admin()).send({ title: 'Data Engineer' });
    const hired = await api()
      .post('/v1/candidates')
      .set(admin())
      .send({ name: 'Someone Else', emails: ['someone@x.test'] });
    const hiredApp = await api()
      .post('/v1/applications')
      .set(admin())
      .send({ candidate: { id: hired.body.id }, requisition: { id: requisition.body.id } });
    await api()
      .post('/v1/applications')
      .set(admin())
      .send({ candidate: { id: again.body.id }, requisition: { id: requisition.body.id } });
    const plan = await api()
      .post(`/v1/requisitions/${requisition.body.id}/plans`)
      .set(admin())
      .send({ chosen: [{ applicationId: hiredApp.body.id }], targets: { mode: 'all_others_active' } });
    expect(JSON.stringify(plan.body)).toContain('suppressed_recipient');
  });

  it('asks a talent-pool member to renew their consent before it ends, once, and records the renewal as they saw it', async () => {
    const member = await sendRejections(ctx, org, fake, [
      { name: 'Yara Lindqvist', email: 'yara.lindqvist@x.test', locale: 'de', feedback: { ...feedback, nextSteps: { talentPoolInvite: true } } },
    ]);
    const { token, candidateId } = member['Yara Lindqvist']!;
    const csrf = csrfOf((await api().get(`/f/${token}`)).text);
    expect((await api().post(`/f/${token}/talent-pool`).type('form').send({ csrf, action: 'join', locale: 'de' })).status).toBe(303);

    const sent: { to: string; text: string }[] = [];
    const at = (days: number) =>
      createDataRightsService({
        db: ctx.deps.db,
        sealer: ctx.deps.sealer,
        mailer: { send: async (_org, email) => void sent.push({ to: email.to, text: email.text }) },
        logger: { warn: () => undefined },
        settings: { publicBaseUrl: 'http://localhost:3000', downloadLinkMs: 60_000 },
        now: () => new Date(Date.now() + days * 86_400_000),
      });
    // Two years (the default) less 40 days: not yet; less 20 days: asked, once.
    expect(await at(730 - 40).sendRenewals()).toBe(0);
    expect(await at(730 - 20).sendRenewals()).toBe(1);
    expect(await at(730 - 19).sendRenewals()).toBe(0);
    expect(sent[0]!.to).toBe('yara.lindqvist@x.test');
    const renewal = /\/f\/talent-pool\/renew\/([A-Za-z0-9_-]{43})/.exec(sent[0]!.text)![1]!;
    const shown = await api().get(`/f/talent-pool/renew/${renewal}`);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('<html lang="de"');
    // Renewed on the day it was asked for (the clock of that day), then the link is spent.
    expect(await at(730 - 20).renew(renewal)).toEqual({ locale: 'de', formality: 'formal' });
    expect((await api().post(`/f/talent-pool/renew/${renewal}`)).status).toBe(404);
    const consents = await sql(ctx.database.url, "SELECT text, locale FROM talent_pool_consents WHERE candidate_id = $1 AND action = 'join' ORDER BY id", [candidateId]);
    expect(consents).toHaveLength(2);
    expect(consents[1]).toEqual(consents[0]);
    // Renewed: still a member when the first consent would have ended.
    await at(731).retention();
    expect((await sql(ctx.database.url, 'SELECT talent_pool_member FROM candidates WHERE id = $1', [candidateId]))[0]!.talent_pool_member).toBe(true);
  });

  it('asks for the renewal in the register of the member’s message, je in Dutch, whatever the organization chose since', async () => {
    const setDutch = async (formality: string) =>
      expect(
        (
          await api()
            .patch('/v1/organization')
            .set(admin())
            .send({ formality: { nl: formality } })
        ).status,
      ).toBe(200);
    await setDutch('informal');
    let token: string;
    try {
      token = (
        await sendRejections(ctx, org, fake, [
          { name: 'Fleur Bakker', email: 'fleur.bakker@x.test', locale: 'nl', feedback: { ...feedback, nextSteps: { talentPoolInvite: true } } },
        ])
      )['Fleur Bakker']!.token;
    } finally {
      await setDutch('formal');
    }
    const csrf = csrfOf((await api().get(`/f/${token}`)).text);
    expect((await api().post(`/f/${token}/talent-pool`).type('form').send({ csrf, action: 'join', locale: 'nl' })).status).toBe(303);

    const sent: { to: string; subject: string; text: string }[] = [];
    const renewals = createDataRightsService({
      db: ctx.deps.db,
      sealer: ctx.deps.sealer,
      mailer: { send: async (_org, email) => void sent.push({ to: email.to, subject: email.subject, text: email.text }) },
      logger: { warn: () => undefined },
      settings: { publicBaseUrl: 'http://localhost:3000', downloadLinkMs: 60_000 },
      now: () => new Date(Date.now() + (730 - 20) * 86_400_000),
    });
    await renewals.sendRenewals();
    const email = sent.find((e) => e.to === 'fleur.bakker@x.test')!;
    const formalYou = /(^|[^\p{L}])(u|uw|hebt u|wilt u)(?=$|[^\p{L}])/iu;
    // The words, not the links: a link's random token can hold a "u" between two non-letters ("/U1…").
    const words = (text: string) => text.replace(/(https?:\/\/|\/f\/)[^\s"'<>]+/g, ' ');
    expect(email.text).toContain('Je hebt Northwind Labs gevraagd je in gedachten te houden');
    expect(words(`${email.subject}\n${email.text}`)).not.toMatch(formalYou);

    const renewal = /\/f\/talent-pool\/renew\/([A-Za-z0-9_-]{43})/.exec(email.text)![1]!;
    const shown = (await api().get(`/f/talent-pool/renew/${renewal}`)).text;
    expect(shown).toContain('<h1>Je toestemming voor de talentpool</h1>');
    expect(shown).toContain('ga je opnieuw akkoord');
    const renewed = await api().post(`/f/talent-pool/renew/${renewal}`);
    expect(renewed.status).toBe(200);
    expect(renewed.text).toContain('Dank je wel: je toestemming is verlengd.');
    expect(words(renewed.text)).not.toMatch(formalYou);
  });

  it('approves an erasure by itself after the organization’s wait', async () => {
    const other = await sendRejections(ctx, org, fake, [{ name: 'Xavier Quill', email: 'xavier.quill@x.test' }]);
    await ask(other['Xavier Quill']!.token, { kind: 'deletion', confirm: 'yes' });
    expect(await ctx.deps.dataRights.autoApprove()).toBe(0);
    const patched = await api().patch('/v1/organization/data-rights').set(admin()).send({ erasureAutoApproveDays: 3 });
    expect(patched.body).toMatchObject({ erasureAutoApproveDays: 3, dataRetentionMonths: 6, talentPoolConsentMonths: 24 });
    const later = createDataRightsService({
      db: ctx.deps.db,
      sealer: ctx.deps.sealer,
      mailer: { send: async () => undefined },
      logger: { warn: () => undefined },
      settings: { publicBaseUrl: 'http://localhost:3000', downloadLinkMs: 60_000 },
      now: () => new Date(Date.now() + 4 * 86_400_000),
    });
    expect(await later.autoApprove()).toBe(1);
    const erased = await waitFor(
      () => sql(ctx.database.url, 'SELECT erased_at FROM candidates WHERE id = $1', [other['Xavier Quill']!.candidateId]),
      (rows) => rows[0]?.erased_at !== null,
      { what: 'Xavier to be erased' },
    );
    expect(erased).toHaveLength(1);
    const [approved] = (await api().get('/v1/data-requests?kind=deletion&status=completed').set(admin())).body.data.filter(
      (r: { candidateId: string }) => r.candidateId === other['Xavier Quill']!.candidateId,
    );
    expect(approved).toMatchObject({ approvedBy: 'system' });
  });
});
