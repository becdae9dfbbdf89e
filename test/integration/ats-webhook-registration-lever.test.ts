// Lever webhooks registered through its API when credentials are saved, against the local Lever
// server: one per event Hearback handles, to the connection's URL, each with the signature token
// Lever made for it (kept sealed, never shown); a delivery verifies only with its own event's
// token; none twice (a second run, a create whose answer was lost: the list settles it), one
// deleted in Lever made again, and all deleted when the credentials or the connection go.
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { LEVER_HANDLED_EVENTS } from '../../src/modules/ats-inbound/providers/lever.js';
import { leverSignature } from '../../src/modules/webhook-signatures/lever.js';
import type { FakeAts } from '../ats-fake/server.js';
import { atsFixture, atsInbound } from '../helpers/ats-inbound.js';
import { webhookRegistrationSetup } from '../helpers/ats-webhooks.js';
import { callAs } from '../helpers/ats-writeback.js';
import type { TestContext } from '../helpers/context.js';
import { bearer, type TestOrganization } from '../helpers/factories.js';

const API_KEY = 'lever-api-key';
const MANUAL_TOKEN = 'token-typed-in-by-hand-0123456789';
const { setup, webhooksOf, settled } = webhookRegistrationSetup({ lever: { apiKey: API_KEY } }, (url) => ({ LEVER_API_URL: url }));
let ctx: TestContext;
let org: TestOrganization;
let ats: FakeAts;
let origin: string;
beforeAll(() => {
  ({ ctx, org, ats, origin } = setup);
});

const connectionRaw = (id: string) => request(ctx.app.server).get(`/v1/ats-connections/${id}`).set(bearer(org.adminKey));
/** The webhooks the local Lever holds for a connection. */
const inLever = (id: string) => [...ats.state.leverWebhooks.values()].filter((w) => w.url.endsWith(`/webhooks/ats/${id}`));
const eventsIn = (id: string) =>
  inLever(id)
    .map((h) => h.event)
    .sort();
const creates = (id: string) => ats.state.writesOf('lever', /^\/v1\/webhooks$/).filter((w) => String((w.body as { url: string }).url).endsWith(id));
const stored = async (id: string) => (await ctx.deps.db.atsConnection.findUniqueOrThrow({ where: { id }, select: { webhookRegistrations: true } })).webhookRegistrations;

async function connectLever() {
  const created = await atsInbound(ctx, org).connect('lever', MANUAL_TOKEN);
  await callAs(ctx, org, 'put', `/v1/ats-connections/${created.id}/credentials`, { apiKey: API_KEY });
  return created;
}
const stageChange = () => atsFixture('lever/candidateStageChange.json').data as object;

describe('Lever webhooks registered through the API', () => {
  it('saving credentials registers one webhook per event Hearback handles; the tokens are sealed and never shown; a second save creates none', async () => {
    const { id } = await connectLever();
    const registered = await settled(id);
    const hooks = inLever(id);
    expect(eventsIn(id)).toEqual([...LEVER_HANDLED_EVENTS].sort());
    const shown = await connectionRaw(id);
    expect(shown.status).toBe(200);
    for (const hook of hooks) expect(hook).toMatchObject({ url: shown.body.url, createdBy: 'api' });
    expect(hooks.every((h) => Array.isArray((h.conditions as { origins?: unknown }).origins))).toBe(true);
    expect(shown.body.api.webhooks.types.map((t: { type: string; state: string; webhookId: string }) => [t.type, t.state, t.webhookId]).sort()).toEqual(
      hooks.map((h) => [h.event, 'created', h.id]).sort(),
    );
    expect(registered.error).toBeNull();

    // Lever's tokens: on the registration, sealed; in no answer of the API.
    const text = JSON.stringify(shown.body);
    const raw = JSON.stringify(await stored(id));
    for (const hook of hooks) {
      expect(text).not.toContain(hook.signatureToken);
      expect(raw).not.toContain(hook.signatureToken);
    }
    const types = ((await stored(id)) as { types: Record<string, { signingToken?: string }> }).types;
    expect(Object.values(types).every((t) => t.signingToken?.startsWith('v1.'))).toBe(true);
    expect(Object.keys(shown.body.api.webhooks.types[0]).sort()).toEqual(['at', 'state', 'type', 'webhookId']);

    // Saved again: the list shows each one still there, nothing is made.
    await callAs(ctx, org, 'put', `/v1/ats-connections/${id}/credentials`, { apiKey: API_KEY });
    await settled(id);
    expect(creates(id)).toHaveLength(LEVER_HANDLED_EVENTS.length);
    expect(inLever(id)).toHaveLength(LEVER_HANDLED_EVENTS.length);
  });

  it('a delivery signed by Lever with its webhook’s token is accepted end to end', async () => {
    const { id } = await connectLever();
    await settled(id);
    expect(await ats.sendLeverEvent('candidateStageChange', stageChange(), origin, { to: id })).toEqual([202]);
    await atsInbound(ctx, org).settled(id, 1);
    const deliveries = await atsInbound(ctx, org).deliveries(id);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ eventType: 'candidateStageChange' });
    expect(deliveries[0].status).not.toBe('rejected');
  });

  it('a delivery signed with one event’s token is refused as another event; an event with no webhook of its own is refused; the hand-typed token no longer signs', async () => {
    const { id, url } = await connectLever();
    await settled(id);
    // Lever signs token + triggeredAt only: the event could be changed on the way, but the token chosen is the claimed event's.
    expect(await ats.sendLeverEvent('candidateHired', stageChange(), origin, { to: id, change: (signed) => ({ ...signed, event: 'candidateStageChange' }) })).toEqual([401]);
    expect(await ats.sendLeverEvent('candidateHired', stageChange(), origin, { to: id, change: (signed) => ({ ...signed, event: 'applicationCreated' }) })).toEqual([401]);
    const triggeredAt = Date.now();
    const byHand = { event: 'candidateStageChange', triggeredAt, data: stageChange(), token: 'a'.repeat(48), signature: leverSignature('a'.repeat(48), triggeredAt, MANUAL_TOKEN) };
    expect((await request(ctx.app.server).post(url).send(byHand)).status).toBe(401);
    const refused = (await atsInbound(ctx, org).deliveries(id)) as { status: string; outcome: string }[];
    expect(refused.map((d) => d.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(refused.map((d) => d.outcome).join('\n')).toMatch(/no_token_for_event/);
    expect(refused.map((d) => d.outcome).join('\n')).toMatch(/invalid_signature/);
    // The right event with its own token still passes.
    expect(await ats.sendLeverEvent('candidateHired', stageChange(), origin, { to: id })).toEqual([202]);
  });

  it('a connection without API credentials verifies with the token typed in by hand, as before', async () => {
    const { id, url } = await atsInbound(ctx, org).connect('lever', MANUAL_TOKEN);
    const triggeredAt = Date.now();
    const token = 'b'.repeat(48);
    const body = { event: 'candidateStageChange', triggeredAt, data: stageChange(), token, signature: leverSignature(token, triggeredAt, MANUAL_TOKEN) };
    expect((await request(ctx.app.server).post(url).send(body)).status).toBe(202);
    expect(await webhooksOf(id)).toBeNull();
  });

  it('one deleted in Lever is made again at the next save, only that one, with a new token', async () => {
    const { id } = await connectLever();
    await settled(id);
    const gone = inLever(id)[0]!;
    ats.state.leverWebhooks.delete(gone.id);
    await callAs(ctx, org, 'put', `/v1/ats-connections/${id}/credentials`, { apiKey: API_KEY });
    await settled(id);
    expect(creates(id)).toHaveLength(LEVER_HANDLED_EVENTS.length + 1);
    expect(eventsIn(id)).toEqual([...LEVER_HANDLED_EVENTS].sort());
    const again = inLever(id).find((h) => h.event === gone.event)!;
    expect(again.id).not.toBe(gone.id);
    expect(await ats.sendLeverEvent(gone.event, stageChange(), origin, { to: id })).toEqual([202]);
  });

  it('a create whose answer was lost is settled through the list: what it made is deleted and made again, never uncertain', async () => {
    // Lever makes the webhook, and the connection is cut before the answer (its token with it).
    const deletes = () => ats.state.writesOf('lever', /^\/v1\/webhooks\/.+$/).filter((w) => w.method === 'DELETE').length;
    const deletedBefore = deletes();
    ats.state.fail('lever', { method: 'POST', path: /^\/v1\/webhooks$/ }, { dropAfterWrite: true });
    const { id } = await connectLever();
    const registered = await settled(id);
    expect(registered.types.every((t) => t.state === 'created')).toBe(true);
    expect(creates(id)).toHaveLength(LEVER_HANDLED_EVENTS.length + 1);
    // One per event in Lever: the one made without an answer was deleted.
    expect(eventsIn(id)).toEqual([...LEVER_HANDLED_EVENTS].sort());
    expect(deletes() - deletedBefore).toBe(1);
    for (const event of LEVER_HANDLED_EVENTS) expect(await ats.sendLeverEvent(event, stageChange(), origin, { to: id })).toEqual([202]);
  });

  it('removing the credentials deletes the webhooks in Lever; a Lever that does not answer stops the removal, nothing removed', async () => {
    const { id } = await connectLever();
    await settled(id);
    expect(inLever(id)).toHaveLength(LEVER_HANDLED_EVENTS.length);

    ats.state.fail('lever', { method: 'DELETE', path: /^\/v1\/webhooks\// }, { status: 503 });
    const refused = await request(ctx.app.server).delete(`/v1/ats-connections/${id}/credentials`).set(bearer(org.adminKey));
    expect(refused.status).toBe(502);
    expect(refused.body.code).toBe('ats_unavailable');
    expect(inLever(id)).toHaveLength(LEVER_HANDLED_EVENTS.length);
    expect((await webhooksOf(id))?.types.map((t) => t.webhookId).sort()).toEqual(
      inLever(id)
        .map((h) => h.id)
        .sort(),
    );
    // Still registered: its deliveries still verify.
    expect(await ats.sendLeverEvent('candidateHired', stageChange(), origin, { to: id })).toEqual([202]);

    const removed = await request(ctx.app.server).delete(`/v1/ats-connections/${id}/credentials`).set(bearer(org.adminKey));
    expect(removed.status).toBe(204);
    expect(inLever(id)).toHaveLength(0);
    expect(await webhooksOf(id)).toBeNull();
  });

  it('removal also deletes what a create whose answer was lost made, found through the list', async () => {
    const { id } = await connectLever();
    await settled(id);
    // As a worker stopped between Lever's answer and Hearback keeping it would leave things.
    const lost = inLever(id).find((h) => h.event === 'candidateHired')!;
    await ctx.deps.db
      .$executeRaw`UPDATE ats_connections SET webhook_registrations = jsonb_set(webhook_registrations, '{types,candidateHired}', ${JSON.stringify({ state: 'creating', webhookId: null, at: new Date().toISOString() })}::jsonb) WHERE id = ${id}::uuid`;
    const removed = await request(ctx.app.server).delete(`/v1/ats-connections/${id}/credentials`).set(bearer(org.adminKey));
    expect(removed.status).toBe(204);
    expect(ats.state.leverWebhooks.has(lost.id)).toBe(false);
    expect(inLever(id)).toHaveLength(0);
  });

  it('deleting the connection deletes its webhooks in Lever', async () => {
    const { id } = await connectLever();
    await settled(id);
    const deleted = await request(ctx.app.server).delete(`/v1/ats-connections/${id}`).set(bearer(org.adminKey));
    expect(deleted.status).toBe(204);
    expect(inLever(id)).toHaveLength(0);
  });
});
