/// <reference lib="dom" />
// The recruiter web app (/app) in Debian's Chromium, through the real API, workers and the local
// Postmark server: a person signs in with the link from the inbox, reads the open requisitions,
// approves drafts with the keyboard in the approval inbox (one, then two selected, one of which
// four-eyes refuses because the recruiter edited it), edits a note (the API's field error shown
// at the field), recalls one inside the undo window, sees the approved one arrive at Postmark and
// the recalled one under "Sent and held"; under Follow-ups answers the question a candidate asked
// on their page (the answer email arrives at Postmark) and marks notifications read (the header's
// bell follows); opens the requisition, where a differently-cased duplicate is one person with the
// evidence. Each screen passes axe (no serious or critical violation) and is saved as a
// screenshot at desktop and mobile widths in test-results/.
import { mkdir } from 'node:fs/promises';
import axe from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuilt } from '../../web/build.js';
import { WEB_APP_CSP } from '../../src/plugins/web-app.js';
import { ensureChromium, launchChromium } from '../helpers/chromium.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { setUpSending, startDelivery } from '../helpers/delivery.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';
import { linkFromInbox } from '../helpers/people.js';
import { freePort } from '../helpers/redis-server.js';
import { eventually, waitFor } from '../helpers/wait.js';
import { startPostmarkServer, type PostmarkFake } from '../postmark/server.js';

const SCREENSHOTS = 'test-results';
const WIDTHS = { desktop: { width: 1280, height: 900 }, mobile: { width: 390, height: 844 } } as const;
const RECRUITER = 'rita@northwind.test';

let ctx: TestContext;
let fake: PostmarkFake;
let org: TestOrganization;
let base: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let delivery: Awaited<ReturnType<typeof startDelivery>>;
const consoleErrors: string[] = [];

beforeAll(async () => {
  await Promise.all([ensureChromium(), ensureWebBuilt()]);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  fake = await startPostmarkServer();
  ctx = await createTestContext({ OUTBOX_POLL_MS: '50', POSTMARK_API_URL: fake.url, PUBLIC_BASE_URL: base });
  await ctx.app.listen({ host: '127.0.0.1', port });
  org = await createOrganization(ctx.deps, 'Northwind');
  await setUpSending(ctx, org);
  await ctx.deps.users.ensureAdmin(org.id, RECRUITER, 'Rita Alves');
  delivery = await startDelivery(ctx);
  browser = await launchChromium();
  context = await browser.newContext({ viewport: WIDTHS.desktop });
  page = await context.newPage();
  // A CSP violation, a missing asset or a script error is a failure, not a silent blank screen
  // (the 401 of GET /v1/me before signing in is how the app learns it must sign in).
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of 401/.test(message.text())) consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await mkdir(SCREENSHOTS, { recursive: true });
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await delivery?.stop();
  await ctx?.close();
  await fake?.close();
});

const api = () => request(ctx.app.server);
const post = async (path: string, body: object) => {
  const response = await api().post(path).set(bearer(org.adminKey)).send(body);
  if (response.status >= 300) throw new Error(`POST ${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
};
const patchOrganization = async (body: object) => {
  const response = await api().patch('/v1/organization').set(bearer(org.adminKey)).send(body);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
};

const FEEDBACK = {
  reasonCategory: 'experience_level',
  strengths: ['A very clear system design walkthrough'],
  areasToImprove: ['More hands-on experience running Kubernetes operators in production would help'],
  // The candidate's page then offers the talent pool (the Follow-ups step joins it).
  nextSteps: { talentPoolInvite: true },
};

/** A requisition whose decision (hire the first, reject the others) is confirmed and rendered: drafts to approve. */
async function draftRejections(title: string, names: string[]) {
  const requisition = await post('/v1/requisitions', { title, location: 'Lisbon', hiringContact: { name: 'Rita Alves', email: RECRUITER } });
  const applications: Record<string, string> = {};
  for (const name of names) {
    const candidate = await post('/v1/candidates', { name, emails: [`${name.toLowerCase().replaceAll(' ', '.')}@x.test`] });
    applications[name] = (await post('/v1/applications', { candidate: { id: candidate.id }, requisition: { id: requisition.id } })).id;
  }
  const hired = applications[names[0]!]!;
  const feedback = Object.fromEntries(names.slice(1).map((name) => [applications[name], FEEDBACK]));
  const plan = await post(`/v1/requisitions/${requisition.id}/plans`, { chosen: [{ applicationId: hired }], targets: { mode: 'all_others_active' }, feedback });
  const confirmation = await post(`/v1/plans/${plan.id}/confirm`, { digest: plan.digest, chosenApplicationIds: [hired] });
  await ctx.deps.messages.renderPlan(plan.id);
  const messageOf = (name: string) => (confirmation.messages as { id: string; applicationId: string }[]).find((m) => m.applicationId === applications[name])!.id;
  return { requisitionId: requisition.id as string, messageOf };
}

async function seriousViolations() {
  await page.evaluate(axe.source);
  const results = await page.evaluate(() =>
    // React Aria's live announcer (a visually hidden log) briefly holds an image labelled by a
    // node it announced: assistive technology reads it, axe sees a dangling reference. The email
    // preview's frame is sandboxed without scripts, so axe cannot run inside it.
    (window as unknown as { axe: typeof axe }).axe.run({ exclude: [['[data-live-announcer]']] }, { resultTypes: ['violations'], iframes: false }),
  );
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.html).join(', ')})`);
}

/** axe at both widths, and a screenshot of each. */
async function checkScreen(name: string) {
  for (const [label, size] of Object.entries(WIDTHS)) {
    await page.setViewportSize(size);
    expect(await seriousViolations(), `${name} at ${label} width`).toEqual([]);
    // Two frames, so the resized layout is painted before the picture.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await page.screenshot({ path: `${SCREENSHOTS}/web-app-${name}-${label}.png`, fullPage: true });
    // Chromium's full-page picture leaves a sandboxed (out-of-process) frame below the fold blank:
    // the email gets its own picture, scrolled into view, its text visible at this width.
    const email = page.locator('iframe.email-frame');
    if ((await email.count()) > 0) {
      await email.scrollIntoViewIfNeeded();
      expect(await page.frameLocator('iframe.email-frame').locator('body').isVisible()).toBe(true);
      await page.screenshot({ path: `${SCREENSHOTS}/web-app-${name}-${label}-email.png` });
      await page.evaluate(() => window.scrollTo(0, 0));
    }
  }
  await page.setViewportSize(WIDTHS.desktop);
}

const messageStatus = async (id: string) => (await api().get(`/v1/messages/${id}`).set(bearer(org.adminKey))).body.status as string;

describe('the recruiter web app in Chromium', () => {
  let drafts: Awaited<ReturnType<typeof draftRejections>>;
  const rejected = ['Bruno Costa', 'Chen Wei', 'Dara Singh'];

  it('is served at /app under its strict CSP', async () => {
    const response = await api().get('/app/inbox');
    expect(response.status).toBe(200);
    expect(response.headers['content-security-policy']).toBe(WEB_APP_CSP);
    expect(response.text).not.toMatch(/<script>|<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('signs in with the link from the Postmark inbox and lands in the app', async () => {
    await page.goto(`${base}/app/`);
    await eventually(() => page.url()).toBe(`${base}/app/sign-in`);
    await page.getByRole('heading', { name: 'Sign in to Hearback' }).waitFor();
    await checkScreen('sign-in');
    await page.getByLabel('Work email').fill(RECRUITER);
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await page.getByRole('status').filter({ hasText: 'Check your inbox' }).waitFor();
    const link = await linkFromInbox(fake, RECRUITER, 'sign-in');
    await page.goto(link);
    await eventually(() => page.url()).toBe(`${base}/app/requisitions`);
    await page.getByText('Signed in as Rita Alves').waitFor();
  });

  it('shows the open requisitions with their closure progress', async () => {
    drafts = await draftRejections('Platform Engineer', ['Amara Okafor', ...rejected]);
    await page.reload();
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Platform Engineer' }) });
    await card.getByText(/of 4 have heard a final word/).waitFor();
    await checkScreen('requisitions');
  });

  it('approves drafts with the keyboard, recalls one inside the undo window, and the others arrive at Postmark', async () => {
    // A minute to change one's mind, and a second person must approve what the API confirmed.
    await patchOrganization({ undoWindowMinutes: 1, fourEyesApproval: true });
    // From the requisition's card to its drafts.
    await page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: 'Platform Engineer' }) })
      .getByRole('link', { name: 'Drafts to approve' })
      .click();
    await eventually(() => page.url()).toBe(`${base}/app/inbox?requisition=${drafts.requisitionId}`);
    await page.getByText('3 drafts shown').waitFor();
    // When it will go out, and why: the organization's send policy in words.
    await page.getByText('once the 1-minute undo window has passed').waitFor();
    await page.getByText('Four-eyes approval').waitFor();
    // The email as the candidate will see it: sandboxed, no scripts, the candidate's own name.
    const frame = page.locator('iframe.email-frame');
    expect(await frame.getAttribute('sandbox')).toBe('');
    await eventually(async () => (await frame.getAttribute('srcdoc')) ?? '').toContain('Bruno');
    // Rendered, not just present: the frame is as wide as the chosen width (a whole email, not a
    // sliver) and shows the greeting; the mobile width narrows it.
    const frameWidth = async () => Math.round((await frame.boundingBox())?.width ?? 0);
    await page.frameLocator('iframe.email-frame').getByText('Hi Bruno,').waitFor();
    expect(await frameWidth()).toBe(640);
    // React Aria's radios are labels around a visually hidden input: the label is what one clicks.
    await page.locator('.widths').getByText('Mobile', { exact: true }).click();
    await eventually(frameWidth).toBe(375);
    expect(await page.getByRole('radio', { name: 'Mobile' }).isChecked()).toBe(true);
    await page.locator('.widths').getByText('Desktop', { exact: true }).click();
    await eventually(frameWidth).toBe(640);
    await checkScreen('inbox');

    // j/k move; `a` approves the current draft (Bruno), and the next one becomes current.
    await page.keyboard.press('j');
    await eventually(() => page.locator('#detail-title').textContent()).toBe('Chen Wei');
    await page.keyboard.press('k');
    await eventually(() => page.locator('#detail-title').textContent()).toBe('Bruno Costa');
    await page.keyboard.press('a');
    await page.getByText(/^Approved: sends at/).waitFor();
    await eventually(() => page.locator('#detail-title').textContent()).toBe('Chen Wei');
    // `x` selects Chen; `j` moves to Dara, `e` edits her personal note: the API's error for a
    // note too long is shown at the field, a good one re-renders the email.
    await page.keyboard.press('x');
    await page.keyboard.press('j');
    await eventually(() => page.locator('#detail-title').textContent()).toBe('Dara Singh');
    await page.keyboard.press('e');
    const dialog = page.getByRole('dialog');
    const note = dialog.getByLabel('Personal note');
    await note.fill('x'.repeat(2001));
    const logged = consoleErrors.length;
    await dialog.getByRole('button', { name: 'Save' }).click();
    await eventually(() => note.getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.textContent()).toMatch(/2000/);
    // The browser logs the 400 this step asked for.
    expect(consoleErrors.splice(logged)).toEqual([expect.stringMatching(/status of 400/)]);
    await note.fill('Thank you for the thoughtful questions about on-call.');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved: re-rendered as a new version.').waitFor();
    await eventually(async () => (await frame.getAttribute('srcdoc')) ?? '').toContain('thoughtful questions about on-call');
    // `x` selects her too and Shift+A approves both: Chen's goes, Dara's is refused by four-eyes
    // (whoever last edited a message may not approve it), in words.
    await page.keyboard.press('x');
    await page.keyboard.press('Shift+A');
    await page.getByText(/^1 approved\. 1 could not be approved: .*second person/).waitFor();
    await page.getByText('1 drafts shown').waitFor();
    expect(await messageStatus(drafts.messageOf('Chen Wei'))).toBe('approved');
    expect(await messageStatus(drafts.messageOf('Dara Singh'))).toBe('pending_approval');

    // Recall Chen's inside the undo window, with the countdown on the button.
    const recall = page.locator(`[data-recall="${drafts.messageOf('Chen Wei')}"]`);
    expect(await recall.textContent()).toMatch(/Recall \(\d+ s left\)/);
    await checkScreen('inbox-approved');
    await recall.click();
    await page.getByText('Recalled: it will not be sent.').waitFor();
    expect(await messageStatus(drafts.messageOf('Chen Wei'))).toBe('recalled');

    // Rather than wait out the minute: no undo window, and the approved messages take the new policy's time.
    await patchOrganization({ undoWindowMinutes: 0 });
    await post('/v1/messages/reschedule', {});
    await ctx.deps.delivery.dispatchDue();
    const arrived = await waitFor(
      () => fake.messages().map((m) => m.Metadata?.hearback_message_id),
      (ids) => ids.includes(drafts.messageOf('Bruno Costa')),
      { what: 'the approved emails at Postmark', progress: () => fake.messages().length },
    );
    expect(arrived).not.toContain(drafts.messageOf('Chen Wei'));
    expect(arrived).not.toContain(drafts.messageOf('Dara Singh'));
    await eventually(() => messageStatus(drafts.messageOf('Bruno Costa'))).toBe('sent');
  });

  it('shows sent and held messages with the reason and the next step', async () => {
    await page.getByRole('link', { name: 'Sent and held' }).click();
    await page.getByRole('heading', { name: 'Sent and held' }).waitFor();
    await page.getByText('No messages in this state.').waitFor();
    await page.getByRole('radio', { name: 'Recalled' }).check({ force: true });
    const chen = page.locator(`tr[data-message-id="${drafts.messageOf('Chen Wei')}"]`);
    await chen.getByRole('button', { name: 'Edit feedback' }).waitFor();
    await page.getByRole('radio', { name: 'Sent', exact: true }).check({ force: true });
    await eventually(() => page.locator('tbody tr').count()).toBe(1);
    await page.getByText('Nothing to do').first().waitFor();
    await checkScreen('sent');
    expect(consoleErrors).toEqual([]);
  });

  it('answers a candidate’s question under Follow-ups, the answer email arrives, and a notification is marked read', async () => {
    // Bruno, on the page his email links to: joins the talent pool, rates with a comment, asks a
    // question and asks for a copy of his data.
    const email = fake.messages().find((m) => m.Metadata?.hearback_message_id === drafts.messageOf('Bruno Costa'))!;
    const token = /\/f\/([A-Za-z0-9_-]{43})/.exec(email.TextBody ?? '')![1]!;
    const candidate = await context.newPage();
    await candidate.goto(`${base}/f/${token}`);
    await candidate.click('form[action$="/talent-pool"] button[type="submit"]');
    await eventually(() => candidate.url()).toMatch(/notice=talent_pool_joined/);
    await candidate.check('#rating-4');
    await candidate.fill('#rating-comment', 'Clear and kind, thank you.');
    await candidate.click('form[action$="/rating"] button[type="submit"]');
    await eventually(() => candidate.url()).toMatch(/notice=rating_saved/);
    await candidate.fill('#question', 'Which Kubernetes topics should I focus on?');
    await candidate.click('form[action$="/questions"] button[type="submit"]');
    await eventually(() => candidate.url()).toMatch(/notice=question_sent/);
    await candidate.click('form[action$="/data-requests"]:has(input[name="kind"][value="export"]) button[type="submit"]');
    await eventually(() => candidate.url()).toMatch(/notice=/);
    await candidate.close();

    // The bell counts what waits for Rita, and leads to the follow-ups.
    await page.reload();
    const bell = page.locator('header .bell .count');
    await eventually(async () => Number(await bell.textContent())).toBeGreaterThan(0);
    const unreadBefore = Number(await bell.textContent());
    await page.locator('header .bell').click();
    await eventually(() => page.url()).toBe(`${base}/app/follow-ups#notifications`);
    await page.getByRole('heading', { name: 'Follow-ups', level: 1 }).waitFor();
    const questions = page.locator('section[aria-labelledby="questions"]');
    const question = questions.locator('li', { hasText: 'Which Kubernetes topics should I focus on?' });
    await question.getByText('Bruno Costa').waitFor();
    await page.locator('section[aria-labelledby="ratings"]').getByText('Clear and kind, thank you.').waitFor();
    await page.locator('section[aria-labelledby="ratings"]').getByText('rated it 4 of 5').waitFor();
    await page.locator('section[aria-labelledby="talent-pool"]').getByText('Bruno Costa').waitFor();
    await page
      .locator('section[aria-labelledby="data-requests"]')
      .getByText(/asked for a copy of their data/)
      .waitFor();
    await page.locator('section[aria-labelledby="data-requests"]').getByText(/^Due /).waitFor();
    await checkScreen('follow-ups');

    // Answer it: the API emails Bruno, and the status of that email is shown in words.
    await question.getByLabel('Your answer').fill('Start with operators and upgrades.');
    await question.getByRole('button', { name: 'Send the answer' }).click();
    await questions.getByText('No questions wait for an answer.').waitFor();
    await waitFor(
      () => fake.messages().filter((m) => m.Recipients.includes('bruno.costa@x.test') && (m.TextBody ?? '').includes('Start with operators and upgrades.')),
      (found) => found.length === 1,
      { what: 'the answer email at Postmark', progress: () => fake.messages().length },
    );
    await questions.getByRole('button', { name: 'Answered' }).click();
    await questions.getByText(/^The answer was emailed to the candidate at/).waitFor();

    // The question's notification, marked read: the bell counts one fewer.
    const notification = page.locator('section[aria-labelledby="notifications"] li', { hasText: 'A candidate asked a question' });
    await notification.getByRole('button', { name: 'Mark read' }).click();
    await notification.getByRole('button', { name: 'Mark read' }).waitFor({ state: 'detached' });
    await eventually(async () => Number(await bell.textContent())).toBe(unreadBefore - 1);
    await page.getByRole('button', { name: 'Mark all read' }).click();
    await eventually(() => bell.textContent()).toBe('0');
    await checkScreen('follow-ups-answered');
    expect(consoleErrors).toEqual([]);
  });

  it('shows a requisition’s applicants, a differently-cased duplicate as one person with the evidence, and its members', async () => {
    const twin = await post('/v1/candidates', { name: 'bruno costa', emails: ['BRUNO.COSTA@x.test'] });
    await post('/v1/applications', { candidate: { id: twin.id }, requisition: { id: drafts.requisitionId } });
    const rita = await ctx.deps.db.user.findFirstOrThrow({ where: { organizationId: org.id, email: RECRUITER } });
    expect((await api().put(`/v1/requisitions/${drafts.requisitionId}/members/${rita.id}`).set(bearer(org.adminKey))).status).toBe(201);

    await page.getByRole('link', { name: 'Requisitions' }).click();
    await page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: 'Platform Engineer' }) })
      .getByRole('link', { name: 'Applicants and people' })
      .click();
    await eventually(() => page.url()).toBe(`${base}/app/requisitions/${drafts.requisitionId}`);
    await page.getByRole('heading', { name: 'Applicants (4)' }).waitFor();
    const rows = page.locator('table.applicants tbody tr');
    expect(await rows.count()).toBe(4);
    const bruno = rows.filter({ hasText: 'Bruno Costa' });
    await bruno.getByText('also applied as bruno costa <BRUNO.COSTA@x.test>').waitFor();
    await bruno.getByText('linked because of the same email address: bruno.costa@x.test').waitFor();
    expect(await bruno.locator('td').nth(4).textContent()).toMatch(/: Sent$/);
    expect(await rows.filter({ hasText: 'Chen Wei' }).locator('td').nth(4).textContent()).toMatch(/: Recalled$/);
    expect(await rows.filter({ hasText: 'Dara Singh' }).locator('td').nth(2).textContent()).toBe('Not yet');
    const members = page.locator('section[aria-labelledby="members"]');
    await members.getByText('Rita Alves').waitFor();
    await members.getByText('Admin').waitFor();
    await checkScreen('requisition');
    expect(consoleErrors).toEqual([]);
  });
});
