/// <reference lib="dom" />
// The recruiter web app's browser-test set-up: the API listening on a free port with the real
// workers and the local Postmark server, an organization that sends, a person who signs in with
// the link from the inbox, axe (no serious or critical violation) and screenshots at desktop and
// mobile widths into test-results/. Every process started here is stopped by `stop()`.
import { mkdir } from 'node:fs/promises';
import axe from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { expect } from 'vitest';
import { ensureWebBuilt } from '../../web/build.js';
import { ensureChromium, launchChromium } from '../helpers/chromium.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { setUpSending, startDelivery } from '../helpers/delivery.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';
import { linkFromInbox } from '../helpers/people.js';
import { freePort } from '../helpers/redis-server.js';
import { eventually } from '../helpers/wait.js';
import { startPostmarkServer, type PostmarkFake } from '../postmark/server.js';

export const SCREENSHOTS = 'test-results';
export const WIDTHS = { desktop: { width: 1280, height: 900 }, mobile: { width: 390, height: 844 } } as const;

export interface WebSession {
  ctx: TestContext;
  fake: PostmarkFake;
  org: TestOrganization;
  base: string;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Script errors, CSP violations and failed requests the page logged (the 401 before signing in aside). */
  consoleErrors: string[];
  /** POST with the organization's admin key; throws on anything but 2xx. */
  post(path: string, body: object): Promise<{ id: string } & Record<string, unknown>>;
  stop(): Promise<void>;
}

/**
 * Everything a browser test of the web app needs, up to a page that is not signed in yet; `env`
 * adds to the API's configuration (another local server's URL).
 */
export async function startWebSession(admin: { email: string; name: string }, env: Record<string, string> = {}): Promise<WebSession> {
  const session: Partial<WebSession> & { delivery?: Awaited<ReturnType<typeof startDelivery>> } = { consoleErrors: [] };
  const stop = async () => {
    await session.browser?.close();
    await session.delivery?.stop();
    await session.ctx?.close();
    await session.fake?.close();
  };
  try {
    await Promise.all([ensureChromium(), ensureWebBuilt()]);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    session.fake = await startPostmarkServer();
    const ctx = await createTestContext({ OUTBOX_POLL_MS: '50', POSTMARK_API_URL: session.fake.url, PUBLIC_BASE_URL: base, ...env });
    session.ctx = ctx;
    await ctx.app.listen({ host: '127.0.0.1', port });
    const org = await createOrganization(ctx.deps, 'Northwind');
    await setUpSending(ctx, org);
    await ctx.deps.users.ensureAdmin(org.id, admin.email, admin.name);
    session.delivery = await startDelivery(ctx);
    session.browser = await launchChromium();
    session.context = await session.browser.newContext({ viewport: WIDTHS.desktop });
    const page = await session.context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' && !/status of 401/.test(message.text())) session.consoleErrors!.push(message.text());
    });
    page.on('pageerror', (error) => session.consoleErrors!.push(error.message));
    await mkdir(SCREENSHOTS, { recursive: true });
    const post = async (path: string, body: object) => {
      const response = await request(ctx.app.server).post(path).set(bearer(org.adminKey)).send(body);
      if (response.status >= 300) throw new Error(`POST ${path}: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body as { id: string } & Record<string, unknown>;
    };
    return { ...(session as WebSession), ctx, org, base, page, post, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Signs `email` in (on `page`, the session's own by default) with the link the API emails to the local Postmark inbox; lands on the requisitions. */
export async function signIn(session: WebSession, email: string, page = session.page) {
  const { base, fake } = session;
  await page.goto(`${base}/app/`);
  await eventually(() => page.url()).toBe(`${base}/app/sign-in`);
  await page.getByLabel('Work email').fill(email);
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await page.getByRole('status').filter({ hasText: 'Check your inbox' }).waitFor();
  await page.goto(await linkFromInbox(fake, email, 'sign-in'));
  await eventually(() => page.url()).toBe(`${base}/app/requisitions`);
}

export async function seriousViolations(page: Page) {
  await page.evaluate(axe.source);
  const results = await page.evaluate(() =>
    // React Aria's live announcer (a visually hidden log) briefly holds nodes it announced:
    // assistive technology reads them, axe sees dangling references.
    (window as unknown as { axe: typeof axe }).axe.run({ exclude: [['[data-live-announcer]']] }, { resultTypes: ['violations'], iframes: false }),
  );
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.html).join(', ')})`);
}

/** axe at both widths, and a full-page screenshot of each: test-results/<prefix>-<name>-<width>.png. */
export async function checkScreen(page: Page, prefix: string, name: string) {
  for (const [label, size] of Object.entries(WIDTHS)) {
    await page.setViewportSize(size);
    expect(await seriousViolations(page), `${name} at ${label} width`).toEqual([]);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await page.screenshot({ path: `${SCREENSHOTS}/${prefix}-${name}-${label}.png`, fullPage: true });
  }
  await page.setViewportSize(WIDTHS.desktop);
}
