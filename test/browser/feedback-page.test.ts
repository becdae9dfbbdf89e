/// <reference lib="dom" />
// The candidate's page in a real browser (Debian's Chromium through playwright-core): each
// language rendered and saved as a screenshot (test-results/), the actions clicked through
// without any JavaScript on the page, axe-core finding no serious accessibility violation, and
// script injected in every organization-written field staying inert.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { setUpSending, startDelivery } from '../helpers/delivery.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';
import { freePort } from '../helpers/redis-server.js';
import { sendRejections } from '../helpers/sent-messages.js';
import { startPostmarkServer, type PostmarkFake } from '../postmark/server.js';
import { eventually } from '../helpers/wait.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = 'test-results';

/** Debian's Chromium, installed on first use when we may (CI runs as root); never downloaded by Playwright. */
async function ensureChromium(): Promise<void> {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) throw new Error(`Chromium is missing: run "apt-get install -y chromium" (as root) for the browser tests`);
  await promisify(execFile)('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { timeout: 600_000 });
}

const INJECTION = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">"'><svg onload=window.__pwned=1>`;

let ctx: TestContext;
let fake: PostmarkFake;
let org: TestOrganization;
let base: string;
let browser: Browser;
let delivery: Awaited<ReturnType<typeof startDelivery>>;

beforeAll(async () => {
  await ensureChromium();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  fake = await startPostmarkServer();
  ctx = await createTestContext({ OUTBOX_POLL_MS: '50', POSTMARK_API_URL: fake.url, PUBLIC_BASE_URL: base });
  await ctx.app.listen({ host: '127.0.0.1', port });
  org = await createOrganization(ctx.deps, 'Northwind');
  await setUpSending(ctx, org);
  delivery = await startDelivery(ctx);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  await mkdir(SCREENSHOTS, { recursive: true });
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await delivery?.stop();
  await ctx?.close();
  await fake?.close();
});

const feedback = {
  reasonCategory: 'experience_level',
  strengths: ['A very clear system design walkthrough', 'Thoughtful questions about on-call'],
  areasToImprove: ['Hands-on experience with Kubernetes operators'],
  competencies: [{ name: 'System design', rating: 4, comment: 'Solid trade-offs under time pressure' }],
  personalNote: 'Thank you for the time you gave us.',
  nextSteps: { talentPoolInvite: true, otherOpenings: ['Backend Engineer'] },
};

/** Runs axe-core in the page (evaluated over the DevTools protocol: the page's CSP allows no script). */
async function seriousViolations(page: Page) {
  await page.evaluate(axe.source);
  const results = await page.evaluate(() => (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] }));
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`);
}

describe('the candidate page in Chromium', () => {
  it('renders in each language, passes axe, and is saved as a screenshot', async () => {
    const sent = await sendRejections(ctx, org, fake, [
      { name: 'Alex Morgan', email: 'alex@x.test', locale: 'en', feedback },
      { name: 'Camille Petit', email: 'camille@x.test', locale: 'fr', feedback },
      { name: 'Jonas Weber', email: 'jonas@x.test', locale: 'de', feedback },
      { name: 'Lucía García', email: 'lucia@x.test', locale: 'es', feedback },
    ]);
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    for (const [name, locale] of [
      ['Alex Morgan', 'en'],
      ['Camille Petit', 'fr'],
      ['Jonas Weber', 'de'],
      ['Lucía García', 'es'],
    ] as const) {
      const response = await page.goto(`${base}/f/${sent[name]!.token}`);
      expect(response?.status()).toBe(200);
      expect(await page.getAttribute('html', 'lang')).toBe(locale);
      await eventually(() => page.locator('h1').isVisible()).toBe(true);
      expect(await page.textContent('main')).toContain('A very clear system design walkthrough');
      // The stylesheet applied under the strict CSP (inline, allowed by its hash).
      expect(await page.evaluate(() => getComputedStyle(document.body).margin)).toBe('0px');
      await page.screenshot({ path: `${SCREENSHOTS}/feedback-page-${locale}.png`, fullPage: true });
      expect(await seriousViolations(page)).toEqual([]);
    }
    // The organization's accent reaches links and buttons through the CSP (its style is allowed by hash).
    expect((await request(ctx.app.server).patch('/v1/organization').set(bearer(org.adminKey)).send({ accentColor: '#7c2d12' })).status).toBe(200);
    try {
      await page.goto(`${base}/f/${sent['Alex Morgan']!.token}`);
      expect(await page.evaluate(() => getComputedStyle(document.querySelector('button')!).backgroundColor)).toBe('rgb(124, 45, 18)');
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await request(ctx.app.server).patch('/v1/organization').set(bearer(org.adminKey)).send({ accentColor: '#1d4ed8' });
    }
    await page.close();
  });

  it('joins the talent pool, rates, asks a question and sees the recruiter’s answer, by clicking', async () => {
    const sent = await sendRejections(ctx, org, fake, [{ name: 'Sam Rivera', email: 'sam@x.test', locale: 'en', feedback }]);
    const { token, messageId } = sent['Sam Rivera']!;
    const page = await browser.newPage({ javaScriptEnabled: false });
    await page.goto(`${base}/f/${token}`);

    await page.click('form[action$="/talent-pool"] button[type="submit"]');
    await eventually(() => page.url()).toMatch(/notice=talent_pool_joined/);
    expect(await page.locator('#notice').textContent()).toBeTruthy();

    await page.check('#rating-4');
    await page.fill('#rating-comment', 'Clear and kind, thank you.');
    await page.click('form[action$="/rating"] button[type="submit"]');
    await eventually(() => page.url()).toMatch(/notice=rating_saved/);

    await page.fill('#question', 'Which Kubernetes topics should I focus on?');
    await page.click('form[action$="/questions"] button[type="submit"]');
    await eventually(() => page.url()).toMatch(/notice=question_sent/);
    expect(await page.locator('#question').count()).toBe(0);

    const api = request(ctx.app.server);
    const question = (await api.get(`/v1/questions?messageId=${messageId}`).set(bearer(org.adminKey))).body.data[0];
    await api.post(`/v1/questions/${question.id}/answer`).set(bearer(org.adminKey)).send({ answer: 'Start with operators and upgrades.' });
    await page.goto(`${base}/f/${token}`);
    expect(await page.textContent('#questions')).toContain('Start with operators and upgrades.');
    // The page with a notice, an answered question and a rating passes axe too (axe needs script: another tab).
    const checked = await browser.newPage();
    await checked.goto(`${base}/f/${token}?notice=rating_saved`);
    expect(await seriousViolations(checked)).toEqual([]);
    await checked.close();

    const events = (await api.get(`/v1/candidate-events?messageId=${messageId}`).set(bearer(org.adminKey))).body.data.map((e: { type: string }) => e.type);
    expect(events).toEqual(expect.arrayContaining(['feedback.viewed', 'candidate.talent_pool_joined', 'candidate.feedback_rated', 'candidate.question_asked']));
    await page.close();
  });

  it('keeps script in every organization-written field inert', async () => {
    const hostile = await createOrganization(ctx.deps, `Acme ${INJECTION}`);
    await setUpSending(ctx, hostile);
    const sent = await sendRejections(
      ctx,
      hostile,
      fake,
      [
        {
          name: `Robin ${INJECTION}`,
          email: 'robin@x.test',
          locale: 'en',
          feedback: {
            reasonCategory: 'skills_gap',
            strengths: [`Strength ${INJECTION}`],
            areasToImprove: [`Area ${INJECTION}`],
            competencies: [{ name: `<img src=x onerror="window.__pwned=1">`, rating: 3, comment: `Comment ${INJECTION}` }],
            personalNote: `Note ${INJECTION}`,
            nextSteps: { talentPoolInvite: true, otherOpenings: [`Opening ${INJECTION}`] },
          },
        },
      ],
      { title: `Engineer ${INJECTION}`, hiringContact: { name: `Rita ${INJECTION}`, email: 'rita@northwind.test' } },
    );
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${base}/f/${sent[`Robin ${INJECTION}`]!.token}`);
    await page.waitForLoadState('load');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('main script, main img, main svg').count()).toBe(0);
    // The text is shown as text.
    expect(await page.textContent('main')).toContain('Strength <script>window.__pwned=1</script>');
    expect(dialogs).toEqual([]);
    await page.close();
  });
});
