/// <reference lib="dom" />
// The decision screen of the recruiter web app (/app/requisitions/:id/decision) in Debian's
// Chromium, through the real API, workers and the local Postmark server: a recruiter signs in,
// opens a requisition where the chosen candidate applied twice (Jane.Doe@ and jane.doe@, two
// records), chooses her for the offer, sees each other applicant's default message by stage, writes
// feedback that the live lint flags (marked in the text, listed in words), checks the plan, sees the
// duplicate blocked with the evidence in words, leaves her out, types the name, confirms, and finds
// the drafts in the approval inbox. The plan's field errors are shown at their field; a hiring
// manager (no override permission) is offered only to leave a blocked person out, and a recruiter
// who has it sends anyway with a written reason; the empty and error states. Each state passes axe
// and is saved at desktop and mobile widths in test-results/web-decision-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer } from '../helpers/factories.js';
import { invitePerson } from '../helpers/people.js';
import { eventually } from '../helpers/wait.js';
import { checkScreen, signIn, startWebSession, WIDTHS, type WebSession } from './web-session.js';

const RECRUITER = { email: 'rita@northwind.test', name: 'Rita Alves' };
let session: WebSession;

beforeAll(async () => {
  session = await startWebSession(RECRUITER);
}, 600_000);
afterAll(async () => {
  await session?.stop();
});

describe('the decision screen', () => {
  const ids: Record<string, string> = {};
  let requisitionId: string;
  const row = (key: string) => session.page.locator(`li[data-application-id="${ids[key]}"]`);

  it('is reached from the requisition', async () => {
    const { post, page, base } = session;
    const requisition = await post('/v1/requisitions', { title: 'Data Engineer', location: 'Porto', hiringContact: { name: RECRUITER.name, email: RECRUITER.email } });
    requisitionId = requisition.id;
    const apply = async (key: string, name: string, email: string, fields: object) => {
      const candidate = await post('/v1/candidates', { name, emails: [email] });
      ids[key] = (await post('/v1/applications', { candidate: { id: candidate.id }, requisition: { id: requisitionId }, ...fields })).id;
    };
    const interviewed = { stage: 'Onsite', lastInterviewAt: new Date(Date.now() - 3 * 86_400_000).toISOString() };
    await apply('jane', 'Jane Doe', 'Jane.Doe@x.test', interviewed);
    await apply('omar', 'Omar Haddad', 'omar.haddad@x.test', interviewed);
    await apply('lena', 'Lena Fischer', 'lena.fischer@x.test', { stage: 'Application review' });
    // The same person again, her address cased differently: another record, one person.
    await apply('twin', 'jane doe', 'jane.doe@x.test', { stage: 'Application review' });

    await signIn(session, RECRUITER.email);
    await page.goto(`${base}/app/requisitions/${requisitionId}`);
    await page.getByRole('link', { name: 'Run a decision' }).click();
    await eventually(() => page.url()).toBe(`${base}/app/requisitions/${requisitionId}/decision`);
    await page.getByRole('heading', { name: 'Decision: Data Engineer' }).waitFor();
  });

  it('proposes each applicant’s message by stage and lints the feedback as it is typed', async () => {
    const { page } = session;
    await page.getByRole('radio', { name: 'Offer' }).check({ force: true });
    await page.getByRole('radio', { name: /^Jane Doe Jane\.Doe@x\.test/ }).check({ force: true });
    await page.getByRole('heading', { name: 'Everyone else (3)' }).waitFor();
    // The duplicate is said up front; the plan's checks then block her.
    await row('twin').getByText('The same person as Jane Doe, under another record.').waitFor();
    // Interviewed: a rejection after the interview; only applied: after the application.
    expect(
      await row('omar')
        .getByRole('button', { name: /Message for Omar Haddad/ })
        .textContent(),
    ).toContain('Rejection after interview');
    expect(
      await row('lena')
        .getByRole('button', { name: /Message for Lena Fischer/ })
        .textContent(),
    ).toContain('Rejection after application');

    await row('omar').getByRole('button', { name: 'Feedback for Omar Haddad' }).click();
    const areas = row('omar').getByRole('textbox', { name: 'Areas to improve' });
    await areas.fill('Deeper Spark tuning experience\nWe wanted a younger candidate for this team');
    // The finding, in words, in the textarea's description, and marked behind the text.
    const described = async () => {
      const idsOf = (await areas.getAttribute('aria-describedby')) ?? '';
      return (await Promise.all(idsOf.split(' ').map((id) => page.locator(`[id="${id}"]`).textContent()))).join(' ');
    };
    await eventually(described).toMatch(/Blocks sending: “younger candidate”/);
    expect(await row('omar').locator('.lint-layer mark.block').textContent()).toBe('younger candidate');
    await checkScreen(page, 'web-decision', 'choose-lint');

    await areas.fill('Deeper Spark tuning experience, especially with skewed joins');
    await row('omar').getByRole('textbox', { name: 'Strengths' }).fill('A clear walkthrough of the pipeline design');
    await eventually(() => row('omar').locator('.lint-layer mark').count()).toBe(0);
    await eventually(described).not.toMatch(/Blocks sending/);
  });

  it('shows the API’s error next to the field it names', async () => {
    const { page } = session;
    await row('lena').getByRole('button', { name: 'Feedback for Lena Fischer' }).click();
    const note = row('lena').getByRole('textbox', { name: 'Personal note' });
    await note.fill('x'.repeat(2001));
    const logged = session.consoleErrors.length;
    await page.getByRole('button', { name: 'Check the plan' }).click();
    await eventually(() => note.getAttribute('aria-invalid')).toBe('true');
    expect(await row('lena').locator('.react-aria-FieldError').textContent()).toMatch(/2000/);
    await checkScreen(page, 'web-decision', 'choose-field-error');
    // The browser logs the 400s this step asked for (the plan's, and the lint's of the same text).
    expect(session.consoleErrors.splice(logged).every((error) => /status of 400/.test(error))).toBe(true);
    // Fixed, it goes through with the next attempt.
    await note.fill('Thank you for the time you gave us.');
  });

  it('shows the duplicate blocked with the evidence in words; leaving her out re-plans without her', async () => {
    const { page } = session;
    await page.getByRole('button', { name: 'Check the plan' }).click();
    await page.getByRole('heading', { name: 'The plan' }).waitFor();
    const twin = page.locator(`li.plan-item[data-application-id="${ids.twin}"]`);
    const check = twin.locator('li.check[data-check="same_person_as_chosen"]');
    await check.getByText('jane doe is the same person as the chosen candidate, under another record.').waitFor();
    await check.getByRole('listitem').filter({ hasText: 'Matched on the email address jane.doe@x.test, which Jane Doe’s record has too.' }).waitFor();
    await page.getByText('4 people, 3 emails, 1 blocked').waitFor();
    // The primary action leaves her out; sending anyway is second, behind a written reason.
    await twin.getByRole('button', { name: 'Send anyway, with a written reason' }).waitFor();
    const confirm = page.getByRole('button', { name: 'Confirm the decision' });
    expect(await confirm.isDisabled()).toBe(true);
    await checkScreen(page, 'web-decision', 'plan-blocked');

    await twin.getByRole('button', { name: 'Leave jane doe out' }).click();
    await page.getByText('3 people, 2 emails, 0 blocked').waitFor();
    expect(await page.locator(`li.plan-item[data-application-id="${ids.twin}"]`).count()).toBe(0);
  });

  it('confirms once the chosen candidate’s name is typed, and the drafts wait in the approval inbox', async () => {
    const { page, base } = session;
    const confirm = page.getByRole('button', { name: 'Confirm the decision' });
    const name = page.getByRole('textbox', { name: 'Type Jane Doe to confirm' });
    await name.fill('Jane Dough');
    expect(await confirm.isDisabled()).toBe(true);
    await page.getByText('That is not the chosen candidate’s name yet.').waitFor();
    await name.fill('  jane   DOE ');
    await eventually(() => confirm.isDisabled()).toBe(false);
    await checkScreen(page, 'web-decision', 'plan-ready');
    await confirm.click();
    await page.getByRole('heading', { name: 'Decision confirmed' }).waitFor();
    await page.getByText('3 decisions recorded and 2 drafts created.', { exact: false }).waitFor();
    await checkScreen(page, 'web-decision', 'done');

    await page.getByRole('link', { name: 'Open the drafts of this requisition in the approval inbox' }).click();
    await eventually(() => page.url()).toBe(`${base}/app/inbox?requisition=${requisitionId}`);
    // The workers render the drafts; the inbox lists them once they wait for approval.
    await eventually(async () => {
      await page.reload();
      await page.getByRole('heading', { name: 'Approval inbox' }).waitFor();
      return page.getByText('2 drafts shown').count();
    }).toBe(1);
    await page.getByText('Omar Haddad').first().waitFor();
    await page.getByText('Lena Fischer').first().waitFor();
    expect(session.consoleErrors).toEqual([]);
  });

  let analystId: string;
  it('offers a person without the override permission only to leave the blocked person out', async () => {
    const { post, ctx, fake, org, base } = session;
    const analyst = await post('/v1/requisitions', { title: 'Analyst', hiringContact: { name: RECRUITER.name, email: RECRUITER.email } });
    analystId = analyst.id;
    const apply = async (name: string, email: string) => {
      const candidate = await post('/v1/candidates', { name, emails: [email] });
      return (await post('/v1/applications', { candidate: { id: candidate.id }, requisition: { id: analyst.id } })).id;
    };
    await apply('Ana Lima', 'Ana.Lima@x.test');
    const twin = await apply('ana lima', 'ana.lima@x.test');
    await apply('Kofi Mensah', 'kofi.mensah@x.test');
    // A hiring manager may decide on the requisitions they are a member of, but not override a check.
    const manager = await invitePerson(ctx, fake, org, 'hiring_manager');
    const member = await request(ctx.app.server).put(`/v1/requisitions/${analyst.id}/members/${manager.userId}`).set(bearer(org.adminKey));
    expect(member.status).toBe(201);

    const context = await session.browser.newContext({ viewport: WIDTHS.desktop });
    try {
      const page = await context.newPage();
      await signIn(session, manager.email, page);
      await page.goto(`${base}/app/requisitions/${analyst.id}/decision`);
      await page.getByRole('radio', { name: /^Ana Lima Ana\.Lima@x\.test/ }).check({ force: true });
      await page.getByRole('button', { name: 'Check the plan' }).click();
      const item = page.locator(`li.plan-item[data-application-id="${twin}"]`);
      await item.locator('li.check[data-check="same_person_as_chosen"]').waitFor();
      await item.getByRole('button', { name: 'Leave ana lima out' }).waitFor();
      await item.getByText(/needs the override permission/).waitFor();
      await page.getByText('1 blocked: leave them out before you confirm.').waitFor();
      expect(await item.getByRole('button', { name: 'Send anyway, with a written reason' }).count()).toBe(0);
      await checkScreen(page, 'web-decision', 'plan-no-override');
    } finally {
      await context.close();
    }
  });

  it('sends to a blocked person anyway with a written reason, for a person with the override permission', async () => {
    const { page, base } = session;
    await page.goto(`${base}/app/requisitions/${analystId}/decision`);
    await page.getByRole('radio', { name: /^Ana Lima Ana\.Lima@x\.test/ }).check({ force: true });
    await page.getByRole('button', { name: 'Check the plan' }).click();
    const item = page.locator('li.plan-item.blocked');
    await item.getByRole('button', { name: 'Send anyway, with a written reason' }).click();
    const reason = item.getByRole('textbox', { name: 'Why send to ana lima anyway?' });
    await reason.fill('too short');
    await page.getByRole('textbox', { name: 'Type Ana Lima to confirm' }).fill('ana lima');
    const confirm = page.getByRole('button', { name: 'Confirm the decision' });
    expect(await confirm.isDisabled()).toBe(true);
    await reason.fill('She asked for both applications to be answered');
    await eventually(() => confirm.isDisabled()).toBe(false);
    await checkScreen(page, 'web-decision', 'plan-override');
    await confirm.click();
    await page.getByText('1 sent anyway with a written reason.').waitFor();
    expect(session.consoleErrors).toEqual([]);
  });

  it('has an empty state (nobody waiting) and an error state (no such requisition)', async () => {
    const { page, base, post } = session;
    const empty = await post('/v1/requisitions', { title: 'Designer', hiringContact: { name: RECRUITER.name, email: RECRUITER.email } });
    await page.goto(`${base}/app/requisitions/${empty.id}/decision`);
    await page.getByText('Nobody is waiting for a decision on this requisition').waitFor();
    await checkScreen(page, 'web-decision', 'empty');

    const logged = session.consoleErrors.length;
    await page.goto(`${base}/app/requisitions/00000000-0000-4000-8000-000000000000/decision`);
    await page.getByRole('alert').getByRole('heading', { name: 'Something went wrong' }).waitFor();
    await page.getByRole('button', { name: 'Try again' }).waitFor();
    await checkScreen(page, 'web-decision', 'error');
    expect(session.consoleErrors.splice(logged).every((error) => /status of 404/.test(error))).toBe(true);
  });
});
