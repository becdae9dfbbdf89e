// The messages module owns a message's life: the state table is checked cell by cell against
// what the database writes really do, random action sequences never leave it, and no file
// outside the module writes `messages` or `message_events`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageStatus } from '../../src/generated/prisma/enums.js';
import { messageLifecycle as lifecycle } from '../../src/modules/messages/lifecycle.js';
import { canTransition, MESSAGE_STATUSES, TRANSITIONS, type MessageAction } from '../../src/modules/messages/message-states.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { sql } from '../helpers/database.js';
import { createOrganization, type TestOrganization } from '../helpers/factories.js';
import { seedApprovedMessages } from '../helpers/seed-messages.js';

let ctx: TestContext;
let org: TestOrganization;
beforeAll(async () => {
  ctx = await createTestContext();
  org = await createOrganization(ctx.deps);
});
afterAll(() => ctx.close());

const CLAIM = '00000000-0000-7000-8000-0000000000c1';
const BATCH = '00000000-0000-7000-8000-0000000000b1';
const now = () => new Date();

/** Puts a message in a state as if it had got there, with the claim and batch the next step checks. */
async function put(id: string, status: MessageStatus) {
  await sql(
    ctx.database.url,
    `UPDATE messages SET status = $2::message_status, claim_token = $3::uuid, batch_id = $4::uuid, next_attempt_at = now() - interval '1 minute',
       content_version = 1, severity = NULL, authored_by = NULL WHERE id = $1`,
    [id, status, CLAIM, BATCH],
  );
}

const statusOf = async (id: string) => (await sql<{ status: MessageStatus }>(ctx.database.url, 'SELECT status FROM messages WHERE id = $1', [id]))[0]!.status;

/**
 * Each action through the lifecycle write that performs it, with the target the caller asks for.
 * Returns whether the write changed the message.
 */
const perform: Record<Exclude<MessageAction, 'create'>, (id: string) => Promise<boolean>> = {
  render: async (id) => (await lifecycle.saveRender(ctx.deps.db, id, 'render', { subject: 's' })).count === 1,
  edit: async (id) => (await lifecycle.saveRender(ctx.deps.db, id, 'edit', { subject: 'e' }, 1)).count === 1,
  approve: async (id) => (await lifecycle.transition(ctx.deps.db, 'approve', { organizationId: org.id, id, contentVersion: 1 }, { status: 'approved' })).count === 1,
  recall: async (id) => (await lifecycle.transition(ctx.deps.db, 'recall', { organizationId: org.id, id }, { status: 'recalled' })).count === 1,
  cancel: async (id) => (await lifecycle.transition(ctx.deps.db, 'cancel', { organizationId: org.id, id }, { status: 'cancelled' })).count === 1,
  retry: async (id) => (await lifecycle.transition(ctx.deps.db, 'retry', { organizationId: org.id, id }, { status: 'approved' })).count === 1,
  release: async (id) => (await lifecycle.release(ctx.deps.db, [id], now())).length === 1,
  reschedule: async (id) => (await lifecycle.transition(ctx.deps.db, 'reschedule', { organizationId: org.id, id }, { status: 'approved' })).count === 1,
  // Dispatch schedules approved messages; the sweeper reschedules stranded ones.
  schedule: async (id) =>
    (await lifecycle.schedule(ctx.deps.db, [{ id, batchId: BATCH }], 'approved', now())) === 1 ||
    (await lifecycle.schedule(ctx.deps.db, [{ id, batchId: BATCH }], 'scheduled', now())) === 1,
  postpone: async (id) => (await lifecycle.move(ctx.deps.db, 'postpone', [id], { batchId: BATCH }, { status: 'approved' })).length === 1,
  claim: async (id) => (await lifecycle.claim(ctx.deps.db, BATCH, [id], CLAIM, now())).length === 1,
  hold: async (id) => (await lifecycle.stop(ctx.deps.db, 'hold', [{ id, code: 'send_check_failed', reason: 'test' }], {}, now())).length === 1,
  markSent: async (id) => (await lifecycle.markSent(ctx.deps.db, CLAIM, [{ id, postmarkMessageId: `pm-${id}`, sentAt: now(), linkExpiresAt: now() }], now())).length === 1,
  backOff: async (id) => (await lifecycle.move(ctx.deps.db, 'backOff', [id], { claimToken: CLAIM }, { status: 'scheduled' })).length === 1,
  lose: async (id) => (await lifecycle.move(ctx.deps.db, 'lose', [id], { claimToken: CLAIM }, { status: 'unknown' })).length === 1,
  reconcile: async (id) => (await lifecycle.markReconciled(ctx.deps.db, BATCH, [{ id, postmarkMessageId: `pm-${id}`, sentAt: now(), linkExpiresAt: now() }], now())).length === 1,
  fail: async (id) => (await lifecycle.stop(ctx.deps.db, 'fail', [{ id, code: 'send_error', reason: 'test' }], {}, now())).length === 1,
  deliver: async (id) => (await lifecycle.deliver(ctx.deps.db, id, now(), null)).count === 1,
  bounce: async (id) => (await lifecycle.bounce(ctx.deps.db, id, now(), 'HardBounce')).count === 1,
};

/** The cells of the table, written out: a change to TRANSITIONS must change this too, on purpose. */
const ALLOWED: Record<Exclude<MessageAction, 'create'>, MessageStatus[]> = {
  render: ['draft'],
  edit: ['draft', 'pending_approval', 'approved', 'scheduled', 'held', 'failed', 'recalled'],
  approve: ['pending_approval'],
  recall: ['approved', 'scheduled'],
  cancel: ['draft', 'pending_approval', 'approved', 'scheduled', 'held', 'failed'],
  retry: ['held', 'failed'],
  release: ['held'],
  reschedule: ['approved'],
  schedule: ['approved', 'scheduled'],
  postpone: ['scheduled'],
  claim: ['scheduled'],
  hold: ['approved', 'scheduled'],
  markSent: ['sending', 'delivered', 'bounced'],
  backOff: ['sending'],
  lose: ['sending'],
  reconcile: ['unknown'],
  fail: ['scheduled', 'sending', 'unknown'],
  deliver: ['scheduled', 'sending', 'unknown', 'sent'],
  bounce: ['sending', 'unknown', 'sent', 'delivered'],
};

describe('the message state table', () => {
  it('says exactly which states each action starts from, and who may trigger it', () => {
    for (const [action, allowed] of Object.entries(ALLOWED) as [Exclude<MessageAction, 'create'>, MessageStatus[]][]) {
      for (const status of MESSAGE_STATUSES) expect(canTransition(status, action), `${action} from ${status}`).toBe(allowed.includes(status));
      expect(TRANSITIONS[action].by.length, `${action} has a trigger`).toBeGreaterThan(0);
    }
    expect(TRANSITIONS.create.from).toEqual([]);
    // Only people approve, recall, edit and retry; only Postmark's webhooks deliver and bounce.
    for (const action of ['approve', 'recall', 'edit', 'retry'] as const) expect(TRANSITIONS[action].by).toEqual(['person']);
    for (const action of ['deliver', 'bounce'] as const) expect(TRANSITIONS[action].by).toEqual(['postmark']);
  });

  it('is what the database writes do: every allowed move happens, every refused one changes nothing', async () => {
    const { ids } = await seedApprovedMessages(ctx.database.url, {
      organizationId: org.id,
      count: Object.keys(perform).length,
      publicBaseUrl: ctx.config.PUBLIC_BASE_URL,
      linkSecret: ctx.config.ENCRYPTION_KEY,
    });
    const cells: string[] = [];
    for (const [i, [action, run]] of (Object.entries(perform) as [Exclude<MessageAction, 'create'>, (id: string) => Promise<boolean>][]).entries()) {
      const id = ids[i]!;
      for (const status of MESSAGE_STATUSES) {
        await put(id, status);
        const moved = await run(id);
        const after = await statusOf(id);
        const allowed = canTransition(status, action);
        if (moved !== allowed) cells.push(`${action} from ${status}: ${moved ? 'moved' : 'refused'}, the table says ${allowed ? 'allowed' : 'refused'}`);
        if (!moved && after !== status) cells.push(`${action} from ${status}: refused but the status became ${after}`);
        if (moved && !(TRANSITIONS[action].to as readonly MessageStatus[]).includes(after)) cells.push(`${action} from ${status}: went to ${after}, not a target of ${action}`);
      }
    }
    expect(cells).toEqual([]);
  });

  it('never leaves the table, whatever actions come in whatever order (property)', async () => {
    const { ids } = await seedApprovedMessages(ctx.database.url, {
      organizationId: org.id,
      count: 60,
      publicBaseUrl: ctx.config.PUBLIC_BASE_URL,
      linkSecret: ctx.config.ENCRYPTION_KEY,
    });
    const actions = Object.keys(perform) as Exclude<MessageAction, 'create'>[];
    let next = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.constantFrom(...actions), fc.constant('view' as const)), { minLength: 1, maxLength: 25 }), async (sequence) => {
        const id = ids[next++ % ids.length]!;
        await put(id, 'approved');
        await sql(ctx.database.url, 'UPDATE messages SET first_viewed_at = NULL WHERE id = $1', [id]);
        let model: MessageStatus = 'approved';
        for (const action of sequence) {
          if (action === 'view') {
            // A view is a fact about the message, never a move: the first one only is kept.
            await lifecycle.markFirstView(ctx.deps.db, id, now());
            expect(await lifecycle.markFirstView(ctx.deps.db, id, now())).toBe(false);
          } else {
            // The claim and batch the next step checks follow the message, as delivery's would.
            await sql(ctx.database.url, `UPDATE messages SET claim_token = $2::uuid, batch_id = $3::uuid, content_version = 1 WHERE id = $1`, [id, CLAIM, BATCH]);
            const moved = await perform[action](id);
            expect(moved, `${action} from ${model}`).toBe(canTransition(model, action));
            if (moved) model = await statusOf(id);
          }
          expect(await statusOf(id)).toBe(model);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('one owner', () => {
  it('no file outside the messages module writes messages or message_events', () => {
    const root = join(import.meta.dirname, '../../src');
    const writes = [
      /\.message\.(create|createMany|update|updateMany|updateManyAndReturn|upsert|delete|deleteMany)\b/,
      /\.messageEvent\.(create|createMany|update|updateMany|upsert|delete|deleteMany)\b/,
      /\b(UPDATE|INSERT\s+INTO|DELETE\s+FROM)\s+"?messages"?\b/i,
      /\b(UPDATE|INSERT\s+INTO|DELETE\s+FROM)\s+"?message_events"?\b/i,
    ];
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return name === 'generated' ? [] : files(path);
        return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
      });
    const offenders = files(root)
      .filter((path) => !relative(root, path).startsWith('modules/messages/'))
      .flatMap((path) =>
        readFileSync(path, 'utf8')
          .split('\n')
          .flatMap((line, i) => (writes.some((w) => w.test(line)) ? [`${relative(root, path)}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(offenders).toEqual([]);
    // And the check itself catches a write when there is one.
    expect(writes.some((w) => w.test('await tx.message.updateMany({ where })'))).toBe(true);
    expect(writes.some((w) => w.test('UPDATE messages SET status = 1'))).toBe(true);
  });
});
