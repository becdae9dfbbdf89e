// Messages sent for real: a plan confirmed through the API, rendered, approved, delivered by the
// workers to the local Postmark server; returns each candidate's message and link token as the
// candidate received it.
import request from 'supertest';
import type { TestContext } from './context.js';
import { bearer, type TestOrganization } from './factories.js';
import type { PostmarkFake } from '../postmark/server.js';
import { waitFor } from './wait.js';

export interface Person {
  name: string;
  email: string;
  locale?: string;
  preferredName?: string;
  feedback?: object;
}

let round = 0;

export async function sendRejections(
  ctx: TestContext,
  org: TestOrganization,
  fake: PostmarkFake,
  people: Person[],
  requisition: object = {},
): Promise<Record<string, { messageId: string; token: string; applicationId: string; candidateId: string }>> {
  const r = ++round;
  const key = org.adminKey;
  const post = async (path: string, body: object) => {
    const response = await request(ctx.app.server).post(path).set(bearer(key)).send(body);
    if (response.status >= 300) throw new Error(`POST ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const req = await post('/v1/requisitions', { title: `Platform Engineer ${r}`, hiringContact: { name: 'Rita Alves', email: 'rita@northwind.test' }, ...requisition });
  const apps: Record<string, { applicationId: string; candidateId: string }> = {};
  for (const person of [{ name: `Hired ${r}`, email: `hired.${r}@x.test` }, ...people]) {
    const candidate = await post('/v1/candidates', {
      name: person.name,
      emails: [person.email],
      ...('locale' in person ? { locale: person.locale } : {}),
      ...('preferredName' in person ? { preferredName: person.preferredName } : {}),
    });
    apps[person.name] = { candidateId: candidate.id, applicationId: (await post('/v1/applications', { candidate: { id: candidate.id }, requisition: { id: req.id } })).id };
  }
  const hired = apps[`Hired ${r}`]!.applicationId;
  const feedback = Object.fromEntries(people.filter((p) => p.feedback).map((p) => [apps[p.name]!.applicationId, p.feedback!]));
  const plan = await post(`/v1/requisitions/${req.id}/plans`, { chosen: [{ applicationId: hired }], targets: { mode: 'all_others_active' }, feedback });
  const confirmation = await post(`/v1/plans/${plan.id}/confirm`, { digest: plan.digest, chosenApplicationIds: [hired] });
  await ctx.deps.messages.renderPlan(plan.id);
  const result: Record<string, { messageId: string; token: string; applicationId: string; candidateId: string }> = {};
  for (const person of people) {
    const messageId = confirmation.messages.find((m: { applicationId: string }) => m.applicationId === apps[person.name]!.applicationId).id as string;
    // Approved over findings: these tests are about the page, not the lint.
    await post(`/v1/messages/${messageId}/approve`, { contentVersion: 1, overrideReason: 'Reviewed for the page tests' });
    result[person.name] = { messageId, token: '', ...apps[person.name]! };
  }
  await ctx.deps.delivery.dispatchDue();
  for (const person of people) {
    const email = await waitFor(
      () => fake.messages().find((m) => m.Metadata?.hearback_message_id === result[person.name]!.messageId),
      (found) => found !== undefined && /\/f\/[A-Za-z0-9_-]{43}/.test(found.TextBody ?? ''),
      { what: `the email to ${person.name}`, progress: () => fake.messages().length },
    );
    result[person.name]!.token = /\/f\/([A-Za-z0-9_-]{43})/.exec(email!.TextBody ?? '')![1]!;
  }
  // Recorded as sent once the worker has written it down.
  for (const person of people) {
    await waitFor(
      () => ctx.deps.db.message.findUniqueOrThrow({ where: { id: result[person.name]!.messageId }, select: { sentAt: true } }),
      (row) => row.sentAt !== null,
      { what: `${person.name}'s message to be recorded as sent` },
    );
  }
  return result;
}
