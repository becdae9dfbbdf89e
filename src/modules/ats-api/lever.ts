// Lever's API (hire.lever.co/developer/documentation). Authentication: HTTP Basic with the API
// key as user name and an empty password ("Authentication"). Writes name the Lever user they are
// made as with `perform_as` ("Opportunities": "perform_as"; hire.lever.co/developer/support, "How
// do I choose a user to 'perform as'").
//
// An opportunity is the application. "Hired" is an archive reason of type `hired`; every other
// reason is `non-hired` (GET /archive_reasons; hire.lever.co/developer/support, "Archive"). A
// rejection is PUT /opportunities/{id}/archived with a non-hired `reason`; the API archives
// without emailing the candidate (Lever's candidate emails are sent by its users, not by the
// archive endpoint). The note is POST /opportunities/{id}/notes with `value`, read back from
// GET /opportunities/{id}/notes (each note's `text`, or its `fields[].value`).
// A candidate read back is the opportunity's contact, GET /contacts/{id} (`name`, `emails`,
// `phones[].value`: hire.lever.co/developer/documentation, "Contacts"): "Contact information will
// be shared and consistent across an individual person's opportunities" (hire.lever.co/developer/
// deprecated, "Candidates"). An archived opportunity's reason is named by GET /archive_reasons;
// Lever does not say who ended it (a reason's type is only `hired` or `non-hired`).
// Imports and reconciliations page through GET /opportunities (`limit` up to 100; `offset` is the
// `next` token while `hasNext`; `archived=false` for the active ones; `updated_at_start` for what
// changed since a time; `expand=applications` names each one's posting, `expand=stage` gives the
// current stage as an object with its `text` instead of its id — the parameter is repeated, one
// value each): hire.lever.co/developer/documentation, "List all opportunities" ("expand") and
// "Pagination". Lever gives no sync token, so the
// reconciliation's mark is the time its listing began (ms), and changes are read from then.
// At connection time the archive reasons (every one, with its type) and GET /stages become the
// connection's settings, which Lever's id-only webhooks need (ats-inbound/providers/lever.ts).
// Open jobs (an import's first phase): GET /postings?state=published (`limit`, `offset` → `next`
// while `hasNext`); a posting's title is its `text` (hire.lever.co/developer/documentation,
// "Postings" and "List all postings"; the states are draft, internal, published, pending, closed
// and rejected). Published is what candidates can apply to; internal postings are left out.
// Users: GET /users (`limit`, `offset` → `next` while `hasNext`; `includeDeactivated=true` lists
// the deactivated ones too, with their `deactivatedAt`): hire.lever.co/developer/documentation,
// "List all users"; a user's id is what `perform_as` takes.
// Webhooks (hire.lever.co/developer/documentation, "Webhooks"; help.lever.co, "What is Lever's
// Webhooks Subscription API?"): GET /webhooks lists them, POST /webhooks creates one from
// `{ url, event, configuration: { conditions } }` and answers it with the token Lever made to sign
// its deliveries, `configuration.signatureToken` ("A Webhook signature token for each created
// Webhook"), and DELETE /webhooks/{id} deletes one. The token comes in that answer only, so a
// create whose answer was lost leaves a webhook Hearback cannot verify: the list finds it by URL
// and event, and it is deleted and made again (ats-writeback/webhooks.service.ts). The candidate
// events are filtered by the opportunity's origin (`conditions.origins`): every origin is named,
// so none is left out. The API is on select Lever packages, and changes only the webhooks it
// created: ones set up by hand in Lever stay as they are (docs/ats-setup.md).
// Erasure: the public API reference (hire.lever.co/developer/documentation) has no call that
// deletes or anonymizes a contact or an opportunity; a Lever admin does it in Lever. The
// write-back records that, and the docs say so (docs/ats-setup.md).
import { z } from 'zod';
import {
  type AtsApplication,
  type AtsClient,
  type AtsCredentials,
  type AtsWebhook,
  type AtsEndpoints,
  type AtsUser,
  MAX_ATS_STAGES,
  MAX_ATS_USERS,
  answer,
  idText,
} from './ats-client.js';
import { AtsApiError, atsFetch, basicAuth, unlessMissing } from './ats-http.js';
import { LEVER_HANDLED_EVENTS } from '../ats-inbound/providers/lever.js';

const reasonsAnswer = z.object({
  data: z.array(z.object({ id: idText, text: z.string().max(500), type: z.string().max(50), status: z.string().max(50).optional() })),
});
const stagesAnswer = z.object({ data: z.array(z.object({ id: idText, text: z.string().max(500) })) });
const opportunityAnswer = z.object({
  data: z.object({
    id: idText,
    contact: idText,
    archived: z.object({ reason: idText.nullable().optional(), archivedAt: z.number().nullable().optional() }).nullable().optional(),
    applications: z.array(idText).optional(),
  }),
});
const listedAnswer = z.object({
  data: z.array(
    z.object({
      id: idText,
      name: z.string().max(300).nullable().optional(),
      contact: idText,
      emails: z.array(z.string().max(320)).max(50).optional(),
      archived: z.object({ reason: idText.nullable().optional() }).nullable().optional(),
      stage: z
        .union([idText, z.object({ text: z.string().max(200) })])
        .nullable()
        .optional(),
      applications: z.array(z.union([idText, z.object({ posting: idText.nullable().optional() })])).optional(),
    }),
  ),
  hasNext: z.boolean().optional(),
  next: z.string().max(2000).nullable().optional(),
});
const postingsAnswer = z.object({
  data: z.array(z.object({ id: idText, text: z.string().max(500).nullable().optional() })),
  hasNext: z.boolean().optional(),
  next: z.string().max(2000).nullable().optional(),
});
const contactAnswer = z.object({
  data: z.object({
    id: idText,
    name: z.string().max(300).nullable().optional(),
    emails: z.array(z.string().max(320)).max(50).optional(),
    phones: z
      .array(z.object({ value: z.string().max(100) }))
      .max(50)
      .optional(),
  }),
});
const usersAnswer = z.object({
  data: z.array(
    z.object({
      id: idText,
      name: z.string().max(300).nullable().optional(),
      email: z.string().max(320).nullable().optional(),
      deactivatedAt: z.number().nullable().optional(),
    }),
  ),
  hasNext: z.boolean().optional(),
  next: z.string().max(2000).nullable().optional(),
});
const webhookAnswer = z.object({
  id: idText,
  event: z.string().max(100),
  url: z.string().max(2000),
  configuration: z
    .object({ signatureToken: z.string().min(1).max(500).optional() })
    .nullable()
    .optional(),
});
const webhooksAnswer = z.object({ data: z.array(webhookAnswer), hasNext: z.boolean().optional(), next: z.string().max(2000).nullable().optional() });
/** Every origin an opportunity can have in Lever: a webhook conditioned on all of them misses none. */
const ALL_ORIGINS = ['agency', 'applied', 'internal', 'referred', 'sourced', 'university'];
/** The most pages of webhooks read: an account has a handful. */
const MAX_WEBHOOK_PAGES = 20;
const webhookOf = (hook: z.output<typeof webhookAnswer>): AtsWebhook => ({ id: hook.id, type: hook.event, url: hook.url, enabled: true });
const notesAnswer = z.object({ data: z.array(z.object({ text: z.string().nullable().optional(), fields: z.array(z.object({ value: z.unknown() })).optional() })) });

/** `gate` resolves when the connection's rate limit lets the next call start (rate-limit.ts). */
export function leverClient(credentials: AtsCredentials['lever'], endpoints: AtsEndpoints, gate: () => Promise<() => void>): AtsClient {
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) => {
    const url = new URL(`/v1${path}`, endpoints.leverApiUrl);
    // `perform_as` names who made a change to a candidate; webhooks belong to the account.
    if (method !== 'GET' && credentials.performAs && !path.startsWith('/webhooks')) url.searchParams.set('perform_as', credentials.performAs);
    const done = await gate();
    try {
      return await atsFetch({ method, url: url.toString(), headers: { authorization: basicAuth(credentials.apiKey) }, body, timeoutMs: endpoints.timeoutMs });
    } finally {
      done();
    }
  };
  let reasonsById: Map<string, { type: string; text: string }> | undefined;
  const listWebhooks = async () => {
    const hooks: AtsWebhook[] = [];
    let offset: string | null = null;
    for (let pages = 0; pages < MAX_WEBHOOK_PAGES; pages++) {
      const query = new URLSearchParams({ limit: '100', ...(offset ? { offset } : {}) });
      const page: z.output<typeof webhooksAnswer> = answer(webhooksAnswer, await call('GET', `/webhooks?${query.toString()}`), 'GET /webhooks');
      hooks.push(...page.data.map(webhookOf));
      if (page.hasNext !== true || !page.next) break;
      offset = page.next;
    }
    return hooks;
  };
  const listReasons = async () => answer(reasonsAnswer, await call('GET', '/archive_reasons'), 'GET /archive_reasons').data;
  const listStages = async () => answer(stagesAnswer, await call('GET', '/stages'), 'GET /stages').data.slice(0, MAX_ATS_STAGES);

  return {
    async reasons() {
      const reasons = await listReasons();
      reasonsById = new Map(reasons.map((r) => [r.id, r]));
      // Only non-hired reasons reject: archiving with a hired one would record a hire.
      return reasons.filter((r) => r.type === 'non-hired').map((r) => ({ id: r.id, text: r.text }));
    },

    async application(externalId): Promise<AtsApplication | null> {
      const raw = await unlessMissing(() => call('GET', `/opportunities/${encodeURIComponent(externalId)}`));
      if (raw === null) return null;
      const opportunity = answer(opportunityAnswer, raw, 'GET /opportunities/{id}').data;
      const reason = opportunity.archived?.reason ?? null;
      if (reason !== null && !reasonsById) reasonsById = new Map((await listReasons()).map((r) => [r.id, r]));
      const state = opportunity.archived ? (reason !== null && reasonsById?.get(reason)?.type === 'hired' ? 'hired' : 'rejected') : 'active';
      return {
        externalId: opportunity.id,
        candidateExternalId: opportunity.contact,
        requisitionExternalId: null,
        state,
        reasonId: reason,
        reason: state === 'rejected' && reason !== null ? { id: reason, text: reasonsById?.get(reason)?.text.trim() || null, rejectedBy: null } : null,
      };
    },

    async candidate(externalId) {
      const raw = await unlessMissing(() => call('GET', `/contacts/${encodeURIComponent(externalId)}`));
      if (raw === null) return null;
      const contact = answer(contactAnswer, raw, 'GET /contacts/{id}').data;
      return { externalId: contact.id, name: contact.name?.trim() || null, emails: [...new Set(contact.emails ?? [])], phones: (contact.phones ?? []).map((p) => p.value) };
    },

    async reject(application, reasonId) {
      await call('PUT', `/opportunities/${encodeURIComponent(application.externalId)}/archived`, { reason: reasonId });
    },

    async hasNote(application, marker) {
      const notes = answer(notesAnswer, await call('GET', `/opportunities/${encodeURIComponent(application.externalId)}/notes`), 'GET /opportunities/{id}/notes').data;
      return notes.some((n) => (n.text ?? '').includes(marker) || (n.fields ?? []).some((f) => typeof f.value === 'string' && f.value.includes(marker)));
    },

    async addNote(application, text) {
      await call('POST', `/opportunities/${encodeURIComponent(application.externalId)}/notes`, { value: text });
    },

    async listApplications({ cursor, syncToken }) {
      const types = new Map((await listReasons()).map((r) => [r.id, r.type]));
      const query = new URLSearchParams({ limit: '100', expand: 'applications' });
      query.append('expand', 'stage');
      if (cursor) query.set('offset', cursor);
      if (syncToken) query.set('updated_at_start', syncToken);
      else query.set('archived', 'false');
      const page = answer(listedAnswer, await call('GET', `/opportunities?${query.toString()}`), 'GET /opportunities');
      const items = page.data.map((o) => {
        const reason = o.archived?.reason ?? null;
        const posting = (o.applications ?? []).map((a) => (typeof a === 'string' ? null : (a.posting ?? null))).find((p) => p !== null) ?? null;
        return {
          externalId: o.id,
          state: o.archived ? (reason !== null && types.get(reason) === 'hired' ? ('hired' as const) : ('rejected' as const)) : ('active' as const),
          stage: typeof o.stage === 'object' && o.stage !== null ? o.stage.text : null,
          candidate: { externalId: o.contact, name: o.name ?? null, emails: o.emails ?? [] },
          requisition: posting ? { externalId: posting, title: null } : null,
        };
      });
      const more = page.hasNext === true && !!page.next;
      return { items, next: more ? page.next! : null, syncToken: null };
    },

    async users() {
      const users: AtsUser[] = [];
      let offset: string | null = null;
      while (users.length < MAX_ATS_USERS) {
        const query = new URLSearchParams({ limit: '100', includeDeactivated: 'true' });
        if (offset) query.set('offset', offset);
        const page = answer(usersAnswer, await call('GET', `/users?${query.toString()}`), 'GET /users');
        users.push(...page.data.map((u) => ({ id: u.id, name: u.name ?? null, email: u.email ?? null, active: !u.deactivatedAt })));
        if (page.hasNext !== true || !page.next) break;
        offset = page.next;
      }
      return users.slice(0, MAX_ATS_USERS);
    },

    async stages() {
      return (await listStages()).map((st) => ({ id: st.id, text: st.text }));
    },

    async listOpenJobs(cursor) {
      const query = new URLSearchParams({ state: 'published', limit: '100' });
      if (cursor) query.set('offset', cursor);
      const page = answer(postingsAnswer, await call('GET', `/postings?${query.toString()}`), 'GET /postings');
      const more = page.hasNext === true && !!page.next;
      return { items: page.data.map((p) => ({ externalId: p.id, title: p.text ?? null })), next: more ? page.next! : null };
    },

    async webhookSettings() {
      const reasons = await listReasons();
      const stages = await listStages();
      return { archiveReasons: reasons.map((r) => ({ id: r.id, text: r.text, type: r.type, ...(r.status ? { status: r.status } : {}) })), stages };
    },

    webhooks: {
      types: LEVER_HANDLED_EVENTS,
      async create(type, url) {
        const hook = answer(
          z.object({ data: webhookAnswer }),
          await call('POST', '/webhooks', { url, event: type, configuration: { conditions: { origins: ALL_ORIGINS } } }),
          'POST /webhooks',
        ).data;
        // Made, but unusable without its token: left `creating`, so the next run finds it in the list and makes it again.
        const signingToken = hook.configuration?.signatureToken;
        if (!signingToken) throw new AtsApiError('POST /webhooks: the answer has no configuration.signatureToken', null, false);
        return { ...webhookOf(hook), signingToken };
      },
      async info(webhookId) {
        return (await listWebhooks()).find((hook) => hook.id === webhookId) ?? null;
      },
      list: listWebhooks,
      async delete(webhookId) {
        try {
          await call('DELETE', `/webhooks/${encodeURIComponent(webhookId)}`);
        } catch (error) {
          if (!(error instanceof AtsApiError && error.status === 404)) throw error;
        }
      },
    },

    erase() {
      return Promise.resolve({
        result: 'unsupported' as const,
        why: 'Lever’s API cannot delete or anonymize a candidate: a Lever admin must do it in Lever',
      });
    },
  };
}
