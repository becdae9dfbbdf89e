// The local Postmark server, driven by the official `postmark` client the way the
// app drives real Postmark: sends, batches, searches, auth and every fault type.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Errors, ServerClient } from 'postmark';
import { startPostmarkServer, type PostmarkFake } from '../postmark/server.js';

const TOKEN = 'test-server-token';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let fake: PostmarkFake;
let client: ServerClient;

const email = (over: Record<string, unknown> = {}) => ({
  From: 'Hearback <feedback@hearback.test>',
  To: 'Ada Lovelace <ada@example.com>',
  Subject: 'Your application',
  TextBody: 'Thank you for applying.',
  HtmlBody: '<p>Thank you for applying.</p>',
  MessageStream: 'outbound',
  ...over,
});

async function control(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${fake.url}/__fake${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
}

beforeAll(async () => {
  fake = await startPostmarkServer({ serverToken: TOKEN });
  client = new ServerClient(TOKEN, { ...fake.clientOptions, timeout: 10 });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

describe('sending', () => {
  it('accepts an email, answers like Postmark and captures every field', async () => {
    const sent = await client.sendEmail({
      ...email({ Cc: 'cc@example.com', Bcc: 'bcc@example.com', ReplyTo: 'recruiter@hearback.test' }),
      Tag: 'rejection',
      Metadata: { applicationId: 'app-1' },
      Headers: [{ Name: 'X-Hearback', Value: '1' }],
    });
    expect(sent).toMatchObject({ To: 'Ada Lovelace <ada@example.com>', ErrorCode: 0, Message: 'OK' });
    expect(sent.MessageID).toMatch(UUID);
    expect(Number.isNaN(Date.parse(sent.SubmittedAt))).toBe(false);

    const [captured] = fake.messages();
    expect(captured).toMatchObject({
      MessageID: sent.MessageID,
      From: 'Hearback <feedback@hearback.test>',
      To: 'Ada Lovelace <ada@example.com>',
      Cc: 'cc@example.com',
      Bcc: 'bcc@example.com',
      ReplyTo: 'recruiter@hearback.test',
      Subject: 'Your application',
      TextBody: 'Thank you for applying.',
      HtmlBody: '<p>Thank you for applying.</p>',
      Tag: 'rejection',
      Metadata: { applicationId: 'app-1' },
      MessageStream: 'outbound',
      Headers: [{ Name: 'X-Hearback', Value: '1' }],
      Recipients: ['ada@example.com', 'cc@example.com', 'bcc@example.com'],
    });
  });

  it.each([
    ['no To', { To: undefined }, 'Zero recipients specified'],
    ['no From', { From: undefined }, "Invalid 'From' value."],
    ['a bad address', { To: 'not-an-address' }, "It must contain the '@' symbol"],
    ['no body', { TextBody: undefined, HtmlBody: undefined }, 'Provide either email TextBody or HtmlBody or both.'],
    ['51 recipients', { To: Array.from({ length: 51 }, (_, i) => `c${i}@example.com`).join(', ') }, 'Maximum of 50'],
  ])('refuses %s with 422 / ErrorCode 300', async (_name, over, message) => {
    const error = await client.sendEmail(email(over) as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Errors.InvalidEmailRequestError);
    expect(error).toMatchObject({ statusCode: 422, code: 300 });
    expect((error as Error).message).toContain(message);
    expect(fake.messages()).toHaveLength(0);
  });

  it('refuses inactive recipients with ErrorCode 406 and does not capture', async () => {
    fake.markInactive('bounced@example.com');
    for (const to of ['bounced@example.com', 'inactive.candidate@example.com']) {
      const error = await client.sendEmail(email({ To: to })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Errors.InactiveRecipientsError);
      expect(error).toMatchObject({ statusCode: 422, code: 406, recipients: [to] });
    }
    expect(fake.messages()).toHaveLength(0);
  });

  it('answers a mixed batch with 200 and one result per message', async () => {
    const results = await client.sendEmailBatch([email({ To: 'ok@example.com' }), email({ To: 'inactive@example.com' }), email({ To: 'bad address' })]);
    expect(results.map((r) => r.ErrorCode)).toEqual([0, 406, 300]);
    expect(results[0]).toMatchObject({ To: 'ok@example.com', Message: 'OK' });
    expect(results[0]?.MessageID).toMatch(UUID);
    expect(results[1]?.Message).toContain('Found inactive addresses: inactive@example.com.');
    expect(fake.messages().map((m) => m.To)).toEqual(['ok@example.com']);
  });

  it('refuses a batch of more than 500 messages', async () => {
    const batch = Array.from({ length: 501 }, (_, i) => email({ To: `c${i}@example.com` }));
    const error = await client.sendEmailBatch(batch).catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 422, code: 410 });
    expect(fake.messages()).toHaveLength(0);
    expect(await client.sendEmailBatch(batch.slice(0, 500))).toHaveLength(500);
  });

  it('asks for JSON, and says so when the JSON is broken', async () => {
    const post = (type: string, body: string) => fetch(`${fake.url}/email`, { method: 'POST', headers: { 'X-Postmark-Server-Token': TOKEN, 'content-type': type }, body });
    const text = await post('text/plain', 'hello');
    expect(text.status).toBe(422);
    expect(await text.json()).toMatchObject({ ErrorCode: 409 });
    const broken = await post('application/json', '{"From": ');
    expect(broken.status).toBe(422);
    expect(await broken.json()).toMatchObject({ ErrorCode: 402 });
  });
});

describe('auth', () => {
  it('answers 401 / ErrorCode 10 for a wrong or missing server token', async () => {
    const wrong = new ServerClient('wrong-token', fake.clientOptions);
    const error = await wrong.sendEmail(email()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Errors.InvalidAPIKeyError);
    expect(error).toMatchObject({ statusCode: 401, code: 10 });

    const missing = await fetch(`${fake.url}/messages/outbound?count=1&offset=0`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ ErrorCode: 10 });
    expect(fake.messages()).toHaveLength(0);
  });
});

describe('reading sent messages', () => {
  it('searches by metadata, newest first, and reads details', async () => {
    await client.sendEmail({ ...email({ To: 'a@example.com' }), Metadata: { applicationId: 'app-1' }, Tag: 'rejection' });
    await client.sendEmail({ ...email({ To: 'b@example.com' }), Metadata: { applicationId: 'app-2' } });
    const last = await client.sendEmail({ ...email({ To: 'c@example.com' }), Metadata: { applicationId: 'app-1' } });

    const found = await client.getOutboundMessages({ count: 50, offset: 0, metadata_applicationId: 'app-1' });
    expect(found.TotalCount).toBe(2);
    expect(found.Messages.map((m) => m.Recipients)).toEqual([['c@example.com'], ['a@example.com']]);
    expect(found.Messages[0]).toMatchObject({
      MessageID: last.MessageID,
      To: [{ Email: 'c@example.com', Name: '' }],
      Subject: 'Your application',
      Status: 'Sent',
      MessageStream: 'outbound',
      Metadata: { applicationId: 'app-1' },
    });

    const tagged = await client.getOutboundMessages({ count: 50, offset: 0, tag: 'rejection', recipient: 'A@example.com' });
    expect(tagged.Messages.map((m) => m.Recipients[0])).toEqual(['a@example.com']);
    const paged = await client.getOutboundMessages({ count: 1, offset: 1 });
    expect(paged).toMatchObject({ TotalCount: 3, Messages: [{ Recipients: ['b@example.com'] }] });

    const details = await client.getOutboundMessageDetails(last.MessageID);
    expect(details).toMatchObject({ MessageID: last.MessageID, TextBody: 'Thank you for applying.', HtmlBody: '<p>Thank you for applying.</p>' });
    const missing = await client.getOutboundMessageDetails('00000000-0000-0000-0000-000000000000').catch((e: unknown) => e);
    expect(missing).toMatchObject({ statusCode: 422, code: 701 });
  });
});

describe('faults', () => {
  it('adds latency (fixed, then a p50/p99 distribution over HTTP)', async () => {
    fake.faults.setLatency({ fixedMs: 150 });
    let started = performance.now();
    await client.sendEmail(email());
    expect(performance.now() - started).toBeGreaterThanOrEqual(120);

    const res = await control('PUT', '/faults/latency', { p50Ms: 60, p99Ms: 120, path: '/email' });
    expect(res.status).toBe(200);
    started = performance.now();
    await client.sendEmail(email());
    expect(performance.now() - started).toBeGreaterThanOrEqual(10);
    expect(await (await control('GET', '/faults')).json()).toMatchObject({ latency: { p50Ms: 60, p99Ms: 120, path: '/email' } });
  });

  it('answers 429 with Retry-After for the next N requests, then recovers', async () => {
    fake.faults.failNext(2, 429, { retryAfterSeconds: 7 });
    const raw = await fetch(`${fake.url}/email`, {
      method: 'POST',
      headers: { 'X-Postmark-Server-Token': TOKEN, 'content-type': 'application/json' },
      body: JSON.stringify(email()),
    });
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBe('7');
    await expect(client.sendEmail(email())).rejects.toBeInstanceOf(Errors.RateLimitExceededError);
    await expect(client.sendEmail(email())).resolves.toMatchObject({ ErrorCode: 0 });
    expect(fake.messages()).toHaveLength(1);
  });

  it('answers 503 for the next N requests on one path only, configured over HTTP', async () => {
    const res = await control('POST', '/faults/failures', { status: 503, count: 1, path: '/email/batch' });
    expect(res.status).toBe(200);
    await expect(client.sendEmail(email())).resolves.toMatchObject({ ErrorCode: 0 });
    await expect(client.sendEmailBatch([email()])).rejects.toBeInstanceOf(Errors.ServiceUnavailablerError);
    await expect(client.sendEmailBatch([email()])).resolves.toHaveLength(1);
  });

  it('fails with a probability', async () => {
    fake.faults.failWithProbability(1, 500);
    await expect(client.sendEmail(email())).rejects.toBeInstanceOf(Errors.InternalServerError);
    fake.faults.clear();
    fake.faults.failWithProbability(0, 500);
    await expect(client.sendEmail(email())).resolves.toMatchObject({ ErrorCode: 0 });
  });

  it('accept-then-drop: the client sees a connection error, yet the message was captured', async () => {
    const res = await control('POST', '/faults/drops', { count: 1 });
    expect(res.status).toBe(200);
    const error = await client.sendEmail({ ...email({ To: 'dropped@example.com' }), Metadata: { applicationId: 'app-drop' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Errors.PostmarkError);
    expect(error).toMatchObject({ statusCode: 0 });

    const found = await client.getOutboundMessages({ count: 10, offset: 0, metadata_applicationId: 'app-drop' });
    expect(found.TotalCount).toBe(1);
    expect(found.Messages[0]?.Recipients).toEqual(['dropped@example.com']);
    await expect(client.sendEmail(email())).resolves.toMatchObject({ ErrorCode: 0 });
  });

  it('drops a whole batch after capturing all of it', async () => {
    fake.faults.dropNext(1, { path: '/email/batch' });
    await expect(client.sendEmailBatch([email({ To: 'x@example.com' }), email({ To: 'y@example.com' })])).rejects.toThrow();
    expect(fake.messages().map((m) => m.To)).toEqual(['x@example.com', 'y@example.com']);
  });
});

describe('control endpoints', () => {
  it('lists, counts and resets captured messages', async () => {
    await client.sendEmail(email());
    expect(await (await control('GET', '/messages/count')).json()).toEqual({ count: 1 });
    const listed = await (await control('GET', '/messages')).json();
    expect(listed).toMatchObject({ TotalCount: 1, Messages: [{ Subject: 'Your application' }] });
    await control('POST', '/faults/failures', { status: 429, probability: 0.5 });
    expect((await control('POST', '/reset')).status).toBe(204);
    expect(await (await control('GET', '/messages/count')).json()).toEqual({ count: 0 });
    expect(await (await control('GET', '/faults')).json()).toEqual({ latency: null, failures: [], drops: [] });
  });

  it('rejects a malformed fault request', async () => {
    expect((await control('POST', '/faults/failures', { status: 418, count: 1 })).status).toBe(400);
    expect((await control('POST', '/faults/failures', { status: 429 })).status).toBe(400);
  });
});

describe('inbox page', () => {
  it('escapes everything and keeps email HTML inside a sandboxed srcdoc iframe', async () => {
    const sent = await client.sendEmail(email({ Subject: '<script>alert(1)</script>', HtmlBody: '<p>Hi "you"</p><script>alert(2)</script>' }));
    const list = await fetch(`${fake.url}/`);
    expect(list.headers.get('content-security-policy')).toContain("default-src 'none'");
    const listHtml = await list.text();
    expect(listHtml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(listHtml).not.toContain('<script');

    const detail = await (await fetch(`${fake.url}/messages/${sent.MessageID}`)).text();
    expect(detail).not.toContain('<script');
    expect(detail).toContain(
      '<iframe sandbox="" referrerpolicy="no-referrer" title="HTML part" srcdoc="&lt;p&gt;Hi &quot;you&quot;&lt;/p&gt;&lt;script&gt;alert(2)&lt;/script&gt;">',
    );
    expect(detail).toContain('<pre>Thank you for applying.</pre>');
    expect((await fetch(`${fake.url}/messages/nope`)).status).toBe(404);
  });
});
