// One-off emails to candidates, each exactly once and in their language: the answer to their
// question (with the link back to their page, whatever Postmark or the worker does meanwhile),
// and the acknowledgement of a new application when the organization or requisition wants one.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transactionalRepository } from '../../src/modules/delivery/transactional.repository.js';
import { METADATA_MESSAGE_ID } from '../../src/email/postmark.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { sql } from '../helpers/database.js';
import { setUpSending, startDelivery } from '../helpers/delivery.js';
import { registerMarkers } from '../helpers/registers.js';
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
  ctx = await createTestContext({
    OUTBOX_POLL_MS: '50',
    POSTMARK_API_URL: fake.url,
    PUBLIC_BASE_URL: 'http://localhost:3000',
    PAGE_RATE_LIMIT_PER_MINUTE: '100000',
    DELIVERY_RETRY_BASE_MS: '10',
    DELIVERY_RECONCILE_DELAY_MS: '0',
    DELIVERY_STALE_MS: '500',
  });
  org = await createOrganization(ctx.deps, 'Northwind Labs');
  await setUpSending(ctx, org);
  delivery = await startDelivery(ctx, 100);
});
afterAll(async () => {
  await delivery?.stop();
  await ctx?.close();
  await fake?.close();
});

const api = () => request(ctx.app.server);
const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)![1]!;

/** The candidate asks on their page; returns the question's id. */
async function ask(token: string, question: string): Promise<string> {
  const page = await api().get(`/f/${token}`);
  const asked = await api()
    .post(`/f/${token}/questions`)
    .type('form')
    .send({ csrf: csrfOf(page.text), question });
  expect(asked.status).toBe(303);
  const open = (await api().get('/v1/questions?status=open').set(bearer(org.adminKey))).body.data as { id: string; question: string }[];
  return open.find((q) => q.question === question)!.id;
}

/** Sets the organization's register for one language. */
const setRegister = async (language: 'de' | 'fr', formality: 'formal' | 'informal') =>
  expect(
    (
      await api()
        .patch('/v1/organization')
        .set(bearer(org.adminKey))
        .send({ formality: { [language]: formality } })
    ).status,
  ).toBe(200);

const answerEmails = (to: string) => fake.messages().filter((m) => m.Tag === 'question-answered' && m.To.includes(to));
const questionView = async (id: string) =>
  ((await api().get('/v1/questions?status=answered').set(bearer(org.adminKey))).body.data as { id: string; answerEmail: { status: string } | null }[]).find((q) => q.id === id);

describe('the answer email', () => {
  let sent: Awaited<ReturnType<typeof sendRejections>>;
  beforeAll(async () => {
    sent = await sendRejections(ctx, org, fake, [
      { name: 'Camille Petit', email: 'camille@x.test', locale: 'fr-FR' },
      { name: 'Ana Costa', email: 'ana@x.test' },
      { name: 'Lee Park', email: 'lee@x.test' },
      { name: 'Sam Roe', email: 'sam@x.test' },
    ]);
  });

  it('reaches the candidate once, in their language, with the way back to their page', async () => {
    const id = await ask(sent['Camille Petit']!.token, 'Quels sujets dois-je approfondir ?');
    const answered = await api().post(`/v1/questions/${id}/answer`).set(bearer(org.adminKey)).send({ answer: 'Les opérateurs & <CRDs>.\n\nPuis les mises à jour.' });
    expect(answered.status).toBe(200);
    expect(answered.body.answerEmail).toEqual({ status: 'pending', sentAt: null, failureCode: null });
    expect((await api().post(`/v1/questions/${id}/answer`).set(bearer(org.adminKey)).send({ answer: 'Encore' })).status).toBe(409);

    const [email] = await waitFor(
      () => answerEmails('camille@x.test'),
      (found) => found.length > 0,
      { what: 'the answer email', progress: () => fake.messages().length },
    );
    expect(email!.To).toBe('"Camille Petit" <camille@x.test>');
    expect(email!.Subject).toContain('notre réponse');
    expect(email!.TextBody).toContain('Bonjour Camille,');
    expect(email!.TextBody).toContain('Les opérateurs & <CRDs>.');
    expect(email!.HtmlBody).toContain('Les opérateurs &amp; &lt;CRDs&gt;.');
    expect(email!.HtmlBody).not.toContain('<CRDs>');
    // The link is the candidate's own page, with the real token put in at send time.
    expect(email!.TextBody).toContain(`http://localhost:3000/f/${sent['Camille Petit']!.token}#questions`);
    expect(email!.TextBody).not.toContain('__HEARBACK');
    expect(email!.ReplyTo).toContain('rita@northwind.test');
    await waitFor(
      () => questionView(id),
      (q) => q?.answerEmail?.status === 'sent',
      { what: 'the question to show its answer email as sent' },
    );
    expect(answerEmails('camille@x.test')).toHaveLength(1);
  });

  it('keeps the register of the message it answers: tu, even after the organization went back to vous', async () => {
    await setRegister('fr', 'informal');
    let token: string;
    try {
      token = (await sendRejections(ctx, org, fake, [{ name: 'Léa Martin', email: 'lea@x.test', locale: 'fr' }]))['Léa Martin']!.token;
    } finally {
      await setRegister('fr', 'formal');
    }
    const id = await ask(token, 'Sur quoi dois-je progresser ?');
    expect((await api().post(`/v1/questions/${id}/answer`).set(bearer(org.adminKey)).send({ answer: 'Les tests de charge.' })).status).toBe(200);
    const [email] = await waitFor(
      () => answerEmails('lea@x.test'),
      (found) => found.length > 0,
      { what: 'the answer email', progress: () => fake.messages().length },
    );
    expect(email!.Subject).toContain('Ta question');
    expect(email!.TextBody).toContain('Tu nous as posé une question sur ta candidature');
    expect(`${email!.Subject}\n${email!.TextBody}`).not.toMatch(registerMarkers.fr.formal);
  });

  it('is sent once when Postmark took it but the answer was lost, and once after Postmark was unavailable', async () => {
    fake.faults.dropNext(1, { path: '/email/batch' });
    const dropped = await ask(sent['Ana Costa']!.token, 'What should I practise?');
    await api().post(`/v1/questions/${dropped}/answer`).set(bearer(org.adminKey)).send({ answer: 'Operators.' }).expect(200);
    await waitFor(
      () => questionView(dropped),
      (q) => q?.answerEmail?.status === 'sent',
      { what: 'the dropped answer to be found at Postmark' },
    );
    expect(answerEmails('ana@x.test')).toHaveLength(1);
    // It went through the search: the attempt's answer was lost, and nothing was sent again.
    const [ana] = await sql(ctx.database.url, 'SELECT attempts, failure_reason FROM transactional_emails WHERE subject_id = $1', [dropped]);
    expect(ana).toMatchObject({ attempts: 1, failure_reason: expect.any(String) });

    fake.faults.failNext(2, 503, { path: '/email/batch' });
    const refused = await ask(sent['Lee Park']!.token, 'Could I reapply later?');
    await api().post(`/v1/questions/${refused}/answer`).set(bearer(org.adminKey)).send({ answer: 'Yes, in six months.' }).expect(200);
    await waitFor(
      () => questionView(refused),
      (q) => q?.answerEmail?.status === 'sent',
      { what: 'the answer to be sent after two 503s' },
    );
    expect(answerEmails('lee@x.test')).toHaveLength(1);
  });

  it('is searched for, never sent twice, when a worker died while sending it', async () => {
    const messageId = sent['Sam Roe']!.messageId;
    const candidateId = sent['Sam Roe']!.candidateId;
    const base = {
      organizationId: org.id,
      candidateId,
      messageId,
      recipientEmail: 'sam@x.test',
      toHeader: 'Sam Roe <sam@x.test>',
      subject: 'Answer',
      html: '<p>Answer</p>',
      text: 'Answer',
      tag: 'question-answered',
    };
    // Died after Postmark accepted it: the email is there, with our id in its metadata.
    const accepted = (await transactionalRepository.create(ctx.deps.db, { ...base, purpose: 'question_answered', subjectId: crypto.randomUUID() }))!;
    // Died before calling Postmark: nothing there.
    const notSent = (await transactionalRepository.create(ctx.deps.db, { ...base, purpose: 'question_answered', subjectId: crypto.randomUUID() }))!;
    await sql(ctx.database.url, `UPDATE transactional_emails SET status = 'sending', attempts = 1, sending_at = now() - interval '1 hour' WHERE id = ANY($1::uuid[])`, [
      [accepted, notSent],
    ]);
    await fetch(`${fake.url}/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-postmark-server-token': 'server-token-0001' },
      body: JSON.stringify({
        From: 'talent@northwind.test',
        To: 'sam@x.test',
        Subject: 'Answer',
        TextBody: 'Answer',
        Tag: 'question-answered',
        MessageStream: 'outbound',
        Metadata: { [METADATA_MESSAGE_ID]: accepted },
      }),
    });
    const rows = await waitFor(
      () => sql(ctx.database.url, 'SELECT id, status FROM transactional_emails WHERE id = ANY($1::uuid[]) ORDER BY id', [[accepted, notSent]]),
      (found) => found.every((r) => r.status === 'sent'),
      { what: 'both interrupted emails to be settled' },
    );
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent']);
    const withId = (id: string) => fake.messages().filter((m) => m.Metadata?.[METADATA_MESSAGE_ID] === id);
    expect(withId(accepted)).toHaveLength(1);
    expect(withId(notSent)).toHaveLength(1);
  });

  it('is not sent to a suppressed address, and the API says why', async () => {
    const other = await sendRejections(ctx, org, fake, [{ name: 'Kim Suppressed', email: 'kim@x.test' }]);
    const id = await ask(other['Kim Suppressed']!.token, 'Why?');
    await sql(ctx.database.url, `INSERT INTO suppressions (organization_id, email, reason, source) VALUES ($1, 'kim@x.test', 'manual', 'recruiter')`, [org.id]);
    await api().post(`/v1/questions/${id}/answer`).set(bearer(org.adminKey)).send({ answer: 'Because.' }).expect(200);
    const view = await waitFor(
      () => questionView(id),
      (q) => q?.answerEmail?.status === 'failed',
      { what: 'the answer email to be refused' },
    );
    expect(view!.answerEmail).toMatchObject({ status: 'failed', failureCode: 'recipient_suppressed' });
    expect(answerEmails('kim@x.test')).toHaveLength(0);
  });
});

describe('the acknowledgement of a new application', () => {
  const post = (path: string, body: object) => api().post(path).set(bearer(org.adminKey)).send(body);
  const acknowledgements = (to: string) => fake.messages().filter((m) => m.Tag === 'application-received' && m.To.includes(to));
  const apply = async (requisitionId: string, name: string, email: string, extra: object = {}) => {
    const candidate = (await post('/v1/candidates', { name, emails: [email], locale: 'de', timezone: 'Europe/Berlin' })).body;
    const created = await post('/v1/applications', { candidate: { id: candidate.id }, requisition: { id: requisitionId }, ...extra });
    expect(created.status).toBeLessThan(300);
    return { candidateId: candidate.id as string, applicationId: created.body.id as string };
  };

  it('is sent once, in the candidate’s language, when the organization or the requisition wants it, and never otherwise', async () => {
    const quiet = (await post('/v1/requisitions', { title: 'Quiet role' })).body;
    await apply(quiet.id, 'Nora Stumm', 'nora@x.test');

    expect((await api().patch('/v1/organization').set(bearer(org.adminKey)).send({ acknowledgeApplications: true })).body.acknowledgeApplications).toBe(true);
    const role = (await post('/v1/requisitions', { title: 'Datenanalyst' })).body;
    const optedOut = (await post('/v1/requisitions', { title: 'Opted out', acknowledgeApplications: false })).body;
    expect(optedOut.acknowledgeApplications).toBe(false);
    const jonas = await apply(role.id, 'Jonas Weber', 'jonas.ack@x.test', { promisedDecisionAt: '2027-01-15T16:00:00Z' });
    await apply(optedOut.id, 'Olga Aus', 'olga@x.test');
    // The same application again (the pair is its key): nothing new to acknowledge.
    await post('/v1/applications', { candidate: { id: jonas.candidateId }, requisition: { id: role.id }, stage: 'screen' });

    const [email] = await waitFor(
      () => acknowledgements('jonas.ack@x.test'),
      (found) => found.length > 0,
      { what: 'the acknowledgement', progress: () => fake.messages().length },
    );
    expect(email!.Subject).toBe('Wir haben Ihre Bewerbung für Datenanalyst erhalten');
    expect(email!.TextBody).toContain('Guten Tag Jonas Weber,');
    expect(email!.TextBody).toContain('bis zum 15. Januar 2027');
    expect(email!.To).toBe('"Jonas Weber" <jonas.ack@x.test>');
    // Everything else is settled before counting: the email rows say whether anything else was queued.
    const rows = await sql(ctx.database.url, `SELECT subject_id FROM transactional_emails WHERE purpose = 'application_received'`);
    expect(rows.map((r) => r.subject_id)).toEqual([jonas.applicationId]);
    expect(acknowledgements('jonas.ack@x.test')).toHaveLength(1);
    expect([...acknowledgements('nora@x.test'), ...acknowledgements('olga@x.test')]).toEqual([]);
    await api().patch('/v1/organization').set(bearer(org.adminKey)).send({ acknowledgeApplications: false });
  });

  it('says du when the organization writes German informally', async () => {
    expect((await api().patch('/v1/organization').set(bearer(org.adminKey)).send({ acknowledgeApplications: true })).status).toBe(200);
    await setRegister('de', 'informal');
    try {
      const role = (await post('/v1/requisitions', { title: 'Entwicklerin' })).body;
      await apply(role.id, 'Mia Keller', 'mia.ack@x.test');
      const [email] = await waitFor(
        () => acknowledgements('mia.ack@x.test'),
        (found) => found.length > 0,
        { what: 'the acknowledgement', progress: () => fake.messages().length },
      );
      expect(email!.Subject).toBe('Wir haben deine Bewerbung für Entwicklerin erhalten');
      expect(email!.TextBody).toContain('Hallo Mia,');
      expect(email!.TextBody).toContain('Wir geben dir Bescheid');
      expect(`${email!.Subject}\n${email!.TextBody}`).not.toMatch(registerMarkers.de.formal);
    } finally {
      await setRegister('de', 'formal');
      await api().patch('/v1/organization').set(bearer(org.adminKey)).send({ acknowledgeApplications: false });
    }
  });
});
