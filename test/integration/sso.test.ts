// OpenID Connect single sign-on against a real provider (oidc-provider) on a local port: the
// valid sign-in, just-in-time accounts, and every refusal — wrong state, wrong nonce, a code
// meant for another client, an expired ID token, a disallowed domain, an unverified address.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createSsoService } from '../../src/modules/people/sso.service.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { setUpSending } from '../helpers/delivery.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';
import { startOidcProvider, type LocalProvider } from '../helpers/oidc-provider.js';
import { invitePerson, sessionOf, setCookiesOf } from '../helpers/people.js';
import { startPostmarkServer, type PostmarkFake } from '../postmark/server.js';

const CALLBACK = 'http://localhost:3000/v1/auth/sso/callback';

let ctx: TestContext;
let fake: PostmarkFake;
let idp: LocalProvider;
let org: TestOrganization;
let other: TestOrganization;
const api = () => request(ctx.app.server);

beforeAll(async () => {
  fake = await startPostmarkServer();
  ctx = await createTestContext({ POSTMARK_API_URL: fake.url, SSO_ALLOW_HTTP_ISSUERS: 'true', RATE_LIMIT_PER_MINUTE: '100000' });
  idp = await startOidcProvider(
    [
      { clientId: 'hearback-northwind', clientSecret: 'northwind-client-secret-0123456789' },
      { clientId: 'hearback-other', clientSecret: 'other-client-secret-0123456789' },
    ],
    CALLBACK,
  );
  org = await createOrganization(ctx.deps, 'Northwind');
  other = await createOrganization(ctx.deps, 'Other');
  await setUpSending(ctx, org);
  const configured = await api()
    .put('/v1/organization/sso')
    .set(bearer(org.adminKey))
    .send({ issuer: idp.issuer, clientId: 'hearback-northwind', clientSecret: 'northwind-client-secret-0123456789', allowedDomains: ['Northwind.test'], jitRole: null });
  expect(configured.status).toBe(200);
  expect(configured.body).toEqual({ issuer: idp.issuer, clientIdHint: 'wind', allowedDomains: ['northwind.test'], jitRole: null, redirectUri: CALLBACK });
  await api()
    .put('/v1/organization/sso')
    .set(bearer(other.adminKey))
    .send({ issuer: idp.issuer, clientId: 'hearback-other', clientSecret: 'other-client-secret-0123456789', allowedDomains: ['northwind.test'], jitRole: 'viewer' })
    .expect(200);
});
afterAll(async () => {
  await ctx?.close();
  await idp?.close();
  await fake?.close();
});

/** Starts a sign-in for `organizationId`: the provider's URL and the browser's flow cookie. */
async function start(organizationId: string, app = ctx.app) {
  const started = await request(app.server).get(`/v1/auth/sso/${organizationId}`);
  expect(started.status).toBe(303);
  const flow = setCookiesOf(started).find((c) => c.name === 'hearback_sso')!;
  return { url: started.headers.location as string, cookie: `${flow.name}=${flow.value}`, sealed: flow.value };
}

async function callback(url: string, cookie: string, app = ctx.app) {
  const { pathname, search } = new URL(url);
  return request(app.server)
    .get(pathname + search)
    .set('cookie', cookie);
}

describe('OpenID Connect single sign-on', () => {
  it('signs in an invited person, with PKCE, state and nonce, and stores the client secret sealed', async () => {
    const person = await invitePerson(ctx, fake, org, 'recruiter', 'olga@northwind.test');
    const flow = await start(org.id);
    const authorization = new URL(flow.url);
    expect(authorization.origin).toBe(idp.issuer);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorization.searchParams.get('state')).toBeTruthy();
    expect(authorization.searchParams.get('nonce')).toBeTruthy();
    expect(authorization.searchParams.get('redirect_uri')).toBe(CALLBACK);

    idp.nextSignIn({ email: 'Olga@Northwind.test' });
    const back = await callback(await idp.authorize(flow.url, CALLBACK), flow.cookie);
    expect(back.status, JSON.stringify(back.body)).toBe(303);
    const session = setCookiesOf(back).find((c) => c.name === 'hearback_session')!;
    expect((await sessionOf(ctx, `${session.name}=${session.value}`)).userId).toBe(person.userId);

    const row = await ctx.deps.db.ssoConnection.findUniqueOrThrow({ where: { organizationId: org.id } });
    expect(row.clientSecret).not.toContain('northwind-client-secret');
    expect(row.clientId).not.toContain('hearback-northwind');
  });

  it('refuses an issuer on http or an internal address where that is not allowed', async () => {
    const strict = createSsoService({
      db: ctx.deps.db,
      sealer: ctx.deps.sealer,
      signIn: ctx.deps.signIn,
      settings: { publicBaseUrl: ctx.config.PUBLIC_BASE_URL, allowHttpIssuers: false },
    });
    const setup = { clientId: 'c', clientSecret: 's', allowedDomains: ['northwind.test'], jitRole: null };
    const actor = { organizationId: other.id, actor: 'cli' };
    for (const issuer of [idp.issuer, 'https://127.0.0.1/', 'https://sso.internal/', 'https://[::ffff:10.0.0.1]/']) {
      await expect(strict.set(actor, { ...setup, issuer })).rejects.toMatchObject({ code: 'validation_failed' });
    }
  });

  it('creates the account just in time when the organization allows it, and refuses unknown people when not', async () => {
    const jit = await start(other.id);
    idp.nextSignIn({ email: 'newcomer@northwind.test', name: 'Nia Newcomer' });
    const back = await callback(await idp.authorize(jit.url, CALLBACK), jit.cookie);
    expect(back.status).toBe(303);
    const session = setCookiesOf(back).find((c) => c.name === 'hearback_session')!;
    const me = await request(ctx.app.server).get('/v1/me').set('cookie', `${session.name}=${session.value}`);
    expect(me.body).toMatchObject({
      organizationId: other.id,
      user: { email: 'newcomer@northwind.test', name: 'Nia Newcomer', role: 'viewer', status: 'active' },
      scopes: ['read'],
    });

    const closed = await start(org.id);
    idp.nextSignIn({ email: 'stranger@northwind.test' });
    const refused = await callback(await idp.authorize(closed.url, CALLBACK), closed.cookie);
    expect([refused.status, refused.body.code]).toEqual([400, 'sign_in_failed']);
    expect(refused.body.detail).toContain('no account');
  });

  it('refuses a disallowed domain and an unverified address', async () => {
    await invitePerson(ctx, fake, org, 'viewer', 'unverified@northwind.test');
    const flow = await start(org.id);
    idp.nextSignIn({ email: 'someone@elsewhere.test' });
    const refused = await callback(await idp.authorize(flow.url, CALLBACK), flow.cookie);
    expect([refused.status, refused.body.code]).toEqual([400, 'sign_in_failed']);
    expect(refused.body.detail).toContain('elsewhere.test');
    expect(setCookiesOf(refused).find((c) => c.name === 'hearback_session')).toBeUndefined();

    const unverified = await start(org.id);
    idp.nextSignIn({ email: 'unverified@northwind.test', emailVerified: false });
    const notVerified = await callback(await idp.authorize(unverified.url, CALLBACK), unverified.cookie);
    expect(notVerified.body.detail).toContain('not verified');
  });

  it('refuses a wrong state, and a callback in a browser that did not start the sign-in', async () => {
    const flow = await start(org.id);
    idp.nextSignIn({ email: 'olga@northwind.test' });
    const returned = new URL(await idp.authorize(flow.url, CALLBACK));
    const tampered = new URL(returned);
    tampered.searchParams.set('state', 'a-state-this-browser-never-sent');
    const wrongState = await callback(tampered.toString(), flow.cookie);
    expect([wrongState.status, wrongState.body.code]).toEqual([400, 'sign_in_failed']);
    expect(wrongState.body.detail).toMatch(/state/i);
    const noCookie = await callback(returned.toString(), '');
    expect(noCookie.body.detail).toContain('did not start');
  });

  it('refuses an ID token whose nonce is not the one this browser’s sign-in sent', async () => {
    // The browser's flow (state, PKCE verifier) is right in all but its nonce: another sign-in's.
    const first = await start(org.id);
    const second = await start(org.id);
    idp.nextSignIn({ email: 'olga@northwind.test' });
    const returned = await idp.authorize(first.url, CALLBACK);
    const flow = JSON.parse(ctx.deps.sealer.open(first.sealed)) as { nonce: string };
    const otherNonce = (JSON.parse(ctx.deps.sealer.open(second.sealed)) as { nonce: string }).nonce;
    expect(otherNonce).not.toBe(flow.nonce);
    const mixed = ctx.deps.sealer.seal(JSON.stringify({ ...flow, nonce: otherNonce }));
    const refused = await callback(returned, `hearback_sso=${encodeURIComponent(mixed)}`);
    expect([refused.status, refused.body.code]).toEqual([400, 'sign_in_failed']);
    expect(refused.body.detail).toContain('claim nonce');
  });

  it('refuses a code issued to another client (audience) and an expired ID token', async () => {
    // The other organization's client got the code; this organization's flow cannot redeem it.
    const theirs = await start(other.id);
    const ours = await start(org.id);
    idp.nextSignIn({ email: 'olga@northwind.test' });
    const returned = await idp.authorize(theirs.url, CALLBACK);
    const flow = JSON.parse(ctx.deps.sealer.open(theirs.sealed)) as object;
    const swapped = ctx.deps.sealer.seal(JSON.stringify({ ...flow, organizationId: org.id }));
    expect(ours.sealed).not.toBe(swapped);
    const wrongAudience = await callback(returned, `hearback_sso=${encodeURIComponent(swapped)}`);
    expect([wrongAudience.status, wrongAudience.body.code]).toEqual([400, 'sign_in_failed']);
    expect(wrongAudience.body.detail).toContain('invalid_grant');

    // A Hearback whose clock runs two hours ahead sees the provider's ID token (1 h) as expired.
    const later = () => new Date(Date.now() + 2 * 3_600_000);
    const sso = createSsoService({
      db: ctx.deps.db,
      sealer: ctx.deps.sealer,
      signIn: ctx.deps.signIn,
      settings: { publicBaseUrl: ctx.config.PUBLIC_BASE_URL, allowHttpIssuers: true },
      now: later,
    });
    const app = await buildApp({ config: ctx.config, deps: { ...ctx.deps, sso }, logger: false });
    try {
      const flowLater = await start(org.id, app);
      idp.nextSignIn({ email: 'olga@northwind.test' });
      const expired = await callback(await idp.authorize(flowLater.url, CALLBACK), flowLater.cookie, app);
      expect([expired.status, expired.body.code]).toEqual([400, 'sign_in_failed']);
      expect(expired.body.detail).toContain('claim exp');
    } finally {
      await app.close();
    }
  });
});
