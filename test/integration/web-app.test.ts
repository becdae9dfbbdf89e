// The web app's serving (src/plugins/web-app.ts), on a stand-in build: every /app path is the
// app's index.html (its own router takes over), assets are cached for good, everything carries
// the strict CSP, and an API without a build says how to make one.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REACT_ARIA_PRESSABLE_STYLE_HASH, WEB_APP_CSP } from '../../src/plugins/web-app.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { bearer, createOrganization } from '../helpers/factories.js';

let dir: string;
let built: TestContext;
let unbuilt: TestContext;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hearback-web-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Hearback</title><script type="module" src="/app/assets/index-abc.js"></script>');
  await writeFile(join(dir, 'assets', 'index-abc.js'), 'console.log(1);');
  built = await createTestContext({ WEB_APP_DIR: dir, SSO_ALLOW_HTTP_ISSUERS: 'true' });
  unbuilt = await createTestContext({ WEB_APP_DIR: join(dir, 'missing') });
});
afterAll(async () => {
  await built?.close();
  await unbuilt?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the web app at /app', () => {
  it('allows, of inline style elements, only the one the installed React Aria adds (by its hash)', async () => {
    const source = await readFile(join('node_modules', 'react-aria', 'dist', 'private', 'interactions', 'usePress.js'), 'utf8');
    // style.textContent = `...`.trim(): the template has no interpolation but the attribute name.
    const template = /style\.textContent = `([^`]*)`\.trim\(\)/.exec(source)?.[1];
    expect(template, 'react-aria no longer adds its pressable style this way: check the CSP').toBeDefined();
    const attribute = /PRESSABLE_ATTRIBUTE = '([^']+)'/.exec(source)![1]!;
    const text = template!.replace(/\$\{[^}]+\}/, attribute).trim();
    expect(`'sha256-${createHash('sha256').update(text).digest('base64')}'`).toBe(REACT_ARIA_PRESSABLE_STYLE_HASH);
    expect(WEB_APP_CSP).toContain(`style-src 'self' ${REACT_ARIA_PRESSABLE_STYLE_HASH};`);
  });

  it('answers every app path with index.html, revalidated, under the strict CSP', async () => {
    for (const path of ['/app', '/app/', '/app/inbox', '/app/sign-in?organization=x']) {
      const response = await request(built.app.server).get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.text).toContain('/app/assets/index-abc.js');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers['content-security-policy']).toBe(WEB_APP_CSP);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
    expect(WEB_APP_CSP).toContain("script-src 'self'");
    expect(WEB_APP_CSP).toContain("frame-ancestors 'none'");
    expect(WEB_APP_CSP).not.toMatch(/script-src[^;]*unsafe/);
  });

  it('serves hashed assets for good, and a missing one is a 404, not the page', async () => {
    const asset = await request(built.app.server).get('/app/assets/index-abc.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect(asset.headers['content-security-policy']).toBe(WEB_APP_CSP);
    expect((await request(built.app.server).get('/app/assets/index-gone.js')).status).toBe(404);
  });

  it('leaves the API alone: no CSP of the app on /v1', async () => {
    const response = await request(built.app.server).get('/v1/me');
    expect(response.status).toBe(401);
    expect(response.headers['content-security-policy']).toBeUndefined();
  });

  it('without a build, says how to make one', async () => {
    const response = await request(unbuilt.app.server).get('/app/');
    expect(response.status).toBe(404);
    expect(response.body.detail).toContain('npm run web:build');
  });

  it('tells its sign-in page whether an organization has single sign-on, without a session', async () => {
    const org = await createOrganization(built.deps, 'Northwind');
    const options = () => request(built.app.server).get(`/v1/auth/sso/${org.id}/options`);
    expect((await options()).body).toEqual({ singleSignOn: false });
    const set = await request(built.app.server)
      .put('/v1/organization/sso')
      .set(bearer(org.adminKey))
      .send({ issuer: 'http://127.0.0.1:9/', clientId: 'hearback', clientSecret: 'secret', allowedDomains: ['northwind.test'], jitRole: null });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect((await options()).body).toEqual({ singleSignOn: true });
    expect((await request(built.app.server).get('/v1/auth/sso/not-an-id/options')).status).toBe(400);
  });
});
