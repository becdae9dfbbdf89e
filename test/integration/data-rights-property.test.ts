// The data-rights properties, over random populations made the way customers make them (the API,
// duplicates linked by a shared email or phone or merged by hand, messages left at every stage,
// the candidate's own page, signed ATS deliveries, Postmark webhooks, idempotent requests):
//   - after erasing one person, no column of any table (found through information_schema, JSON
//     included) nor any sealed stored response holds their name, addresses, phone or the text
//     of their feedback, questions or comments; everyone else's export is unchanged;
//   - each person's export holds every record made for them and nothing of anyone else;
//   - retention erases exactly the people whose final word is older than the organization keeps
//     data, at any injected "now", counted in each person’s time zone (their calendar months).
// CI runs a few populations; DATA_RIGHTS_RUNS=50 runs a full sweep.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organizationWebhookPassword } from '../../src/modules/delivery/postmark-webhooks.js';
import { createDataRightsService } from '../../src/modules/data-rights/data-rights.service.js';
import { addMonthsIn } from '../../src/lib/calendar.js';
import { webhookHeaders } from '../../src/modules/webhook-signatures/standard-webhooks.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { sql } from '../helpers/database.js';
import { setUpSending, startDelivery } from '../helpers/delivery.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';
import { waitFor } from '../helpers/wait.js';
import { startPostmarkServer, type PostmarkFake } from '../postmark/server.js';

const RUNS = Number(process.env.DATA_RIGHTS_RUNS ?? 3);
const WEBHOOK_PASSWORD = 'postmark-webhook-password-for-tests';

let ctx: TestContext;
let fake: PostmarkFake;
let delivery: Awaited<ReturnType<typeof startDelivery>>;
const receiver = createServer((req, res) => req.resume().on('end', () => res.writeHead(204).end()));

beforeAll(async () => {
  fake = await startPostmarkServer();
  ctx = await createTestContext({
    OUTBOX_POLL_MS: '50',
    POSTMARK_API_URL: fake.url,
    PUBLIC_BASE_URL: 'http://localhost:3000',
    PAGE_RATE_LIMIT_PER_MINUTE: '100000',
    RATE_LIMIT_PER_MINUTE: '100000',
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    POSTMARK_WEBHOOK_PASSWORD: WEBHOOK_PASSWORD,
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  delivery = await startDelivery(ctx);
}, 60_000);
afterAll(async () => {
  await delivery?.stop();
  await ctx?.close();
  await fake?.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

const api = () => request(ctx.app.server);
let runs = 0;

interface PersonSpec {
  /** How each extra record is the same person. */
  extra: ('email' | 'phone' | 'merge')[];
  phone: boolean;
  send: boolean;
  actions: ('question' | 'rating' | 'export' | 'deletion')[];
  ats: boolean;
  bounce: boolean;
}

interface Built {
  name: string;
  emails: string[];
  phone: string | null;
  texts: string[];
  recordIds: string[];
  messageIds: string[];
  questions: number;
  ratings: number;
  dataRequests: number;
}

const personSpec = fc.record({
  extra: fc.array(fc.constantFrom('email' as const, 'phone' as const, 'merge' as const), { maxLength: 2 }),
  phone: fc.boolean(),
  send: fc.boolean(),
  actions: fc.subarray(['question' as const, 'rating' as const, 'export' as const, 'deletion' as const]),
  ats: fc.boolean(),
  bounce: fc.boolean(),
});

/** One organization holding the population, everything made through its public surfaces. */
async function build(specs: PersonSpec[]): Promise<{ org: TestOrganization; people: Built[] }> {
  const run = ++runs;
  const org = await createOrganization(ctx.deps, `Population ${run}`);
  await setUpSending(ctx, org);
  const call = async (method: 'post' | 'patch' | 'get', path: string, body?: object, key?: string) => {
    let call = api()[method](path).set(bearer(org.adminKey));
    if (key) call = call.set('idempotency-key', key);
    const response = await call.send(body);
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  await call('post', '/v1/webhook-endpoints', { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks` });
  const connection = await call('post', '/v1/ats-connections', { provider: 'generic', name: 'In-house ATS' });
  const requisition = await call('post', '/v1/requisitions', { title: `Platform Engineer ${run}` });
  const hired = await call('post', '/v1/candidates', { name: `Hired Person ${run}`, emails: [`hired.${run}@chosen.test`] });
  const hiredApp = await call('post', '/v1/applications', { candidate: { id: hired.id }, requisition: { id: requisition.id } });

  const people: Built[] = [];
  const feedback: Record<string, object> = {};
  for (const [i, spec] of specs.entries()) {
    const tag = `r${run}p${i}`;
    const name = `Zorvath${tag} Quillane${tag}`;
    const email = `zq.${tag}@people.test`;
    const phone = spec.phone || spec.extra.includes('phone') ? `+336${String(run * 100 + i + 12_000_000).padStart(8, '0')}` : null;
    const built: Built = { name, emails: [email], phone, texts: [], recordIds: [], messageIds: [], questions: 0, ratings: 0, dataRequests: 0 };
    const first = await call('post', '/v1/candidates', { name, emails: [email], ...(phone ? { phone } : {}) }, `create-${tag}-0`);
    built.recordIds.push(first.id);
    for (const [k, how] of spec.extra.entries()) {
      const own = `zq.${tag}.${k}@elsewhere.test`;
      const record = await call(
        'post',
        '/v1/candidates',
        how === 'email' ? { name, emails: [email.toUpperCase()] } : how === 'phone' ? { name, emails: [own], phone } : { name, emails: [own] },
        `create-${tag}-${k + 1}`,
      );
      if (how !== 'email') built.emails.push(own);
      if (how === 'merge') await call('post', `/v1/candidates/${first.id}/links`, { candidateId: record.id, note: 'same person, merged by hand' });
      built.recordIds.push(record.id);
    }
    for (const id of built.recordIds) {
      const application = await call('post', '/v1/applications', { candidate: { id }, requisition: { id: requisition.id } });
      const strength = `Clear incident notes by ${tag}`;
      feedback[application.id] = { reasonCategory: 'experience_level', strengths: [strength], areasToImprove: [`Caching depth for ${tag}`] };
      built.texts.push(strength, `Caching depth for ${tag}`);
    }
    people.push(built);
  }
  const plan = await call('post', `/v1/requisitions/${requisition.id}/plans`, { chosen: [{ applicationId: hiredApp.id }], targets: { mode: 'all_others_active' }, feedback });
  const confirmation = await call('post', `/v1/plans/${plan.id}/confirm`, { digest: plan.digest, chosenApplicationIds: [hiredApp.id] });
  await ctx.deps.messages.renderPlan(plan.id);
  const messages = confirmation.messages as { id: string; candidateId: string }[];
  for (const [i, spec] of specs.entries()) {
    const person = people[i]!;
    person.messageIds = messages.filter((m) => person.recordIds.includes(m.candidateId)).map((m) => m.id);
    if (spec.send) for (const id of person.messageIds) await call('post', `/v1/messages/${id}/approve`, { contentVersion: 1, overrideReason: 'Reviewed for the data-rights test' });
  }
  await ctx.deps.delivery.dispatchDue();

  for (const [i, spec] of specs.entries()) {
    const person = people[i]!;
    const tag = `r${run}p${i}`;
    if (spec.send) {
      for (const messageId of person.messageIds) {
        const email = await waitFor(
          () => fake.messages().find((m) => m.Metadata?.hearback_message_id === messageId),
          (found) => found !== undefined,
          { what: `the email of ${messageId}` },
        );
        const token = /\/f\/([A-Za-z0-9_-]{43})/.exec(email!.TextBody ?? '')![1]!;
        await waitFor(
          () => sql(ctx.database.url, 'SELECT sent_at, postmark_message_id FROM messages WHERE id = $1', [messageId]),
          (rows) => rows[0]?.sent_at !== null,
          { what: `${messageId} recorded as sent` },
        );
        const postmarkId = (await sql(ctx.database.url, 'SELECT postmark_message_id FROM messages WHERE id = $1', [messageId]))[0]!.postmark_message_id as string;
        const hook = await api()
          .post(`/webhooks/postmark/${org.id}`)
          .auth(ctx.config.POSTMARK_WEBHOOK_USER, organizationWebhookPassword(WEBHOOK_PASSWORD, org.id))
          .send({ RecordType: 'Delivery', MessageID: postmarkId, Recipient: email!.To, DeliveredAt: new Date().toISOString(), Metadata: { hearback_message_id: messageId } });
        expect(hook.status).toBeLessThan(300);
        const form = async (path: string, fields: Record<string, string>) => {
          const csrf = /name="csrf" value="([^"]+)"/.exec((await api().get(`/f/${token}`)).text)![1]!;
          const posted = await api()
            .post(`/f/${token}${path}`)
            .type('form')
            .send({ csrf, ...fields });
          expect(posted.status).toBe(303);
        };
        for (const action of spec.actions) {
          if (action === 'question') {
            const question = `Which topics should ${tag} study next?`;
            await form('/questions', { question });
            person.texts.push(question);
            person.questions++;
            // Answered: the answer is shown on the page and emailed to the candidate.
            const [asked] = (await call('get', `/v1/questions?messageId=${messageId}&status=open`)).data as { id: string }[];
            const answer = `Study partitioning, ${tag}`;
            await call('post', `/v1/questions/${asked!.id}/answer`, { answer });
            person.texts.push(answer);
          } else if (action === 'rating') {
            const comment = `Helpful notes, thanks from ${tag}`;
            await form('/rating', { rating: '4', comment });
            person.texts.push(comment);
            person.ratings++;
          } else {
            await form('/data-requests', { kind: action, ...(action === 'deletion' ? { confirm: 'yes' } : {}) });
            person.dataRequests++;
          }
        }
      }
    }
    if (spec.ats) {
      const raw = JSON.stringify({
        type: 'candidate.note_added',
        id: `note-${tag}`,
        data: { candidate: { name: person.name, emails: person.emails, phones: person.phone ? [person.phone] : [] } },
      });
      const headers = webhookHeaders({ id: `note-${tag}`, timestamp: Math.floor(Date.now() / 1000), body: raw, secrets: [connection.secret] });
      const received = await api().post(new URL(connection.connection.url).pathname).set('content-type', 'application/json').set(headers).send(raw);
      expect(received.status).toBe(202);
    }
    if (spec.bounce) {
      const hook = await api()
        .post(`/webhooks/postmark/${org.id}`)
        .auth(ctx.config.POSTMARK_WEBHOOK_USER, organizationWebhookPassword(WEBHOOK_PASSWORD, org.id))
        .send({ RecordType: 'Bounce', MessageID: `unknown-${tag}`, Type: 'HardBounce', Email: person.emails.at(-1), Description: `Mailbox of ${person.name} is gone` });
      expect(hook.status).toBeLessThan(300);
    }
  }
  return { org, people };
}

const escape = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every row of every table (information_schema), as JSON text, that matches any of `values`. */
async function rowsMentioning(values: string[]): Promise<string[]> {
  const pattern = values.map(escape).join('|');
  const tables = await sql(ctx.database.url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1");
  const found: string[] = [];
  for (const { table_name: table } of tables) {
    const rows = await sql(ctx.database.url, `SELECT to_jsonb(t)::text AS row FROM "${table}" t WHERE to_jsonb(t)::text ~* $1`, [pattern]);
    found.push(...rows.map((r) => `${table}: ${String(r.row).slice(0, 400)}`));
  }
  // Sealed values: stored responses are opened and searched too.
  const sealed = await sql(ctx.database.url, 'SELECT key, response_body FROM idempotency_records WHERE response_body IS NOT NULL');
  const matcher = new RegExp(pattern, 'i');
  for (const row of sealed) if (matcher.test(ctx.deps.sealer.open(row.response_body))) found.push(`idempotency_records (sealed): ${row.key}`);
  return found;
}

const exportOf = async (org: TestOrganization, candidateId: string) => {
  const bundle: Partial<Awaited<ReturnType<typeof ctx.deps.dataRights.export>>> = await ctx.deps.dataRights.export({ organizationId: org.id, actor: 'cli' }, candidateId);
  delete bundle.generatedAt;
  return JSON.parse(JSON.stringify(bundle)) as Record<string, { id?: string; candidateId?: string }[]>;
};

describe('data rights, over random populations', () => {
  it('exports each person whole and alone; erasure leaves nothing of them anywhere and everyone else as they were', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(personSpec, { minLength: 2, maxLength: 3 }), fc.nat(), async (specs, pick) => {
        const { org, people } = await build(specs);
        // Settle: the outbox relayed, webhook deliveries made, inbound deliveries processed.
        await waitFor(
          () => sql(ctx.database.url, "SELECT count(*)::int AS n FROM inbound_deliveries WHERE organization_id = $1 AND status = 'received'", [org.id]),
          (rows) => rows[0]!.n === 0,
          { what: 'inbound deliveries processed' },
        );

        const before = new Map<string, string>();
        for (const [i, person] of people.entries()) {
          const bundle = await exportOf(org, person.recordIds.at(-1)!);
          expect(new Set(bundle.candidates!.map((c) => c.id))).toEqual(new Set(person.recordIds));
          expect(new Set(bundle.messages!.map((m) => m.id))).toEqual(new Set(person.messageIds));
          expect(bundle.questions).toHaveLength(person.questions);
          expect(bundle.ratings).toHaveLength(person.ratings);
          expect(bundle.dataRequests).toHaveLength(person.dataRequests);
          const text = JSON.stringify(bundle);
          for (const t of person.texts) expect(text).toContain(t);
          for (const other of people.filter((_, j) => j !== i)) {
            for (const value of [other.name, ...other.emails, ...other.texts, ...other.recordIds]) expect(text.toLowerCase()).not.toContain(value.toLowerCase());
          }
          before.set(person.name, text);
        }

        const target = people[pick % people.length]!;
        const values = [target.name, ...target.emails, ...(target.phone ? [target.phone] : []), ...target.texts];
        // The scan sees them before (so an empty answer after means something).
        expect((await rowsMentioning(values)).some((row) => row.startsWith('candidates:'))).toBe(true);
        const erased = await api()
          .post(`/v1/candidates/${target.recordIds[pick % target.recordIds.length]}/erase`)
          .set(bearer(org.adminKey));
        expect(erased.status).toBe(200);
        expect(erased.body.report.candidates).toBe(target.recordIds.length);

        expect(await rowsMentioning(values)).toEqual([]);
        for (const person of people.filter((p) => p !== target)) {
          expect(JSON.stringify(await exportOf(org, person.recordIds[0]!))).toBe(before.get(person.name));
        }
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
  }, 600_000);

  it('retention erases exactly the people whose final word is older than the organization keeps data, counted in each person’s time zone', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            monthsAgo: fc.integer({ min: 0, max: 12 }),
            daysAgo: fc.integer({ min: -2, max: 2 }),
            hoursAgo: fc.integer({ min: -14, max: 14 }),
            active: fc.boolean(),
            records: fc.integer({ min: 1, max: 2 }),
            timezone: fc.constantFrom('UTC', 'Asia/Tokyo', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Europe/Paris', 'Australia/Sydney'),
          }),
          {
            minLength: 1,
            maxLength: 5,
          },
        ),
        fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 12 }),
        async (specs, now, months) => {
          const org = await createOrganization(ctx.deps, `Retention ${++runs}`);
          await api().patch('/v1/organization/data-rights').set(bearer(org.adminKey)).send({ dataRetentionMonths: months });
          const requisition = (await api().post('/v1/requisitions').set(bearer(org.adminKey)).send({ title: 'Analyst' })).body;
          const expected = new Set<string>();
          const all: string[][] = [];
          for (const [i, spec] of specs.entries()) {
            const ids: string[] = [];
            // Near the boundary on purpose: whole months back, give or take days and hours, in the person's own time zone.
            const finalWord = new Date(addMonthsIn(now, -spec.monthsAgo, spec.timezone).getTime() - spec.daysAgo * 86_400_000 - spec.hoursAgo * 3_600_000);
            for (let k = 0; k < spec.records; k++) {
              const candidate = (
                await api()
                  .post('/v1/candidates')
                  .set(bearer(org.adminKey))
                  .send({ name: `Retained ${runs}-${i}`, emails: [`retained.${runs}.${i}@x.test`], timezone: spec.timezone })
              ).body;
              await api()
                .post('/v1/applications')
                .set(bearer(org.adminKey))
                .send({ candidate: { id: candidate.id }, requisition: { id: requisition.id } });
              ids.push(candidate.id);
            }
            // The final word, set in the past as the clock would have it.
            await sql(ctx.database.url, `UPDATE applications SET status = $2::application_status, status_changed_at = $3 WHERE candidate_id = ANY($1::uuid[])`, [
              ids,
              spec.active ? 'active' : 'rejected',
              finalWord,
            ]);
            await sql(ctx.database.url, 'UPDATE candidates SET created_at = $2 WHERE id = ANY($1::uuid[])', [ids, new Date(finalWord.getTime() - 86_400_000)]);
            // Kept for `months` calendar months after the final word, as the person's calendar counts them.
            if (!spec.active && addMonthsIn(finalWord, months, spec.timezone) < now) ids.forEach((id) => expected.add(id));
            all.push(ids);
          }
          const service = createDataRightsService({
            db: ctx.deps.db,
            sealer: ctx.deps.sealer,
            mailer: { send: async () => undefined },
            logger: { warn: () => undefined },
            settings: { publicBaseUrl: 'http://localhost:3000', downloadLinkMs: 60_000 },
            now: () => now,
          });
          const results = await service.retention();
          const erased = await sql(ctx.database.url, 'SELECT id FROM candidates WHERE organization_id = $1 AND erased_at IS NOT NULL', [org.id]);
          expect(new Set(erased.map((r) => r.id))).toEqual(expected);
          expect(results.find((r) => r.organizationId === org.id)!.peopleErased).toBe(all.filter((ids) => expected.has(ids[0]!)).length);
        },
      ),
      { numRuns: RUNS * 2, endOnFailure: true },
    );
  }, 600_000);
});
