// Greenhouse Harvest v3. Authentication: OAuth 2.0 client credentials — POST
// https://auth.greenhouse.io/token with HTTP Basic `client_id:client_secret` and the form body
// `grant_type=client_credentials[&sub=<user_id>]` (the user the calls act on behalf of), then
// `Authorization: Bearer <token>` (harvestdocs.greenhouse.io/docs/authentication). Access tokens
// last an hour (harvestdocs.greenhouse.io/docs/harvest-partner-oauth, "Key Token Lifetimes"):
// one is kept per connection until shortly before it expires, and a 401 fetches a new one once.
//
// Rejecting: POST /v3/applications/{id}/reject with `rejection_reason_id` (GET
// /v3/rejection_reasons lists them) and optional `notes`; Greenhouse emails the candidate only
// when the body has a `rejection_email` object, so it never has one here
// (harvestdocs.greenhouse.io/reference/post_v3-applications-id-reject).
// The stored docs do not show the v3 application read, nor v3 notes: those follow Harvest's
// resource conventions (GET /v3/applications/{id}; notes as v1's candidate activity-feed notes,
// `body` + `visibility`, at /v3/notes filtered by `candidate_id`). The application's
// `rejection_reason` is v1's `{ id, name, type: { name } }`, the type one of "We rejected them",
// "They rejected us", "None specified" (developers.greenhouse.io/harvest.html#the-application-object).
// A candidate read back is GET /v3/candidates/{id} (v3 names the Candidates resource among its
// objects: docs.workato.com/connectors/greenhouse/object-coverage), with v1's fields
// `first_name`, `last_name`, `email_addresses[].value`, `phone_numbers[].value`
// (developers.greenhouse.io/harvest.html#get-retrieve-candidate).
// Imports and reconciliations page through GET /v3/applications: the first request carries the
// filters and `per_page` (`status=active` for an import; `updated_at=gte|<ISO time>` for what
// changed since a reconciliation's mark), every next one only the `cursor` of the answer's
// `Link: <…>; rel="next"`, until an answer has none ("When you pass a cursor, it must be the only
// query parameter": harvestdocs.greenhouse.io/docs/pagination; filters and their operators:
// harvestdocs.greenhouse.io/docs/list-endpoints). v3 answers name the candidate and job by id
// only ("Child resource IDs are not included in parent resources": harvestdocs.greenhouse.io/docs/
// standardizations), so each page's candidates and jobs are read with the list endpoints' `ids`
// filter; their fields (`first_name`, `last_name`, `email_addresses[].value`, a job's `name`) are
// v1's, which the stored v3 pages do not show. The cursor kept between pages is the `cursor`
// value alone, sent back to the configured API URL (never a URL taken from an answer).
// Users: GET /v3/users, paged the same way (v1's "List Users" fields: `name` or `first_name` +
// `last_name`, `primary_email_address`, `disabled`; developers.greenhouse.io/harvest.html#get-list-users).
// Open jobs (an import's first phase): GET /v3/jobs?status=open&per_page=100, then the cursor
// alone, as above; `status` takes open, closed or draft and a job's title is its `name` (v1's
// "List Jobs": developers.greenhouse.io/harvest.html#get-list-jobs — the stored v3 pages do not
// show the v3 job list; its filter follows harvestdocs.greenhouse.io/docs/list-endpoints).
// Stages: GET /v3/job_stages, paged the same way; each is a job's (`job_id`) with its `name`
// (v1's "List Job Stages": developers.greenhouse.io/harvest.html#get-list-job-stages, at its v3
// path by the same convention).
// Greenhouse gives no sync token: the reconciliation's mark is the time its listing began (ms).
// Erasure: Harvest's "Anonymize Candidate", PUT /candidates/{id}/anonymize?fields=… — it "cannot
// be undone" and anonymizes only the fields named (developers.greenhouse.io/harvest.html#put-
// anonymize-candidate, v1); called at its v3 path like the rest.
import { z } from 'zod';
import {
  type AtsApplication,
  type AtsClient,
  type AtsCredentials,
  type AtsEndpoints,
  type AtsStage,
  type AtsUser,
  MAX_ATS_STAGES,
  MAX_ATS_USERS,
  answer,
  idText,
} from './ats-client.js';
import { AtsApiError, atsFetch, atsFetchWithHeaders, basicAuth, unlessMissing } from './ats-http.js';
import { rejectedBy } from '../ats-inbound/providers/greenhouse.js';

export interface TokenCache {
  get(key: string): { token: string; expiresAt: number } | undefined;
  set(key: string, value: { token: string; expiresAt: number }): void;
  delete(key: string): void;
}

const tokenAnswer = z.object({
  access_token: z.string().min(1).max(10_000),
  expires_in: z.number().positive().optional(),
  expires_at: z.string().optional(),
});

const listOf = <T extends z.ZodType>(item: T) => z.union([z.array(item), z.object({ data: z.array(item) }).transform((v) => v.data)]);

const applicationAnswer = z.object({
  id: idText,
  candidate_id: idText.optional(),
  candidate: z.object({ id: idText }).optional(),
  status: z.string().max(50),
  rejection_reason: z
    .object({
      id: idText,
      name: z.string().max(1000).nullable().optional(),
      type: z
        .object({ name: z.string().max(100).nullable().optional() })
        .nullable()
        .optional(),
    })
    .nullable()
    .optional(),
  job_id: idText.nullable().optional(),
  jobs: z.array(z.object({ id: idText })).optional(),
});

/** Every field of Harvest's anonymize list that holds what the person gave or was told. */
const ANONYMIZED_FIELDS = [
  'full_name',
  'current_company',
  'current_title',
  'tags',
  'phone_numbers',
  'email_addresses',
  'social_media_links',
  'websites',
  'addresses',
  'location',
  'custom_candidate_fields',
  'attachments',
  'application_questions',
  'notes',
  'rejection_notes',
  'activity_items',
  'offers',
  'employments',
  'educations',
];

const noteAnswer = z.object({ body: z.string().nullable().optional() });

const listedApplication = z.object({
  id: idText,
  candidate_id: idText,
  status: z.string().max(50),
  job_id: idText.nullable().optional(),
  jobs: z.array(z.object({ id: idText })).optional(),
  current_stage: z
    .object({ name: z.string().max(200).nullable().optional() })
    .nullable()
    .optional(),
});
const listedCandidate = z.object({
  id: idText,
  first_name: z.string().max(200).nullable().optional(),
  last_name: z.string().max(200).nullable().optional(),
  email_addresses: z
    .array(z.object({ value: z.string().max(320) }))
    .max(50)
    .optional(),
});
const contacts = z
  .array(z.object({ value: z.string().max(320) }))
  .max(50)
  .optional();
const candidateAnswer = listedCandidate.extend({ phone_numbers: contacts });
const listedJob = z.object({ id: idText, name: z.string().max(300).nullable().optional() });

/** The `cursor` of a `Link` header's rel="next" URL; null on the last page. */
export function nextCursor(link: string | null): string | null {
  for (const part of (link ?? '').split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(part.trim());
    if (!match) continue;
    try {
      return new URL(match[1]!).searchParams.get('cursor');
    } catch {
      return null;
    }
  }
  return null;
}

const listedUser = z.object({
  id: idText,
  name: z.string().max(300).nullable().optional(),
  first_name: z.string().max(200).nullable().optional(),
  last_name: z.string().max(200).nullable().optional(),
  primary_email_address: z.string().max(320).nullable().optional(),
  disabled: z.boolean().optional(),
});

const listedStage = z.object({ id: idText, name: z.string().max(300), job_id: idText.nullable().optional() });

const stateOf = (status: string): AtsApplication['state'] => {
  const lower = status.toLowerCase();
  return lower === 'hired' ? 'hired' : lower === 'rejected' ? 'rejected' : 'active';
};

/** `gate` resolves when the connection's rate limit lets the next call start (rate-limit.ts). */
export function greenhouseClient(key: string, credentials: AtsCredentials['greenhouse'], endpoints: AtsEndpoints, tokens: TokenCache, gate: () => Promise<() => void>): AtsClient {
  const api = (path: string) => new URL(path, endpoints.greenhouseApiUrl).toString();

  async function token(): Promise<string> {
    const cached = tokens.get(key);
    if (cached && cached.expiresAt > Date.now() + 60_000) return cached.token;
    const form = new URLSearchParams({ grant_type: 'client_credentials', ...(credentials.onBehalfOfUserId ? { sub: credentials.onBehalfOfUserId } : {}) });
    const got = answer(
      tokenAnswer,
      await atsFetch({
        method: 'POST',
        url: new URL('/token', endpoints.greenhouseAuthUrl).toString(),
        headers: { authorization: basicAuth(credentials.clientId, credentials.clientSecret) },
        body: form,
        timeoutMs: endpoints.timeoutMs,
      }),
      'POST /token',
    );
    const expiresAt = got.expires_at ? Date.parse(got.expires_at) : Date.now() + (got.expires_in ?? 3600) * 1000;
    tokens.set(key, { token: got.access_token, expiresAt: Number.isNaN(expiresAt) ? Date.now() + 3_300_000 : expiresAt });
    return got.access_token;
  }

  /** A call with a fresh token; a 401 (the token expired or was revoked early) gets one more try with a new token. */
  async function call(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<unknown> {
    return (await callWithHeaders(method, path, body)).body;
  }

  async function callWithHeaders(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<{ body: unknown; headers: Headers }> {
    for (let attempt = 0; ; attempt++) {
      try {
        const authorization = `Bearer ${await token()}`;
        const done = await gate();
        try {
          return await atsFetchWithHeaders({ method, url: api(path), headers: { authorization }, body, timeoutMs: endpoints.timeoutMs });
        } finally {
          done();
        }
      } catch (error) {
        if (attempt === 0 && error instanceof AtsApiError && error.status === 401) {
          tokens.delete(key);
          continue;
        }
        throw error;
      }
    }
  }

  return {
    async reasons() {
      const rows = answer(listOf(z.object({ id: idText, name: z.string().max(500) })), await call('GET', '/v3/rejection_reasons'), 'GET /v3/rejection_reasons');
      return rows.map((r) => ({ id: r.id, text: r.name }));
    },

    async application(externalId): Promise<AtsApplication | null> {
      const raw = await unlessMissing(() => call('GET', `/v3/applications/${encodeURIComponent(externalId)}`));
      if (raw === null) return null;
      const app = answer(applicationAnswer, raw, 'GET /v3/applications/{id}');
      const candidate = app.candidate_id ?? app.candidate?.id;
      if (!candidate) throw new AtsApiError('GET /v3/applications/{id}: no candidate id', null, false);
      const status = app.status.toLowerCase();
      const state = stateOf(status);
      const reason = state === 'rejected' && app.rejection_reason ? app.rejection_reason : null;
      return {
        externalId: app.id,
        candidateExternalId: candidate,
        requisitionExternalId: app.job_id ?? (app.jobs?.length === 1 ? app.jobs[0]!.id : null),
        state,
        reasonId: app.rejection_reason?.id ?? null,
        reason: reason ? { id: reason.id, text: reason.name?.trim() || null, rejectedBy: rejectedBy(reason.type?.name ?? null) } : null,
      };
    },

    async candidate(externalId) {
      const raw = await unlessMissing(() => call('GET', `/v3/candidates/${encodeURIComponent(externalId)}`));
      if (raw === null) return null;
      const found = answer(candidateAnswer, raw, 'GET /v3/candidates/{id}');
      const name = [found.first_name, found.last_name].filter((part) => !!part).join(' ');
      return {
        externalId: found.id,
        name: name || null,
        emails: [...new Set((found.email_addresses ?? []).map((e) => e.value))],
        phones: (found.phone_numbers ?? []).map((p) => p.value),
      };
    },

    async reject(application, reasonId) {
      // No `rejection_email`: Greenhouse sends nothing to the candidate.
      await call('POST', `/v3/applications/${encodeURIComponent(application.externalId)}/reject`, {
        rejection_reason_id: Number(reasonId),
        notes: 'Rejected by Hearback, which emailed the candidate itself.',
      });
    },

    async hasNote(application, marker) {
      const notes = answer(listOf(noteAnswer), await call('GET', `/v3/notes?candidate_id=${encodeURIComponent(application.candidateExternalId)}`), 'GET /v3/notes');
      return notes.some((n) => n.body?.includes(marker));
    },

    async addNote(application, text) {
      await call('POST', '/v3/notes', { candidate_id: Number(application.candidateExternalId), body: text, visibility: 'admin_only' });
    },

    async listApplications({ cursor, syncToken }) {
      const first = new URLSearchParams({ per_page: '100' });
      if (syncToken) {
        const since = Number(syncToken);
        if (!Number.isFinite(since)) throw new AtsApiError(`GET /v3/applications: the reconciliation's mark is not a time (${syncToken.slice(0, 50)})`, null, false);
        first.set('updated_at', `gte|${new Date(since).toISOString()}`);
      } else first.set('status', 'active');
      const query = cursor ? new URLSearchParams({ cursor }) : first;
      const page = await callWithHeaders('GET', `/v3/applications?${query.toString()}`);
      const apps = answer(listOf(listedApplication), page.body, 'GET /v3/applications');
      const jobOf = (a: z.output<typeof listedApplication>) => a.job_id ?? (a.jobs?.length === 1 ? a.jobs[0]!.id : null);
      const byIds = async <T extends z.ZodType>(path: string, ids: string[], item: T) =>
        ids.length === 0 ? [] : answer(listOf(item), await call('GET', `${path}?${new URLSearchParams({ ids: ids.join(','), per_page: '100' }).toString()}`), `GET ${path}`);
      const candidates = new Map((await byIds('/v3/candidates', [...new Set(apps.map((a) => a.candidate_id))], listedCandidate)).map((c) => [c.id, c]));
      const jobs = new Map((await byIds('/v3/jobs', [...new Set(apps.map(jobOf).filter((j): j is string => j !== null))], listedJob)).map((j) => [j.id, j]));
      const items = apps.map((a) => {
        const candidate = candidates.get(a.candidate_id);
        const name = [candidate?.first_name, candidate?.last_name].filter((part) => !!part).join(' ');
        const job = jobOf(a);
        return {
          externalId: a.id,
          state: stateOf(a.status),
          stage: a.current_stage?.name ?? null,
          candidate: { externalId: a.candidate_id, name: name || null, emails: [...new Set((candidate?.email_addresses ?? []).map((e) => e.value))] },
          requisition: job ? { externalId: job, title: jobs.get(job)?.name ?? null } : null,
        };
      });
      return { items, next: nextCursor(page.headers.get('link')), syncToken: null };
    },

    async users() {
      const users: AtsUser[] = [];
      let query = new URLSearchParams({ per_page: '100' });
      while (users.length < MAX_ATS_USERS) {
        const page = await callWithHeaders('GET', `/v3/users?${query.toString()}`);
        for (const u of answer(listOf(listedUser), page.body, 'GET /v3/users')) {
          const name = u.name ?? ([u.first_name, u.last_name].filter((part) => !!part).join(' ') || null);
          users.push({ id: u.id, name, email: u.primary_email_address ?? null, active: u.disabled !== true });
        }
        const cursor = nextCursor(page.headers.get('link'));
        if (!cursor) break;
        query = new URLSearchParams({ cursor });
      }
      return users.slice(0, MAX_ATS_USERS);
    },

    async stages() {
      const stages: AtsStage[] = [];
      let query = new URLSearchParams({ per_page: '100' });
      while (stages.length < MAX_ATS_STAGES) {
        const page = await callWithHeaders('GET', `/v3/job_stages?${query.toString()}`);
        for (const s of answer(listOf(listedStage), page.body, 'GET /v3/job_stages')) stages.push({ id: s.id, text: s.name, ...(s.job_id ? { group: s.job_id } : {}) });
        const cursor = nextCursor(page.headers.get('link'));
        if (!cursor) break;
        query = new URLSearchParams({ cursor });
      }
      return stages.slice(0, MAX_ATS_STAGES);
    },

    async listOpenJobs(cursor) {
      const query = cursor ? new URLSearchParams({ cursor }) : new URLSearchParams({ status: 'open', per_page: '100' });
      const page = await callWithHeaders('GET', `/v3/jobs?${query.toString()}`);
      const jobs = answer(listOf(listedJob), page.body, 'GET /v3/jobs');
      return { items: jobs.map((j) => ({ externalId: j.id, title: j.name ?? null })), next: nextCursor(page.headers.get('link')) };
    },

    async erase(application) {
      await call('PUT', `/v3/candidates/${encodeURIComponent(application.candidateExternalId)}/anonymize?fields=${ANONYMIZED_FIELDS.join(',')}`);
      return { result: 'written' };
    },
  };
}
