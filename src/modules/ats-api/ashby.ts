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
// candidate.listNotes), and apiKey.info is the harmless read at save. An erasure is
// candidate.anonymize ("cannot be reversed and requires all of a candidate's applications to be
// in the archived or hired state": developers.ashbyhq.com/docs/candidateanonymize).
import { z } from 'zod';
import { type AtsApplication, type AtsClient, type AtsCredentials, type AtsEndpoints, answer } from './ats-client.js';
import { AtsApiError, atsFetch, basicAuth } from './ats-http.js';

const id = z.string().min(1).max(200);
const applicationAnswer = z.object({
  id,
  status: z.string().max(50),
  candidate: z.object({ id }),
  job: z.object({ id }).nullable().optional(),
  archiveReason: z.object({ id }).nullable().optional(),
  currentInterviewStage: z.object({ interviewPlanId: id.nullable().optional() }).nullable().optional(),
});

export function ashbyClient(credentials: AtsCredentials['ashby'], endpoints: AtsEndpoints): AtsClient {
  async function call(endpoint: string, body: object): Promise<unknown> {
    const raw = answer(
      z.object({ success: z.boolean(), results: z.unknown().optional(), errors: z.array(z.unknown()).optional() }),
      await atsFetch({
        method: 'POST',
        url: new URL(`/${endpoint}`, endpoints.ashbyApiUrl).toString(),
        headers: { authorization: basicAuth(credentials.apiKey) },
        body,
        timeoutMs: endpoints.timeoutMs,
      }),
      endpoint,
    );
    if (!raw.success) {
      const errors = JSON.stringify(raw.errors ?? []).slice(0, 300);
      throw new AtsApiError(`${endpoint}: refused ${errors}`, /not_found|not found/i.test(errors) ? 404 : 422, false);
    }
    return raw.results;
  }

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
      let raw: unknown;
      try {
        raw = await call('application.info', { applicationId: externalId });
      } catch (error) {
        if (error instanceof AtsApiError && error.status === 404) return null;
        throw error;
      }
      const app = answer(applicationAnswer, raw, 'application.info');
      return {
        externalId: app.id,
        candidateExternalId: app.candidate.id,
        requisitionExternalId: app.job?.id ?? null,
        state: app.status === 'Hired' ? 'hired' : app.status === 'Archived' ? 'rejected' : 'active',
        reasonId: app.archiveReason?.id ?? null,
        interviewPlanId: app.currentInterviewStage?.interviewPlanId ?? null,
      };
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

    async erase(application) {
      await call('candidate.anonymize', { candidateId: application.candidateExternalId });
      return { result: 'written' };
    },
  };
}
