// The organization's logo: uploaded as the raw image through the API, refused with a stable
// problem when it is too large, of another type (SVG included) or not the image it claims,
// served by Hearback from its own origin with a year-long cache, and shown in the emails and on
// the candidate's page with the organization's name as its text alternative.
import { deflateSync } from 'node:zlib';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { setUpSending, startDelivery } from '../helpers/delivery.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';
import { sendRejections } from '../helpers/sent-messages.js';
import { startPostmarkServer, type PostmarkFake } from '../postmark/server.js';

let ctx: TestContext;
let fake: PostmarkFake;
let org: TestOrganization;
let delivery: Awaited<ReturnType<typeof startDelivery>>;

beforeAll(async () => {
  fake = await startPostmarkServer();
  ctx = await createTestContext({ OUTBOX_POLL_MS: '50', POSTMARK_API_URL: fake.url, PUBLIC_BASE_URL: 'http://localhost:3000', PAGE_RATE_LIMIT_PER_MINUTE: '100000' });
  org = await createOrganization(ctx.deps, 'Northwind & Co');
  await setUpSending(ctx, org);
  delivery = await startDelivery(ctx);
});
afterAll(async () => {
  await delivery?.stop();
  await ctx?.close();
  await fake?.close();
});

const api = () => request(ctx.app.server);

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes: Buffer) => {
  let c = 0xffffffff;
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type: string, data: Buffer) => {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};
/** A real, decodable PNG of one colour; `noise` bytes make it as large as a test needs. */
function png(width: number, height: number, noise = 0): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.concat(Array.from({ length: height }, () => Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0x33)])));
  const extra = noise > 0 ? [chunk('tEXt', Buffer.from(`Comment\0${'x'.repeat(noise)}`, 'latin1'))] : [];
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    ...extra,
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const upload = (body: Buffer | string, contentType: string, key = org.adminKey) => api().put('/v1/organization/logo').set(bearer(key)).set('content-type', contentType).send(body);

describe('uploading a logo', () => {
  it('refuses what is not a PNG, JPEG or WebP logo, each with its own code, and keeps none of it', async () => {
    const cases: [Buffer | string, string, number, string][] = [
      ['<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'image/svg+xml', 415, 'logo_unsupported_type'],
      [Buffer.from('GIF89a'), 'image/gif', 415, 'logo_unsupported_type'],
      ['{"logo":"x"}', 'application/json', 415, 'logo_unsupported_type'],
      [Buffer.from('not a picture at all, just words'), 'image/png', 422, 'logo_not_an_image'],
      [png(64, 64), 'image/jpeg', 422, 'logo_not_an_image'],
      [png(8, 8), 'image/png', 422, 'logo_dimensions'],
      [png(4000, 20), 'image/png', 422, 'logo_dimensions'],
      [png(64, 64, 600 * 1024), 'image/png', 413, 'logo_too_large'],
      [png(64, 64, 3 * 1024 * 1024), 'image/png', 413, 'payload_too_large'],
    ];
    for (const [body, type, status, code] of cases) {
      const refused = await upload(body, type);
      expect(refused.status, `${type} ${code}`).toBe(status);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body.code, `${type}`).toBe(code);
    }
    expect((await api().get('/v1/organization').set(bearer(org.adminKey))).body.logo).toBeNull();
  });

  it('needs the admin scope', async () => {
    const key = (
      await api()
        .post('/v1/api-keys')
        .set(bearer(org.adminKey))
        .send({ name: 'reader', scopes: ['read'] })
    ).body.secret as string;
    expect((await upload(png(64, 64), 'image/png', key)).status).toBe(403);
  });

  it('stores a PNG and serves it from Hearback with a year-long cache under its hash', async () => {
    const image = png(120, 40);
    const stored = await upload(image, 'image/png');
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ contentType: 'image/png', width: 120, height: 40 });
    expect(stored.body.path).toBe(`/logos/${stored.body.sha256}`);
    expect((await api().get('/v1/organization').set(bearer(org.adminKey))).body.logo).toEqual(stored.body);

    const served = await api()
      .get(stored.body.path)
      .buffer(true)
      .parse((res, done) => {
        const parts: Buffer[] = [];
        res.on('data', (part: Buffer) => parts.push(part));
        res.on('end', () => done(null, Buffer.concat(parts)));
      });
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(served.body as Buffer, image)).toBe(0);
    expect((await api().get(`/logos/${'0'.repeat(64)}`)).status).toBe(404);
    expect((await api().get('/logos/not-a-hash')).status).toBe(400);
  });

  it('shows the logo in the email (an absolute URL on Hearback) and on the candidate page, named by the organization', async () => {
    const logo = (await api().get('/v1/organization').set(bearer(org.adminKey))).body.logo as { path: string };
    const sent = await sendRejections(ctx, org, fake, [
      { name: 'Ana Lopez', email: 'ana@x.test', feedback: { reasonCategory: 'skills_gap', strengths: ['Clear thinking'], areasToImprove: ['More Go'] } },
    ]);
    const email = fake.messages().find((m) => m.Metadata?.hearback_message_id === sent['Ana Lopez']!.messageId)!;
    expect(email.HtmlBody).toContain(`<img src="http://localhost:3000${logo.path}" alt="Northwind &amp; Co" height="40"`);
    const page = await api().get(`/f/${sent['Ana Lopez']!.token}`);
    expect(page.text).toContain(`<img class="org-logo" src="${logo.path}" alt="Northwind &amp; Co"`);
    expect(page.headers['content-security-policy']).toContain("img-src 'self'");
  });

  it('is removed with DELETE, and the page then shows the name only', async () => {
    expect((await api().delete('/v1/organization/logo').set(bearer(org.adminKey))).status).toBe(204);
    expect((await api().get('/v1/organization').set(bearer(org.adminKey))).body.logo).toBeNull();
    const sent = await sendRejections(ctx, org, fake, [{ name: 'Bo Lind', email: 'bo@x.test' }]);
    expect(fake.messages().find((m) => m.Metadata?.hearback_message_id === sent['Bo Lind']!.messageId)!.HtmlBody).not.toContain('<img');
    const page = await api().get(`/f/${sent['Bo Lind']!.token}`);
    expect(page.text).not.toContain('<img');
    expect(page.headers['content-security-policy']).not.toContain('img-src');
  });
});
