// Tenant isolation and scopes, generated from the OpenAPI document: organization B calls every
// operation with organization A's real ids (404, nothing of A's changed, nothing of A's shown,
// nothing of B's pointing at A), and A's keys with any scope but the one an operation names in
// its `security` requirement get 403. New routes are covered without editing this file; one
// whose path needs a value the fixtures do not have fails until test/helpers/tenant.ts has it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderOpenApi } from '../../openapi/generate.js';
import { ApiScope } from '../../src/generated/prisma/enums.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';
import { bodiesFor, isUuid, label, operationsOf, pathFor, queryFor, send, sendValid, summary, type OpenApiDocument, type Operation } from '../helpers/openapi-calls.js';
import { buildTenant, idsOf, queryOf, rowsOf, rowsPointingAt, type Query, type Tenant } from '../helpers/tenant.js';
import { startPostmarkServer, type PostmarkFake } from '../postmark/server.js';

/** Operations no organization calls with its API key, each with who does and where that is tested. */
const NOT_CALLED_WITH_AN_API_KEY: Record<string, string> = {
  getLiveness: 'infrastructure: no organization, no data',
  getReadiness: 'infrastructure: no organization, no data',
  getCandidateFeedback: 'the candidate: the link’s token is the credential and names one message (feedback-page tests)',
  receivePostmarkWebhook: 'Postmark, with the service’s webhook credentials (delivery tests)',
  receiveAtsWebhook: 'the ATS, signed with the connection’s own secret (ats-inbound tests)',
  requestMagicLink: 'a person signing in: the answer is the same for every address (people tests)',
  completeMagicLink: 'a person’s browser: the link’s token and the browser’s nonce cookie are the credential (people tests)',
  acceptInvitation: 'an invited person: the invitation’s token is the credential (people tests)',
  startSingleSignOn: 'a person’s browser, sent on to the organization’s identity provider (sso tests)',
  getSignInOptions: 'the sign-in page before anyone signs in: it says only whether the organization offers single sign-on (web-app tests)',
  completeSingleSignOn: 'a person’s browser back from the identity provider: the sealed flow cookie and the provider’s code are the credential (sso tests)',
};

let ctx: TestContext;
let fake: PostmarkFake;
let a: TestOrganization;
let b: TestOrganization;
let tenant: Tenant;
let document: OpenApiDocument;
let operations: Operation[];
let idsOfA: Set<string>;
let query: Query;

beforeAll(async () => {
  fake = await startPostmarkServer();
  ctx = await createTestContext({ POSTMARK_API_URL: fake.url, WEBHOOK_ALLOW_PRIVATE_URLS: 'true', OUTBOX_POLL_MS: '20', RATE_LIMIT_PER_MINUTE: '100000' });
  a = await createOrganization(ctx.deps, 'Aurora Labs');
  b = await createOrganization(ctx.deps, 'Borealis Works');
  tenant = await buildTenant(ctx, fake, a, 'Aurora');
  document = JSON.parse(renderOpenApi(ctx.app)) as OpenApiDocument;
  operations = operationsOf(document).filter((op) => op.scope !== null);
  query = queryOf(ctx.deps.db);
  idsOfA = await idsOf(query, a.id);
});
afterAll(async () => {
  await tenant?.close();
  await ctx?.close();
  await fake?.close();
});

const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** What of A's an answer shows, besides what the caller sent itself (echoed in a problem's detail). */
function leaked(answer: string, sent: string): string[] {
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text).toLowerCase();
    } catch {
      return text.toLowerCase();
    }
  };
  const values = [...sent.matchAll(/"((?:[^"\\]|\\.)*)"/g)].flatMap((m) => [m[1]!.toLowerCase(), decode(m[1]!)]);
  const segments = values.flatMap((value) => value.split('/'));
  let rest = answer.toLowerCase();
  for (const value of [...values, ...segments].filter((v) => v.length >= 8).sort((x, y) => y.length - x.length)) rest = rest.split(value).join('');
  const found: string[] = [];
  if (rest.includes(tenant.marker.toLowerCase())) found.push(`A's text "${tenant.marker}"`);
  for (const id of rest.match(UUIDS) ?? []) if (idsOfA.has(id)) found.push(`A's id ${id}`);
  return [...new Set(found)];
}

const changedTables = (before: Record<string, string>, after: Record<string, string>) => Object.keys(after).filter((table) => before[table] !== after[table]);
const isProblem = (res: { headers: Record<string, string> }) => String(res.headers['content-type']).startsWith('application/problem+json');

describe('organization B with organization A’s ids, for every operation', () => {
  it('names every operation called without an API key, with who calls it', () => {
    const others = operationsOf(document).filter((op) => op.scope === null);
    expect(others.map((op) => op.id).sort(), 'an operation without an API key scope: add it here, with who calls it').toEqual(Object.keys(NOT_CALLED_WITH_AN_API_KEY).sort());
    expect(
      operations.every((op) => Object.values(ApiScope).includes(op.scope as ApiScope)),
      'every API key operation names its scope',
    ).toBe(true);
  });

  it('by id: 404 problem+json, nothing of A’s shown or changed', async () => {
    const failures: string[] = [];
    const byId = operations.filter((op) => op.pathParameters.length > 0);
    expect(byId.length).toBeGreaterThan(30);
    for (const op of byId) {
      const call = { path: pathFor(op, tenant.fixtures, tenant.byName), query: queryFor(op, tenant.byName), headers: bearer(b.adminKey) };
      const before = await rowsOf(query, a.id);
      const { res, sent } = await sendValid(ctx.app, op, call, bodiesFor(op, document, tenant.byName));
      const after = await rowsOf(query, a.id);
      const problems: string[] = [];
      if (op.pathParameters.some(isUuid)) {
        if (res.status !== 404 || !isProblem(res) || res.body.code !== 'not_found') problems.push(`answered ${summary(res)}`);
      } else if (res.status >= 500 || (res.status >= 400 && !isProblem(res))) {
        // A's value names nothing global here (a template's kind, an address): B's own, or nothing.
        problems.push(`answered ${summary(res)}`);
      }
      problems.push(...leaked(res.text, sent).map((what) => `showed ${what}`));
      problems.push(...changedTables(before, after).map((table) => `changed A's ${table}`));
      if (problems.length > 0) failures.push(`${label(op)}: ${problems.join('; ')}`);
    }
    expect(failures).toEqual([]);
  });

  it('everything else (lists, creates, ids in queries and bodies): nothing of A’s shown or changed', async () => {
    const failures: string[] = [];
    for (const op of operations.filter((o) => o.pathParameters.length === 0)) {
      const call = { path: op.path, query: queryFor(op, tenant.byName), headers: bearer(b.adminKey) };
      const before = await rowsOf(query, a.id);
      const { res, sent } = await sendValid(ctx.app, op, call, bodiesFor(op, document, tenant.byName));
      const after = await rowsOf(query, a.id);
      const problems: string[] = [];
      if (res.status >= 500 || (res.status >= 400 && !isProblem(res))) problems.push(`answered ${summary(res)}`);
      problems.push(...leaked(res.text, sent).map((what) => `showed ${what}`));
      problems.push(...changedTables(before, after).map((table) => `changed A's ${table}`));
      if (problems.length > 0) failures.push(`${label(op)}: ${problems.join('; ')}`);
    }
    expect(failures).toEqual([]);
    // Nothing B now holds points at A (an application on A's candidate, a link to A's record...).
    expect(await rowsPointingAt(query, b.id, idsOfA)).toEqual([]);
  });
});

describe('scopes, for every operation', () => {
  const keys = new Map<string, string>();
  /** A key of A's with exactly these scopes (one per set). */
  const keyWith = async (organization: TestOrganization, scopes: ApiScope[]) => {
    const name = `${organization.id}:${[...scopes].sort().join('+')}`;
    if (!keys.has(name)) keys.set(name, await organization.key(scopes));
    return keys.get(name)!;
  };

  /** Every scope but the one the operation names and admin: alone, then all together. */
  const lesser = (op: Operation) => {
    const below = Object.values(ApiScope).filter((scope) => scope !== op.scope && scope !== 'admin');
    return [...below.map((scope) => [scope]), below];
  };

  it('every scope but the one it names (alone, and all together) gets 403 problem+json; A unchanged', async () => {
    // The keys first: making them is a change to A.
    for (const op of operations) for (const scopes of lesser(op)) await keyWith(a, scopes);
    const failures: string[] = [];
    for (const op of operations) {
      const call = { path: pathFor(op, tenant.fixtures, tenant.byName), query: queryFor(op, tenant.byName), body: bodiesFor(op, document, tenant.byName).at(-1) };
      const before = await rowsOf(query, a.id);
      for (const scopes of lesser(op)) {
        const res = await send(ctx.app, op, { ...call, headers: bearer(await keyWith(a, scopes)) });
        if (res.status !== 403 || !isProblem(res) || res.body.code !== 'insufficient_scope' || res.body.requiredScope !== op.scope) {
          failures.push(`${label(op)} with [${scopes.join(', ')}]: answered ${summary(res)}`);
        }
      }
      for (const table of changedTables(before, await rowsOf(query, a.id))) failures.push(`${label(op)}: changed A's ${table}`);
    }
    expect(failures).toEqual([]);
  });

  it('the scope it names is enough to get past the check (in a third organization, on ids it does not have)', async () => {
    const c = await createOrganization(ctx.deps, 'Cirrus Control');
    const none = Object.fromEntries(Object.entries(tenant.byName).map(([name, value]) => [name, name.endsWith('Id') ? crypto.randomUUID() : value]));
    const fixtures = Object.fromEntries(
      Object.entries(tenant.fixtures).map(([collection, values]) => [
        collection,
        Object.fromEntries(Object.entries(values).map(([k, v]) => [k, k === 'id' ? crypto.randomUUID() : v])),
      ]),
    );
    const failures: string[] = [];
    for (const op of operations) {
      const call = { path: pathFor(op, fixtures, none), query: queryFor(op, none), headers: bearer(await keyWith(c, [op.scope as ApiScope])) };
      const { res } = await sendValid(ctx.app, op, call, bodiesFor(op, document, none));
      if (res.status === 401 || res.body?.code === 'insufficient_scope' || res.status >= 500) failures.push(`${label(op)} with [${op.scope}]: answered ${summary(res)}`);
    }
    expect(failures).toEqual([]);
  });
});
