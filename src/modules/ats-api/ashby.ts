// Ashby's API (developers.ashbyhq.com): RPC-style POSTs to https://api.ashbyhq.com/<endpoint>,
// HTTP Basic with the API key as user name and an empty password ("Authentication"). Answers are
// `{ success, results }` or `{ success: false, errors }` ("Responses & Errors"), so a 200 can
// still be a refusal.
//
// A rejection is application.changeStage to the interview plan's stage of type `Archived`, with
// an `archiveReasonId` ("Archive Reason to set when moving to an Interview Stage with type
// Archived. Required when moving to an Archived stage": developers.ashbyhq.com/docs/
// applicationchange_stage); Ashby emails the candidate only when `archiveEmail` is given
// (developers.ashbyhq.com/changelog/2026-11-09-fix-application-change-stage-error-responses),
// so it never is here. The stages come from interviewStage.list for the application's interview
// plan, the reasons from archiveReason.list, the note is candidate.createNote (read back with
// candidate.listNotes), and apiKey.info is the harmless read at save. A candidate read back is
// candidate.info (`candidateId` → `name`, `primaryEmailAddress`, `emailAddresses[].value`,
// `phoneNumbers[].value`: developers.ashbyhq.com/reference/candidateinfo); an application's
// `archiveReason` is `{ id, text, reasonType }`, the type RejectedByOrg, RejectedByCandidate or
// Other (developers.ashbyhq.com/reference/archivereasonlist). An erasure is
// candidate.anonymize ("cannot be reversed and requires all of a candidate's applications to be
// in the archived or hired state": developers.ashbyhq.com/docs/candidateanonymize). Imports and
// reconciliations page through application.list (`limit` up to 100, `cursor` → `nextCursor` while
// `moreDataAvailable`; the last page's `syncToken`, given back, lists only what changed since:
// developers.ashbyhq.com/reference/applicationlist, and "Pagination and Incremental Synchronization").
// Open jobs (an import's first phase): job.list with `status: ["Open"]`, paged as application.list
// is; a job's title is its `title` (a job's status is Open, Closed, Archived or Draft). The stored
// Ashby pages do not show job.list's parameters: they follow the other list endpoints' (`limit`,
// `cursor` → `nextCursor` while `moreDataAvailable`), and the statuses the job object's schema lists.
// Stages: interviewPlan.list, then interviewStage.list for each plan ("List all interview stages
// for an interview plan in order": developers.ashbyhq.com/reference/interviewstagelist); stages are
// per plan, so each keeps its plan as its group. interviewPlan.list follows the same conventions.
// Users: user.list, paged the same way, deactivated ones with `includeDeactivated` (needs the
// organizationRead permission: developers.ashbyhq.com/reference/userlist).
// Webhooks: webhook.create (`webhookType`, `requestUrl`, `secretToken`), webhook.info and
// webhook.delete by `webhookId` (developers.ashbyhq.com/reference/webhookcreate; there is no
// webhook.list), with a key holding the "API Keys" write permission ("To use Webhooks, you will
// also need the API Keys WRITE permission": docs.unified.to's Ashby API key guide). Ashby signs
// each delivery with the token given here ("Setting up Webhooks": developers.ashbyhq.com/docs/
// setting-up-webhooks), so Hearback registers the connection's own secret.
import { z } from 'zod';
import {
  type AtsApplication,
  type AtsClient,
  type AtsWebhook,
  type AtsCredentials,
  type AtsEndpoints,
  type AtsStage,
  type AtsUser,
  MAX_ATS_STAGES,
  MAX_ATS_USERS,
  answer,
} from './ats-client.js';
import { AtsApiError, atsFetch, basicAuth, unlessMissing } from './ats-http.js';
import { ASHBY_HANDLED_ACTIONS, rejectedBy } from '../ats-inbound/providers/ashby.js';

const id = z.string().min(1).max(200);
const applicationAnswer = z.object({
  id,
  status: z.string().max(50),
  candidate: z.object({ id }),
  job: z.object({ id }).nullable().optional(),
  archiveReason: z
    .object({ id, text: z.string().max(1000).nullable().optional(), reasonType: z.string().max(50).nullable().optional() })
    .nullable()
    .optional(),
  currentInterviewStage: z.object({ interviewPlanId: id.nullable().optional() }).nullable().optional(),
});

const listedAnswer = z.object({
  id,
  status: z.string().max(50),
  candidate: z.object({
    id,
    name: z.string().max(300).nullable().optional(),
    primaryEmailAddress: z
      .object({ value: z.string().max(320) })
      .nullable()
      .optional(),
    emailAddresses: z
      .array(z.object({ value: z.string().max(320) }))
      .max(50)
      .optional(),
  }),
  job: z
    .object({ id, title: z.string().max(300).nullable().optional() })
    .nullable()
    .optional(),
  currentInterviewStage: z
    .object({ title: z.string().max(200).nullable().optional() })
    .nullable()
    .optional(),
});
/** candidate.info: a listed application's candidate, with its phones. */
const { candidate: listedCandidate } = listedAnswer.shape;
const candidateAnswer = listedCandidate.extend({
  phoneNumbers: z
    .array(z.object({ value: z.string().max(100) }))
    .max(50)
    .optional(),
});
const listedUser = z.object({
  id,
  firstName: z.string().max(200).nullable().optional(),
  lastName: z.string().max(200).nullable().optional(),
  email: z.string().max(320).nullable().optional(),
  isEnabled: z.boolean().optional(),
});
const jobsPage = z.object({
  results: z.array(z.object({ id, title: z.string().max(500).nullable().optional() })),
  moreDataAvailable: z.boolean().optional(),
  nextCursor: z.string().max(2000).nullable().optional(),
});
/** The most interview plans whose stages a catalogue reads (one call each). */
const MAX_INTERVIEW_PLANS = 100;
const usersPage = z.object({ results: z.array(listedUser), moreDataAvailable: z.boolean().optional(), nextCursor: z.string().max(2000).nullable().optional() });
const webhookAnswer = z.object({ id, webhookType: z.string().max(100), requestUrl: z.string().max(2000), enabled: z.boolean().optional() });
const webhookOf = (raw: unknown, call: string): AtsWebhook => {
  const hook = answer(webhookAnswer, raw, call);
  return { id: hook.id, type: hook.webhookType, url: hook.requestUrl, enabled: hook.enabled !== false };
};
const stateOf = (status: string): AtsApplication['state'] => (status === 'Hired' ? 'hired' : status === 'Archived' ? 'rejected' : 'active');

/** `gate` resolves when the connection's rate limit lets the next call start (rate-limit.ts). */
export function ashbyClient(credentials: AtsCredentials['ashby'], endpoints: AtsEndpoints, gate: () => Promise<() => void>): AtsClient {
  /** The whole answer (`results` and, for lists, the paging fields), once Ashby said `success`. */
  async function post(endpoint: string, body: object): Promise<Record<string, unknown>> {
    const done = await gate();
    let got: unknown;
    try {
      got = await atsFetch({
        method: 'POST',
        url: new URL(`/${endpoint}`, endpoints.ashbyApiUrl).toString(),
        headers: { authorization: basicAuth(credentials.apiKey) },
        body,
        timeoutMs: endpoints.timeoutMs,
      });
    } finally {
      done();
    }
    const raw = answer(z.looseObject({ success: z.boolean(), results: z.unknown().optional(), errors: z.array(z.unknown()).optional() }), got, endpoint);
    if (!raw.success) {
      const errors = JSON.stringify(raw.errors ?? []).slice(0, 300);
      throw new AtsApiError(`${endpoint}: refused ${errors}`, /not_found|not found/i.test(errors) ? 404 : 422, false);
    }
    return raw;
  }
  const call = async (endpoint: string, body: object): Promise<unknown> => (await post(endpoint, body)).results;

  return {
    async reasons() {
      await call('apiKey.info', {});
      const reasons = answer(
        z.array(z.object({ id, text: z.string().max(500), reasonType: z.string().max(50), isArchived: z.boolean().optional() })),
        await call('archiveReason.list', {}),
        'archiveReason.list',
      );
      return reasons.filter((r) => r.reasonType === 'RejectedByOrg' && !r.isArchived).map((r) => ({ id: r.id, text: r.text }));
    },

    async application(externalId): Promise<AtsApplication | null> {
      const raw = await unlessMissing(() => call('application.info', { applicationId: externalId }));
      if (raw === null) return null;
      const app = answer(applicationAnswer, raw, 'application.info');
      const state = stateOf(app.status);
      const reason = state === 'rejected' ? (app.archiveReason ?? null) : null;
      return {
        externalId: app.id,
        candidateExternalId: app.candidate.id,
        requisitionExternalId: app.job?.id ?? null,
        state,
        reasonId: app.archiveReason?.id ?? null,
        reason: reason ? { id: reason.id, text: reason.text?.trim() || null, rejectedBy: rejectedBy(reason.reasonType ?? null) } : null,
        interviewPlanId: app.currentInterviewStage?.interviewPlanId ?? null,
      };
    },

    async candidate(externalId) {
      const raw = await unlessMissing(() => call('candidate.info', { candidateId: externalId }));
      if (raw === null) return null;
      const found = answer(candidateAnswer, raw, 'candidate.info');
      const emails = [found.primaryEmailAddress?.value, ...(found.emailAddresses ?? []).map((e) => e.value)].filter((e): e is string => !!e);
      return { externalId: found.id, name: found.name?.trim() || null, emails: [...new Set(emails)], phones: (found.phoneNumbers ?? []).map((p) => p.value) };
    },

    async reject(application, reasonId) {
      if (!application.interviewPlanId) throw new AtsApiError('application.info: the application has no interview plan to archive in', null, false);
      const stages = answer(
        z.array(z.object({ id, type: z.string().max(50) })),
        await call('interviewStage.list', { interviewPlanId: application.interviewPlanId }),
        'interviewStage.list',
      );
      const archived = stages.find((s) => s.type === 'Archived');
      if (!archived) throw new AtsApiError('interviewStage.list: the interview plan has no Archived stage', null, false);
      // No `archiveEmail`: Ashby sends nothing to the candidate.
      await call('application.changeStage', { applicationId: application.externalId, interviewStageId: archived.id, archiveReasonId: reasonId });
    },

    async hasNote(application, marker) {
      const notes = answer(
        z.array(z.object({ content: z.string().nullable().optional() })),
        await call('candidate.listNotes', { candidateId: application.candidateExternalId }),
        'candidate.listNotes',
      );
      return notes.some((n) => (n.content ?? '').includes(marker));
    },

    async addNote(application, text) {
      await call('candidate.createNote', { candidateId: application.candidateExternalId, note: { type: 'text/plain', value: text }, sendNotifications: false });
    },

    async listApplications({ cursor, syncToken }) {
      const raw = answer(
        z.object({
          success: z.literal(true),
          results: z.array(z.unknown()),
          moreDataAvailable: z.boolean().optional(),
          nextCursor: z.string().max(2000).nullable().optional(),
          syncToken: z.string().max(2000).nullable().optional(),
        }),
        await post('application.list', { limit: 100, ...(cursor ? { cursor } : {}), ...(syncToken ? { syncToken } : {}) }),
        'application.list',
      );
      const items = raw.results.map((row) => {
        const app = answer(listedAnswer, row, 'application.list');
        const emails = [app.candidate.primaryEmailAddress?.value, ...(app.candidate.emailAddresses ?? []).map((e) => e.value)].filter((e): e is string => !!e);
        return {
          externalId: app.id,
          state: stateOf(app.status),
          stage: app.currentInterviewStage?.title ?? null,
          candidate: { externalId: app.candidate.id, name: app.candidate.name ?? null, emails: [...new Set(emails)] },
          requisition: app.job ? { externalId: app.job.id, title: app.job.title ?? null } : null,
        };
      });
      const more = raw.moreDataAvailable === true && !!raw.nextCursor;
      return { items, next: more ? raw.nextCursor! : null, syncToken: more ? null : (raw.syncToken ?? null) };
    },

    async users() {
      const users: AtsUser[] = [];
      let cursor: string | null = null;
      while (users.length < MAX_ATS_USERS) {
        const page: z.output<typeof usersPage> = answer(usersPage, await post('user.list', { limit: 100, includeDeactivated: true, ...(cursor ? { cursor } : {}) }), 'user.list');
        users.push(
          ...page.results.map((u) => ({
            id: u.id,
            name: [u.firstName, u.lastName].filter((part) => !!part).join(' ') || null,
            email: u.email ?? null,
            active: u.isEnabled !== false,
          })),
        );
        if (page.moreDataAvailable !== true || !page.nextCursor) break;
        cursor = page.nextCursor;
      }
      return users.slice(0, MAX_ATS_USERS);
    },

    async stages() {
      const plans = answer(z.array(z.object({ id })), await call('interviewPlan.list', {}), 'interviewPlan.list').slice(0, MAX_INTERVIEW_PLANS);
      const stages: AtsStage[] = [];
      for (const plan of plans) {
        if (stages.length >= MAX_ATS_STAGES) break;
        const listed = answer(z.array(z.object({ id, title: z.string().max(300) })), await call('interviewStage.list', { interviewPlanId: plan.id }), 'interviewStage.list');
        stages.push(...listed.map((st) => ({ id: st.id, text: st.title, group: plan.id })));
      }
      return stages.slice(0, MAX_ATS_STAGES);
    },

    async listOpenJobs(cursor) {
      const page = answer(jobsPage, await post('job.list', { status: ['Open'], limit: 100, ...(cursor ? { cursor } : {}) }), 'job.list');
      const more = page.moreDataAvailable === true && !!page.nextCursor;
      return { items: page.results.map((j) => ({ externalId: j.id, title: j.title ?? null })), next: more ? page.nextCursor! : null };
    },

    webhooks: {
      types: ASHBY_HANDLED_ACTIONS,
      async create(type, url, secret) {
        return webhookOf(await call('webhook.create', { webhookType: type, requestUrl: url, secretToken: secret }), 'webhook.create');
      },
      async info(webhookId) {
        try {
          return webhookOf(await call('webhook.info', { webhookId }), 'webhook.info');
        } catch (error) {
          if (error instanceof AtsApiError && error.status === 404) return null;
          throw error;
        }
      },
      async delete(webhookId) {
        try {
          await call('webhook.delete', { webhookId });
        } catch (error) {
          if (!(error instanceof AtsApiError && error.status === 404)) throw error;
        }
      },
    },

    async erase(application) {
      await call('candidate.anonymize', { candidateId: application.candidateExternalId });
      return { result: 'written' };
    },
  };
}
