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
// `body` + `visibility`, at /v3/notes filtered by `candidate_id`).
// Erasure: Harvest's "Anonymize Candidate", PUT /candidates/{id}/anonymize?fields=… — it "cannot
// be undone" and anonymizes only the fields named (developers.greenhouse.io/harvest.html#put-
// anonymize-candidate, v1); called at its v3 path like the rest.
import { z } from 'zod';
import { type AtsApplication, type AtsClient, type AtsCredentials, type AtsEndpoints, answer, idText } from './ats-client.js';
import { AtsApiError, atsFetch, basicAuth } from './ats-http.js';

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
  rejection_reason: z.object({ id: idText }).nullable().optional(),
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

export function greenhouseClient(key: string, credentials: AtsCredentials['greenhouse'], endpoints: AtsEndpoints, tokens: TokenCache): AtsClient {
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
    for (let attempt = 0; ; attempt++) {
      try {
        return await atsFetch({ method, url: api(path), headers: { authorization: `Bearer ${await token()}` }, body, timeoutMs: endpoints.timeoutMs });
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
      let raw: unknown;
      try {
        raw = await call('GET', `/v3/applications/${encodeURIComponent(externalId)}`);
      } catch (error) {
        if (error instanceof AtsApiError && error.status === 404) return null;
        throw error;
      }
      const app = answer(applicationAnswer, raw, 'GET /v3/applications/{id}');
      const candidate = app.candidate_id ?? app.candidate?.id;
      if (!candidate) throw new AtsApiError('GET /v3/applications/{id}: no candidate id', null, false);
      const status = app.status.toLowerCase();
      return {
        externalId: app.id,
        candidateExternalId: candidate,
        requisitionExternalId: app.job_id ?? (app.jobs?.length === 1 ? app.jobs[0]!.id : null),
        state: status === 'hired' ? 'hired' : status === 'rejected' ? 'rejected' : 'active',
        reasonId: app.rejection_reason?.id ?? null,
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

    async erase(application) {
      await call('PUT', `/v3/candidates/${encodeURIComponent(application.candidateExternalId)}/anonymize?fields=${ANONYMIZED_FIELDS.join(',')}`);
      return { result: 'written' };
    },
  };
}
