// Local servers that speak the parts of Greenhouse Harvest v3 (with its OAuth token endpoint),
// Lever and Ashby that Hearback calls, written from their public documentation (see the
// comments in src/modules/ats-api/*.ts). Their paths do not overlap (`/token` and `/v3/…`,
// `/v1/…`, `/<object>.<verb>`), so one server on a free port plays all three: point
// GREENHOUSE_API_URL, GREENHOUSE_AUTH_URL, LEVER_API_URL and ASHBY_API_URL at `url`.
// Faults are queued per request (`state.fail`): an HTTP status with Retry-After, a request never
// answered, or a write done and its connection cut before the answer. Ashby and Lever also post
// signed webhooks to what was registered through their APIs (`sendAshbyEvent`, `sendLeverEvent`).
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { ashbySignatureHeader } from '../../src/modules/webhook-signatures/ashby.js';
import { leverSignature } from '../../src/modules/webhook-signatures/lever.js';
import { FakeAtsState, type Fault, type Provider } from './state.js';

export { FakeAtsState } from './state.js';

export interface FakeAtsOptions {
  greenhouse?: { clientId: string; clientSecret: string; reasons?: { id: number; name: string }[] };
  /** Calls beyond `requests` in any `windowMs` (per provider, the token endpoint aside) are answered 429 with Retry-After and counted in `state.throttled`. */
  rateLimit?: Partial<Record<Provider, { requests: number; windowMs: number }>>;
  lever?: { apiKey: string; reasons?: { id: string; text: string; type: 'hired' | 'non-hired' }[] };
  ashby?: { apiKey: string; reasons?: { id: string; text: string; reasonType: string }[] };
}

export interface FakeAts {
  url: string;
  state: FakeAtsState;
  /**
   * What Ashby does when `action` happens: posts `{ action, data }`, signed with each webhook's
   * secret token, to every enabled webhook of that type; `origin` replaces the request URL's
   * (the app under test listens on a port of its own). The answers' statuses, one per webhook.
   */
  sendAshbyEvent(action: string, data: object, origin: string): Promise<number[]>;
  /**
   * What Lever does when `event` happens: posts `{ event, triggeredAt, data, token, signature }`,
   * signed with each webhook's own token, to every webhook of that event; `origin` as above.
   * Only to the webhooks whose URL ends with `to` when given; `change` alters what is posted
   * after signing (a forged event, say). The answers' statuses.
   */
  sendLeverEvent(event: string, data: object, origin: string, options?: { to?: string; change?: (signed: Record<string, unknown>) => Record<string, unknown> }): Promise<number[]>;
  close(): Promise<void>;
}

const providerOf = (path: string): Provider => (path === '/token' || path.startsWith('/v3/') ? 'greenhouse' : path.startsWith('/v1/') ? 'lever' : 'ashby');
const basicUser = (request: FastifyRequest): [string, string] | null => {
  const header = request.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return null;
  const [user = '', ...rest] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
  return [user, rest.join(':')];
};
const asObject = (body: unknown): Record<string, unknown> => (typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {});

export async function startFakeAts(options: FakeAtsOptions = {}): Promise<FakeAts> {
  const state = new FakeAtsState();
  const app = Fastify({ logger: false, forceCloseConnections: true });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))));
  const ghReasons = options.greenhouse?.reasons ?? [
    { id: 101, name: 'Lacking skill(s)/qualification(s)' },
    { id: 102, name: 'Another candidate was hired' },
  ];
  const leverReasons = options.lever?.reasons ?? [
    { id: 'reason-hired', text: 'Hired', type: 'hired' as const },
    { id: 'reason-underqualified', text: 'Underqualified', type: 'non-hired' as const },
    { id: 'reason-filled', text: 'Position filled', type: 'non-hired' as const },
  ];
  const ashbyReasons = options.ashby?.reasons ?? [
    { id: 'ar-skills', text: 'Skills', reasonType: 'RejectedByOrg' },
    { id: 'ar-withdrew', text: 'Withdrew', reasonType: 'RejectedByCandidate' },
  ];

  // Authentication and queued faults, before any route.
  app.addHook('preHandler', async (request, reply) => {
    const path = request.url.split('?')[0]!;
    const provider = providerOf(path);
    const at = Date.now();
    state.requests.push({ provider, method: request.method, path, at });
    const limit = options.rateLimit?.[provider];
    if (limit && path !== '/token') {
      const recent = state.requests.filter((r) => r.provider === provider && r.path !== '/token' && r.at > at - limit.windowMs);
      if (recent.length > limit.requests) {
        state.throttled.push({ provider, path, at });
        return reply
          .code(429)
          .header('retry-after', String(Math.ceil(limit.windowMs / 1000)))
          .send({ error: 'rate limit exceeded' });
      }
    }
    const fault = state.takeFault(provider, request.method, path);
    if (fault && 'status' in fault) {
      if (fault.retryAfter !== undefined) reply.header('retry-after', fault.retryAfter);
      return reply.code(fault.status).send({ error: `injected ${fault.status}` });
    }
    if (fault && 'hang' in fault) return new Promise<never>(() => {});
    if (fault && ('dropAfterWrite' in fault || 'hangAfterWrite' in fault)) (request as FastifyRequest & { afterWrite?: Fault }).afterWrite = fault;
    if (path === '/token') return;
    if (provider === 'greenhouse') {
      const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      if (!token || !state.tokens.get(token)?.valid) return reply.code(401).send({ error: 'invalid or expired token' });
      return;
    }
    const key = provider === 'lever' ? options.lever?.apiKey : options.ashby?.apiKey;
    if (!key || basicUser(request)?.[0] !== key) return reply.code(401).send(provider === 'ashby' ? { success: false, errors: ['unauthenticated'] } : { code: 'Unauthorized' });
  });

  /** Answers, or — when the fault says so — cuts the connection after the write. */
  const answer = (request: FastifyRequest, reply: FastifyReply, code: number, payload?: unknown) => {
    const after = (request as FastifyRequest & { afterWrite?: Fault }).afterWrite;
    if (after && 'hangAfterWrite' in after) return new Promise<never>(() => {});
    if (after) {
      request.raw.socket.destroy();
      return reply.hijack();
    }
    return payload === undefined ? reply.code(code).send() : reply.code(code).send(payload);
  };
  const record = (provider: Provider, request: FastifyRequest) =>
    state.writes.push({ provider, method: request.method, path: request.url.split('?')[0]!, query: asObject(request.query) as Record<string, string>, body: request.body });

  // ----- Greenhouse -----
  app.post('/token', async (request, reply) => {
    const [id, secret] = basicUser(request) ?? [];
    const form = asObject(request.body);
    if (!options.greenhouse || id !== options.greenhouse.clientId || secret !== options.greenhouse.clientSecret || form.grant_type !== 'client_credentials') {
      return reply.code(401).send({ error: 'invalid_client' });
    }
    const token = randomBytes(16).toString('hex');
    state.tokens.set(token, { sub: typeof form.sub === 'string' ? form.sub : null, valid: true });
    return { access_token: token, token_type: 'Bearer', expires_in: 3600 };
  });
  app.get('/v3/rejection_reasons', async () => ghReasons.map((r) => ({ ...r, type: { id: 1, name: 'We rejected them' } })));
  // GET /v3/applications: the first request's filters (`status`, `updated_at=gte|<ISO>`) and
  // `per_page`; then only `cursor` (anything beside it is refused, as Harvest v3 does), and the
  // next page's cursor in `Link: <…>; rel="next"`.
  app.get<{ Querystring: Record<string, string | undefined> }>('/v3/applications', async (request, reply) => {
    const q = request.query;
    let filter: { offset: number; perPage: number; status: string | null; since: number | null };
    if (q.cursor !== undefined) {
      if (Object.keys(q).length > 1) return reply.code(422).send({ error: 'cursor must be the only query parameter' });
      filter = JSON.parse(Buffer.from(q.cursor, 'base64url').toString('utf8')) as typeof filter;
    } else {
      const since = q.updated_at === undefined ? null : Date.parse(q.updated_at.replace(/^gte\|/, ''));
      if (since !== null && Number.isNaN(since)) return reply.code(422).send({ error: 'updated_at is not a time' });
      filter = { offset: 0, perPage: Math.min(500, Number(q.per_page ?? 100)), status: q.status ?? null, since };
    }
    const all = [...state.applications.entries()]
      .filter(([key]) => key.startsWith('greenhouse:'))
      .map(([, a]) => a)
      .filter((a) => (filter.status === null || a.status === filter.status) && (filter.since === null || a.updatedAt >= filter.since))
      .sort((x, y) => Number(x.id) - Number(y.id));
    const next = filter.offset + filter.perPage < all.length;
    if (next) {
      const cursor = Buffer.from(JSON.stringify({ ...filter, offset: filter.offset + filter.perPage })).toString('base64url');
      reply.header('link', `<http://${request.headers.host}/v3/applications?cursor=${cursor}>; rel="next"`);
    }
    return all.slice(filter.offset, filter.offset + filter.perPage).map((a) => ({
      id: Number(a.id),
      candidate_id: Number(a.candidateId),
      job_id: Number(a.jobId),
      status: a.status,
      current_stage: { id: 1, name: 'Application Review' },
      updated_at: new Date(a.updatedAt).toISOString(),
    }));
  });
  // GET /v3/users, paged like the applications (a cursor alone after the first page).
  app.get<{ Querystring: Record<string, string | undefined> }>('/v3/users', async (request, reply) => {
    const q = request.query;
    if (q.cursor !== undefined && Object.keys(q).length > 1) return reply.code(422).send({ error: 'cursor must be the only query parameter' });
    const { offset, perPage } =
      q.cursor === undefined
        ? { offset: 0, perPage: Math.min(500, Number(q.per_page ?? 100)) }
        : (JSON.parse(Buffer.from(q.cursor, 'base64url').toString('utf8')) as { offset: number; perPage: number });
    const all = state.users.greenhouse;
    if (offset + perPage < all.length) {
      const cursor = Buffer.from(JSON.stringify({ offset: offset + perPage, perPage })).toString('base64url');
      reply.header('link', `<http://${request.headers.host}/v3/users?cursor=${cursor}>; rel="next"`);
    }
    return all.slice(offset, offset + perPage).map((u) => ({
      id: Number(u.id),
      name: `${u.firstName} ${u.lastName}`,
      first_name: u.firstName,
      last_name: u.lastName,
      primary_email_address: u.email,
      disabled: !u.active,
    }));
  });
  const idsOf = (ids: string | undefined) => new Set((ids ?? '').split(',').filter(Boolean));
  app.get<{ Querystring: { ids?: string } }>('/v3/candidates', async (request) => {
    const ids = idsOf(request.query.ids);
    const seen = new Map<string, { id: number; first_name: string; last_name: string; email_addresses: { value: string; type: string }[] }>();
    for (const [key, a] of state.applications) {
      if (!key.startsWith('greenhouse:') || !ids.has(a.candidateId) || seen.has(a.candidateId)) continue;
      const [first = '', ...last] = a.candidateName.split(' ');
      seen.set(a.candidateId, { id: Number(a.candidateId), first_name: first, last_name: last.join(' '), email_addresses: [{ value: a.email, type: 'personal' }] });
    }
    return [...seen.values()];
  });
  /** A Greenhouse list page of `all`: the first request's `per_page`, then the `cursor` alone, the next one in `Link`. */
  const ghPage = <T>(
    request: FastifyRequest<{ Querystring: Record<string, string | undefined> }>,
    reply: FastifyReply,
    path: string,
    all: (filter: Record<string, string>) => T[],
  ) => {
    const q = request.query;
    if (q.cursor !== undefined && Object.keys(q).length > 1) return reply.code(422).send({ error: 'cursor must be the only query parameter' });
    const { offset, perPage, filter } =
      q.cursor === undefined
        ? {
            offset: 0,
            perPage: Math.min(500, Number(q.per_page ?? 100)),
            filter: Object.fromEntries(Object.entries(q).filter(([k, v]) => k !== 'per_page' && v !== undefined)) as Record<string, string>,
          }
        : (JSON.parse(Buffer.from(q.cursor, 'base64url').toString('utf8')) as { offset: number; perPage: number; filter: Record<string, string> });
    const rows = all(filter);
    if (offset + perPage < rows.length) {
      const cursor = Buffer.from(JSON.stringify({ offset: offset + perPage, perPage, filter })).toString('base64url');
      reply.header('link', `<http://${request.headers.host}${path}?cursor=${cursor}>; rel="next"`);
    }
    return rows.slice(offset, offset + perPage);
  };
  // GET /v3/jobs: by `ids` (the jobs a page of applications names), or every job with `status`
  // (open, closed, draft), paged as the applications are.
  app.get<{ Querystring: Record<string, string | undefined> }>('/v3/jobs', async (request, reply) => {
    if (request.query.ids !== undefined) {
      const ids = idsOf(request.query.ids);
      const jobs = new Map<string, { id: number; name: string }>();
      for (const [key, a] of state.applications) if (key.startsWith('greenhouse:') && ids.has(a.jobId)) jobs.set(a.jobId, { id: Number(a.jobId), name: a.jobTitle });
      for (const job of state.jobsOf('greenhouse')) if (ids.has(job.id)) jobs.set(job.id, { id: Number(job.id), name: job.title });
      return [...jobs.values()];
    }
    return ghPage(request, reply, '/v3/jobs', (filter) =>
      state
        .jobsOf('greenhouse')
        .filter((j) => !filter.status || j.status === filter.status)
        .sort((x, y) => Number(x.id) - Number(y.id))
        .map((j) => ({ id: Number(j.id), name: j.title, status: j.status })),
    );
  });
  // GET /v3/job_stages: two stages for each job there is, paged the same way.
  app.get<{ Querystring: Record<string, string | undefined> }>('/v3/job_stages', async (request, reply) =>
    ghPage(request, reply, '/v3/job_stages', () =>
      [...new Set([...state.jobsOf('greenhouse').map((j) => j.id), ...[...state.applications.entries()].filter(([k]) => k.startsWith('greenhouse:')).map(([, a]) => a.jobId)])]
        .sort((x, y) => Number(x) - Number(y))
        .flatMap((job) => [
          { id: Number(job) * 10 + 1, name: 'Application Review', job_id: Number(job) },
          { id: Number(job) * 10 + 2, name: 'Face to Face', job_id: Number(job) },
        ]),
    ),
  );
  app.get<{ Params: { id: string } }>('/v3/applications/:id', async (request, reply) => {
    const a = state.application('greenhouse', request.params.id);
    if (!a) return reply.code(404).send({ error: 'not found' });
    return {
      id: Number(a.id),
      candidate_id: Number(a.candidateId),
      status: a.status,
      rejection_reason: a.reasonId
        ? { id: Number(a.reasonId), name: ghReasons.find((r) => String(r.id) === a.reasonId)?.name ?? null, type: { id: 1, name: 'We rejected them' } }
        : null,
      job_id: Number(a.jobId) || null,
    };
  });
  /** The candidate as its applications describe it (every application of a candidate carries the same name and email). */
  const candidateOf = (provider: Provider, id: string) => [...state.applications.entries()].find(([key, a]) => key.startsWith(`${provider}:`) && a.candidateId === id)?.[1];
  app.get<{ Params: { id: string } }>('/v3/candidates/:id', async (request, reply) => {
    const a = candidateOf('greenhouse', request.params.id);
    if (!a) return reply.code(404).send({ error: 'not found' });
    const [first = '', ...last] = a.candidateName.split(' ');
    return {
      id: Number(a.candidateId),
      first_name: first,
      last_name: last.join(' '),
      email_addresses: [{ value: a.email, type: 'personal' }],
      phone_numbers: [{ value: '+1 555 0100', type: 'mobile' }],
    };
  });
  app.post<{ Params: { id: string } }>('/v3/applications/:id/reject', async (request, reply) => {
    const a = state.application('greenhouse', request.params.id);
    if (!a) return reply.code(404).send({ error: 'not found' });
    const body = asObject(request.body);
    if (a.status !== 'active') return reply.code(422).send({ error: 'application is not active' });
    if (!ghReasons.some((r) => r.id === body.rejection_reason_id)) return reply.code(422).send({ error: 'rejection_reason_id is not valid' });
    record('greenhouse', request);
    a.status = 'rejected';
    a.reasonId = String(body.rejection_reason_id);
    if (body.rejection_email) state.emails.push({ provider: 'greenhouse', applicationId: a.id });
    return answer(request, reply, 204);
  });
  app.get<{ Querystring: { candidate_id?: string } }>('/v3/notes', async (request) =>
    state.notesOf('greenhouse', request.query.candidate_id ?? '').map((body, i) => ({ id: i + 1, body })),
  );
  app.post('/v3/notes', async (request, reply) => {
    const body = asObject(request.body);
    if (typeof body.body !== 'string' || body.candidate_id === undefined) return reply.code(422).send({ error: 'candidate_id and body are required' });
    record('greenhouse', request);
    state.addNote('greenhouse', String(body.candidate_id), body.body);
    return answer(request, reply, 201, { id: state.notesOf('greenhouse', String(body.candidate_id)).length, body: body.body });
  });

  // Harvest's Anonymize Candidate (v1's, at its v3 path): the fields named are anonymized.
  app.put<{ Params: { id: string }; Querystring: { fields?: string } }>('/v3/candidates/:id/anonymize', async (request, reply) => {
    const fields = (request.query.fields ?? '').split(',').filter(Boolean);
    if (fields.length === 0) return reply.code(422).send({ error: 'fields is required' });
    record('greenhouse', request);
    state.anonymized.add(state.key('greenhouse', request.params.id));
    return answer(request, reply, 200, { id: Number(request.params.id) });
  });

  // ----- Lever -----
  app.get('/v1/archive_reasons', async () => ({ data: leverReasons.map((r) => ({ ...r, status: 'active' })) }));
  const leverStages = [
    { id: 'stage-1', text: 'New applicant' },
    { id: 'stage-2', text: 'Phone screen' },
    { id: 'stage-3', text: 'On-site interview' },
  ];
  app.get('/v1/stages', async () => ({ data: leverStages }));
  // GET /postings: `state` (a published posting is an open job), `limit`, `offset` → `next` while `hasNext`.
  app.get<{ Querystring: Record<string, string | undefined> }>('/v1/postings', async (request) => {
    const q = request.query;
    const limit = Math.min(100, Number(q.limit ?? 100));
    const stateOf = (status: string) => (status === 'open' ? 'published' : status);
    const all = state
      .jobsOf('lever')
      .filter((j) => !q.state || stateOf(j.status) === q.state)
      .sort((x, y) => x.id.localeCompare(y.id));
    const offset = q.offset ? Number(q.offset.replace('p-', '')) : 0;
    const hasNext = offset + limit < all.length;
    return {
      data: all.slice(offset, offset + limit).map((j) => ({ id: j.id, text: j.title, state: stateOf(j.status) })),
      hasNext,
      ...(hasNext ? { next: `p-${offset + limit}` } : {}),
    };
  });
  // GET /opportunities: `limit`, `offset` (the previous page's `next`), `archived`,
  // `updated_at_start` (ms), and `expand` (repeated: `applications` naming each one's posting,
  // `stage` the stage as an object).
  app.get<{ Querystring: Record<string, string | string[] | undefined> }>('/v1/opportunities', async (request) => {
    const { expand: expanded, ...rest } = request.query;
    const q = rest as Record<string, string | undefined>;
    const expand = new Set([expanded ?? []].flat());
    const limit = Math.min(100, Number(q.limit ?? 100));
    const since = q.updated_at_start === undefined ? null : Number(q.updated_at_start);
    const all = [...state.applications.entries()]
      .filter(([key]) => key.startsWith('lever:'))
      .map(([, o]) => o)
      .filter((o) => (q.archived === 'false' ? o.status === 'active' : q.archived === 'true' ? o.status !== 'active' : true))
      .filter((o) => since === null || o.updatedAt >= since)
      .sort((x, y) => x.id.localeCompare(y.id));
    const offset = q.offset ? Number(q.offset.replace('o-', '')) : 0;
    const hasNext = offset + limit < all.length;
    return {
      data: all.slice(offset, offset + limit).map((o) => ({
        id: o.id,
        name: o.candidateName,
        contact: o.candidateId,
        emails: [o.email],
        archived: o.status === 'active' ? null : { reason: o.reasonId ?? (o.status === 'hired' ? 'reason-hired' : 'reason-filled'), archivedAt: o.updatedAt },
        stage: expand.has('stage') ? (leverStages.find((st) => st.id === o.stageId) ?? { id: o.stageId, text: o.stageId }) : o.stageId,
        applications: expand.has('applications') ? [{ id: `app-${o.id}`, posting: o.jobId }] : [`app-${o.id}`],
      })),
      hasNext,
      ...(hasNext ? { next: `o-${offset + limit}` } : {}),
    };
  });
  app.get<{ Querystring: Record<string, string | undefined> }>('/v1/users', async (request) => {
    const q = request.query;
    const limit = Math.min(100, Number(q.limit ?? 100));
    const offset = q.offset ? Number(q.offset.replace('u-', '')) : 0;
    const all = state.users.lever.filter((u) => u.active || q.includeDeactivated === 'true');
    const hasNext = offset + limit < all.length;
    return {
      data: all.slice(offset, offset + limit).map((u) => ({
        id: u.id,
        name: `${u.firstName} ${u.lastName}`,
        email: u.email,
        accessRole: 'interviewer',
        deactivatedAt: u.active ? null : 1_700_000_000_000,
      })),
      hasNext,
      ...(hasNext ? { next: `u-${offset + limit}` } : {}),
    };
  });
  app.get<{ Params: { id: string } }>('/v1/opportunities/:id', async (request, reply) => {
    const o = state.application('lever', request.params.id);
    if (!o) return reply.code(404).send({ code: 'ResourceNotFound' });
    const archived = o.status === 'active' ? null : { reason: o.reasonId ?? (o.status === 'hired' ? 'reason-hired' : null), archivedAt: Date.now() };
    return { data: { id: o.id, contact: o.candidateId, archived, applications: [`app-${o.id}`], stage: 'stage-1' } };
  });
  app.get<{ Params: { id: string } }>('/v1/contacts/:id', async (request, reply) => {
    const o = candidateOf('lever', request.params.id);
    if (!o) return reply.code(404).send({ code: 'ResourceNotFound' });
    return { data: { id: o.candidateId, name: o.candidateName, emails: [o.email], phones: [{ type: 'mobile', value: '+1 555 0100' }] } };
  });
  app.put<{ Params: { id: string } }>('/v1/opportunities/:id/archived', async (request, reply) => {
    const o = state.application('lever', request.params.id);
    if (!o) return reply.code(404).send({ code: 'ResourceNotFound' });
    const reason = leverReasons.find((r) => r.id === asObject(request.body).reason);
    if (!reason) return reply.code(400).send({ code: 'BadRequestError', message: 'reason is not an archive reason' });
    record('lever', request);
    o.status = reason.type === 'hired' ? 'hired' : 'rejected';
    o.reasonId = reason.id;
    return answer(request, reply, 200, { data: { id: o.id, archived: { reason: reason.id, archivedAt: Date.now() } } });
  });
  app.get<{ Params: { id: string } }>('/v1/opportunities/:id/notes', async (request) => ({
    data: state.notesOf('lever', request.params.id).map((text, i) => ({ id: `note-${i}`, text, fields: [{ type: 'text', value: text }] })),
  }));
  app.post<{ Params: { id: string } }>('/v1/opportunities/:id/notes', async (request, reply) => {
    const value = asObject(request.body).value;
    if (typeof value !== 'string') return reply.code(400).send({ code: 'BadRequestError', message: 'value is required' });
    record('lever', request);
    state.addNote('lever', request.params.id, value);
    return answer(request, reply, 201, { data: { noteId: `note-${state.notesOf('lever', request.params.id).length}` } });
  });

  // Webhooks (hire.lever.co/developer/documentation, "Webhooks"): each made through the API gets
  // a signature token of its own, in the create's answer only; the API deletes only what it made.
  const leverEvents = new Set([
    'applicationCreated',
    'candidateHired',
    'candidateStageChange',
    'candidateArchiveChange',
    'candidateDeleted',
    'interviewCreated',
    'interviewUpdated',
    'interviewDeleted',
    'contactCreated',
    'contactUpdated',
  ]);
  const leverWebhookOf = (hook: { id: string; event: string; url: string; conditions: unknown }) => ({
    id: hook.id,
    event: hook.event,
    url: hook.url,
    configuration: { conditions: hook.conditions },
    createdAt: 1_700_000_000_000,
  });
  app.get('/v1/webhooks', async () => ({ data: [...state.leverWebhooks.values()].map(leverWebhookOf), hasNext: false }));
  app.post('/v1/webhooks', async (request, reply) => {
    const body = asObject(request.body);
    if (typeof body.event !== 'string' || !leverEvents.has(body.event)) return reply.code(400).send({ code: 'BadRequestError', message: 'event is not a webhook event' });
    if (typeof body.url !== 'string' || !/^https?:\/\//.test(body.url)) return reply.code(400).send({ code: 'BadRequestError', message: 'url is invalid' });
    record('lever', request);
    const hook = {
      id: `lwh-${randomBytes(6).toString('hex')}`,
      event: body.event,
      url: body.url,
      signatureToken: randomBytes(24).toString('hex'),
      conditions: asObject(body.configuration).conditions ?? null,
      createdBy: 'api' as const,
    };
    state.leverWebhooks.set(hook.id, hook);
    const shown = leverWebhookOf(hook);
    return answer(request, reply, 201, { data: { ...shown, configuration: { ...shown.configuration, signatureToken: hook.signatureToken } } });
  });
  app.delete<{ Params: { id: string } }>('/v1/webhooks/:id', async (request, reply) => {
    const hook = state.leverWebhooks.get(request.params.id);
    if (!hook) return reply.code(404).send({ code: 'ResourceNotFound' });
    if (hook.createdBy !== 'api') return reply.code(403).send({ code: 'Forbidden', message: 'only webhooks created through the API can be changed through it' });
    record('lever', request);
    state.leverWebhooks.delete(hook.id);
    return answer(request, reply, 204);
  });

  async function sendLeverEvent(
    event: string,
    data: object,
    origin: string,
    { to, change = (signed) => signed }: { to?: string; change?: (signed: Record<string, unknown>) => Record<string, unknown> } = {},
  ) {
    const statuses: number[] = [];
    for (const hook of state.leverWebhooks.values()) {
      if (hook.event !== event || (to !== undefined && !hook.url.endsWith(to))) continue;
      const token = randomBytes(24).toString('hex');
      const triggeredAt = Date.now();
      const body = JSON.stringify(change({ event, triggeredAt, data, token, signature: leverSignature(token, triggeredAt, hook.signatureToken) }));
      const url = new URL(hook.url);
      const response = await fetch(new URL(`${url.pathname}${url.search}`, origin), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    return statuses;
  }

  // ----- Ashby -----
  const ok = (results: unknown) => ({ success: true, results });
  const refused = (error: string) => ({ success: false, errors: [error] });
  app.post('/apiKey.info', async () => ok({ title: 'Hearback', scopes: ['candidates:read', 'candidates:write'] }));
  app.post('/archiveReason.list', async () => ok(ashbyReasons.map((r) => ({ ...r, isArchived: false }))));
  app.post('/application.info', async (request) => {
    const a = state.application('ashby', String(asObject(request.body).applicationId));
    if (!a) return refused('application_not_found');
    const status = a.status === 'active' ? 'Active' : a.status === 'hired' ? 'Hired' : 'Archived';
    return ok({
      id: a.id,
      status,
      candidate: { id: a.candidateId },
      job: { id: a.jobId },
      archiveReason: a.reasonId
        ? { id: a.reasonId, text: ashbyReasons.find((r) => r.id === a.reasonId)?.text ?? null, reasonType: ashbyReasons.find((r) => r.id === a.reasonId)?.reasonType ?? 'Other' }
        : null,
      currentInterviewStage: { id: 'stage-x', interviewPlanId: a.interviewPlanId },
    });
  });
  // interviewPlan.list: every plan an application is in, and the default one.
  app.post('/interviewPlan.list', async () =>
    ok(
      [...new Set(['plan-1', ...[...state.applications.entries()].filter(([k]) => k.startsWith('ashby:')).map(([, a]) => a.interviewPlanId)])]
        .sort()
        .map((plan) => ({ id: plan, title: `Plan ${plan}`, isArchived: false })),
    ),
  );
  // job.list: `status` (an array: Open, Closed, Draft, Archived), `limit`, `cursor` → `nextCursor` while `moreDataAvailable`.
  app.post('/job.list', async (request) => {
    const body = asObject(request.body);
    const limit = Math.min(100, Number(body.limit ?? 100));
    const wanted = Array.isArray(body.status) ? new Set(body.status.map(String)) : null;
    const statusOf = (status: string) => status.charAt(0).toUpperCase() + status.slice(1);
    const all = state
      .jobsOf('ashby')
      .filter((j) => !wanted || wanted.has(statusOf(j.status)))
      .sort((x, y) => x.id.localeCompare(y.id));
    const offset = typeof body.cursor === 'string' ? Number(body.cursor.replace('j-', '')) : 0;
    const more = offset + limit < all.length;
    return {
      success: true,
      results: all.slice(offset, offset + limit).map((j) => ({ id: j.id, title: j.title, status: statusOf(j.status) })),
      moreDataAvailable: more,
      ...(more ? { nextCursor: `j-${offset + limit}` } : {}),
    };
  });
  app.post('/candidate.info', async (request) => {
    const a = candidateOf('ashby', String(asObject(request.body).candidateId));
    if (!a) return refused('candidate_not_found');
    return ok({
      id: a.candidateId,
      name: a.candidateName,
      primaryEmailAddress: { value: a.email, type: 'Personal', isPrimary: true },
      emailAddresses: [{ value: a.email, type: 'Personal', isPrimary: true }],
      phoneNumbers: [],
    });
  });
  app.post('/interviewStage.list', async (request) => {
    const plan = String(asObject(request.body).interviewPlanId);
    return ok([
      { id: `${plan}-screen`, title: 'Screen', type: 'Active', interviewPlanId: plan },
      { id: `${plan}-archived`, title: 'Archived', type: 'Archived', interviewPlanId: plan },
    ]);
  });
  app.post('/application.changeStage', async (request, reply) => {
    const body = asObject(request.body);
    const a = state.application('ashby', String(body.applicationId));
    if (!a) return refused('application_not_found');
    if (body.interviewStageId !== `${a.interviewPlanId}-archived`) return refused('invalid_input: not an Archived stage of the plan');
    if (!ashbyReasons.some((r) => r.id === body.archiveReasonId)) return refused('invalid_input: archiveReasonId');
    record('ashby', request);
    a.status = 'rejected';
    a.reasonId = String(body.archiveReasonId);
    if (body.archiveEmail) state.emails.push({ provider: 'ashby', applicationId: a.id });
    return answer(request, reply, 200, ok({ id: a.id, status: 'Archived' }));
  });
  // application.list: `limit` (≤ 100), `cursor` → `nextCursor` while `moreDataAvailable`, and on
  // the last page a `syncToken` that lists only what changed after it.
  app.post('/application.list', async (request) => {
    const body = asObject(request.body);
    const limit = Math.min(100, Number(body.limit ?? 100));
    const since = typeof body.syncToken === 'string' ? Number(body.syncToken.replace('sync-', '')) : null;
    if (since !== null && Number.isNaN(since)) return refused('sync_token_expired');
    const all = [...state.applications.entries()]
      .filter(([key, a]) => key.startsWith('ashby:') && (since === null || a.changed > since))
      .map(([, a]) => a)
      .sort((x, y) => x.id.localeCompare(y.id));
    const offset = typeof body.cursor === 'string' ? Number(body.cursor.replace('c-', '')) : 0;
    const page = all.slice(offset, offset + limit);
    const more = offset + limit < all.length;
    const status = (a: (typeof all)[number]) => (a.status === 'active' ? 'Active' : a.status === 'hired' ? 'Hired' : 'Archived');
    return {
      success: true,
      results: page.map((a) => ({
        id: a.id,
        status: status(a),
        candidate: { id: a.candidateId, name: a.candidateName, primaryEmailAddress: { value: a.email, type: 'Personal', isPrimary: true } },
        job: { id: a.jobId, title: a.jobTitle },
        currentInterviewStage: { id: `${a.interviewPlanId}-screen`, title: 'Screen', type: 'Active', interviewPlanId: a.interviewPlanId },
      })),
      moreDataAvailable: more,
      ...(more ? { nextCursor: `c-${offset + limit}` } : { syncToken: `sync-${state.changes}` }),
    };
  });

  app.post('/user.list', async (request) => {
    const body = asObject(request.body);
    const limit = Math.min(100, Number(body.limit ?? 100));
    const offset = typeof body.cursor === 'string' ? Number(body.cursor.replace('u-', '')) : 0;
    const all = state.users.ashby.filter((u) => u.active || body.includeDeactivated === true);
    const more = offset + limit < all.length;
    return {
      success: true,
      results: all
        .slice(offset, offset + limit)
        .map((u) => ({ id: u.id, firstName: u.firstName, lastName: u.lastName, email: u.email, globalRole: 'Interviewer', isEnabled: u.active })),
      moreDataAvailable: more,
      ...(more ? { nextCursor: `u-${offset + limit}` } : {}),
    };
  });

  app.post('/candidate.anonymize', async (request, reply) => {
    const candidateId = String(asObject(request.body).candidateId);
    const open = [...state.applications.entries()].some(([key, a]) => key.startsWith('ashby:') && a.candidateId === candidateId && a.status === 'active');
    if (open) return refused('invalid_input: every application must be archived or hired');
    record('ashby', request);
    state.anonymized.add(state.key('ashby', candidateId));
    return answer(request, reply, 200, ok({ id: candidateId }));
  });
  app.post('/candidate.listNotes', async (request) => ok(state.notesOf('ashby', String(asObject(request.body).candidateId)).map((content, i) => ({ id: `n${i}`, content }))));
  app.post('/candidate.createNote', async (request, reply) => {
    const body = asObject(request.body);
    const note = asObject(body.note);
    if (typeof note.value !== 'string') return refused('invalid_input: note');
    record('ashby', request);
    state.addNote('ashby', String(body.candidateId), note.value);
    return answer(request, reply, 200, ok({ id: 'note' }));
  });

  // Webhooks (developers.ashbyhq.com/reference/webhookcreate): no list call, as in Ashby.
  const webhookTypes = new Set([
    'applicationSubmit',
    'applicationUpdate',
    'candidateHire',
    'candidateStageChange',
    'candidateMerge',
    'candidateDelete',
    'offerCreate',
    'jobUpdate',
  ]);
  const webhookOf = (hook: { id: string; webhookType: string; requestUrl: string; enabled: boolean }) => ({
    id: hook.id,
    enabled: hook.enabled,
    requestUrl: hook.requestUrl,
    webhookType: hook.webhookType,
  });
  app.post('/webhook.create', async (request, reply) => {
    const body = asObject(request.body);
    if (typeof body.webhookType !== 'string' || !webhookTypes.has(body.webhookType)) return refused('invalid_input: webhookType');
    if (typeof body.requestUrl !== 'string' || !/^https?:\/\//.test(body.requestUrl)) return refused('invalid_input: requestUrl');
    record('ashby', request);
    const hook = {
      id: `wh-${randomBytes(6).toString('hex')}`,
      webhookType: body.webhookType,
      requestUrl: body.requestUrl,
      secretToken: String(body.secretToken ?? ''),
      enabled: true,
    };
    state.ashbyWebhooks.set(hook.id, hook);
    return answer(request, reply, 200, ok(webhookOf(hook)));
  });
  app.post('/webhook.info', async (request) => {
    const hook = state.ashbyWebhooks.get(String(asObject(request.body).webhookId));
    return hook ? ok(webhookOf(hook)) : refused('webhook_not_found');
  });
  app.post('/webhook.delete', async (request, reply) => {
    const id = String(asObject(request.body).webhookId);
    if (!state.ashbyWebhooks.has(id)) return refused('webhook_not_found');
    record('ashby', request);
    state.ashbyWebhooks.delete(id);
    return answer(request, reply, 200, ok({ webhookId: id }));
  });

  async function sendAshbyEvent(action: string, data: object, origin: string) {
    const statuses: number[] = [];
    for (const hook of state.ashbyWebhooks.values()) {
      if (!hook.enabled || hook.webhookType !== action) continue;
      const body = JSON.stringify({ action, data });
      const url = new URL(hook.requestUrl);
      const response = await fetch(new URL(`${url.pathname}${url.search}`, origin), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'ashby-signature': ashbySignatureHeader(body, hook.secretToken) },
        body,
      });
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    return statuses;
  }

  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, state, sendAshbyEvent, sendLeverEvent, close: () => app.close() };
}
