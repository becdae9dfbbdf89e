// Requisition membership, generated from the OpenAPI document like the tenancy test: a recruiter of
// the same organization who is not a member of the requisition calls every operation with its
// real ids and gets the 404 another organization would (nothing changed), and every other
// operation shows none of it. Then the people who do see it: its members (by session and by
// personal key), admins and service keys, and a removal that applies on the next request.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderOpenApi } from '../../openapi/generate.js';
import { roleScopes } from '../../src/modules/people/roles.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';
import { bodiesFor, label, operationsOf, pathFor, queryFor, sendValid, summary, type OpenApiDocument, type Operation } from '../helpers/openapi-calls.js';
import { invitePerson, type SignedIn } from '../helpers/people.js';
import { buildTenant, queryOf, type Query, type Tenant } from '../helpers/tenant.js';
import { startPostmarkServer, type PostmarkFake } from '../postmark/server.js';

/** The collections whose things belong to a requisition: by id, a non-member gets a 404. */
const ON_A_REQUISITION = new Set(['requisitions', 'candidates', 'applications', 'plans', 'messages', 'questions']);

/** Operations that show requisition-bound ids to anyone with their scope, each with why. */
const ORGANIZATION_WIDE: Record<string, string> = {
  listDataRequests: 'data requests follow their legal deadline, not a requisition: whoever handles them sees them all',
  completeDataRequest: 'the same (admin scope anyway)',
  listInboundDeliveries: 'the integration’s log: what the ATS sent, including requisitions nobody here works on',
  listWebhookDeliveries: 'the integration’s log: what Hearback told the ATS',
  listWebhookAttempts: 'the same, per endpoint',
  listAtsActivity: 'the integration’s log of an ATS connection',
};

/** The tables of requisition-bound things, and the id column each is known by. */
const BOUND_TABLES = ['requisitions', 'applications', 'candidates', 'messages', 'decision_plans', 'feedback_questions'];

let ctx: TestContext;
let fake: PostmarkFake;
let org: TestOrganization;
let tenant: Tenant;
let document: OpenApiDocument;
let operations: Operation[];
let query: Query;
let requisitionId: string;
/** Every id of a thing on a requisition of the organization, before the outsider calls. */
let boundIds: Set<string>;
let outsider: SignedIn;
let outsiderKey: string;
let member: SignedIn;
let memberKey: string;

const api = () => request(ctx.app.server);

async function personalKey(person: SignedIn, scopes: readonly string[]): Promise<string> {
  const res = await api().post('/v1/me/api-keys').set(person.headers).send({ name: 'mine', scopes });
  if (res.status !== 201) throw new Error(`POST /v1/me/api-keys: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.secret as string;
}

/** A fingerprint of the requisition-bound rows that existed before (new rows of the caller's own do not count). */
async function boundRows(): Promise<string> {
  const parts = BOUND_TABLES.map(
    (table) => `SELECT '${table}' AS t, md5(coalesce(string_agg(to_jsonb(x)::text, '|' ORDER BY x.id), '')) AS d FROM "${table}" x WHERE x.id = ANY($1::uuid[])`,
  );
  const rows = await query<{ t: string; d: string }>(parts.join(' UNION ALL '), [...boundIds]);
  return rows.map((r) => `${r.t}:${r.d}`).join(',');
}

beforeAll(async () => {
  fake = await startPostmarkServer();
  ctx = await createTestContext({ POSTMARK_API_URL: fake.url, WEBHOOK_ALLOW_PRIVATE_URLS: 'true', OUTBOX_POLL_MS: '20', RATE_LIMIT_PER_MINUTE: '100000' });
  org = await createOrganization(ctx.deps, 'Aurora Labs');
  tenant = await buildTenant(ctx, fake, org, 'Aurora');
  requisitionId = tenant.byName.requisitionId!;
  document = JSON.parse(renderOpenApi(ctx.app)) as OpenApiDocument;
  operations = operationsOf(document).filter((op) => op.scope !== null && (roleScopes.recruiter as readonly string[]).includes(op.scope));
  query = queryOf(ctx.deps.db);
  const ids = await query<{ id: string }>(BOUND_TABLES.map((t) => `SELECT id::text FROM "${t}" WHERE organization_id = $1::uuid`).join(' UNION ALL '), org.id);
  boundIds = new Set(ids.map((r) => r.id));
  outsider = await invitePerson(ctx, fake, org, 'recruiter', 'outsider@aurora.test');
  outsiderKey = await personalKey(outsider, roleScopes.recruiter);
  member = await invitePerson(ctx, fake, org, 'recruiter', 'member@aurora.test');
  memberKey = await personalKey(member, roleScopes.recruiter);
  const added = await api().put(`/v1/requisitions/${requisitionId}/members/${member.userId}`).set(bearer(org.adminKey));
  if (added.status !== 201) throw new Error(`adding the member: ${summary(added)}`);
});
afterAll(async () => {
  await tenant?.close();
  await ctx?.close();
  await fake?.close();
});

const collectionOf = (op: Operation) => op.path.split('/')[2]!;

/** Words only the requisition's things carry: its title, its candidates' names, the question asked. */
const BOUND_TEXTS = ['Platform Engineer', 'Data Engineer', 'Quokka', 'Wombat', 'which topics should I study'];

/** The requisition-bound ids and words an answer shows, besides those the caller sent itself. */
const shown = (answer: string, sent: string) => [
  ...[...new Set(answer.toLowerCase().match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? [])].filter((id) => boundIds.has(id) && !sent.includes(id)),
  ...BOUND_TEXTS.filter((text) => answer.includes(text) && !sent.includes(text)),
];

describe('a recruiter who is not a member, for every operation of their role', () => {
  it('by id on anything of the requisition: the 404 of a missing one, nothing changed', async () => {
    const failures: string[] = [];
    const byId = operations.filter((op) => op.pathParameters.length > 0 && ON_A_REQUISITION.has(collectionOf(op)));
    expect(byId.length).toBeGreaterThan(20);
    for (const op of byId) {
      const call = { path: pathFor(op, tenant.fixtures, { ...tenant.byName, userId: outsider.userId }), query: queryFor(op, tenant.byName), headers: bearer(outsiderKey) };
      const before = await boundRows();
      const { res } = await sendValid(ctx.app, op, call, bodiesFor(op, document, tenant.byName));
      if (res.status !== 404 || res.body?.code !== 'not_found') failures.push(`${label(op)}: answered ${summary(res)}`);
      if ((await boundRows()) !== before) failures.push(`${label(op)}: changed the requisition's things`);
    }
    expect(failures).toEqual([]);
  });

  it('everything else (lists, reports, creates naming its ids): shows none of it, changes none of it', async () => {
    const failures: string[] = [];
    const others = operations.filter((op) => !(op.pathParameters.length > 0 && ON_A_REQUISITION.has(collectionOf(op))) && !(op.id in ORGANIZATION_WIDE));
    for (const op of others) {
      // A person's own things (notifications) are not the requisition's: any id of theirs will do.
      const fixtures = { notifications: { id: randomUUID() }, ...tenant.fixtures };
      const call = { path: pathFor(op, fixtures, tenant.byName), query: queryFor(op, tenant.byName), headers: bearer(outsiderKey) };
      const before = await boundRows();
      const { res, sent } = await sendValid(ctx.app, op, call, bodiesFor(op, document, tenant.byName));
      if (res.status >= 500) failures.push(`${label(op)}: answered ${summary(res)}`);
      const ids = shown(res.text, sent);
      if (ids.length > 0) failures.push(`${label(op)}: showed ${ids.join(', ')}`);
      if ((await boundRows()) !== before) failures.push(`${label(op)}: changed the requisition's things`);
    }
    expect(failures).toEqual([]);
  });

  it('cannot preview a template with the data of one of its messages', async () => {
    const body = { kind: 'rejection_after_interview', locale: 'en', data: { messageId: tenant.byName.messageId } };
    const refused = await api().post('/v1/templates/preview').set(bearer(outsiderKey)).send(body);
    expect([refused.status, refused.body.code]).toEqual([404, 'not_found']);
    expect((await api().post('/v1/templates/preview').set(bearer(memberKey)).send(body)).status).toBe(200);
  });

  it('is not shown the requisition in GET /v1/me nor in the list', async () => {
    const me = await api().get('/v1/me').set(outsider.headers);
    expect(me.body.requisitions).not.toContain(requisitionId);
    const list = await api().get('/v1/requisitions').set(bearer(outsiderKey));
    expect(list.body.data.map((r: { id: string }) => r.id)).not.toContain(requisitionId);
  });
});

describe('who sees the requisition', () => {
  const seesIt = async (headers: Record<string, string>) => {
    const [one, list, message, messages, plans, questions] = await Promise.all([
      api().get(`/v1/requisitions/${requisitionId}`).set(headers),
      api().get('/v1/requisitions').set(headers),
      api().get(`/v1/messages/${tenant.byName.messageId}`).set(headers),
      api().get('/v1/messages').set(headers),
      api().get(`/v1/plans/${tenant.byName.planId}`).set(headers),
      api().get('/v1/questions').set(headers),
    ]);
    return {
      one: one.status,
      listed: list.body.data?.some((r: { id: string }) => r.id === requisitionId) ?? false,
      message: message.status,
      messages: messages.body.data?.some((m: { id: string }) => m.id === tenant.byName.messageId) ?? false,
      plan: plans.status,
      questions: questions.body.data?.length ?? 0,
    };
  };
  const everything = { one: 200, listed: true, message: 200, messages: true, plan: 200, questions: 1 };

  it('a member, by session and by personal key, sees and acts on it', async () => {
    expect(await seesIt(member.headers)).toEqual(everything);
    expect(await seesIt(bearer(memberKey))).toEqual(everything);
    const patched = await api().patch(`/v1/applications/${tenant.byName.applicationId}`).set(bearer(memberKey)).send({ stage: 'Final interview' });
    expect(patched.status, summary(patched)).toBe(200);
    const me = await api().get('/v1/me').set(member.headers);
    expect(me.body.requisitions).toEqual([requisitionId]);
  });

  it('an admin and a service key see every requisition', async () => {
    const admin = await invitePerson(ctx, fake, org, 'admin', 'admin@aurora.test');
    expect(await seesIt(admin.headers)).toEqual(everything);
    expect(await seesIt(bearer(await org.key(['read'])))).toEqual(everything);
    expect((await api().get('/v1/me').set(admin.headers)).body.requisitions).toBe('all');
  });

  it('a removal applies on the next request, to the session and the personal key alike; adding back restores it', async () => {
    const removed = await api().delete(`/v1/requisitions/${requisitionId}/members/${member.userId}`).set(bearer(org.adminKey));
    expect(removed.status).toBe(204);
    expect((await api().get(`/v1/requisitions/${requisitionId}`).set(member.headers)).status).toBe(404);
    expect((await api().get(`/v1/messages/${tenant.byName.messageId}`).set(bearer(memberKey))).status).toBe(404);
    expect((await api().delete(`/v1/requisitions/${requisitionId}/members/${member.userId}`).set(bearer(org.adminKey))).status).toBe(204);
    expect((await api().put(`/v1/requisitions/${requisitionId}/members/${member.userId}`).set(bearer(org.adminKey))).status).toBe(201);
    expect((await api().get(`/v1/requisitions/${requisitionId}`).set(bearer(memberKey))).status).toBe(200);
  });
});

describe('the members API', () => {
  it('a member recruiter brings a colleague on (idempotent, audited); a hiring manager cannot; a non-member gets 404', async () => {
    const colleague = await invitePerson(ctx, fake, org, 'hiring_manager', 'colleague@aurora.test');
    const path = `/v1/requisitions/${requisitionId}/members/${colleague.userId}`;
    const first = await api().put(path).set(bearer(memberKey));
    expect(first.status, summary(first)).toBe(201);
    expect(first.body).toMatchObject({ userId: colleague.userId, role: 'hiring_manager', active: true, addedBy: `user:${member.userId}` });
    expect((await api().put(path).set(member.headers)).status).toBe(200);
    expect((await api().get(`/v1/requisitions/${requisitionId}`).set(colleague.headers)).status).toBe(200);

    const byManager = await api().put(`/v1/requisitions/${requisitionId}/members/${outsider.userId}`).set(colleague.headers);
    expect(byManager.status).toBe(403);
    expect(byManager.body.code).toBe('insufficient_scope');
    const byOutsider = await api().put(`/v1/requisitions/${requisitionId}/members/${outsider.userId}`).set(bearer(outsiderKey));
    expect(byOutsider.status).toBe(404);

    const listed = await api().get(`/v1/requisitions/${requisitionId}/members`).set(colleague.headers);
    expect(listed.body.data.map((m: { userId: string }) => m.userId)).toEqual(expect.arrayContaining([member.userId, colleague.userId]));
    const audit = await api().get('/v1/audit-events').query({ entity: 'requisition', entityId: requisitionId, action: 'requisition.member_added' }).set(bearer(org.adminKey));
    expect(audit.body.data.filter((e: { actor: string }) => e.actor === `user:${member.userId}`)).toHaveLength(1);
  });

  it('a deactivated member stays listed, inactive, and sees nothing', async () => {
    const leaving = await invitePerson(ctx, fake, org, 'viewer', 'leaving@aurora.test');
    await api().put(`/v1/requisitions/${requisitionId}/members/${leaving.userId}`).set(bearer(org.adminKey)).expect(201);
    await api().post(`/v1/users/${leaving.userId}/deactivate`).set(bearer(org.adminKey)).expect(200);
    const listed = await api().get(`/v1/requisitions/${requisitionId}/members`).set(bearer(org.adminKey));
    expect(listed.body.data.find((m: { userId: string }) => m.userId === leaving.userId)).toMatchObject({ active: false });
    expect((await api().get(`/v1/requisitions/${requisitionId}`).set(leaving.headers)).status).toBe(401);
    expect((await api().put(`/v1/requisitions/${requisitionId}/members/${leaving.userId}`).set(bearer(org.adminKey))).status).toBe(409);
  });

  it('whoever creates a requisition through the API becomes its member', async () => {
    const created = await api().post('/v1/requisitions').set(bearer(outsiderKey)).send({ title: 'Site Reliability Engineer' });
    expect(created.status, summary(created)).toBe(201);
    expect((await api().get(`/v1/requisitions/${created.body.id}`).set(outsider.headers)).status).toBe(200);
    expect((await api().get('/v1/me').set(outsider.headers)).body.requisitions).toContain(created.body.id);
    const bulk = await api()
      .post('/v1/bulk-upserts')
      .set(bearer(outsiderKey))
      .send({
        requisitions: [{ title: 'Data Analyst', externalIds: [{ source: 'ats', id: 'req-analyst' }] }],
        candidates: [{ name: 'Numbat Analyst', emails: ['numbat@aurora.test'], externalIds: [{ source: 'ats', id: 'cand-numbat' }] }],
        applications: [{ candidate: { source: 'ats', externalId: 'cand-numbat' }, requisition: { source: 'ats', externalId: 'req-analyst' } }],
      });
    expect(bulk.status, summary(bulk)).toBe(200);
    expect((await api().get(`/v1/applications/${bulk.body.applications[0].id}`).set(bearer(outsiderKey))).status).toBe(200);
    // A member cannot link their candidate to one they do not see.
    const link = await api().post(`/v1/candidates/${tenant.fixtures.candidates!.id}/links`).set(bearer(memberKey)).send({ candidateId: bulk.body.candidates[0].id });
    expect([link.status, link.body.code]).toEqual([404, 'not_found']);
    // Still not the other one.
    expect((await api().get(`/v1/requisitions/${requisitionId}`).set(outsider.headers)).status).toBe(404);
  });

  it('cannot update a candidate it does not see by naming their external ids; may update its own, even before they apply', async () => {
    const ids = [{ source: 'ats', id: 'cand-wombat-upsert' }];
    // An admin gives the requisition's candidate an external id.
    const tagged = await api()
      .post('/v1/candidates')
      .set(bearer(org.adminKey))
      .send({ name: 'Wombat Renamed By Admin', emails: ['wombat-upsert@aurora.test'], externalIds: ids });
    expect(tagged.status, summary(tagged)).toBe(201);
    const applied = await api()
      .post('/v1/applications')
      .set(bearer(org.adminKey))
      .send({ candidate: { id: tagged.body.id }, requisition: { id: requisitionId } });
    expect(applied.status, summary(applied)).toBe(201);
    boundIds.add(tagged.body.id);
    const before = await boundRows();
    const refused = await api()
      .post('/v1/candidates')
      .set(bearer(outsiderKey))
      .send({ name: 'Overwritten', emails: ['attacker@aurora.test'], externalIds: ids });
    expect([refused.status, refused.body.code], summary(refused)).toEqual([409, 'conflict']);
    expect(refused.body.errors).toEqual([{ path: 'body.externalIds', message: 'names a candidate you cannot see' }]);
    expect(refused.text).not.toContain(tagged.body.id);
    expect(await boundRows()).toBe(before);
    // The same in a bulk upsert among new records: the batch is refused with the record's path, nothing written.
    const fresh = (i: number) => ({ name: `Fresh ${i}`, emails: [`fresh-${i}@aurora.test`], externalIds: [{ source: 'ats', id: `fresh-${i}` }] });
    const batch = Array.from({ length: 200 }, (_, i) => (i === 150 ? { name: 'Overwritten', emails: ['attacker@aurora.test'], externalIds: ids } : fresh(i)));
    const refusedBulk = await api().post('/v1/bulk-upserts').set(bearer(outsiderKey)).send({ candidates: batch });
    expect([refusedBulk.status, refusedBulk.body.code], summary(refusedBulk)).toEqual([409, 'conflict']);
    expect(refusedBulk.body.errors).toEqual([{ path: 'body.candidates.150.externalIds', message: 'names a candidate you cannot see' }]);
    // New records with an application on a requisition the caller does not see: answered as unknown, with its path.
    const hidden = await api()
      .post('/v1/bulk-upserts')
      .set(bearer(outsiderKey))
      .send({
        candidates: batch.filter((_, i) => i !== 150),
        applications: [{ candidate: { source: 'ats', externalId: 'fresh-0' }, requisition: { id: requisitionId } }],
      });
    expect([hidden.status, hidden.body.errors], summary(hidden)).toEqual([400, [{ path: 'body.applications.0.requisition', message: 'no such requisition' }]]);
    expect(await boundRows()).toBe(before);
    expect(await ctx.deps.db.candidate.count({ where: { name: { startsWith: 'Fresh ' } } })).toBe(0);
    // The member of its requisition may.
    const updated = await api()
      .post('/v1/candidates')
      .set(bearer(memberKey))
      .send({ name: 'Wombat Updated', emails: ['wombat-upsert@aurora.test'], externalIds: ids });
    expect([updated.status, updated.body.name], summary(updated)).toEqual([200, 'Wombat Updated']);
    // One's own record that applied nowhere yet: updated by the same upsert.
    const own = [{ source: 'ats', id: 'cand-own-upsert' }];
    expect(
      (
        await api()
          .post('/v1/candidates')
          .set(bearer(outsiderKey))
          .send({ name: 'Own', emails: ['own@aurora.test'], externalIds: own })
      ).status,
    ).toBe(201);
    const again = await api()
      .post('/v1/candidates')
      .set(bearer(outsiderKey))
      .send({ name: 'Own Again', emails: ['own@aurora.test'], externalIds: own });
    expect([again.status, again.body.name], summary(again)).toEqual([200, 'Own Again']);
  });

  it('shows, as the same person, only the records the caller sees: sameAs and identity links', async () => {
    // The outsider's own requisition and record; then the same person on the requisition they do not see.
    const own = await api().post('/v1/requisitions').set(bearer(outsiderKey)).send({ title: 'Outsider’s role' });
    expect(own.status, summary(own)).toBe(201);
    const mine = await api()
      .post('/v1/candidates')
      .set(bearer(outsiderKey))
      .send({ name: 'Twin Mine', emails: ['twin@aurora.test'] });
    expect(
      (
        await api()
          .post('/v1/applications')
          .set(bearer(outsiderKey))
          .send({ candidate: { id: mine.body.id }, requisition: { id: own.body.id } })
      ).status,
    ).toBe(201);
    const theirs = await api()
      .post('/v1/candidates')
      .set(bearer(org.adminKey))
      .send({ name: 'Twin Theirs', emails: ['Twin@aurora.test'] });
    expect(
      (
        await api()
          .post('/v1/applications')
          .set(bearer(org.adminKey))
          .send({ candidate: { id: theirs.body.id }, requisition: { id: requisitionId } })
      ).status,
    ).toBe(201);

    // The admin sees one person in two records, linked by the shared address.
    expect((await api().get(`/v1/candidates/${mine.body.id}`).set(bearer(org.adminKey))).body.sameAs).toEqual([theirs.body.id]);
    expect((await api().get(`/v1/candidates/${mine.body.id}/links`).set(bearer(org.adminKey))).body.data).toHaveLength(1);
    // The outsider sees their record alone: no id of the other, no link to it.
    const seen = await api().get(`/v1/candidates/${mine.body.id}`).set(bearer(outsiderKey));
    expect([seen.status, seen.body.sameAs]).toEqual([200, []]);
    const links = await api().get(`/v1/candidates/${mine.body.id}/links`).set(bearer(outsiderKey));
    expect([links.status, links.body.data]).toEqual([200, []]);
    const listed = await api().get(`/v1/candidates?email=twin@aurora.test`).set(bearer(outsiderKey));
    expect(listed.body.data.map((c: { id: string; sameAs: string[] }) => [c.id, c.sameAs])).toEqual([[mine.body.id, []]]);
    for (const res of [seen, links, listed]) expect(res.text).not.toContain(theirs.body.id);
  });
});
