// People: invitations, magic links end to end through the local Postmark server, sessions (fixation,
// expiry, sign-out, deactivation, role change), CSRF and cookie flags, personal keys within their
// role, and four-eyes comparing people rather than keys.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { maintenanceHandler } from '../../src/modules/maintenance/maintenance.jobs.js';
import { createTestContext, deleteRedisPrefix, type TestContext } from '../helpers/context.js';
import { setUpSending } from '../helpers/delivery.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';
import { invitePerson, linkFromInbox, sessionOf, setCookiesOf, type SignedIn } from '../helpers/people.js';
import { startPostmarkServer, type PostmarkFake } from '../postmark/server.js';

let ctx: TestContext;
let fake: PostmarkFake;
let org: TestOrganization;
const api = () => request(ctx.app.server);

beforeAll(async () => {
  fake = await startPostmarkServer();
  ctx = await createTestContext({ POSTMARK_API_URL: fake.url, SIGN_IN_LINKS_PER_EMAIL_PER_HOUR: '4', RATE_LIMIT_PER_MINUTE: '100000' });
  org = await createOrganization(ctx.deps, 'Northwind');
  await setUpSending(ctx, org);
});
afterAll(async () => {
  await ctx?.close();
  await fake?.close();
});

const sessionCookie = (response: { headers: Record<string, unknown> }) => setCookiesOf(response).find((c) => c.name === 'hearback_session');

/** Asks for a magic link as a browser with `cookie` (or none); returns the nonce cookie it holds after. */
async function askForLink(email: string, cookie?: string) {
  const asked = await api()
    .post('/v1/auth/magic-link')
    .set(cookie ? { cookie } : {})
    .send({ email });
  expect(asked.status).toBe(202);
  const nonce = setCookiesOf(asked).find((c) => c.name === 'hearback_sign_in')!;
  return { answer: asked.body, nonceCookie: `${nonce.name}=${nonce.value}` };
}

describe('magic links, end to end through the local Postmark server', () => {
  let person: SignedIn;
  beforeAll(async () => {
    person = await invitePerson(ctx, fake, org, 'recruiter', 'rita@northwind.test');
  });

  it('signs in once, in the browser that asked, and only there', async () => {
    const before = fake.messages().length;
    const { nonceCookie, answer } = await askForLink('Rita@Northwind.test');
    const link = new URL(await linkFromInbox(fake, 'rita@northwind.test', 'sign-in', before));
    const email = fake
      .messages()
      .slice(before)
      .find((m) => m.Tag === 'sign-in')!;
    expect(email.From).toContain('talent@northwind.test');
    expect(email.TrackLinks).toBe('None');

    // Another browser (a mail scanner, a forwarded email) is refused, and does not use the link up.
    const elsewhere = await api().get(link.pathname);
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.code).toBe('sign_in_failed');
    const other = await askForLink('nobody@northwind.test');
    expect((await api().get(link.pathname).set('cookie', other.nonceCookie)).body.code).toBe('sign_in_failed');

    const signedIn = await api().get(link.pathname).set('cookie', nonceCookie);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.location).toBe('http://localhost:3000/app/');
    const cookie = sessionCookie(signedIn)!;
    const me = await sessionOf(ctx, `${cookie.name}=${cookie.value}`);
    expect(me.userId).toBe(person.userId);

    // Single use.
    const again = await api().get(link.pathname).set('cookie', nonceCookie);
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('sign_in_failed');
    expect(answer).toEqual(other.answer);
  });

  it('stores addresses normalised, and lets an invited person sign in by magic link (which activates them)', async () => {
    const invited = await api().post('/v1/users').set(bearer(org.adminKey)).send({ email: 'Mixed.Case@NorthWind.test', name: 'Mo', role: 'viewer' });
    expect(invited.body).toMatchObject({ email: 'mixed.case@northwind.test', status: 'invited' });
    const before = fake.messages().length;
    const { nonceCookie } = await askForLink('MIXED.case@northwind.TEST');
    const link = new URL(await linkFromInbox(fake, 'mixed.case@northwind.test', 'sign-in', before));
    expect((await api().get(link.pathname).set('cookie', nonceCookie)).status).toBe(303);
    expect((await api().get(`/v1/users/${invited.body.id}`).set(bearer(org.adminKey))).body).toMatchObject({ status: 'active', invitationExpiresAt: null });
  });

  it('writes invitations and sign-in links in the person’s language', async () => {
    const before = fake.messages().length;
    const invited = await api().post('/v1/users').set(bearer(org.adminKey)).send({ email: 'jonas@northwind.test', name: 'Jonas <Weber>', role: 'viewer', language: 'de-AT' });
    expect(invited.status).toBe(201);
    await linkFromInbox(fake, 'jonas@northwind.test', 'invitation', before);
    const invitation = fake
      .messages()
      .slice(before)
      .find((m) => m.To === 'jonas@northwind.test' && m.Tag === 'invitation')!;
    expect(invitation.Subject).toBe('Einladung zu Northwind auf Hearback');
    expect(invitation.TextBody).toContain('Guten Tag Jonas <Weber>,');
    expect(invitation.HtmlBody).toContain('Guten Tag Jonas &lt;Weber&gt;,');
    expect(invitation.HtmlBody).toContain('Einladung annehmen');

    const beforeLink = fake.messages().length;
    await askForLink('jonas@northwind.test');
    await linkFromInbox(fake, 'jonas@northwind.test', 'sign-in', beforeLink);
    const signIn = fake
      .messages()
      .slice(beforeLink)
      .find((m) => m.To === 'jonas@northwind.test' && m.Tag === 'sign-in')!;
    expect(signIn.Subject).toBe('Ihr Anmeldelink für Hearback');
    expect(signIn.TextBody).toContain('Wenn Sie keine Anmeldung angefordert haben');
  });

  it('answers an unknown address exactly as a known one, and emails nobody', async () => {
    const before = fake.messages().length;
    const unknown = await askForLink('stranger@elsewhere.test');
    const known = await askForLink('rita@northwind.test');
    expect(unknown.answer).toEqual(known.answer);
    await linkFromInbox(fake, 'rita@northwind.test', 'sign-in', before);
    expect(
      fake
        .messages()
        .slice(before)
        .filter((m) => m.To === 'stranger@elsewhere.test'),
    ).toEqual([]);
  });

  it('expires: a link older than MAGIC_LINK_TTL_MINUTES does not sign in', async () => {
    const before = fake.messages().length;
    const { nonceCookie } = await askForLink('rita@northwind.test');
    const link = new URL(await linkFromInbox(fake, 'rita@northwind.test', 'sign-in', before));
    await ctx.deps.db.signInToken.updateMany({ where: { userId: person.userId, usedAt: null }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await api().get(link.pathname).set('cookie', nonceCookie)).body.code).toBe('sign_in_failed');
  });

  it('throttles per email address (SIGN_IN_LINKS_PER_EMAIL_PER_HOUR) and per client address', async () => {
    const email = 'throttled@northwind.test';
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await api().post('/v1/auth/magic-link').send({ email })).status);
    expect(statuses).toEqual([202, 202, 202, 202, 429]);

    // Per client address: an app with its own counters and a small budget.
    const config = { ...ctx.config, REDIS_PREFIX: `${ctx.config.REDIS_PREFIX}-ip`, SIGN_IN_REQUESTS_PER_ADDRESS_PER_MINUTE: 3 };
    const app = await buildApp({ config, deps: ctx.deps, logger: false });
    try {
      const byAddress = [];
      for (let i = 0; i < 4; i++)
        byAddress.push(
          await request(app.server)
            .post('/v1/auth/magic-link')
            .send({ email: `someone${i}@northwind.test` }),
        );
      expect(byAddress.map((r) => r.status)).toEqual([202, 202, 202, 429]);
      expect(byAddress[3]!.body.code).toBe('rate_limited');
      expect(Number(byAddress[3]!.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await app.close();
      await deleteRedisPrefix(config.REDIS_PREFIX);
    }
  });
});

describe('sessions', () => {
  it('session fixation: a cookie planted before sign-in is ended by it, never promoted', async () => {
    const attacker = await invitePerson(ctx, fake, org, 'viewer');
    const victim = await invitePerson(ctx, fake, org, 'recruiter');
    // The attacker plants their own valid session cookie in the victim's browser, and a made-up one.
    const before = fake.messages().length;
    const { nonceCookie } = await askForLink(victim.email, attacker.cookie);
    const link = new URL(await linkFromInbox(fake, victim.email, 'sign-in', before));
    const signedIn = await api().get(link.pathname).set('cookie', `${attacker.cookie}; ${nonceCookie}`);
    const fresh = sessionCookie(signedIn)!;
    expect(`hearback_session=${fresh.value}`).not.toBe(attacker.cookie);
    expect((await sessionOf(ctx, `hearback_session=${fresh.value}`)).userId).toBe(victim.userId);
    const planted = await api().get('/v1/me').set('cookie', attacker.cookie);
    expect(planted.status).toBe(401);
    expect(planted.body.code).toBe('session_invalid');
    expect(
      (
        await api()
          .get('/v1/me')
          .set('cookie', 'hearback_session=' + 'A'.repeat(43))
      ).status,
    ).toBe(401);
  });

  it('ends at sign-out, after being idle, and at the absolute expiry', async () => {
    const out = await invitePerson(ctx, fake, org, 'viewer');
    const signedOut = await api().post('/v1/auth/sign-out').set(out.headers);
    expect(signedOut.status).toBe(204);
    expect(setCookiesOf(signedOut).find((c) => c.name === 'hearback_session')!.value).toBe('');
    expect((await api().get('/v1/me').set('cookie', out.cookie)).status).toBe(401);

    const idle = await invitePerson(ctx, fake, org, 'viewer');
    await ctx.deps.db.session.updateMany({ where: { userId: idle.userId }, data: { lastSeenAt: new Date(Date.now() - (ctx.config.SESSION_IDLE_MINUTES * 60_000 + 1000)) } });
    expect((await api().get('/v1/me').set('cookie', idle.cookie)).body.code).toBe('session_invalid');

    const old = await invitePerson(ctx, fake, org, 'viewer');
    await ctx.deps.db.session.updateMany({ where: { userId: old.userId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await api().get('/v1/me').set('cookie', old.cookie)).body.code).toBe('session_invalid');
  });

  it('refuses unsafe requests without the CSRF token, or from another origin', async () => {
    const person = await invitePerson(ctx, fake, org, 'recruiter');
    const body = { name: 'laptop', scopes: ['read'] };
    const none = await api().post('/v1/me/api-keys').set('cookie', person.cookie).send(body);
    expect([none.status, none.body.code]).toEqual([403, 'csrf_failed']);
    const wrong = await api()
      .post('/v1/me/api-keys')
      .set({ cookie: person.cookie, 'x-csrf-token': person.csrf.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) })
      .send(body);
    expect([wrong.status, wrong.body.code]).toEqual([403, 'csrf_failed']);
    const otherSession = await invitePerson(ctx, fake, org, 'recruiter');
    const borrowed = await api().post('/v1/me/api-keys').set({ cookie: person.cookie, 'x-csrf-token': otherSession.csrf }).send(body);
    expect(borrowed.body.code).toBe('csrf_failed');
    const crossOrigin = await api()
      .post('/v1/me/api-keys')
      .set({ ...person.headers, origin: 'https://evil.example' })
      .send(body);
    expect([crossOrigin.status, crossOrigin.body.code]).toEqual([403, 'forbidden_origin']);
    expect((await api().patch('/v1/organization').set('cookie', person.cookie).send({ name: 'x' })).body.code).toBe('csrf_failed');
    // Reads need no token; a bearer key needs none either.
    expect((await api().get('/v1/me/api-keys').set('cookie', person.cookie)).status).toBe(200);
    const ok = await api()
      .post('/v1/me/api-keys')
      .set({ ...person.headers, origin: 'http://localhost:3000' })
      .send(body);
    expect(ok.status).toBe(201);
  });

  it('sets HttpOnly, SameSite=Lax cookies; Secure and __Host- prefixed when PUBLIC_BASE_URL is https', async () => {
    const check = async (app: typeof ctx.app, name: string, secure: boolean, email: string) => {
      const before = fake.messages().length;
      const asked = await request(app.server).post('/v1/auth/magic-link').send({ email });
      const nonce = setCookiesOf(asked).find((c) => c.name.endsWith('hearback_sign_in'))!;
      const link = new URL(await linkFromInbox(fake, email, 'sign-in', before));
      const signedIn = await request(app.server).get(link.pathname).set('cookie', `${nonce.name}=${nonce.value}`);
      const session = setCookiesOf(signedIn).find((c) => c.name.endsWith('hearback_session'))!;
      for (const cookie of [nonce, session]) {
        expect(cookie.name.startsWith('__Host-')).toBe(secure);
        expect(cookie.attributes).toMatchObject({ path: '/', httponly: '', samesite: 'Lax' });
        expect('secure' in cookie.attributes).toBe(secure);
        expect('domain' in cookie.attributes).toBe(false);
      }
      expect(session.name).toBe(name);
    };
    const person = await invitePerson(ctx, fake, org, 'viewer');
    await check(ctx.app, 'hearback_session', false, person.email);
    const httpsApp = await buildApp({ config: { ...ctx.config, PUBLIC_BASE_URL: 'https://hearback.example' }, deps: ctx.deps, logger: false });
    try {
      await check(httpsApp, '__Host-hearback_session', true, person.email);
    } finally {
      await httpsApp.close();
    }
  });
});

describe('housekeeping and logs', () => {
  it('purges sign-in links and sessions that ended long ago, and nothing else', async () => {
    const old = await invitePerson(ctx, fake, org, 'viewer');
    const current = await invitePerson(ctx, fake, org, 'viewer');
    await ctx.deps.db.session.updateMany({ where: { userId: old.userId }, data: { revokedAt: new Date(Date.now() - 40 * 86_400_000), revokedReason: 'sign_out' } });
    const purge = maintenanceHandler({ db: ctx.deps.db });
    const result = (await purge({ id: 'p', name: 'purge-ended-sign-ins', attemptsMade: 0, data: { task: 'purge-ended-sign-ins', olderThanDays: 30 } } as never)) as {
      purged: number;
    };
    expect(result.purged).toBeGreaterThanOrEqual(1);
    expect(await ctx.deps.db.session.count({ where: { userId: old.userId } })).toBe(0);
    expect((await api().get('/v1/me').set('cookie', current.cookie)).status).toBe(200);
  });

  it('keeps link tokens and the provider’s code out of the logs', async () => {
    const lines: string[] = [];
    const app = await buildApp({
      config: { ...ctx.config, LOG_LEVEL: 'info' },
      deps: ctx.deps,
      logger: { level: 'info', stream: { write: (line: string) => void lines.push(line) } },
    });
    try {
      const token = 'T'.repeat(43);
      await request(app.server).get(`/v1/auth/magic-link/${token}`);
      await request(app.server).get(`/v1/auth/invitations/${token}`);
      await request(app.server).get('/v1/auth/sso/callback?code=the-providers-secret-code&state=s');
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.join('\n')).not.toMatch(/TTTTTTTT|the-providers-secret-code/);
    } finally {
      await app.close();
    }
  });
});

describe('users and their keys', () => {
  it('invitations expire, can be sent again (the old link stops) and revoked', async () => {
    const email = 'invitee@northwind.test';
    const invited = await api().post('/v1/users').set(bearer(org.adminKey)).send({ email, name: 'Ines', role: 'hiring_manager', timeZone: 'asia/calcutta', language: 'fr' });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ status: 'invited', timeZone: 'Asia/Kolkata', language: 'fr', role: 'hiring_manager' });
    const first = new URL(await linkFromInbox(fake, email, 'invitation'));
    const before = fake.messages().length;
    expect((await api().post(`/v1/users/${invited.body.id}/invitation`).set(bearer(org.adminKey))).status).toBe(200);
    const second = new URL(await linkFromInbox(fake, email, 'invitation', before));
    expect((await api().get(first.pathname)).body.code).toBe('sign_in_failed');
    await ctx.deps.db.user.update({ where: { id: invited.body.id }, data: { invitationExpiresAt: new Date(Date.now() - 1000) } });
    expect((await api().get(second.pathname)).body.code).toBe('sign_in_failed');
    // An expired invitation gets no magic link either.
    const mails = fake.messages().length;
    await askForLink(email);
    const revoked = await api().post(`/v1/users/${invited.body.id}/invitation/revoke`).set(bearer(org.adminKey));
    expect(revoked.body.status).toBe('deactivated');
    expect(
      fake
        .messages()
        .slice(mails)
        .filter((m) => m.To === email),
    ).toEqual([]);
    expect((await api().post('/v1/users').set(bearer(org.adminKey)).send({ email, name: 'Ines', role: 'viewer' })).status).toBe(409);
  });

  it('an invitation Postmark refuses answers 503 naming the user, and can be sent again', async () => {
    const email = 'refused@northwind.test';
    fake.markInactive(email);
    const refused = await api().post('/v1/users').set(bearer(org.adminKey)).send({ email, name: 'Rene', role: 'viewer' });
    expect([refused.status, refused.body.code]).toEqual([503, 'service_unavailable']);
    expect(refused.body.detail).toContain(`/v1/users/${refused.body.userId}/invitation`);
    expect((await api().get(`/v1/users/${refused.body.userId}`).set(bearer(org.adminKey))).body.status).toBe('invited');
  });

  it('replays a personal key created with an Idempotency-Key, and refuses the key for another body', async () => {
    const person = await invitePerson(ctx, fake, org, 'recruiter');
    const create = (name: string) =>
      api()
        .post('/v1/me/api-keys')
        .set({ ...person.headers, 'idempotency-key': 'personal-once' })
        .send({ name, scopes: ['read'] });
    const first = await create('tablet');
    const again = await create('tablet');
    expect(first.status).toBe(201);
    expect(first.body.apiKey).toMatchObject({ kind: 'personal', userId: person.userId, name: 'tablet' });
    expect([again.status, again.headers['idempotent-replayed'], again.headers.location]).toEqual([201, 'true', first.headers.location]);
    expect(again.text).toBe(first.text);
    const other = await create('watch');
    expect([other.status, other.body.code]).toEqual([422, 'idempotency_key_reused']);
    const mine = await api().get('/v1/me/api-keys').set(person.headers);
    expect(mine.body.data.filter((k: { name: string }) => k.name === 'tablet')).toHaveLength(1);
  });

  it('personal keys act as their person, never above the role; role changes and deactivation reach sessions and keys at once', async () => {
    const person = await invitePerson(ctx, fake, org, 'recruiter');
    const above = await api()
      .post('/v1/me/api-keys')
      .set(person.headers)
      .send({ name: 'too much', scopes: ['admin'] });
    expect([above.status, above.body.code]).toEqual([403, 'insufficient_scope']);
    const created = await api()
      .post('/v1/me/api-keys')
      .set(person.headers)
      .send({ name: 'laptop', scopes: ['read', 'write'] });
    expect(created.body.apiKey).toMatchObject({ kind: 'personal', userId: person.userId });
    const key = created.body.secret as string;
    const me = await api().get('/v1/me').set(bearer(key));
    expect(me.body).toMatchObject({ user: { id: person.userId }, apiKeyId: created.body.apiKey.id, scopes: ['read', 'write'], csrfToken: null });

    const requisition = await api().post('/v1/requisitions').set(bearer(key)).send({ title: 'Data Engineer' });
    expect(requisition.status).toBe(201);
    const audit = await api().get(`/v1/audit-events?entityId=${requisition.body.id}`).set(bearer(org.adminKey));
    expect(audit.body.data[0].actor).toBe(`user:${person.userId}`);

    // Down to viewer: the session ends, the key keeps only what a viewer may do.
    expect((await api().patch(`/v1/users/${person.userId}`).set(bearer(org.adminKey)).send({ role: 'viewer' })).status).toBe(200);
    expect((await api().get('/v1/me').set('cookie', person.cookie)).body.code).toBe('session_invalid');
    expect((await api().post('/v1/requisitions').set(bearer(key)).send({ title: 'Nope' })).body.code).toBe('insufficient_scope');
    expect((await api().get('/v1/requisitions').set(bearer(key))).status).toBe(200);

    // Deactivated: the key stops working; what they did stays, and so do they.
    expect((await api().post(`/v1/users/${person.userId}/deactivate`).set(bearer(org.adminKey))).body.status).toBe('deactivated');
    expect((await api().get('/v1/requisitions').set(bearer(key))).status).toBe(401);
    expect((await api().get(`/v1/audit-events?entityId=${requisition.body.id}`).set(bearer(org.adminKey))).body.data[0].actor).toBe(`user:${person.userId}`);
    expect((await api().get(`/v1/users/${person.userId}`).set(bearer(org.adminKey))).body.status).toBe('deactivated');
    // No magic link for a deactivated person (asked for first; a colleague's, asked next, arrives).
    const mails = fake.messages().length;
    await askForLink(person.email);
    const colleague = await invitePerson(ctx, fake, org, 'viewer');
    await askForLink(colleague.email);
    await linkFromInbox(fake, colleague.email, 'sign-in', mails);
    expect(
      fake
        .messages()
        .slice(mails)
        .filter((m) => m.To === person.email),
    ).toEqual([]);
  });

  it('existing keys are service keys and keep working', async () => {
    const keys = await api().get('/v1/api-keys').set(bearer(org.adminKey));
    expect(keys.body.data[0]).toMatchObject({ kind: 'service', userId: null });
    expect((await api().get('/v1/me').set(bearer(org.adminKey))).body).toMatchObject({ user: null, scopes: ['admin'] });
  });
});

describe('four-eyes compares people', () => {
  it('refuses the second approval from another key of the same person; another person may approve', async () => {
    expect((await api().patch('/v1/organization').set(bearer(org.adminKey)).send({ fourEyesApproval: true })).status).toBe(200);
    const recruiter = await invitePerson(ctx, fake, org, 'recruiter');
    const newKey = async (who: SignedIn, name: string) =>
      (
        await api()
          .post('/v1/me/api-keys')
          .set(who.headers)
          .send({ name, scopes: ['read', 'write', 'approve', 'override'] })
      ).body.secret as string;
    const [first, second] = [await newKey(recruiter, 'laptop'), await newKey(recruiter, 'phone')];
    const post = async (key: string, path: string, body: object) => {
      const response = await api().post(path).set(bearer(key)).send(body);
      if (response.status >= 300) throw new Error(`POST ${path}: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body;
    };
    const req = await post(first, '/v1/requisitions', { title: 'Four-eyes role' });
    const app = async (name: string) => {
      const candidate = await post(first, '/v1/candidates', { name, emails: [`${name.toLowerCase()}@x.test`] });
      return (await post(first, '/v1/applications', { candidate: { id: candidate.id }, requisition: { id: req.id } })).id as string;
    };
    const [hired, rejected] = [await app('Hired'), await app('Other')];
    const plan = await post(first, `/v1/requisitions/${req.id}/plans`, { chosen: [{ applicationId: hired }], targets: { mode: 'all_others_active' } });
    const confirmed = await post(first, `/v1/plans/${plan.id}/confirm`, { digest: plan.digest, chosenApplicationIds: [hired] });
    await ctx.deps.messages.renderPlan(plan.id);
    const messageId = confirmed.messages.find((m: { applicationId: string }) => m.applicationId === rejected).id as string;

    const own = await api().post(`/v1/messages/${messageId}/approve`).set(bearer(second)).send({ contentVersion: 1, overrideReason: 'Reviewed by the team' });
    expect([own.status, own.body.code]).toEqual([403, 'four_eyes']);
    const bySession = await api().post(`/v1/messages/${messageId}/approve`).set(recruiter.headers).send({ contentVersion: 1, overrideReason: 'Reviewed by the team' });
    expect(bySession.body.code).toBe('four_eyes');

    const colleague = await invitePerson(ctx, fake, org, 'recruiter');
    // The recruiter opened the requisition, so works on it, and brings the colleague on.
    expect((await api().put(`/v1/requisitions/${req.id}/members/${colleague.userId}`).set(bearer(first))).status).toBe(201);
    const approved = await api().post(`/v1/messages/${messageId}/approve`).set(colleague.headers).send({ contentVersion: 1, overrideReason: 'Reviewed by the team' });
    expect(approved.status).toBe(200);
    expect(approved.body.approvedBy).toBe(`user:${colleague.userId}`);
  });
});
