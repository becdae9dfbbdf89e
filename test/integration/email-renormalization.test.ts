// The email_normalization migration's data step on records written under the old rule (trim,
// NFC, lower case): after it, old records match new ones, and the confirmation checks see it.
import type pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyDataMigrations } from '../../src/db/data-migrations.js';
import { emailRenormalization } from '../../src/db/email-renormalization.js';
import { applyMigrations } from '../../src/db/migrations.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { sql } from '../helpers/database.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';

let ctx: TestContext;
let org: TestOrganization;

beforeAll(async () => {
  ctx = await createTestContext();
  org = await createOrganization(ctx.deps);
});
afterAll(() => ctx.close());

const post = (path: string, body: object) => request(ctx.app.server).post(path).set(bearer(org.adminKey)).send(body);
const oldRule = (raw: string) => raw.trim().normalize('NFC').toLowerCase();
const emailsOf = (candidateId: string) =>
  sql<{ address: string; normalized: string; is_primary: boolean }>(
    ctx.database.url,
    'SELECT address, normalized, is_primary FROM candidate_emails WHERE candidate_id = $1 ORDER BY normalized',
    [candidateId],
  );

/** Rewrites a candidate's addresses as the old rule stored them. */
async function legacy(candidateId: string, addresses: { address: string; primary: boolean }[]) {
  await sql(ctx.database.url, 'DELETE FROM candidate_emails WHERE candidate_id = $1', [candidateId]);
  for (const { address, primary } of addresses) {
    await sql(
      ctx.database.url,
      `INSERT INTO candidate_emails (id, organization_id, candidate_id, address, normalized, is_primary) VALUES (gen_random_uuid(), $1, $2, $3, $4, $5)`,
      [org.id, candidateId, address, oldRule(address), primary],
    );
  }
}

describe('the email_normalization data step', () => {
  it('re-normalises stored addresses, merges those that became one, and runs once', async () => {
    const candidate = async (name: string) => (await post('/v1/candidates', { name, emails: [`${name.toLowerCase()}@placeholder.test`] })).body.id as string;
    const [ines, inesAgain, carl] = [await candidate('Ines'), await candidate('Other'), await candidate('Carl')];
    await legacy(ines, [{ address: 'ines@Bücher.example', primary: true }]);
    await legacy(inesAgain, [{ address: 'ｉｎｅｓ\u00ad@xn--bcher-kva.example.', primary: true }]);
    await legacy(carl, [
      { address: 'carl@x.test', primary: false },
      { address: 'Carl@X.test.', primary: true },
    ]);
    for (const [email, source] of [
      ['bob@bücher.example', 'postmark'],
      ['bob@xn--bcher-kva.example', 'api'],
      ['zoë@example.test.', 'api'],
    ]) {
      await sql(ctx.database.url, `INSERT INTO suppressions (organization_id, email, reason, source) VALUES ($1, $2, 'requested', $3)`, [org.id, email, source]);
    }
    const requisition = (await post('/v1/requisitions', { title: 'Data step' })).body.id as string;
    const apply = async (candidateId: string) => (await post('/v1/applications', { candidate: { id: candidateId }, requisition: { id: requisition } })).body.id as string;
    const [chosen, other] = [await apply(ines), await apply(inesAgain)];
    const checksOfOther = async () => {
      const plan = (await post(`/v1/requisitions/${requisition}/plans`, { chosen: [{ applicationId: chosen }], targets: { mode: 'all_others_active' } })).body;
      return plan.items.find((i: { applicationId: string }) => i.applicationId === other).checks.map((c: { code: string }) => c.code);
    };
    // Under the old rule these two records do not look like one person.
    expect(await checksOfOther()).toEqual([]);

    await sql(ctx.database.url, 'DELETE FROM data_migrations WHERE name = $1', [emailRenormalization.migration]);
    await applyMigrations(ctx.database.url);

    expect(await emailsOf(ines)).toEqual([{ address: 'ines@Bücher.example', normalized: 'ines@xn--bcher-kva.example', is_primary: true }]);
    expect(await emailsOf(inesAgain)).toEqual([{ address: 'ｉｎｅｓ\u00ad@xn--bcher-kva.example.', normalized: 'ines@xn--bcher-kva.example', is_primary: true }]);
    expect(await emailsOf(carl)).toEqual([{ address: 'carl@x.test', normalized: 'carl@x.test', is_primary: true }]);
    expect(await sql(ctx.database.url, 'SELECT email, source FROM suppressions WHERE organization_id = $1 ORDER BY email', [org.id])).toEqual([
      { email: 'bob@xn--bcher-kva.example', source: 'api' },
      { email: 'zoë@example.test', source: 'api' },
    ]);
    expect(await checksOfOther()).toEqual(['same_person_as_chosen']);

    // Recorded: the next run leaves the data alone.
    await legacy(carl, [{ address: 'Carl@X.test.', primary: true }]);
    await applyMigrations(ctx.database.url);
    expect(await emailsOf(carl)).toEqual([{ address: 'Carl@X.test.', normalized: 'carl@x.test.', is_primary: true }]);
  });
});

describe('data steps', () => {
  it('run once each, only where their migration exists, and a failed one rolls back and runs again next time', async () => {
    let runs = 0;
    let fail = true;
    const step = {
      migration: '20990101000000_test_step',
      async run(client: pg.ClientBase) {
        runs += 1;
        await client.query(`INSERT INTO suppressions (organization_id, email, reason, source) VALUES ($1, 'step@example.test', 'requested', 'api')`, [org.id]);
        if (fail) throw new Error('step failed');
      },
    };
    expect(await applyDataMigrations(ctx.database.url, ['20000101000000_other'], [step])).toEqual([]);
    await expect(applyDataMigrations(ctx.database.url, [step.migration], [step])).rejects.toThrow('step failed');
    const written = () => sql(ctx.database.url, `SELECT 1 FROM suppressions WHERE email = 'step@example.test'`);
    expect(await written()).toEqual([]);
    fail = false;
    expect(await applyDataMigrations(ctx.database.url, [step.migration], [step])).toEqual([step.migration]);
    expect(await applyDataMigrations(ctx.database.url, [step.migration], [step])).toEqual([]);
    expect(runs).toBe(2);
    expect(await written()).toHaveLength(1);
  });
});
