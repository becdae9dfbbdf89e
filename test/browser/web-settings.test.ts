/// <reference lib="dom" />
// The web app's settings (/app/settings) in Debian's Chromium, through the real API, workers and
// the local Postmark server: an admin signs in with the link from the inbox; changes the send
// policy (a bad one refused with the API's words at its field), reschedules approved messages
// from there; turns four-eyes on; invites a person and changes their role (who, signed in with
// their invitation, is told settings are for admins); sets the Postmark sender (the token never
// shown again); adds a webhook endpoint and rotates its secret (each secret shown once); connects
// an ATS; edits a template with a syntax error (shown at its line, from the live check and from
// the save), fixes it, sees the live preview follow, and saves it. Every settings page passes axe
// (no serious or critical violation) and is saved as a screenshot at desktop and mobile widths.
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestContext } from '../helpers/context.js';
import { bearer, type TestOrganization } from '../helpers/factories.js';
import { linkFromInbox } from '../helpers/people.js';
import { eventually } from '../helpers/wait.js';
import { startFakeAts, type FakeAts } from '../ats-fake/server.js';
import type { PostmarkFake } from '../postmark/server.js';
import { checkScreen as checkScreenAt, signIn, startWebSession, WIDTHS, type WebSession } from './web-session.js';

const ADMIN = 'ada@northwind.test';
const INVITED = 'victor@northwind.test';

let session: WebSession;
let ctx: TestContext;
let fake: PostmarkFake;
let ats: FakeAts;
let org: TestOrganization;
let base: string;
let browser: Browser;
let page: Page;
// A CSP violation, a missing asset or a script error is a failure (the 401 of GET /v1/me before
// signing in is how the app learns it must sign in; a 400 or 422 a step asks for is taken out by
// that step).
let consoleErrors: string[];

beforeAll(async () => {
  ats = await startFakeAts({ greenhouse: { clientId: 'gh-client', clientSecret: 'gh-secret-value' } });
  session = await startWebSession({ email: ADMIN, name: 'Ada Lindqvist' }, { GREENHOUSE_API_URL: ats.url, GREENHOUSE_AUTH_URL: ats.url });
  ({ ctx, fake, org, base, browser, page, consoleErrors } = session);
}, 600_000);
afterAll(async () => {
  await session?.stop();
  await ats?.close();
});

const api = () => request(ctx.app.server);
const get = async (path: string) => {
  const response = await api().get(path).set(bearer(org.adminKey));
  if (response.status >= 300) throw new Error(`GET ${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
};

/** axe at both widths, and a screenshot of each: test-results/web-settings-<name>-<width>.png. */
const checkScreen = (name: string, on: Page = page) => checkScreenAt(on, 'web-settings', name);

/** The errors the browser logged since `from` (the 4xx answers a step asked for). */
const loggedSince = (from: number) => consoleErrors.splice(from);

const settingsNav = () => page.getByRole('navigation', { name: 'Settings pages' });
async function openSettings(name: string, heading: string) {
  await settingsNav().getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { name: heading, level: 2 }).waitFor();
}

describe('the settings of the web app in Chromium', () => {
  it('signs the admin in, whose navigation leads to the settings', async () => {
    await signIn(session, ADMIN);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await eventually(() => page.url()).toBe(`${base}/app/settings/send-policy`);
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
  });

  it('changes the send policy: a bad one is refused at its field, a good one saved, and approved messages rescheduled', async () => {
    await page.getByRole('heading', { name: 'Send policy', level: 2 }).waitFor();
    const undo = page.getByLabel('Undo window (minutes)');
    await eventually(() => undo.inputValue()).toBe('0');
    await checkScreen('send-policy');

    // Sending from 18:00 until 9:00 is not a window: the API says so at "Until".
    const from = page.getByLabel('From (hour)');
    const until = page.getByLabel('Until (hour)');
    await from.fill('18');
    await until.fill('9');
    const logged = consoleErrors.length;
    await page.getByRole('button', { name: 'Save' }).click();
    await eventually(() => until.getAttribute('aria-invalid')).toBe('true');
    const untilError = page.locator('.react-aria-NumberField', { has: until }).locator('.react-aria-FieldError');
    expect(await untilError.textContent()).toBe('sendHourStart must be before sendHourEnd');
    expect(await from.getAttribute('aria-invalid')).toBeNull();
    expect(loggedSince(logged)).toEqual([expect.stringMatching(/status of 400/)]);
    await checkScreen('send-policy-invalid');

    await from.fill('9');
    await until.fill('17');
    await undo.fill('15');
    await page.getByLabel('Hours after the last interview').fill('24');
    await page.getByRole('radio', { name: 'Weekdays only' }).check({ force: true });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/^The send policy is saved/).waitFor();
    expect(await until.getAttribute('aria-invalid')).toBeNull();
    const saved = await get('/v1/organization');
    expect(saved).toMatchObject({ undoWindowMinutes: 15, sendHourStart: 9, sendHourEnd: 17, sendWeekdaysOnly: true, hoursAfterInterview: 24 });

    await page.getByRole('button', { name: 'Give already-approved messages the new policy’s send time' }).click();
    await page.getByText(/^0 approved messages rescheduled, 0 unchanged\.$/).waitFor();
    await checkScreen('send-policy-saved');
  });

  it('turns four-eyes approval on', async () => {
    await openSettings('Four-eyes approval', 'Four-eyes approval');
    const toggle = page.getByRole('switch', { name: 'Require a second person to approve' });
    expect(await toggle.isChecked()).toBe(false);
    await toggle.focus();
    await page.keyboard.press('Space');
    await page.getByText('Four-eyes approval is on.').waitFor();
    expect((await get('/v1/organization')).fourEyesApproval).toBe(true);
    await checkScreen('four-eyes');
  });

  it('invites a person and changes their role; signed in, they are told settings are for admins', async () => {
    await openSettings('Users and roles', 'Users and roles');
    const invite = page.getByRole('form', { name: 'Invite a person' });
    await invite.getByLabel('Name').fill('Victor Hale');
    await invite.getByLabel('Email').fill(INVITED);
    await invite.getByRole('button', { name: 'Send the invitation' }).click();
    await page.getByText(`Victor Hale is invited: an email with a sign-in link is on its way to ${INVITED}.`).waitFor();
    const row = page.locator(`tr[data-user="${INVITED}"]`);
    await row.getByText(/^Invited, link valid until/).waitFor();
    await eventually(() => row.locator('[data-role]').textContent()).toBe('Recruiter');
    await checkScreen('users');

    // The role, in a dialog: recruiter → viewer.
    await row.getByRole('button', { name: 'Change role: Victor Hale' }).click();
    const dialog = page.getByRole('dialog', { name: 'Role of Victor Hale' });
    await dialog.getByRole('radio', { name: 'Viewer' }).check({ force: true });
    await checkScreen('users-role');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Victor Hale is now Viewer; their sessions ended.').waitFor();
    const users = (await get('/v1/users')).data as { email: string; role: string; status: string }[];
    expect(users.find((u) => u.email === INVITED)).toMatchObject({ role: 'viewer', status: 'invited' });

    // Victor accepts the invitation in his own browser: no settings in his navigation, and the page says why.
    const his = await browser.newContext({ viewport: WIDTHS.desktop });
    try {
      const victor = await his.newPage();
      await victor.goto(await linkFromInbox(fake, INVITED, 'invitation'));
      await victor.getByText('Signed in as Victor Hale').waitFor();
      expect(await victor.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).count()).toBe(0);
      await victor.goto(`${base}/app/settings`);
      await victor.getByRole('heading', { name: 'Settings are for admins only' }).waitFor();
      expect(await victor.getByLabel('Undo window (minutes)').count()).toBe(0);
      await checkScreen('admins-only', victor);
    } finally {
      await his.close();
    }
  });

  it('sets the Postmark sender: the token is never shown again, only its last four characters', async () => {
    await openSettings('Postmark sender', 'Postmark sender');
    await page.getByText('Set (ends in 0001)').waitFor();
    await page.getByText('Yes: a server token and a sender are set.').waitFor();
    const token = page.getByLabel('Server token');
    expect(await token.inputValue()).toBe('');
    expect(await token.getAttribute('type')).toBe('password');
    await token.fill('pm-server-token-7a2c');
    await page.getByLabel('Sender email').fill('people@northwind.test');
    await page.getByLabel('Sender name (optional)').fill('Northwind People');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved: emails go out through this Postmark server and sender.').waitFor();
    await page.getByText('Set (ends in 7a2c)').waitFor();
    await page.getByText('Northwind People <people@northwind.test>').waitFor();
    expect(await token.inputValue()).toBe('');
    expect(await page.content()).not.toContain('pm-server-token-7a2c');
    expect(await get('/v1/organization/postmark')).toMatchObject({ configured: true, tokenHint: '7a2c', senderEmail: 'people@northwind.test', senderName: 'Northwind People' });
    await checkScreen('postmark');
  });

  it('adds a webhook endpoint (its secret shown once) and rotates its secret', async () => {
    await openSettings('Webhook endpoints', 'Webhook endpoints');
    await page.getByText('No webhook endpoints yet.').waitFor();
    await page.getByRole('button', { name: 'Add an endpoint' }).click();
    const form = page.getByRole('form', { name: 'Add an endpoint' });
    await form.getByLabel('URL').fill('https://hooks.northwind.test/hearback');
    await form.getByLabel('Description (optional)').fill('The people team’s automations');
    await form.getByRole('checkbox', { name: 'message.sent' }).check({ force: true });
    await form.getByRole('checkbox', { name: 'message.bounced' }).check({ force: true });
    await form.getByRole('button', { name: 'Add an endpoint' }).click();
    const secret = page.locator('[data-secret]');
    const first = (await secret.textContent()) ?? '';
    expect(first).toMatch(/^whsec_/);
    const endpoint = page.locator('li[data-endpoint="https://hooks.northwind.test/hearback"]');
    await endpoint.getByText('message.sent, message.bounced').waitFor();
    await endpoint.getByText('Enabled').waitFor();
    await checkScreen('webhooks-created');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await secret.waitFor({ state: 'detached' });

    await endpoint.getByRole('button', { name: 'Rotate the secret' }).click();
    await endpoint.getByText('A new secret is shown above; the old one signs alongside it for 24 hours.').waitFor();
    const second = (await secret.textContent()) ?? '';
    expect(second).toMatch(/^whsec_/);
    expect(second).not.toBe(first);
    await endpoint.getByText(/^The previous secret still signs until/).waitFor();
    const [stored] = (await get('/v1/webhook-endpoints')).data as { previousSecretExpiresAt: string | null; eventTypes: string[] }[];
    expect(stored!.previousSecretExpiresAt).not.toBeNull();
    expect(stored!.eventTypes).toEqual(['message.sent', 'message.bounced']);

    // Edited: every event again, and a new description.
    await endpoint.getByRole('button', { name: 'Edit' }).click();
    const edit = endpoint.getByRole('form', { name: 'Edit the endpoint' });
    await edit.getByLabel('Description (optional)').fill('Automations, every event');
    await edit.getByRole('checkbox', { name: 'message.sent' }).uncheck({ force: true });
    await edit.getByRole('checkbox', { name: 'message.bounced' }).uncheck({ force: true });
    await edit.getByRole('button', { name: 'Save' }).click();
    await endpoint.getByText('Automations, every event', { exact: true }).waitFor();
    await endpoint.getByText('Every event', { exact: true }).waitFor();
    await edit.waitFor({ state: 'detached' });

    // Disabled, it says since when; started again, what failed meanwhile is sent again.
    await endpoint.getByRole('button', { name: 'Disable' }).click();
    await endpoint.getByText(/^Disabled since /).waitFor();
    expect(((await get('/v1/webhook-endpoints')).data as { enabled: boolean }[])[0]!.enabled).toBe(false);
    await endpoint.getByRole('button', { name: 'Start it again and resend what failed' }).click();
    await endpoint.getByText('0 failed deliveries are sent again.').waitFor();
    await endpoint.getByText('Enabled').waitFor();
    expect(((await get('/v1/webhook-endpoints')).data as { enabled: boolean }[])[0]!.enabled).toBe(true);

    await endpoint.getByRole('button', { name: 'Recent attempts' }).click();
    await endpoint.getByText('No attempts yet.').waitFor();
    await checkScreen('webhooks-rotated');
  });

  it('connects an ATS: its secret shown once, credentials write-only and checked, then its reason map', async () => {
    await openSettings('ATS connections', 'ATS connections');
    await page.getByText('No ATS is connected.').waitFor();
    await page.getByLabel('Name').fill('Greenhouse EU');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByText(/^The secret this ATS signs its webhooks with, shown this once/).waitFor();
    const connection = page.locator('li[data-connection="Greenhouse EU"]');
    await connection.getByText(/^No verified credentials/).waitFor();
    await connection.getByRole('button', { name: 'API credentials' }).click();
    const secret = connection.getByLabel('Client secret');
    expect(await secret.getAttribute('type')).toBe('password');
    await checkScreen('ats');

    // The local Greenhouse refuses a wrong secret, in words; accepts the right one.
    await connection.getByLabel('Client ID').fill('gh-client');
    await secret.fill('not-the-secret');
    const logged = consoleErrors.length;
    await connection.getByRole('button', { name: 'Check and save' }).click();
    await connection.getByRole('alert').waitFor();
    expect(loggedSince(logged)).toEqual([expect.stringMatching(/status of 4\d\d/)]);
    await secret.fill('gh-secret-value');
    await connection.getByRole('button', { name: 'Check and save' }).click();
    await connection.getByText('Accepted by the ATS: 2 rejection reasons read.').waitFor();
    await connection.getByText(/^Credentials verified /).waitFor();
    expect(await secret.inputValue()).toBe('');
    expect(await page.content()).not.toContain('gh-secret-value');

    // Which Greenhouse reason a Hearback reason is written back with.
    await connection.getByRole('button', { name: 'Rejection reasons' }).click();
    await connection.getByRole('radiogroup', { name: 'Skills gap' }).getByRole('radio', { name: 'Lacking skill(s)/qualification(s)' }).check({ force: true });
    await connection.getByRole('radiogroup', { name: 'Any other reason' }).getByRole('radio', { name: 'Another candidate was hired' }).check({ force: true });
    await connection.getByRole('button', { name: 'Save the reasons' }).click();
    await connection.getByText('The reasons are saved.').waitFor();
    const [stored] = (await get('/v1/ats-connections')).data as { api: { verified: boolean; reasonMap: Record<string, string> } }[];
    expect(stored!.api).toMatchObject({ verified: true, reasonMap: { skills_gap: '101', default: '102' } });
    await connection.getByRole('button', { name: 'Write-back activity' }).click();
    await connection.getByText('Nothing was written back yet.').waitFor();
    await checkScreen('ats-verified');
  });

  it('edits a template: a syntax error is shown at its line, the fix updates the live preview, and it is saved', async () => {
    await openSettings('Templates', 'Templates');
    await page.getByRole('link', { name: 'Position on hold, English' }).click();
    await eventually(() => page.url()).toBe(`${base}/app/settings/templates/position_on_hold/en`);
    const html = page.getByLabel('HTML', { exact: true });
    const original = await html.inputValue();
    expect(original).toContain('<!DOCTYPE html>');
    const frame = page.locator('iframe.email-frame').first();
    await eventually(async () => (await frame.getAttribute('srcdoc')) ?? '').toContain('<html');
    // Every language this kind has can be previewed; the one edited follows the edits.
    for (const language of ['English (editing)', 'French', 'German', 'Spanish']) await page.getByRole('radio', { name: language }).waitFor();
    await page.getByRole('radio', { name: 'French' }).check({ force: true });
    await eventually(async () => (await frame.getAttribute('srcdoc')) ?? '').toContain('lang="fr"');
    await page.getByRole('radio', { name: 'English (editing)' }).check({ force: true });
    await eventually(async () => (await frame.getAttribute('srcdoc')) ?? '').toContain('lang="en"');
    await checkScreen('template-editor');

    const lines = original.split('\n');
    const withLine40 = (line: string) => [...lines.slice(0, 39), line, ...lines.slice(39)].join('\n');
    const logged = consoleErrors.length;
    await html.fill(withLine40('{% iff candidate.firstName %}'));
    // The live check (the preview) marks line 40 in the gutter and behind the text, and says why.
    const problem = page.locator('[data-problem-line="40"]');
    await problem.waitFor();
    expect(await problem.textContent()).toMatch(/^Line 40, column \d+: .*iff/);
    expect(await page.locator('.code-gutter li.bad').allTextContents()).toEqual(['40']);
    await page.locator('[data-error-line="40"]').waitFor();
    expect(await html.getAttribute('aria-invalid')).toBe('true');
    await page.locator('[data-preview-state="failed"]').waitFor();
    // Its line button puts the cursor on that line.
    await problem.getByRole('button').click();
    expect(await html.evaluate((el: HTMLTextAreaElement) => el.value.slice(0, el.selectionStart).split('\n').length)).toBe(40);
    // Saving anyway: the save check refuses it, at the same line.
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/v1/templates/position_on_hold/en') && r.request().method() === 'PUT'),
      page.getByRole('button', { name: 'Check and save' }).click(),
    ]);
    expect(refused.status()).toBe(422);
    await problem.waitFor();
    expect((await get('/v1/templates/position_on_hold/en')).version).toBe(0);
    await checkScreen('template-error');

    await html.fill(withLine40('<p>Hello again {{ candidate.firstName }}, from the settings test.</p>'));
    await eventually(async () => (await frame.getAttribute('srcdoc')) ?? '').toContain('from the settings test.');
    await page.locator('[data-preview-state="ready"]').waitFor();
    expect(await page.locator('.code-gutter li.bad').count()).toBe(0);
    expect(await html.getAttribute('aria-invalid')).toBeNull();
    await page.getByRole('button', { name: 'Check and save' }).click();
    await page.getByText('Saved as your version 1: new messages use it.').waitFor();
    const saved = await get('/v1/templates/position_on_hold/en');
    expect(saved).toMatchObject({ version: 1, source: 'custom' });
    expect(saved.html).toContain('from the settings test.');
    // The browser logged the 422s this step asked for, nothing else.
    expect(loggedSince(logged).every((line) => /status of 422/.test(line))).toBe(true);
    await checkScreen('template-saved');

    await page.getByRole('link', { name: 'All templates' }).click();
    await page
      .getByRole('row', { name: /Position on hold/ })
      .getByText('your version 1')
      .waitFor();
    await checkScreen('templates');
    expect(consoleErrors).toEqual([]);
  });
});
