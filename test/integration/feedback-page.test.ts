// The candidate's page over HTTP (no browser): who sees what, in which language, with which
// headers; the forms without JavaScript; the JSON twin; the recruiter's side of each action.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactLinkTokens } from '../../src/app.js';
import { poolOf } from '../../src/db/client.js';
import { feedbackToken } from '../../src/modules/messages/feedback-link.js';
import { feedbackPageRepository } from '../../src/modules/candidate-page/candidate-page.repository.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { sql } from '../helpers/database.js';
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
  // The per-address page limit has its own test (below): these tests are one busy visitor.
  ctx = await createTestContext({ OUTBOX_POLL_MS: '50', POSTMARK_API_URL: fake.url, PUBLIC_BASE_URL: 'http://localhost:3000', PAGE_RATE_LIMIT_PER_MINUTE: '100000' });
  org = await createOrganization(ctx.deps, 'Northwind <Labs>');
  await setUpSending(ctx, org);
  delivery = await startDelivery(ctx);
});
afterAll(async () => {
  await delivery?.stop();
  await ctx?.close();
  await fake?.close();
});

const api = () => request(ctx.app.server);
const feedback = {
  reasonCategory: 'experience_level',
  strengths: ['A very clear system design walkthrough'],
  areasToImprove: ['Hands-on experience with Kubernetes operators'],
  competencies: [{ name: 'System design', rating: 4, comment: 'Solid trade-offs' }],
  nextSteps: { talentPoolInvite: true, otherOpenings: ['Backend Engineer'] },
};
/** The form token of the page as served (what a browser would post back). */
const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)![1]!;
const form = (token: string, path: string, fields: Record<string, string>, origin?: string) => {
  const call = api().post(`/f/${token}${path}`).type('form').send(fields);
  return origin ? call.set('origin', origin) : call;
};

describe('the candidate page', () => {
  let sent: Awaited<ReturnType<typeof sendRejections>>;
  beforeAll(async () => {
    sent = await sendRejections(ctx, org, fake, [
      { name: 'Camille Petit', email: 'camille@x.test', locale: 'fr-FR', feedback },
      { name: 'Jonas Weber', email: 'jonas@x.test', locale: 'de', feedback },
      { name: 'Ana Costa', email: 'ana@x.test', feedback },
    ]);
  });

  it('shows the decision and feedback in the candidate’s language, with strict headers, and records the first view', async () => {
    const page = await api().get(`/f/${sent['Camille Petit']!.token}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['x-robots-tag']).toContain('noindex');
    expect(page.text).toContain('<html lang="fr"');
    expect(page.text).toContain('A very clear system design walkthrough');
    expect(page.text).toContain('Rita Alves');
    // The organization's name is escaped, never markup.
    expect(page.text).toContain('Northwind &lt;Labs&gt;');
    expect(page.text).not.toContain('Northwind <Labs>');
    expect((await api().get(`/f/${sent['Jonas Weber']!.token}`)).text).toContain('<html lang="de"');

    await api().get(`/f/${sent['Camille Petit']!.token}`);
    const [row] = await sql(ctx.database.url, 'SELECT first_viewed_at FROM messages WHERE id = $1', [sent['Camille Petit']!.messageId]);
    expect(row!.first_viewed_at).toBeInstanceOf(Date);
    const events = (await api().get(`/v1/candidate-events?messageId=${sent['Camille Petit']!.messageId}`).set(bearer(org.adminKey))).body.data;
    expect(events[0].candidateName).toBe('Camille Petit');
    expect(events.map((e: { type: string; detail: { first: boolean } }) => [e.type, e.detail.first])).toEqual([
      ['feedback.viewed', true],
      ['feedback.viewed', false],
    ]);
    // A link scanner's HEAD is not a view.
    expect((await api().head(`/f/${sent['Camille Petit']!.token}`)).status).toBe(200);
    expect((await api().get(`/v1/candidate-events?messageId=${sent['Camille Petit']!.messageId}`).set(bearer(org.adminKey))).body.data).toHaveLength(2);
    expect((await api().get(`/v1/messages/${sent['Camille Petit']!.messageId}`).set(bearer(org.adminKey))).body.firstViewedAt).toBe(row!.first_viewed_at.toISOString());
    // A repeat view skips the wait for the disk in its own transaction only: the pooled
    // connections it ran on still commit everything else normally.
    const pool = poolOf(ctx.deps.db)!;
    const idle = await Promise.all(Array.from({ length: pool.idleCount }, () => pool.connect()));
    try {
      for (const client of idle) expect((await client.query('SHOW synchronous_commit')).rows[0].synchronous_commit).toBe('on');
    } finally {
      for (const client of idle) client.release();
    }
  });

  it('wears the organization’s accent colour, named in the CSP by its hash (no unsafe-inline)', async () => {
    const token = sent['Ana Costa']!.token;
    const plain = await api().get(`/f/${token}`);
    // The default accent is in the page's own stylesheet: one style element.
    expect(plain.text.match(/<style>/g)).toHaveLength(1);
    expect((await api().patch('/v1/organization').set(bearer(org.adminKey)).send({ accentColor: '#7C2D12' })).status).toBe(200);
    try {
      const page = await api().get(`/f/${token}`);
      const css = ':root{--accent:#7c2d12}';
      expect(page.text).toContain(`<style>${css}</style>`);
      const csp = page.headers['content-security-policy'] as string;
      expect(csp).toContain(`'sha256-${createHash('sha256').update(css).digest('base64')}'`);
      expect(csp).not.toContain('unsafe-inline');
    } finally {
      await api().patch('/v1/organization').set(bearer(org.adminKey)).send({ accentColor: '#1d4ed8' });
    }
  });

  it('answers unknown, expired and revoked links with the same polite page, in the browser’s language', async () => {
    const { token, messageId } = sent['Ana Costa']!;
    const unknown = await api()
      .get(`/f/${'x'.repeat(43)}`)
      .set('accept-language', 'es-MX,es;q=0.9');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('<html lang="es"');
    const malformed = await api().get('/f/not-a-token').set('accept-language', 'es');
    await sql(ctx.database.url, `UPDATE messages SET feedback_link_expires_at = now() - interval '1 minute' WHERE id = $1`, [messageId]);
    const expired = await api().get(`/f/${token}`).set('accept-language', 'es');
    await sql(ctx.database.url, `UPDATE messages SET feedback_link_expires_at = now() + interval '1 day' WHERE id = $1`, [messageId]);
    expect((await api().get(`/f/${token}`)).status).toBe(200);
    const revoke = await api().post(`/v1/messages/${messageId}/feedback-link/revoke`).set(bearer(org.adminKey)).send();
    expect(revoke.status).toBe(200);
    const revoked = await api().get(`/f/${token}`).set('accept-language', 'es');
    // However the token is broken: over-long, not text, not decodable, or followed by more path.
    const broken = await Promise.all(
      [`/f/${'x'.repeat(10_000)}`, '/f/%00abc', '/f/ab%E0%A4%A', `/f/${'x'.repeat(43)}/more/path`, `/f/${'x'.repeat(300)}/rating`].map((path) =>
        api().get(path).set('accept-language', 'es'),
      ),
    );
    for (const response of [malformed, expired, revoked, ...broken]) {
      expect(response.status).toBe(404);
      expect(response.text).toBe(unknown.text);
      expect(response.headers['content-security-policy']).toBe(unknown.headers['content-security-policy']);
    }
    expect((await api().get(`/v1/feedback/${token}`)).status).toBe(404);
  });

  it('shows no decision before the email is sent, and nothing for a message stopped before sending', async () => {
    const { messageId } = sent['Jonas Weber']!;
    await sql(ctx.database.url, `UPDATE messages SET sent_at = NULL, status = 'recalled' WHERE id = $1`, [messageId]);
    expect((await api().get(`/f/${feedbackToken(ctx.config.ENCRYPTION_KEY, messageId)}`)).status).toBe(404);
    await sql(ctx.database.url, `UPDATE messages SET sent_at = NULL, status = 'scheduled' WHERE id = $1`, [messageId]);
    try {
      const page = await api().get(`/f/${feedbackToken(ctx.config.ENCRYPTION_KEY, messageId)}`);
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('A very clear system design walkthrough');
      expect(page.text).not.toContain('<form');
      expect((await api().get(`/v1/feedback/${feedbackToken(ctx.config.ENCRYPTION_KEY, messageId)}`)).body).toMatchObject({
        decision: null,
        feedback: null,
        contact: { name: null, email: null },
        talentPool: { offered: false, member: false },
      });
    } finally {
      await sql(ctx.database.url, `UPDATE messages SET sent_at = now(), status = 'sent' WHERE id = $1`, [messageId]);
    }
  });

  it('records a view only of a link that works, the first with its flag, whichever statement reads the page', async () => {
    const { messageId } = sent['Jonas Weber']!;
    const token = feedbackToken(ctx.config.ENCRYPTION_KEY, messageId);
    const views = async () =>
      (
        await sql<{ detail: { via: string; first: boolean } }>(
          ctx.database.url,
          `SELECT detail FROM candidate_events WHERE message_id = $1 AND type = 'feedback.viewed' ORDER BY id`,
          [messageId],
        )
      ).map((row) => [row.detail.via, row.detail.first]);
    const before = await views();
    expect((await api().get(`/f/${token}`)).status).toBe(200);
    expect((await api().get(`/v1/feedback/${token}`)).status).toBe(200);
    const seen = await views();
    expect(seen.slice(before.length)).toEqual(
      before.length === 0
        ? [
            ['page', true],
            ['api', false],
          ]
        : [
            ['page', false],
            ['api', false],
          ],
    );
    // Each broken link is read viewed before and never viewed: neither records a view, nor marks a first one.
    const broken = [
      `UPDATE messages SET feedback_link_expires_at = now() - interval '1 millisecond' WHERE id = $1`,
      `UPDATE messages SET feedback_link_revoked_at = now() WHERE id = $1`,
      `UPDATE messages SET status = 'recalled' WHERE id = $1`,
      `UPDATE messages SET status = 'failed', sent_at = NULL WHERE id = $1`,
    ];
    for (const statement of broken) {
      const [saved] = await sql(ctx.database.url, 'SELECT status, sent_at, feedback_link_expires_at, feedback_link_revoked_at FROM messages WHERE id = $1', [messageId]);
      await sql(ctx.database.url, statement, [messageId]);
      try {
        expect((await api().get(`/f/${token}`)).status).toBe(404);
        expect((await api().get(`/v1/feedback/${token}`)).status).toBe(404);
        const [{ first_viewed_at: firstViewedAt }] = (await sql(ctx.database.url, 'SELECT first_viewed_at FROM messages WHERE id = $1', [messageId])) as [
          { first_viewed_at: Date },
        ];
        await sql(ctx.database.url, 'UPDATE messages SET first_viewed_at = NULL WHERE id = $1', [messageId]);
        try {
          expect((await api().get(`/f/${token}`)).status).toBe(404);
          expect((await api().get(`/v1/feedback/${token}`)).status).toBe(404);
          expect((await sql(ctx.database.url, 'SELECT first_viewed_at FROM messages WHERE id = $1', [messageId]))[0]).toEqual({ first_viewed_at: null });
        } finally {
          await sql(ctx.database.url, 'UPDATE messages SET first_viewed_at = $2 WHERE id = $1', [messageId, firstViewedAt]);
        }
      } finally {
        await sql(ctx.database.url, 'UPDATE messages SET status = $2, sent_at = $3, feedback_link_expires_at = $4, feedback_link_revoked_at = $5 WHERE id = $1', [
          messageId,
          saved!.status,
          saved!.sent_at,
          saved!.feedback_link_expires_at,
          saved!.feedback_link_revoked_at,
        ]);
      }
    }
    // A HEAD, or a form shown again, is not a view either.
    expect((await api().head(`/f/${token}`)).status).toBe(200);
    expect(await views()).toEqual(seen);
    expect((await api().get(`/f/${token}`)).status).toBe(200);
    expect((await views()).slice(seen.length)).toEqual([['page', false]]);

    // The page's row arrives as JSON: its timestamps and values are the ones Prisma reads.
    await sql(ctx.database.url, `UPDATE messages SET feedback_link_expires_at = '2031-02-03 04:05:06.789+00' WHERE id = $1`, [messageId]);
    const hash = createHash('sha256').update(token).digest('hex');
    const loaded = await feedbackPageRepository.loadPage(ctx.deps.db, hash);
    const viewed = await feedbackPageRepository.loadPageRecordingView(ctx.deps.db, hash, { at: new Date(), neverSent: [], via: 'page' });
    const stored = await ctx.deps.db.message.findUniqueOrThrow({ where: { id: messageId } });
    const fields = Object.keys(loaded!.message) as (keyof typeof stored)[];
    expect(loaded!.message).toStrictEqual(Object.fromEntries(fields.map((field) => [field, stored[field]])));
    expect(loaded!.message.feedbackLinkExpiresAt!.toISOString()).toBe('2031-02-03T04:05:06.789Z');
    expect(viewed).toStrictEqual({ ...loaded, viewRecorded: true, firstView: false });
  });

  it('marks a first view once when several arrive at once: one view says first, every one is recorded', async () => {
    const { messageId } = sent['Jonas Weber']!;
    const hash = createHash('sha256').update(feedbackToken(ctx.config.ENCRYPTION_KEY, messageId)).digest('hex');
    const [saved] = await sql<{ first_viewed_at: Date }>(ctx.database.url, 'SELECT first_viewed_at FROM messages WHERE id = $1', [messageId]);
    const [{ last } = { last: null }] = await sql<{ last: string | null }>(ctx.database.url, `SELECT max(id::text) AS last FROM candidate_events WHERE message_id = $1`, [
      messageId,
    ]);
    await sql(ctx.database.url, 'UPDATE messages SET first_viewed_at = NULL WHERE id = $1', [messageId]);
    try {
      const views = await Promise.all(
        Array.from({ length: 6 }, () => feedbackPageRepository.loadPageRecordingView(ctx.deps.db, hash, { at: new Date(), neverSent: ['draft'], via: 'page' })),
      );
      expect(views.map((view) => view!.viewRecorded)).toEqual(Array(6).fill(true));
      expect(views.filter((view) => view!.firstView)).toHaveLength(1);
      const recorded = await sql<{ first: boolean; occurred_at: Date }>(
        ctx.database.url,
        `SELECT (detail ->> 'first')::boolean AS first, occurred_at FROM candidate_events WHERE message_id = $1 AND type = 'feedback.viewed' AND id::text > $2 ORDER BY id`,
        [messageId, last ?? ''],
      );
      expect(recorded.map((event) => event.first).sort()).toEqual([false, false, false, false, false, true]);
      // The message keeps the moment of the view that said first.
      const [marked] = await sql<{ first_viewed_at: Date }>(ctx.database.url, 'SELECT first_viewed_at FROM messages WHERE id = $1', [messageId]);
      expect(marked!.first_viewed_at).toEqual(recorded.find((event) => event.first)!.occurred_at);
    } finally {
      await sql(ctx.database.url, 'UPDATE messages SET first_viewed_at = $2 WHERE id = $1', [messageId, saved!.first_viewed_at]);
    }
  });

  it('lets the candidate join and leave the talent pool without JavaScript, with the consent recorded', async () => {
    const { token, candidateId } = sent['Camille Petit']!;
    const page = await api().get(`/f/${token}`);
    // The consent's language is the page's, signed into the form: a posted field cannot change it.
    const joined = await form(token, '/talent-pool', { csrf: csrfOf(page.text), action: 'join', locale: 'de' });
    expect(joined.status).toBe(303);
    expect(joined.headers.location).toBe(`/f/${token}?notice=talent_pool_joined#notice`);
    const after = await api().get(joined.headers.location!);
    expect(after.text).toContain('action="/f/' + token + '/talent-pool"');
    const members = (await api().get('/v1/talent-pool').set(bearer(org.adminKey))).body.data;
    expect(members).toEqual([expect.objectContaining({ id: candidateId, consent: expect.objectContaining({ locale: 'fr', text: expect.stringContaining('Northwind <Labs>') }) })]);
    const left = await form(token, '/talent-pool', { csrf: csrfOf(after.text), action: 'leave' });
    expect(left.headers.location).toContain('notice=talent_pool_left');
    expect((await api().get('/v1/talent-pool').set(bearer(org.adminKey))).body.data).toEqual([]);
    const consents = await sql(ctx.database.url, 'SELECT action, locale FROM talent_pool_consents WHERE candidate_id = $1 ORDER BY id', [candidateId]);
    expect(consents).toEqual([
      { action: 'join', locale: 'fr' },
      { action: 'leave', locale: 'fr' },
    ]);
    const types = (await api().get(`/v1/candidate-events?candidateId=${candidateId}`).set(bearer(org.adminKey))).body.data.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['candidate.talent_pool_joined', 'candidate.talent_pool_left']));
  });

  it('takes a rating, refuses bad input with the page, and shows it in the JSON twin', async () => {
    const { token } = sent['Jonas Weber']!;
    const csrf = csrfOf((await api().get(`/f/${token}`)).text);
    const bad = await form(token, '/rating', { csrf, rating: '7' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('<html lang="de"');
    const rated = await form(token, '/rating', { csrf, rating: '4', comment: 'Sehr hilfreich, danke' });
    expect(rated.status).toBe(303);
    const twin = await api().get(`/v1/feedback/${token}`);
    expect(twin.status).toBe(200);
    expect(twin.headers['cache-control']).toBe('no-store');
    expect(twin.body).toMatchObject({ company: 'Northwind <Labs>', rating: { value: 4, comment: 'Sehr hilfreich, danke' }, decision: { action: 'reject' } });
    expect(twin.body.feedback.strengths).toEqual(['A very clear system design walkthrough']);
  });

  it('takes one question at a time; the recruiter’s answer appears on the page', async () => {
    const { token, messageId } = sent['Jonas Weber']!;
    const csrf = csrfOf((await api().get(`/f/${token}`)).text);
    expect((await form(token, '/questions', { csrf, question: 'Which Kubernetes topics should I focus on?' })).status).toBe(303);
    const second = await form(token, '/questions', { csrf, question: 'And another?' });
    expect(second.status).toBe(409);
    const open = (await api().get('/v1/questions?status=open').set(bearer(org.adminKey))).body.data;
    // With the candidate's name, so a list of questions needs no request per row.
    expect(open).toEqual([expect.objectContaining({ messageId, candidateName: 'Jonas Weber', question: 'Which Kubernetes topics should I focus on?', answer: null })]);
    const answered = await api().post(`/v1/questions/${open[0].id}/answer`).set(bearer(org.adminKey)).send({ answer: 'Operators & <CRDs>, then upgrades.' });
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ candidateName: 'Jonas Weber', answer: 'Operators & <CRDs>, then upgrades.' });
    expect((await api().post(`/v1/questions/${open[0].id}/answer`).set(bearer(org.adminKey)).send({ answer: 'Again' })).status).toBe(409);
    const page = await api().get(`/f/${token}`);
    expect(page.text).toContain('Operators &amp; &lt;CRDs&gt;, then upgrades.');
    expect((await form(token, '/questions', { csrf, question: 'Thanks! One more?' })).status).toBe(303);
  });

  it('takes data requests (deletion needs its box ticked) for the organization to act on', async () => {
    const { token } = sent['Camille Petit']!;
    const csrf = csrfOf((await api().get(`/f/${token}`)).text);
    expect((await form(token, '/data-requests', { csrf, kind: 'deletion' })).status).toBe(400);
    expect((await form(token, '/data-requests', { csrf, kind: 'deletion', confirm: 'yes' })).status).toBe(303);
    expect((await form(token, '/data-requests', { csrf, kind: 'deletion', confirm: 'yes' })).status).toBe(303);
    const pending = (await api().get('/v1/data-requests?status=pending').set(bearer(org.adminKey))).body.data;
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ kind: 'deletion', status: 'pending' });
    const done = await api().post(`/v1/data-requests/${pending[0].id}/complete`).set(bearer(org.adminKey)).send({ note: 'Deleted from the ATS' });
    expect(done.body).toMatchObject({ status: 'completed', note: 'Deleted from the ATS' });
  });

  it('answers a form refused before it is read (too large, not a form, text that cannot be stored) with the page, and stores nothing', async () => {
    const { token, messageId } = sent['Camille Petit']!;
    const csrf = csrfOf((await api().get(`/f/${token}`)).text);
    const questions = async () => (await sql(ctx.database.url, 'SELECT count(*)::int AS n FROM feedback_questions WHERE message_id = $1', [messageId]))[0]!.n;
    const before = await questions();

    const large = await form(token, '/questions', { csrf, question: 'q'.repeat(20_000) });
    const notText = await form(token, '/questions', { csrf, question: 'Why\u0000?' });
    const plain = await api().post(`/f/${token}/questions`).set('content-type', 'text/plain').send(`csrf=${csrf}&question=Plain`);
    for (const [response, status] of [
      [large, 413],
      [notText, 400],
      [plain, 415],
    ] as const) {
      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.text).toContain('role="alert"');
      expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    }
    expect(await questions()).toBe(before);

    // A link that does not work gets its one page, large form or not.
    const unknown = await api().get(`/f/${'x'.repeat(43)}`);
    const largeUnknown = await form('x'.repeat(43), '/questions', { csrf, question: 'q'.repeat(20_000) });
    expect(largeUnknown.status).toBe(404);
    expect(largeUnknown.text).toBe(unknown.text);
  });

  it('refuses forged, stale and cross-site forms, and limits posts per link', async () => {
    const { token } = sent['Jonas Weber']!;
    const csrf = csrfOf((await api().get(`/f/${token}`)).text);
    const forged = await form(token, '/rating', { csrf: 'abc.de.def', rating: '3' });
    expect(forged.status).toBe(403);
    // A form older than its 12 hours.
    const [issued, locale, signature] = csrf.split('.') as [string, string, string];
    const stale = await form(token, '/rating', { csrf: [(parseInt(issued, 36) - 13 * 3600).toString(36), locale, signature].join('.'), rating: '3' });
    expect(stale.status).toBe(403);
    expect(forged.status).toBe(403);
    expect(forged.text).toContain('<html lang="de"');
    const otherPage = csrfOf((await api().get(`/f/${sent['Camille Petit']!.token}`)).text);
    expect((await form(token, '/rating', { csrf: otherPage, rating: '3' })).status).toBe(403);
    const crossSite = await form(token, '/rating', { csrf, rating: '3' }, 'https://evil.example');
    expect(crossSite.status).toBe(403);
    expect(crossSite.body.code).toBe('forbidden_origin');
    expect((await form(token, '/rating', { csrf, rating: '3' }, 'http://localhost:3000')).status).toBe(303);

    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await form(token, '/rating', { csrf, rating: '5' })).status);
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.filter((s) => s === 303).length).toBeLessThanOrEqual(30);
  });
});

describe('requests per address', () => {
  let limited: TestContext;
  beforeAll(async () => {
    // Addresses come from X-Forwarded-For here, so one test plays several visitors.
    limited = await createTestContext({ PAGE_RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: 'true' });
    // The API's Redis client queues nothing while it connects, and the limiters let requests
    // through when Redis cannot answer: count from a connected client only.
    if (limited.deps.redis.status !== 'ready') await once(limited.deps.redis, 'ready');
  });
  afterAll(() => limited?.close());
  const from = (address: string, path: string) => request(limited.app.server).get(path).set('x-forwarded-for', address).set('accept-language', 'fr');

  it('are limited under /f/ before any link is looked up: a page saying so, 429 with Retry-After', async () => {
    const path = `/f/${'x'.repeat(43)}`;
    const first = await Promise.all([1, 2, 3].map(() => from('203.0.113.9', path)));
    expect(first.map((r) => r.status)).toEqual([404, 404, 404]);
    const busy = await from('203.0.113.9', path);
    expect(busy.status).toBe(429);
    expect(busy.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(busy.headers['content-security-policy']).toContain("default-src 'none'");
    expect(busy.text).toContain('<html lang="fr"');
    expect(Number(busy.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(busy.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Forms count too; another address does not.
    expect((await request(limited.app.server).post(`${path}/rating`).set('x-forwarded-for', '203.0.113.9').type('form').send({ rating: '5' })).status).toBe(429);
    expect((await from('198.51.100.20', path)).status).toBe(404);
  });
});

describe('link tokens in logs', () => {
  it('are replaced in every logged URL', () => {
    expect(redactLinkTokens(`/f/${'a'.repeat(43)}/rating?notice=x`)).toBe('/f/[token]/rating?notice=x');
    expect(redactLinkTokens(`/v1/feedback/${'a'.repeat(43)}`)).toBe('/v1/feedback/[token]');
    expect(redactLinkTokens('/v1/messages/abc')).toBe('/v1/messages/abc');
  });
});
