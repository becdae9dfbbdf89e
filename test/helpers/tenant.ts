// One organization with a realistic set of everything it can own, made the way a customer makes
// it (the API, a signed ATS webhook, emails really sent, the candidate's own page), and the means
// to see whether any of it changed or leaked: a fingerprint of its rows and every id it holds.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { webhookHeaders } from '../../src/modules/webhook-signatures/standard-webhooks.js';
import type { PostmarkFake } from '../postmark/server.js';
import type { TestContext } from './context.js';
import { setUpSending, startDelivery } from './delivery.js';
import { bearer, type TestOrganization } from './factories.js';
import { sendRejections } from './sent-messages.js';
import { waitFor } from './wait.js';

/** A's resources: by the collection a path names (`/v1/<collection>/{param}`), then by parameter. */
export type Fixtures = Record<string, Record<string, string>>;

export interface Tenant {
  /** Path values per collection: `fixtures['webhook-endpoints'].id`. */
  fixtures: Fixtures;
  /** Values by parameter or field name, for query strings and bodies: `candidateId`, `email`. */
  byName: Record<string, string>;
  /** Text only this organization wrote: seen in another organization's answer, it leaked. */
  marker: string;
  /** Stops what was started to build it (a local webhook receiver). */
  close(): Promise<void>;
}

/** Builds organization `org`'s world, then leaves it at rest (no worker running). */
export async function buildTenant(ctx: TestContext, fake: PostmarkFake, org: TestOrganization, marker: string): Promise<Tenant> {
  const api = () => request(ctx.app.server);
  const call = async (method: 'post' | 'put' | 'patch' | 'get', path: string, body?: object) => {
    const response = await api()[method](path).set(bearer(org.adminKey)).send(body);
    if (response.status >= 300) throw new Error(`${method.toUpperCase()} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const receiver = createServer((req, res) => req.resume().on('end', () => res.writeHead(204).end()));
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const delivery = await startDelivery(ctx);
  try {
    await setUpSending(ctx, org);
    const endpoint = await call('post', '/v1/webhook-endpoints', { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`, description: `${marker} ATS` });

    // Candidates who got their email, with their links: the page's actions need one.
    const people = [
      {
        name: `${marker} Quokka`,
        email: `${marker.toLowerCase()}.quokka@tenant-a.test`,
        feedback: { reasonCategory: 'experience_level', strengths: [`${marker}: clear answers`], areasToImprove: ['More depth on caching'] },
      },
      { name: `${marker} Wombat`, email: `${marker.toLowerCase()}.wombat@tenant-a.test` },
    ];
    const sent = await sendRejections(ctx, org, fake, people, { title: `${marker} Platform Engineer` });
    const quokka = sent[people[0]!.name]!;
    const requisitionId = (await call('get', `/v1/applications/${quokka.applicationId}`)).requisitionId as string;
    const candidate = await call('patch', `/v1/candidates/${quokka.candidateId}`, { phone: '+44 20 7946 0958' });
    await call('post', `/v1/candidates/${quokka.candidateId}/links`, { candidateId: sent[people[1]!.name]!.candidateId, note: `${marker} merge` });

    const page = async (path: string, fields: Record<string, string>) => {
      const html = (await api().get(`/f/${quokka.token}`)).text;
      const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1]!;
      const posted = await api()
        .post(`/f/${quokka.token}${path}`)
        .type('form')
        .send({ csrf, ...fields });
      if (posted.status !== 303) throw new Error(`POST /f/…${path}: ${posted.status}`);
    };
    await page('/questions', { question: `${marker}: which topics should I study?` });
    await page('/data-requests', { kind: 'export' });

    // A plan still waiting for its confirmation, beside the confirmed one.
    const waiting = await call('post', `/v1/requisitions/${requisitionId}/plans`, { chosen: [{ applicationId: quokka.applicationId }], targets: { mode: 'all_others_active' } });
    await call('put', '/v1/templates/rejection_after_interview/en', {
      subject: `${marker}: about {{ requisition.title }}`,
      html: '<p>Hello {{ candidate.firstName }}</p>',
      text: 'Hello {{ candidate.firstName }}\n{{ links.feedbackPage }}',
      baseVersion: 0,
    });
    const suppressed = `${marker.toLowerCase()}.opted-out@tenant-a.test`;
    await call('post', '/v1/suppressions', { email: suppressed, reason: 'asked_not_to_be_contacted' });
    const key = await call('post', '/v1/api-keys', { name: `${marker} reporting`, scopes: ['read'] });
    const user = await call('post', '/v1/users', { email: `${marker.toLowerCase()}.recruiter@tenant-a.test`, name: `${marker} Recruiter`, role: 'recruiter' });

    const connection = await call('post', '/v1/ats-connections', { provider: 'generic', name: `${marker} ATS` });
    const raw = JSON.stringify({ type: 'requisition.upserted', id: `${marker}-evt-1`, data: { requisition: { externalId: `${marker}-req-1`, title: `${marker} Data Engineer` } } });
    const headers = webhookHeaders({ id: `${marker}-evt-1`, timestamp: Math.floor(Date.now() / 1000), body: raw, secrets: [connection.secret] });
    const received = await api().post(new URL(connection.connection.url).pathname).set('content-type', 'application/json').set(headers).send(raw);
    if (received.status !== 202) throw new Error(`the signed ATS delivery got ${received.status} ${JSON.stringify(received.body)}`);

    // At rest before anyone looks: every delivery settled, in and out.
    const inbound = await waitFor(
      async () => (await call('get', `/v1/inbound-deliveries?connectionId=${connection.connection.id}`)).data as { id: string; status: string }[],
      (rows) => rows.length === 1 && rows[0]!.status !== 'received',
      { what: "A's inbound delivery to be processed" },
    );
    const outbound = await waitFor(
      async () => (await call('get', `/v1/webhook-deliveries?endpointId=${endpoint.endpoint.id}`)).data as { id: string; status: string }[],
      (rows) => rows.length > 0 && rows.every((d) => d.status === 'succeeded'),
      { what: "A's webhook deliveries to succeed" },
    );
    const question = (await call('get', '/v1/questions')).data[0];
    const dataRequest = (await call('get', '/v1/data-requests')).data[0];
    if (!question || !dataRequest) throw new Error('the candidate page did not record the question and the data request');
    const endpointId = endpoint.endpoint.id as string;
    // A person's notification (recorded the way the notifications module does: a row for its recipient).
    const notification = await ctx.deps.db.notification.create({
      data: { organizationId: org.id, userId: user.id, type: 'question_waiting', subjectKind: 'question', subjectId: question.id, requisitionId },
    });

    const fixtures: Fixtures = {
      'api-keys': { id: key.apiKey.id },
      users: { id: user.id },
      requisitions: { id: requisitionId },
      candidates: { id: quokka.candidateId },
      applications: { id: quokka.applicationId },
      plans: { id: waiting.id },
      messages: { id: quokka.messageId },
      templates: { kind: 'rejection_after_interview', locale: 'en' },
      suppressions: { email: suppressed },
      questions: { id: question.id },
      notifications: { id: notification.id },
      'data-requests': { id: dataRequest.id },
      'webhook-endpoints': { id: endpointId },
      'webhook-deliveries': { id: outbound[0]!.id },
      'ats-connections': { id: connection.connection.id },
      'inbound-deliveries': { id: inbound[0]!.id },
      feedback: { token: quokka.token },
      postmark: { organizationId: org.id },
      ats: { connectionId: connection.connection.id },
    };
    const byName = {
      organizationId: org.id,
      requisitionId,
      // Another record than the path's: a record cannot be linked to itself.
      candidateId: sent[people[1]!.name]!.candidateId,
      personId: (candidate.personId as string | null) ?? quokka.candidateId,
      applicationId: quokka.applicationId,
      planId: waiting.id,
      messageId: quokka.messageId,
      endpointId,
      connectionId: connection.connection.id,
      questionId: question.id,
      entityId: requisitionId,
      userId: user.id,
      email: people[0]!.email,
      phone: '+442079460958',
    };
    return { fixtures, byName, marker, close: () => new Promise<void>((resolve) => receiver.close(() => resolve())) };
  } finally {
    await delivery.stop();
  }
}

/** Raw SQL through the test's own client (one pool, not a connection per question). */
export type Query = <T>(text: string, ...values: unknown[]) => Promise<T[]>;
export const queryOf =
  (db: { $queryRawUnsafe: (text: string, ...values: unknown[]) => Promise<unknown> }): Query =>
  (text, ...values) =>
    db.$queryRawUnsafe(text, ...values) as never;

let tableList: Promise<{ name: string; owned: boolean }[]> | undefined;

/** The tables: those with an organization's id, and the others (the outbox). Read once. */
function tables(query: Query): Promise<{ name: string; owned: boolean }[]> {
  tableList ??= query<{ table_name: string; owned: boolean }>(
    `SELECT t.table_name, EXISTS (SELECT 1 FROM information_schema.columns c WHERE c.table_schema = 'public' AND c.table_name = t.table_name AND c.column_name = 'organization_id') AS owned
     FROM information_schema.tables t WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND t.table_name NOT LIKE '\\_prisma%' ORDER BY 1`,
  ).then((rows) => rows.map((r) => ({ name: r.table_name, owned: r.owned })));
  return tableList;
}

/** Columns a reader's own request may change (a key's last use). */
const VOLATILE: Record<string, string[]> = { api_keys: ['last_used_at'] };

/** A fingerprint of every row of the organization, per table. */
export async function rowsOf(query: Query, organizationId: string): Promise<Record<string, string>> {
  const parts = (await tables(query)).map(({ name, owned }) => {
    const row = `(to_jsonb(t)${(VOLATILE[name] ?? []).map((c) => ` - '${c}'`).join('')})::text`;
    const where = name === 'organizations' ? 't.id = $1::uuid' : owned ? 't.organization_id = $1::uuid' : `to_jsonb(t)::text LIKE '%' || $1 || '%'`;
    return `SELECT '${name}' AS name, count(*)::int AS n, md5(coalesce(string_agg(${row}, '|' ORDER BY ${row}), '')) AS digest FROM "${name}" t WHERE ${where}`;
  });
  const rows = await query<{ name: string; n: number; digest: string }>(parts.join(' UNION ALL '), organizationId);
  return Object.fromEntries(rows.map((r) => [r.name, `${r.n}:${r.digest}`]));
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** The organization's rows as text, table by table (its own tables only). */
async function rowTexts(query: Query, organizationId: string): Promise<{ name: string; row: string }[]> {
  const parts = (await tables(query))
    .filter(({ owned, name }) => owned || name === 'organizations')
    .map(({ name }) => `SELECT '${name}' AS name, to_jsonb(t)::text AS row FROM "${name}" t WHERE ${name === 'organizations' ? 't.id' : 't.organization_id'} = $1::uuid`);
  return query<{ name: string; row: string }>(parts.join(' UNION ALL '), organizationId);
}

/** Every id that appears in the organization's rows (its own and those it points at). */
export async function idsOf(query: Query, organizationId: string): Promise<Set<string>> {
  return new Set((await rowTexts(query, organizationId)).flatMap(({ row }) => (row.match(UUID) ?? []).map((id) => id.toLowerCase())));
}

/** The rows of `organizationId` that mention any of `foreign` ids: one tenant pointing into another. */
export async function rowsPointingAt(query: Query, organizationId: string, foreign: Set<string>): Promise<string[]> {
  return (await rowTexts(query, organizationId))
    .filter(({ row }) => (row.match(UUID) ?? []).some((id) => foreign.has(id.toLowerCase())))
    .map(({ name, row }) => `${name}: ${row.slice(0, 300)}`);
}
