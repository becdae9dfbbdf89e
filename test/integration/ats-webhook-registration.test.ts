// Ashby webhooks registered through its API when credentials are saved, against the local Ashby
// server: one per type Hearback handles, to the connection's URL with its secret, none twice
// (a second run, a 5xx then success, a create whose answer was lost), deleted when the
// credentials or the connection go; and a webhook registered this way is delivered, signed by
// the (fake) Ashby with the secret it was given, and accepted.
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { ASHBY_HANDLED_ACTIONS } from '../../src/modules/ats-inbound/providers/ashby.js';
import type { FakeAts } from '../ats-fake/server.js';
import { atsFixture, atsInbound } from '../helpers/ats-inbound.js';
import { webhookRegistrationSetup, type WebhooksView } from '../helpers/ats-webhooks.js';
import { callAs, writebackActivity } from '../helpers/ats-writeback.js';
import type { TestContext } from '../helpers/context.js';
import { bearer, type TestOrganization } from '../helpers/factories.js';

const API_KEY = 'ashby-api-key';
const { setup, webhooksOf, settled } = webhookRegistrationSetup({ ashby: { apiKey: API_KEY } }, (url) => ({ ASHBY_API_URL: url }));
let ctx: TestContext;
let org: TestOrganization;
let ats: FakeAts;
let origin: string;
beforeAll(() => {
  ({ ctx, org, ats, origin } = setup);
});

const connection = async (id: string) =>
  (await callAs(ctx, org, 'get', `/v1/ats-connections/${id}`)) as { url: string; api: { webhooks: WebhooksView | null; lastError: string | null } };
/** The webhooks the local Ashby holds for a connection. */
const inAshby = (id: string) => [...ats.state.ashbyWebhooks.values()].filter((w) => w.requestUrl.endsWith(`/webhooks/ats/${id}`));
const creates = (id: string) => ats.state.writesOf('ashby', /^\/webhook\.create$/).filter((w) => String((w.body as { requestUrl: string }).requestUrl).endsWith(id));

/** The connection's activity rows about its webhooks: `status action detail`. */
const webhookCalls = async (id: string) =>
  (await writebackActivity(ctx, org, id)).filter((a) => a.action === 'webhook').map((a) => `${a.status} ${a.steps[0]?.action ?? '-'} ${a.steps[0]?.detail ?? a.lastError}`);

async function connectAshby() {
  const created = await atsInbound(ctx, org).connect('ashby');
  await callAs(ctx, org, 'put', `/v1/ats-connections/${created.id}/credentials`, { apiKey: API_KEY });
  return created;
}

describe('Ashby webhooks registered through the API', () => {
  it('saving credentials registers exactly one webhook per type, to the connection URL with its secret; a second run registers nothing', async () => {
    const { id, secret } = await connectAshby();
    const registered = await settled(id);
    const hooks = inAshby(id);
    expect(hooks.map((h) => h.webhookType).sort()).toEqual([...ASHBY_HANDLED_ACTIONS].sort());
    const url = (await connection(id)).url;
    for (const hook of hooks) expect(hook).toMatchObject({ requestUrl: url, secretToken: secret, enabled: true });
    expect(registered.types.map((t) => [t.type, t.state, t.webhookId]).sort()).toEqual(hooks.map((h) => [h.webhookType, 'created', h.id]).sort());
    expect(registered.error).toBeNull();
    // Every create is in the connection's activity, beside the write-backs.
    expect((await webhookCalls(id)).sort()).toEqual(hooks.map((h) => `done create_webhook ${h.webhookType}: ${h.id}`).sort());

    // The job again, and the credentials saved again: each webhook is checked (webhook.info), none made.
    expect(await ctx.deps.atsWebhooks.register(id)).toMatchObject({ skipped: 'registered' });
    const infos = ats.state.requests.filter((r) => r.path === '/webhook.info').length;
    await callAs(ctx, org, 'put', `/v1/ats-connections/${id}/credentials`, { apiKey: API_KEY });
    await settled(id);
    expect(ats.state.requests.filter((r) => r.path === '/webhook.info').length).toBe(infos + ASHBY_HANDLED_ACTIONS.length);
    expect(creates(id)).toHaveLength(ASHBY_HANDLED_ACTIONS.length);
    expect(inAshby(id)).toHaveLength(ASHBY_HANDLED_ACTIONS.length);

    // One deleted in Ashby by a person: the next save makes that one again, only that one.
    const gone = hooks[0]!;
    ats.state.ashbyWebhooks.delete(gone.id);
    await callAs(ctx, org, 'put', `/v1/ats-connections/${id}/credentials`, { apiKey: API_KEY });
    await settled(id);
    expect(creates(id)).toHaveLength(ASHBY_HANDLED_ACTIONS.length + 1);
    expect(
      inAshby(id)
        .map((h) => h.webhookType)
        .sort(),
    ).toEqual([...ASHBY_HANDLED_ACTIONS].sort());
  });

  it('a 5xx from webhook.create is tried again and ends registered, with no duplicate', async () => {
    const calls = () => ats.state.requests.filter((r) => r.path === '/webhook.create').length;
    const before = calls();
    ats.state.fail('ashby', { path: /^\/webhook\.create$/ }, { status: 503 });
    const { id } = await connectAshby();
    await settled(id);
    // One call refused, then one per type.
    expect(calls() - before).toBe(ASHBY_HANDLED_ACTIONS.length + 1);
    expect(
      inAshby(id)
        .map((h) => h.webhookType)
        .sort(),
    ).toEqual([...ASHBY_HANDLED_ACTIONS].sort());
    expect(creates(id)).toHaveLength(ASHBY_HANDLED_ACTIONS.length);
    // The failure went through the circuit and shows on the connection.
    expect((await connection(id)).api.lastError).toMatch(/webhooks: .*503/);
  });

  it('a create whose answer never came is not made twice: the registration is uncertain until an admin looked in Ashby and saved again', async () => {
    // Ashby makes the webhook, and the connection is cut before the answer (a crash between create and store looks the same).
    ats.state.fail('ashby', { path: /^\/webhook\.create$/ }, { dropAfterWrite: true });
    const { id } = await connectAshby();
    const uncertain = await settled(id, 'uncertain');
    expect(uncertain.error).toMatch(/may hold a webhook Hearback does not know/);
    expect(uncertain.types.filter((t) => t.state === 'creating')).toHaveLength(1);
    // One per type in Ashby: the lost one was not created again.
    expect(
      inAshby(id)
        .map((h) => h.webhookType)
        .sort(),
    ).toEqual([...ASHBY_HANDLED_ACTIONS].sort());
    expect((await connection(id)).api.lastError).toMatch(/may hold a webhook/);

    // The admin deletes the one Hearback does not know in Ashby, and saves the credentials again.
    const known = new Set(uncertain.types.map((t) => t.webhookId));
    for (const hook of inAshby(id)) if (!known.has(hook.id)) ats.state.ashbyWebhooks.delete(hook.id);
    await callAs(ctx, org, 'put', `/v1/ats-connections/${id}/credentials`, { apiKey: API_KEY });
    const registered = await settled(id);
    expect(registered.types.every((t) => t.state === 'created')).toBe(true);
    expect(
      inAshby(id)
        .map((h) => h.webhookType)
        .sort(),
    ).toEqual([...ASHBY_HANDLED_ACTIONS].sort());
  });

  it('a webhook registered this way is delivered signed with the secret and accepted', async () => {
    const { id } = await connectAshby();
    await settled(id);
    const body = atsFixture('ashby/applicationUpdate.json');
    expect(await ats.sendAshbyEvent('applicationUpdate', body.data, origin)).toContain(202);
    const deliveries = await atsInbound(ctx, org).deliveries(id);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ eventType: 'applicationUpdate' });
    expect(deliveries[0].status).not.toBe('rejected');
  });

  it('removing the credentials deletes the webhooks in Ashby; an Ashby that does not answer stops the removal', async () => {
    const { id } = await connectAshby();
    await settled(id);
    expect(inAshby(id)).toHaveLength(ASHBY_HANDLED_ACTIONS.length);

    ats.state.fail('ashby', { path: /^\/webhook\.delete$/ }, { status: 503 });
    const refused = await request(ctx.app.server).delete(`/v1/ats-connections/${id}/credentials`).set(bearer(org.adminKey));
    expect(refused.status).toBe(502);
    expect(refused.body.code).toBe('ats_unavailable');
    expect((await webhooksOf(id))?.types.map((t) => t.webhookId).sort()).toEqual(
      inAshby(id)
        .map((h) => h.id)
        .sort(),
    );

    const hooks = inAshby(id);
    const removed = await request(ctx.app.server).delete(`/v1/ats-connections/${id}/credentials`).set(bearer(org.adminKey));
    expect(removed.status).toBe(204);
    expect(inAshby(id)).toHaveLength(0);
    expect(await webhooksOf(id)).toBeNull();
    // The refused delete and each delete made are in the activity.
    const deletes = (await webhookCalls(id)).filter((call) => !call.includes('create_webhook'));
    expect(deletes.filter((call) => call.startsWith('failed'))).toEqual([expect.stringMatching(/^failed - delete_webhook: .*503/)]);
    expect(deletes.filter((call) => call.startsWith('done')).sort()).toEqual(hooks.map((h) => `done delete_webhook ${h.webhookType}: ${h.id}`).sort());
  });

  it('deleting the connection deletes its webhooks in Ashby', async () => {
    const { id } = await connectAshby();
    await settled(id);
    expect(inAshby(id)).toHaveLength(ASHBY_HANDLED_ACTIONS.length);
    const deleted = await request(ctx.app.server).delete(`/v1/ats-connections/${id}`).set(bearer(org.adminKey));
    expect(deleted.status).toBe(204);
    expect(inAshby(id)).toHaveLength(0);
  });
});

describe('an API key without the permission', () => {
  it('shows the refusal on the connection and in its activity, registers nothing, and tells the admins', async () => {
    const admin = await ctx.deps.db.user.create({ data: { organizationId: org.id, email: 'ada@northwind.test', name: 'Ada', role: 'admin', activatedAt: new Date() } });
    const { id } = await atsInbound(ctx, org).connect('ashby');
    const before = ats.state.ashbyWebhooks.size;
    ats.state.fail('ashby', { path: /^\/webhook\.create$/ }, { status: 403 });
    await callAs(ctx, org, 'put', `/v1/ats-connections/${id}/credentials`, { apiKey: API_KEY });
    const failed = await settled(id, 'failed');
    expect(failed.error).toMatch(/webhooks: .*403/);
    expect(failed.types).toEqual([]);
    expect(ats.state.ashbyWebhooks.size).toBe(before);
    expect((await connection(id)).api.lastError).toMatch(/webhooks: .*403/);
    expect(await webhookCalls(id)).toEqual([expect.stringMatching(/^failed - create_webhook: .*403/)]);
    const told = await ctx.deps.db.notification.findMany({ where: { userId: admin.id, type: 'ats_setup_failed' } });
    expect(told.map((n) => [n.subjectKind, n.subjectId, n.detail])).toEqual([['ats_connection', id, { kind: 'ashby', code: 'webhooks' }]]);
  });
});
