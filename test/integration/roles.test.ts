// The role × operation matrix, generated from the OpenAPI document: a person of each role, signed
// in with a session and then with a personal key, calls every operation that names a scope. Their role's scopes decide: a
// scope the role lacks is a 403 insufficient_scope, and one it has is never refused for scope
// (nor for want of a session). New operations are covered the day they are added.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderOpenApi } from '../../openapi/generate.js';
import type { UserRole } from '../../src/generated/prisma/enums.js';
import { roleScopes } from '../../src/modules/people/roles.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { setUpSending } from '../helpers/delivery.js';
import request from 'supertest';
import { bearer, createOrganization } from '../helpers/factories.js';
import { label, operationsOf, send, summary, type OpenApiDocument, type Operation } from '../helpers/openapi-calls.js';
import { invitePerson, type SignedIn } from '../helpers/people.js';
import { startPostmarkServer, type PostmarkFake } from '../postmark/server.js';

/** Operations left out of the matrix, each with why and where they are tested. */
const NOT_IN_MATRIX: Record<string, string> = {
  signOut: 'ends the session the matrix runs on (people.test.ts signs out)',
};

const ROLES: UserRole[] = ['admin', 'recruiter', 'hiring_manager', 'viewer'];

let ctx: TestContext;
let fake: PostmarkFake;
let operations: Operation[];
const sessions = new Map<UserRole, SignedIn>();
/** Each person's personal key, asking for every scope there is: it gets at most the role's. */
const personalKeys = new Map<UserRole, string>();

beforeAll(async () => {
  fake = await startPostmarkServer();
  ctx = await createTestContext({ POSTMARK_API_URL: fake.url, RATE_LIMIT_PER_MINUTE: '100000' });
  const org = await createOrganization(ctx.deps, 'Matrix');
  await setUpSending(ctx, org);
  for (const role of ROLES) {
    const session = await invitePerson(ctx, fake, org, role, `${role}@matrix.test`);
    sessions.set(role, session);
    const key = await request(ctx.app.server)
      .post('/v1/me/api-keys')
      .set(session.headers)
      .send({ name: 'matrix', scopes: [...roleScopes[role]] });
    if (key.status !== 201) throw new Error(`POST /v1/me/api-keys as ${role}: ${key.status} ${JSON.stringify(key.body)}`);
    personalKeys.set(role, key.body.secret);
  }
  const document = JSON.parse(renderOpenApi(ctx.app)) as OpenApiDocument;
  operations = operationsOf(document).filter((op) => op.scope !== null && !(op.id in NOT_IN_MATRIX));
});
afterAll(async () => {
  await ctx?.close();
  await fake?.close();
});

const allows = (role: UserRole, scope: string) => roleScopes[role].includes('admin') || roleScopes[role].includes(scope as never);

/** The path with unknown but well-formed values: the scope is judged before anything is looked up. */
const pathOf = (op: Operation) =>
  op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const parameter = op.pathParameters.find((p) => p.name === name);
    if (parameter?.schema?.format === 'uuid') return randomUUID();
    return { kind: 'rejection_after_interview', locale: 'en', email: 'nobody@matrix.test', token: 'x'.repeat(43) }[name] ?? 'unknown';
  });

describe('role × operation, from the OpenAPI document', () => {
  it('covers operations of every scope', () => {
    expect([...new Set(operations.map((op) => op.scope))]).toEqual(expect.arrayContaining(['read', 'write', 'approve', 'admin']));
    expect(operations.length).toBeGreaterThan(40);
  });

  for (const [role, via] of ROLES.flatMap(
    (r) =>
      [
        [r, 'session'],
        [r, 'personal key'],
      ] as const,
  )) {
    it(`${role}, by ${via}: refused exactly the operations whose scope the role lacks`, async () => {
      const wrong: string[] = [];
      const headers = via === 'session' ? sessions.get(role)!.headers : bearer(personalKeys.get(role)!);
      for (const op of operations) {
        const res = await send(ctx.app, op, { path: pathOf(op), headers, ...(op.body ? { body: {} } : {}) });
        const refused = res.status === 403 && res.body?.code === 'insufficient_scope';
        if (res.status === 401) wrong.push(`${label(op)}: ${summary(res)} (the ${via} was not accepted)`);
        else if (refused === allows(role, op.scope!)) wrong.push(`${label(op)} needs ${op.scope}: ${summary(res)}`);
      }
      expect(wrong).toEqual([]);
    });
  }
});
