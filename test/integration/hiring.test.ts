import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { sql } from '../helpers/database.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';
import { canonicalTimeZone, knownTimeZoneNames } from '../../src/lib/time-zones.js';
import { applicationsRepository } from '../../src/modules/hiring/applications.repository.js';
import { candidatesRepository } from '../../src/modules/hiring/candidates.repository.js';
import { externalIdsRepository } from '../../src/modules/hiring/external-ids.repository.js';
import { requisitionsRepository } from '../../src/modules/hiring/requisitions.repository.js';

let ctx: TestContext;
let org: TestOrganization;
let other: TestOrganization;
let key: string;

beforeAll(async () => {
  ctx = await createTestContext();
  org = await createOrganization(ctx.deps);
  other = await createOrganization(ctx.deps);
  key = await org.key(['read', 'write']);
});
afterAll(() => ctx.close());

const post = (path: string, body: object, apiKey = key) => request(ctx.app.server).post(path).set(bearer(apiKey)).send(body);
const patch = (path: string, body: object) => request(ctx.app.server).patch(path).set(bearer(key)).send(body);
const get = (path: string, apiKey = key) => request(ctx.app.server).get(path).set(bearer(apiKey));
const auditCount = async (entityId: string) =>
  Number((await sql<{ n: string }>(ctx.database.url, 'SELECT count(*) AS n FROM audit_events WHERE entity_id = $1', [entityId]))[0]!.n);

describe('requisitions', () => {
  it('create-or-update by external id is idempotent', async () => {
    const body = { title: 'Backend Engineer', department: 'Platform', externalIds: [{ source: 'greenhouse', id: 'job-1' }] };
    const created = await post('/v1/requisitions', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ title: 'Backend Engineer', status: 'open', defaultLocale: 'en', externalIds: [{ source: 'greenhouse', id: 'job-1' }] });

    const again = await post('/v1/requisitions', body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(created.body); // nothing changed, not even updatedAt
    expect(await auditCount(created.body.id)).toBe(1);

    const onHold = await post('/v1/requisitions', { ...body, status: 'on_hold' });
    expect(onHold.status).toBe(200);
    expect(onHold.body.status).toBe('on_hold');
    const audit = await get(`/v1/audit-events?entityId=${created.body.id}`);
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(['requisition.created', 'requisition.status_changed']);
    expect(audit.body.data[1]).toMatchObject({
      actor: expect.stringMatching(/^api_key:/),
      requestId: onHold.headers['x-request-id'],
      before: { status: 'open' },
      after: { status: 'on_hold' },
    });
  });

  it('lists with a status filter and edits with PATCH', async () => {
    const r = await post('/v1/requisitions', { title: 'Designer' });
    const filled = await patch(`/v1/requisitions/${r.body.id}`, { status: 'filled', promisedDecisionAt: '2026-12-01T10:00:00+01:00' });
    expect(filled.body).toMatchObject({ status: 'filled', promisedDecisionAt: '2026-12-01T09:00:00.000Z' });
    const list = await get('/v1/requisitions?status=filled');
    expect(list.body.data.map((x: { id: string }) => x.id)).toEqual([r.body.id]);
  });

  it('refuses bad input with field paths, and hides other organizations', async () => {
    const bad = await post('/v1/requisitions', { title: '', defaultLocale: 'english!', externalIds: [{ source: 'Green House', id: 'x' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.defaultLocale', 'body.externalIds.0.source', 'body.title']);
    const mine = await post('/v1/requisitions', { title: 'Secret role' });
    expect((await get(`/v1/requisitions/${mine.body.id}`, other.adminKey)).status).toBe(404);
    expect((await request(ctx.app.server).patch(`/v1/requisitions/${mine.body.id}`).set(bearer(other.adminKey)).send({ title: 'x' })).status).toBe(404);
  });

  it('needs the write scope to change data', async () => {
    const readOnly = await org.key(['read']);
    expect((await post('/v1/requisitions', { title: 'x' }, readOnly)).status).toBe(403);
  });
});

describe('candidates and identity', () => {
  it('normalises emails and phones', async () => {
    const res = await post('/v1/candidates', {
      name: 'Élodie Martin',
      emails: ['  Elodie.Martin@Example.FR ', 'elodie.martin@example.fr', 'e.martin@work.test'],
      phone: '06 12 34 56 78',
      phoneCountry: 'FR',
      locale: 'fr-FR',
      timezone: 'Europe/Paris',
    });
    expect(res.status).toBe(201);
    expect(res.body.emails).toEqual([
      { address: 'Elodie.Martin@Example.FR', normalized: 'elodie.martin@example.fr', primary: true },
      { address: 'e.martin@work.test', normalized: 'e.martin@work.test', primary: false },
    ]);
    expect(res.body.phone).toBe('+33612345678');
    expect(res.body).toMatchObject({ personId: res.body.id, sameAs: [] });
  });

  it('links a second record with a differently-cased email as the same person, with evidence', async () => {
    const first = await post('/v1/candidates', { name: 'Amara Okafor', emails: ['amara@example.com'], externalIds: [{ source: 'greenhouse', id: 'c-1' }] });
    const second = await post('/v1/candidates', { name: 'Amara O.', emails: ['AMARA@Example.com'], externalIds: [{ source: 'lever', id: 'l-9' }] });
    expect(second.status).toBe(201);
    expect(second.body.personId).toBe(first.body.id);
    expect(second.body.sameAs).toEqual([first.body.id]);
    expect((await get(`/v1/candidates/${first.body.id}`)).body.sameAs).toEqual([second.body.id]);

    const links = await get(`/v1/candidates/${first.body.id}/links`);
    expect(links.body.data).toEqual([
      expect.objectContaining({ candidateId: second.body.id, linkedCandidateId: first.body.id, reason: 'same_email', evidence: 'amara@example.com' }),
    ]);
    const byEmail = await get('/v1/candidates?email=%20Amara@EXAMPLE.com');
    expect(byEmail.body.data.map((c: { id: string }) => c.id)).toEqual([first.body.id, second.body.id]);
  });

  it('links by phone number, and an ATS merge joins two whole groups', async () => {
    const a = await post('/v1/candidates', { name: 'Kenji Sato', emails: ['kenji@a.test'], phone: '+81 90-1234-5678' });
    const b = await post('/v1/candidates', { name: 'Kenji Sato', emails: ['ksato@b.test'], phone: '+819012345678' });
    expect(b.body.personId).toBe(a.body.id);
    const c = await post('/v1/candidates', { name: 'K. Sato', emails: ['k@c.test'] });
    expect(c.body.sameAs).toEqual([]);

    const merge = await post(`/v1/candidates/${c.body.id}/links`, { candidateId: b.body.id, source: 'greenhouse', note: 'merge_candidate 7781' });
    expect(merge.status).toBe(201);
    expect(merge.body).toMatchObject({ reason: 'merge', evidence: 'merge_candidate 7781', source: 'greenhouse' });
    const group = await get(`/v1/candidates?personId=${a.body.id}`);
    expect(group.body.data.map((x: { id: string }) => x.id).sort()).toEqual([a.body.id, b.body.id, c.body.id].sort());
    const audit = await get(`/v1/audit-events?action=identity.linked&entityId=${c.body.id}`);
    expect(audit.body.data).toHaveLength(1);
  });

  it('lists a requisition’s applicants in one request, duplicates with their sameAs', async () => {
    const requisition = await post('/v1/requisitions', { title: 'Applicants listed' });
    const other = await post('/v1/requisitions', { title: 'Elsewhere' });
    const ana = await post('/v1/candidates', { name: 'Ana Lima', emails: ['ana.lima@x.test'] });
    const twin = await post('/v1/candidates', { name: 'ana lima', emails: ['ANA.LIMA@x.test'] });
    const bo = await post('/v1/candidates', { name: 'Bo Berg', emails: ['bo.berg@x.test'] });
    for (const candidate of [ana, twin]) await post('/v1/applications', { candidate: { id: candidate.body.id }, requisition: { id: requisition.body.id } });
    await post('/v1/applications', { candidate: { id: bo.body.id }, requisition: { id: other.body.id } });
    const listed = await get(`/v1/candidates?requisitionId=${requisition.body.id}`);
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((c: { name: string; sameAs: string[] }) => [c.name, c.sameAs])).toEqual([
      ['Ana Lima', [twin.body.id]],
      ['ana lima', [ana.body.id]],
    ]);
    expect((await get(`/v1/candidates?requisitionId=${other.body.id}`)).body.data.map((c: { id: string }) => c.id)).toEqual([bo.body.id]);
  });

  it('refuses a merge with itself or with another organization’s record', async () => {
    const a = await post('/v1/candidates', { name: 'Solo', emails: ['solo@x.test'] });
    expect((await post(`/v1/candidates/${a.body.id}/links`, { candidateId: a.body.id })).status).toBe(400);
    const theirs = await post('/v1/candidates', { name: 'Theirs', emails: ['t@x.test'] }, other.adminKey);
    expect((await post(`/v1/candidates/${a.body.id}/links`, { candidateId: theirs.body.id })).status).toBe(404);
  });

  it('never links across organizations', async () => {
    const mine = await post('/v1/candidates', { name: 'Same Address', emails: ['shared@x.test'] });
    const theirs = await post('/v1/candidates', { name: 'Same Address', emails: ['shared@x.test'] }, other.adminKey);
    expect(mine.body.sameAs).toEqual([]);
    expect(theirs.body.sameAs).toEqual([]);
  });

  it('refuses invalid phones, emails and time zones by field', async () => {
    const res = await post('/v1/candidates', { name: 'X', emails: ['not-an-email'], timezone: 'Mars/Olympus' });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.emails.0', 'body.timezone']);
    const phone = await post('/v1/candidates', { name: 'X', emails: ['x@y.test'], phone: '12' });
    expect(phone.status).toBe(400);
    expect(phone.body.errors).toEqual([expect.objectContaining({ path: 'body.phone' })]);
  });

  it('accepts every zone name and alias the runtime formats, on every route that takes one, stored under its current name', async () => {
    const names = knownTimeZoneNames().filter((name) => canonicalTimeZone(name) !== null);
    expect(names).toEqual(expect.arrayContaining(['Asia/Kolkata', 'Asia/Calcutta', 'Europe/Kyiv', 'Etc/UTC', 'UTC']));
    // One bulk import with all of them: a single refusal would refuse the whole import.
    const candidates = names.map((timezone, i) => ({ name: `Zone ${i}`, emails: [`zone${i}@tz.test`], timezone }));
    const bulk = await post('/v1/bulk-upserts', { candidates });
    expect(bulk.status, JSON.stringify(bulk.body).slice(0, 500)).toBe(200);
    const stored = await sql<{ name: string; timezone: string }>(ctx.database.url, `SELECT name, timezone FROM candidates WHERE name LIKE 'Zone %'`);
    const byName = new Map(stored.map((row) => [row.name, row.timezone]));
    names.forEach((zone, i) => expect(byName.get(`Zone ${i}`), zone).toBe(canonicalTimeZone(zone)));

    const created = await post('/v1/candidates', { name: 'Priya', emails: ['priya@tz.test'], timezone: 'Asia/Calcutta' });
    expect(created.status).toBe(201);
    expect(created.body.timezone).toBe('Asia/Kolkata');
    const patched = await patch(`/v1/candidates/${created.body.id}`, { timezone: 'europe/kiev' });
    expect(patched.status).toBe(200);
    expect(patched.body.timezone).toBe('Europe/Kyiv');
    const offset = await patch(`/v1/candidates/${created.body.id}`, { timezone: '+05:30' });
    expect(offset.status).toBe(400);
    expect(offset.body.errors).toEqual([expect.objectContaining({ path: 'body.timezone' })]);
  }, 60_000);

  it('cleans what cannot be seen and links records whose addresses differ only in form', async () => {
    const first = await post('/v1/candidates', { name: 'Amy Lee', emails: ['ａｍｙ\u00ad.lee@Bücher.example.'] });
    expect(first.status).toBe(201);
    // Kept as the person meant it for sending (case and Unicode domain too); compared in one form.
    expect(first.body.emails).toEqual([{ address: 'amy.lee@Bücher.example', normalized: 'amy.lee@xn--bcher-kva.example', primary: true }]);
    const second = await post('/v1/candidates', { name: 'Amy L.', emails: ['amy.\u200blee@xn--bcher-kva.example'] });
    expect(second.status).toBe(201);
    expect(second.body.sameAs).toEqual([first.body.id]);
  });

  it('refuses addresses that are not a mailbox, with the same rule wherever an address is taken', async () => {
    const xss = 'x"><svg/onload=alert(1)>@evil.test';
    for (const bad of [xss, 'Jane <jane@example.com>', '"jane doe"@example.com', 'jane doe@example.com', 'jane@localhost', 'jane@[127.0.0.1]']) {
      const res = await post('/v1/candidates', { name: 'X', emails: ['ok@example.com', bad] });
      expect(res.status, bad).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'body.emails.1', message: expect.stringContaining('not an email address') }] });
    }
    const admin = (method: 'post' | 'put', path: string, body: object) => request(ctx.app.server)[method](path).set(bearer(org.adminKey)).send(body);
    const refusals = [
      { res: await post('/v1/requisitions', { title: 'R', hiringContact: { name: 'Rita', email: xss } }), path: 'body.hiringContact.email' },
      { res: await admin('post', '/v1/suppressions', { email: xss }), path: 'body.email' },
      { res: await admin('put', '/v1/organization/postmark', { serverToken: 'server-token-0001', senderEmail: xss }), path: 'body.senderEmail' },
    ];
    for (const { res, path } of refusals) {
      expect(res.status, path).toBe(400);
      expect(res.body).toMatchObject({ code: 'validation_failed', errors: [{ path }] });
    }
    expect(await sql(ctx.database.url, `SELECT 1 FROM candidate_emails WHERE address LIKE '%svg%' UNION ALL SELECT 1 FROM suppressions WHERE email LIKE '%svg%'`)).toEqual([]);
  });

  it('PATCH replaces the emails and links on the new address', async () => {
    const a = await post('/v1/candidates', { name: 'Lena', emails: ['lena@old.test'] });
    const b = await post('/v1/candidates', { name: 'Lena B', emails: ['lena@new.test'] });
    const updated = await patch(`/v1/candidates/${a.body.id}`, { emails: ['Lena@New.test'] });
    expect(updated.body.emails).toEqual([{ address: 'Lena@New.test', normalized: 'lena@new.test', primary: true }]);
    expect(updated.body.sameAs).toEqual([b.body.id]);
  });

  it('concurrent deliveries of one ATS record create it once', async () => {
    const body = { name: 'Race Condition', emails: ['race@x.test'], externalIds: [{ source: 'ashby', id: 'app-42' }] };
    const results = await Promise.all(Array.from({ length: 8 }, () => post('/v1/candidates', body)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
  });

  it('concurrent new records with one address all end up as one person', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => post('/v1/candidates', { name: `Dup ${i}`, emails: [i % 2 ? 'DUP@x.test' : 'dup@X.test'] })));
    const ids = results.map((r) => r.body.id);
    const persons = await sql<{ person_id: string }>(ctx.database.url, 'SELECT DISTINCT person_id FROM candidates WHERE id = ANY($1)', [ids]);
    expect(persons).toHaveLength(1);
  });
});

describe('applications', () => {
  it('are created by external references and updated by the pair', async () => {
    await post('/v1/requisitions', { title: 'Data Engineer', externalIds: [{ source: 'greenhouse', id: 'job-77' }] });
    const cand = await post('/v1/candidates', { name: 'Ana Lima', emails: ['ana@x.test'], externalIds: [{ source: 'greenhouse', id: 'cand-77' }] });
    const app = await post('/v1/applications', {
      candidate: { source: 'greenhouse', externalId: 'cand-77' },
      requisition: { source: 'greenhouse', externalId: 'job-77' },
      stage: 'Onsite',
      externalIds: [{ source: 'greenhouse', id: 'app-77' }],
    });
    expect(app.status).toBe(201);
    expect(app.body).toMatchObject({ candidateId: cand.body.id, status: 'active', stage: 'Onsite' });

    const byPair = await post('/v1/applications', { candidate: { id: cand.body.id }, requisition: { id: app.body.requisitionId }, status: 'offered' });
    expect(byPair.status).toBe(200);
    expect(byPair.body).toMatchObject({ id: app.body.id, status: 'offered', externalIds: [{ source: 'greenhouse', id: 'app-77' }] });
    expect(new Date(byPair.body.statusChangedAt).getTime()).toBeGreaterThan(new Date(app.body.statusChangedAt).getTime());

    const rejected = await patch(`/v1/applications/${app.body.id}`, { status: 'rejected' });
    expect(rejected.body.status).toBe('rejected');
    const audit = await get(`/v1/audit-events?entityId=${app.body.id}`);
    expect(audit.body.data.map((e: { action: string; before: unknown; after: unknown }) => [e.action, e.before, e.after])).toEqual([
      ['application.created', null, expect.objectContaining({ status: 'active' })],
      ['application.status_changed', { status: 'active', statusChangedAt: expect.any(String) }, expect.objectContaining({ status: 'offered' })],
      ['application.status_changed', { status: 'offered', statusChangedAt: expect.any(String) }, expect.objectContaining({ status: 'rejected' })],
    ]);
    const list = await get(`/v1/applications?requisitionId=${app.body.requisitionId}&status=rejected`);
    expect(list.body.data.map((a: { id: string }) => a.id)).toEqual([app.body.id]);
  });

  it('refuses references that do not exist here, naming the field, and writes nothing', async () => {
    const theirs = await post('/v1/candidates', { name: 'Other org', emails: ['o@x.test'] }, other.adminKey);
    const req = await post('/v1/requisitions', { title: 'QA' });
    const before = await ctx.deps.db.application.count();
    const res = await post('/v1/applications', { candidate: { id: theirs.body.id }, requisition: { id: req.body.id } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'body.candidate', message: `no candidate with id ${theirs.body.id}` }]);
    const unknownExternal = await post('/v1/applications', { candidate: { source: 'lever', externalId: 'nope' }, requisition: { id: req.body.id } });
    expect(unknownExternal.body.errors[0].path).toBe('body.candidate');
    expect(await ctx.deps.db.application.count()).toBe(before);
  });

  it('refuses external ids that already name two different records', async () => {
    await post('/v1/requisitions', { title: 'A', externalIds: [{ source: 'lever', id: 'a' }] });
    await post('/v1/requisitions', { title: 'B', externalIds: [{ source: 'lever', id: 'b' }] });
    const res = await post('/v1/requisitions', {
      title: 'AB',
      externalIds: [
        { source: 'lever', id: 'a' },
        { source: 'lever', id: 'b' },
      ],
    });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('conflict');
    expect(res.body.records).toHaveLength(2);
  });
});

describe('bulk upsert', () => {
  it('takes 1,000 candidates and their applications in one request', async () => {
    const candidates = Array.from({ length: 1000 }, (_, i) => ({
      name: `Bulk ${i}`,
      emails: [`bulk${i}@x.test`],
      externalIds: [{ source: 'greenhouse', id: `bulk-c-${i}` }],
    }));
    const applications = candidates.slice(0, 200).map((_, i) => ({
      candidate: { source: 'greenhouse', externalId: `bulk-c-${i}` },
      requisition: { source: 'greenhouse', externalId: 'bulk-job' },
    }));
    const res = await post('/v1/bulk-upserts', { requisitions: [{ title: 'Bulk role', externalIds: [{ source: 'greenhouse', id: 'bulk-job' }] }], candidates, applications });
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
    expect(res.body.candidates).toHaveLength(1000);
    expect(res.body.candidates.every((c: { created: boolean }) => c.created)).toBe(true);
    expect(res.body.applications).toHaveLength(200);

    // The same request again changes nothing.
    const again = await post('/v1/bulk-upserts', { candidates: candidates.slice(0, 10) });
    expect(again.body.candidates.map((c: { id: string }) => c.id)).toEqual(res.body.candidates.slice(0, 10).map((c: { id: string }) => c.id));
    expect(again.body.candidates.every((c: { created: boolean }) => !c.created)).toBe(true);
  }, 120_000);

  it('is all or nothing, and names the bad item', async () => {
    const before = await ctx.deps.db.candidate.count();
    const candidates = Array.from({ length: 50 }, (_, i) => ({ name: `AoN ${i}`, emails: [`aon${i}@x.test`], ...(i === 37 ? { phone: 'call me' } : {}) }));
    const res = await post('/v1/bulk-upserts', { candidates });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'body.candidates.37.phone' })]);
    expect(await ctx.deps.db.candidate.count()).toBe(before);
  });

  it('refuses more than 1,000 items of a kind, and an empty request', async () => {
    const tooMany = Array.from({ length: 1001 }, (_, i) => ({ title: `R${i}` }));
    expect((await post('/v1/bulk-upserts', { requisitions: tooMany })).status).toBe(400);
    expect((await post('/v1/bulk-upserts', {})).status).toBe(400);
  });
});

describe('audit log', () => {
  it('is append-only in the database itself', async () => {
    await expect(sql(ctx.database.url, 'DELETE FROM audit_events')).rejects.toThrow(/append-only/);
    await expect(sql(ctx.database.url, `UPDATE audit_events SET action = 'x'`)).rejects.toThrow(/append-only/);
  });

  it('shows an organization only its own events', async () => {
    const theirs = await get('/v1/audit-events?limit=200', other.adminKey);
    const mine = await get('/v1/audit-events?limit=200');
    const mineIds = new Set(mine.body.data.map((e: { id: string }) => e.id));
    expect(theirs.body.data.some((e: { id: string }) => mineIds.has(e.id))).toBe(false);
  });
});

// A GET reads the record and its external ids in one statement (requisitionsRepository.read,
// applicationsRepository.read, candidatesRepository.read), and lists add theirs with one statement
// each (forEntities, membersOf): they must answer exactly what Prisma's queries of the same rows
// answer, every column, in a transaction too, and nothing for another organization.
describe('reading one record', () => {
  const db = () => ctx.deps.db;
  /** The external ids as Prisma reads them, in the order responses list them. */
  const idsViaPrisma = async (id: string) =>
    (await db().externalId.findMany({ where: { entityId: id }, orderBy: [{ source: 'asc' }, { externalId: 'asc' }], select: { source: true, externalId: true } })).map((row) => ({
      source: row.source,
      id: row.externalId,
    }));
  const viaPrisma = async <Row extends { id: string }>(row: Row | null) => {
    const externalIds = await idsViaPrisma(row!.id);
    expect((await externalIdsRepository.forEntities(db(), [row!.id])).get(row!.id) ?? []).toStrictEqual(externalIds);
    return { ...row!, externalIds };
  };
  /** The records of the person's group that `scope` sees, as Prisma reads them. */
  const membersViaPrisma = async (personId: string, scope: 'all' | readonly string[]) =>
    (
      await db().candidate.findMany({
        where: { organizationId: org.id, personId, ...(scope === 'all' ? {} : { applications: { some: { requisitionId: { in: [...scope] } } } }) },
        select: { id: true },
        orderBy: { id: 'asc' },
      })
    ).map((row) => row.id);

  it('reads requisitions, applications and candidates as Prisma reads them, with every column set or null', async () => {
    const bare = await post('/v1/requisitions', { title: 'Bare' });
    const full = await post('/v1/requisitions', {
      title: 'Full «quoted» "title"',
      department: 'Platform',
      location: 'Lisbon',
      defaultLocale: 'pt-BR',
      hiringContact: { name: 'Rita', email: 'rita@x.test' },
      promisedDecisionAt: '2027-01-15T10:00:00.123Z',
      promiseDaysAfterInterview: 5,
      acknowledgeApplications: false,
      // Listed out of order: both reads sort by source, then id.
      externalIds: [
        { source: 'lever', id: 'a-posting' },
        { source: 'greenhouse', id: 'job-b' },
        { source: 'greenhouse', id: 'job-a' },
      ],
    });
    const candidate = await post('/v1/candidates', { name: 'Reading One', emails: ['reading.one@x.test'] });
    const application = await post('/v1/applications', {
      candidate: { id: candidate.body.id },
      requisition: { id: full.body.id },
      stage: 'Onsite',
      promisedDecisionAt: '2027-01-20T09:00:00.000Z',
      externalIds: [
        { source: 'lever', id: 'opp-1' },
        { source: 'ashby', id: 'app-1' },
      ],
    });
    const plain = await post('/v1/applications', { candidate: { id: candidate.body.id }, requisition: { id: bare.body.id } });
    await sql(ctx.database.url, 'UPDATE applications SET overdue_notified_at = now(), silence_acted_at = now(), last_interview_at = now() WHERE id = $1', [application.body.id]);
    for (const id of [bare.body.id, full.body.id]) {
      const expected = await viaPrisma(await requisitionsRepository.find(ctx.deps.db, org.id, id));
      expect(await requisitionsRepository.read(ctx.deps.db, org.id, id)).toStrictEqual(expected);
      await ctx.deps.db.$transaction(async (tx) => expect(await requisitionsRepository.read(tx, org.id, id)).toStrictEqual(expected));
      expect(await requisitionsRepository.read(ctx.deps.db, other.id, id)).toBeNull();
    }
    expect((await requisitionsRepository.read(ctx.deps.db, org.id, full.body.id))!.externalIds).toEqual([
      { source: 'greenhouse', id: 'job-a' },
      { source: 'greenhouse', id: 'job-b' },
      { source: 'lever', id: 'a-posting' },
    ]);
    for (const id of [application.body.id, plain.body.id]) {
      const expected = await viaPrisma(await applicationsRepository.find(ctx.deps.db, org.id, id));
      expect(await applicationsRepository.read(ctx.deps.db, org.id, id)).toStrictEqual(expected);
      expect(await applicationsRepository.read(ctx.deps.db, other.id, id)).toBeNull();
    }
    // A candidate: emails primary first, and the group members a scope sees (the record itself
    // when it is visible, a record with no application only to someone who sees everything).
    const second = await post('/v1/candidates', { name: 'Reading One again', emails: ['Reading.One@X.test', 'second@x.test'], phone: '+351912345678' });
    const third = await post('/v1/candidates', { name: 'Reading One, no application', emails: ['second@x.test'] });
    await post('/v1/applications', { candidate: { id: second.body.id }, requisition: { id: bare.body.id } });
    // A new primary address: newer than the one kept, listed first all the same.
    expect((await patch(`/v1/candidates/${second.body.id}`, { emails: ['Reading.One@X.test', 'new.primary@x.test', 'second@x.test'] })).status).toBe(200);
    expect((await patch(`/v1/candidates/${second.body.id}`, { emails: ['new.primary@x.test', 'second@x.test', 'Reading.One@X.test'] })).status).toBe(200);
    const scopes = ['all', [full.body.id], [bare.body.id], [full.body.id, bare.body.id], []] as const;
    for (const id of [candidate.body.id, second.body.id, third.body.id]) {
      for (const scope of scopes) {
        const row = await candidatesRepository.find(ctx.deps.db, org.id, id);
        const members = await membersViaPrisma(row!.personId, scope);
        expect((await candidatesRepository.membersOf(ctx.deps.db, org.id, [row!.personId], scope)).get(row!.personId) ?? []).toStrictEqual(members);
        const expected = { ...(await viaPrisma(row)), groupMembers: members };
        expect(await candidatesRepository.read(ctx.deps.db, org.id, id, scope)).toStrictEqual(expected);
      }
      expect(await candidatesRepository.read(ctx.deps.db, other.id, id, 'all')).toBeNull();
    }
    const group = await candidatesRepository.read(ctx.deps.db, org.id, third.body.id, 'all');
    expect(group!.groupMembers).toHaveLength(3);
    expect(group!.emails.map((e) => e.address)).toEqual(['second@x.test']);
    expect((await candidatesRepository.read(ctx.deps.db, org.id, second.body.id, [bare.body.id]))!.groupMembers).toEqual([candidate.body.id, second.body.id].sort());

    // And the API answers with them as before.
    expect((await get(`/v1/requisitions/${full.body.id}`)).body).toEqual(full.body);
    expect((await get(`/v1/requisitions/${full.body.id}`, await other.key(['read']))).status).toBe(404);
    expect((await get(`/v1/applications/${plain.body.id}`)).body).toEqual(plain.body);
    const listed = (await get(`/v1/candidates?personId=${group!.personId}`)).body.data;
    for (const each of listed) expect((await get(`/v1/candidates/${each.id}`)).body).toEqual(each);
  });

  it('lists pages of requisitions, applications and candidates as Prisma reads them, for every filter, cursor and scope', async () => {
    const job = await post('/v1/requisitions', { title: 'Listed', externalIds: [{ source: 'lever', id: 'listed-1' }] });
    const paused = await post('/v1/requisitions', { title: 'Listed, paused', status: 'on_hold' });
    const people = await Promise.all([1, 2, 3, 4].map((n) => post('/v1/candidates', { name: `Listed ${n}`, emails: [`listed.${n}@x.test`] })));
    const apps = [];
    for (const [i, person] of people.entries()) {
      apps.push(
        await post('/v1/applications', {
          candidate: { id: person.body.id },
          requisition: { id: i % 2 === 0 ? job.body.id : paused.body.id },
          externalIds: [{ source: 'ashby', id: `listed-app-${i}` }],
        }),
      );
    }
    // Overdue: a promise passed, or already acted on; one of them no longer active.
    await sql(ctx.database.url, `UPDATE applications SET promised_decision_at = now() - interval '2 days' WHERE id = $1`, [apps[0]!.body.id]);
    await sql(ctx.database.url, `UPDATE applications SET overdue_notified_at = now() WHERE id = $1`, [apps[1]!.body.id]);
    await sql(ctx.database.url, `UPDATE applications SET promised_decision_at = now() - interval '2 days', status = 'rejected' WHERE id = $1`, [apps[2]!.body.id]);

    const page = (after: string | undefined, take: number) => ({ after, take, limit: take - 1 });
    const scopes = ['all', [job.body.id], [paused.body.id, job.body.id], []] as const;
    const idsOf = async (rows: { id: string }[]) => Promise.all(rows.map(async (row) => ({ ...row, externalIds: await idsViaPrisma(row.id) })));
    const visibleTo = (scope: (typeof scopes)[number]) => (scope === 'all' ? {} : { requisitionId: { in: [...scope] } });
    const now = new Date();
    const filters = [
      {},
      { requisitionId: job.body.id },
      { candidateId: people[1]!.body.id },
      { status: 'rejected' as const },
      { overdue: now },
      { overdue: now, status: 'rejected' as const },
      { requisitionId: paused.body.id, status: 'active' as const },
    ];
    for (const scope of scopes) {
      for (const filter of filters) {
        for (const [after, take] of [
          [undefined, 3],
          [apps[0]!.body.id, 101],
        ] as const) {
          const expected = await db().application.findMany({
            where: {
              organizationId: org.id,
              ...(filter.requisitionId ? { requisitionId: filter.requisitionId } : {}),
              ...(filter.candidateId ? { candidateId: filter.candidateId } : {}),
              ...(filter.status ? { status: filter.status } : {}),
              ...(filter.overdue ? { status: 'active', OR: [{ promisedDecisionAt: { lt: filter.overdue } }, { overdueNotifiedAt: { not: null } }] } : {}),
              ...(after ? { id: { gt: after } } : {}),
              AND: [visibleTo(scope)],
            },
            orderBy: { id: 'asc' },
            take,
          });
          expect(await applicationsRepository.list(db(), org.id, scope, filter, page(after, take))).toStrictEqual(await idsOf(expected));
        }
      }
      for (const status of [undefined, 'on_hold' as const]) {
        for (const [after, take] of [
          [undefined, 2],
          [job.body.id, 101],
        ] as const) {
          const expected = await db().requisition.findMany({
            where: { organizationId: org.id, ...(status ? { status } : {}), ...(after ? { id: { gt: after } } : {}), AND: [scope === 'all' ? {} : { id: { in: [...scope] } }] },
            orderBy: { id: 'asc' },
            take,
          });
          expect(await requisitionsRepository.list(db(), org.id, scope, { status }, page(after, take))).toStrictEqual(await idsOf(expected));
        }
      }
    }
    // Candidates: by address, phone, person, requisition, cursor; each with its emails, ids and the group the scope sees.
    await patch(`/v1/candidates/${people[3]!.body.id}`, { emails: ['listed.4@x.test', 'listed.1@x.test'], phone: '+351912345670' });
    const candidateFilters = [
      {},
      { email: 'listed.1@x.test' },
      { phone: '+351912345670' },
      { personId: people[0]!.body.personId },
      { requisitionId: paused.body.id },
      { requisitionId: job.body.id, email: 'listed.1@x.test' },
      // An address that normalises to nothing is no filter, as it was.
      { email: '', phone: '' },
    ];
    for (const scope of scopes) {
      for (const filter of candidateFilters) {
        for (const [after, take] of [
          [undefined, 3],
          [people[0]!.body.id, 101],
        ] as const) {
          const rows = await db().candidate.findMany({
            where: {
              organizationId: org.id,
              ...(filter.email ? { emails: { some: { normalized: filter.email } } } : {}),
              ...(filter.phone ? { phone: filter.phone } : {}),
              ...(filter.personId ? { personId: filter.personId } : {}),
              ...(after ? { id: { gt: after } } : {}),
              ...(scope === 'all' ? {} : { applications: { some: { requisitionId: { in: [...scope] } } } }),
              ...(filter.requisitionId ? { AND: [{ applications: { some: { requisitionId: filter.requisitionId } } }] } : {}),
            },
            orderBy: { id: 'asc' },
            take,
            include: { emails: { orderBy: [{ isPrimary: 'desc' }, { id: 'asc' }] } },
          });
          const expected = await Promise.all(
            rows.map(async (row) => ({ ...row, externalIds: await idsViaPrisma(row.id), groupMembers: await membersViaPrisma(row.personId, scope) })),
          );
          expect(await candidatesRepository.list(db(), org.id, scope, filter, page(after, take))).toStrictEqual(expected);
        }
      }
    }
    const byAddress = await candidatesRepository.list(db(), org.id, 'all', { email: 'listed.1@x.test' }, page(undefined, 101));
    expect(byAddress.map((c) => c.id)).toEqual([people[0]!.body.id, people[3]!.body.id].sort());
    expect(byAddress.every((c) => c.groupMembers.length === 2)).toBe(true);
    expect((await candidatesRepository.list(db(), org.id, [paused.body.id], { email: 'listed.1@x.test' }, page(undefined, 101))).map((c) => c.groupMembers)).toEqual([
      [people[3]!.body.id],
    ]);
    expect(await applicationsRepository.list(db(), other.id, 'all', {}, page(undefined, 101))).toEqual([]);
    // The overdue list holds the passed promise and the one acted on, not the rejected one.
    const overdue = (await applicationsRepository.list(db(), org.id, [job.body.id, paused.body.id], { overdue: now }, page(undefined, 101))).map((a) => a.id);
    expect(overdue).toEqual([apps[0]!.body.id, apps[1]!.body.id].sort());
  });
});
