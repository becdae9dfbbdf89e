// Write-back fixtures: a connection given API credentials and a reason map, a rejection planned,
// confirmed, edited to carry a reason, approved and sent, and the connection's activity.
import request from 'supertest';
import { expect } from 'vitest';
import type { FakeAts } from '../ats-fake/server.js';
import type { PostmarkFake } from '../postmark/server.js';
import type { atsInbound } from './ats-inbound.js';
import type { TestContext } from './context.js';
import { bearer, type TestOrganization } from './factories.js';
import { eventually, waitFor } from './wait.js';

export async function callAs(ctx: TestContext, org: TestOrganization, method: 'post' | 'put' | 'patch' | 'get', path: string, body?: object) {
  const response = await request(ctx.app.server)[method](path).set(bearer(org.adminKey)).send(body);
  if (response.status >= 300) throw new Error(`${method.toUpperCase()} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export interface ActivityRow {
  action: string;
  messageId: string;
  status: string;
  steps: { action: string; result: string; detail?: string }[];
  attempts: number;
  lastError: string | null;
}

export const writebackActivity = async (ctx: TestContext, org: TestOrganization, connectionId: string) =>
  (await callAs(ctx, org, 'get', `/v1/ats-connections/${connectionId}/activity`)).data as ActivityRow[];

/** A connection of `provider` with API credentials (checked by the local ATS) and a reason map. */
export async function connectWithCredentials(
  ctx: TestContext,
  org: TestOrganization,
  inbound: ReturnType<typeof atsInbound>,
  options: { provider: 'greenhouse' | 'lever' | 'ashby'; credentials: object; reasonMap: object; settings?: object; leverToken?: string },
) {
  // Lever's connection is made with the signature token typed in by hand (its webhooks registered later may bring their own).
  const connection = await inbound.connect(options.provider, options.provider === 'lever' ? options.leverToken : undefined);
  if (options.settings) await callAs(ctx, org, 'patch', `/v1/ats-connections/${connection.id}`, { settings: options.settings });
  const saved = await callAs(ctx, org, 'put', `/v1/ats-connections/${connection.id}/credentials`, options.credentials);
  await callAs(ctx, org, 'put', `/v1/ats-connections/${connection.id}/reason-map`, { reasonMap: options.reasonMap });
  return { ...connection, reasons: saved.reasons as { id: string; text: string }[] };
}

/**
 * Application `${n}0` of candidate `${n}1` on job `job-${n}`, in Hearback and in the local
 * Greenhouse; Hearback's candidate and application ids.
 */
export async function greenhouseApplication(ctx: TestContext, org: TestOrganization, ats: FakeAts, n: number) {
  const call = (path: string, body: object) => callAs(ctx, org, 'post', path, body);
  const requisition = await call('/v1/requisitions', { title: `Role ${n}`, externalIds: [{ source: 'greenhouse', id: `job-${n}` }] });
  const candidate = await call('/v1/candidates', { name: `Person ${n}`, emails: [`p${n}@x.test`], externalIds: [{ source: 'greenhouse', id: `${n}1` }] });
  const application = await call('/v1/applications', {
    candidate: { id: candidate.id },
    requisition: { id: requisition.id },
    externalIds: [{ source: 'greenhouse', id: `${n}0` }],
  });
  ats.state.addApplication('greenhouse', { id: `${n}0`, candidateId: `${n}1` });
  return { candidateId: candidate.id as string, applicationId: application.id as string };
}

/** The local Greenhouse's OAuth client, as `startFakeAts({ greenhouse: GREENHOUSE_CLIENT })` accepts it. */
export const GREENHOUSE_CLIENT = { clientId: 'gh-client', clientSecret: 'gh-secret-value' };

/** A Greenhouse connection with the local server's credentials, every rejection mapped to reason 101; its id. */
export async function connectGreenhouse(ctx: TestContext, org: TestOrganization, inbound: ReturnType<typeof atsInbound>) {
  return (await connectWithCredentials(ctx, org, inbound, { provider: 'greenhouse', credentials: GREENHOUSE_CLIENT, reasonMap: { default: '101' }, leverToken: '' })).id;
}

/**
 * Plans `rejected`'s rejection (`chosen` hired), confirms, gives the message feedback with
 * `reasonCategory`, approves and dispatches it; resolves once Postmark has the email.
 */
export async function rejectAndSendOne(
  ctx: TestContext,
  org: TestOrganization,
  postmark: PostmarkFake,
  { requisitionId, chosen, rejected, reasonCategory }: { requisitionId: string; chosen: string; rejected: string; reasonCategory: string },
) {
  const call = (method: 'post' | 'put' | 'patch' | 'get', path: string, body?: object) => callAs(ctx, org, method, path, body);
  const plan = await call('post', `/v1/requisitions/${requisitionId}/plans`, { chosen: [{ applicationId: chosen }], targets: { mode: 'list', applicationIds: [rejected] } });
  const confirmation = await call('post', `/v1/plans/${plan.id}/confirm`, { digest: plan.digest, chosenApplicationIds: [chosen] });
  const messageId = confirmation.messages[0].id as string;
  await eventually(async () => (await call('get', `/v1/messages/${messageId}`)).status).toBe('pending_approval');
  await call('patch', `/v1/messages/${messageId}`, {
    contentVersion: 1,
    feedback: { reasonCategory, strengths: ['Clear system design answers'], areasToImprove: ['More depth on caching'] },
  });
  const edited = await waitFor(
    async () => (await call('get', `/v1/messages/${messageId}`)) as { status: string; contentVersion: number },
    (m) => m.status === 'pending_approval',
    { what: 'the edited message to be back in the queue' },
  );
  expect(edited.contentVersion).toBe(2);
  await call('post', `/v1/messages/${messageId}/approve`, { contentVersion: edited.contentVersion, overrideReason: 'Reviewed for the write-back tests' });
  await ctx.deps.delivery.dispatchDue();
  await waitFor(
    () => postmark.messages().filter((m) => m.Metadata?.hearback_message_id === messageId).length,
    (n) => n === 1,
    { what: 'the email', progress: () => postmark.messages().length },
  );
  return messageId;
}

/**
 * A reconciliation made due now heals two missed webhooks: the hire is read back, the rejection
 * becomes a plan for a person to confirm; one list call read both, and a second round reads
 * nothing new (the mark moved on).
 */
export async function expectReconciledHireAndRejection(
  ctx: TestContext,
  org: TestOrganization,
  connectionId: string,
  { hired, rejected, listCalls }: { hired: string; rejected: string; listCalls: () => number },
) {
  const before = listCalls();
  await ctx.deps.db.atsConnection.update({ where: { id: connectionId }, data: { lastReconciledAt: new Date(Date.now() - 3_600_000) } });
  expect(await ctx.deps.atsSync.reconcileDue()).toBe(1);
  await eventually(async () => (await ctx.deps.db.application.findUniqueOrThrow({ where: { id: hired } })).status, { what: 'the hire read back' }).toBe('hired');
  const plan = await waitFor(
    () => ctx.deps.db.decisionPlan.findFirst({ where: { organizationId: org.id, status: 'pending' }, orderBy: { createdAt: 'desc' } }),
    (p) => p !== null && JSON.stringify(p.input).includes(rejected),
    { what: 'the plan for the rejection' },
  );
  expect(plan).not.toBeNull();
  expect(listCalls()).toBe(before + 1);
  expect(await ctx.deps.atsSync.reconcile(connectionId)).toEqual({ status: 'done', applied: 0 });
}
