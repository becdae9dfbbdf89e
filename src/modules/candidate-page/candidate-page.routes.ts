// The candidate's page at /f/{token}, its forms (plain POSTs, answered with a redirect back to
// the page: POST-redirect-GET), and its JSON twin at /v1/feedback/{token}. Unknown, expired and
// revoked links all get the same 404 page, in the language the browser asks for; every answer
// under /f/ is a page, never an API error document.
import formbody from '@fastify/formbody';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import { handleError } from '../../plugins/error-handler.js';
import { PageActionRefused, type FeedbackPageService } from './candidate-page.service.js';
import { DATA_REQUEST_KINDS, DELETION_CONFIRM_VALUE, FORM_FIELDS, FORM_LIMITS, FORM_PATHS, TALENT_POOL_ACTIONS } from './view/forms.js';
import { negotiateLocale, pageLocale } from './view/locale.js';
import { noticeKeys, type NoticeKey } from './view/model.js';
import { renderBusyPage, renderFeedbackPage, renderUnavailablePage } from './view/render.js';
import { pageSecurityHeaders } from './view/security.js';

/** Form posts per link and per address, per hour: generous for a person, tight for a script. */
const LIMITS = { perLink: 30, perAddress: 120, windowSeconds: 3600 };

// Almost anything goes here: the service tells links apart, and a bad one gets the polite page.
// (A token is 43 characters; the router refuses longer parameters than this anyway.)
const tokenParams = z.object({ token: z.string().max(256) });
const noticeQuery = z.object({ notice: z.string().optional() });

const send = (reply: FastifyReply, status: number, body: string, accent: string | null = null, logo = false) =>
  reply
    .code(status)
    .headers(pageSecurityHeaders(undefined, accent, logo))
    .send(body);
const browserLocale = (request: FastifyRequest) => negotiateLocale(request.headers['accept-language']) ?? 'en';

/** The one page every link that does not work gets: the same bytes whatever is wrong with it. */
export const sendUnavailablePage = (request: FastifyRequest, reply: FastifyReply) => send(reply, 404, renderUnavailablePage(browserLocale(request)));

/** Paths of the candidate's page: answered with pages, even when the URL itself is broken. */
export const isPagePath = (url: string) => url.startsWith('/f/');

export interface FeedbackPageRoutesOptions {
  pages: FeedbackPageService;
  redis: Redis;
  redisPrefix: string;
  publicBaseUrl: string;
  /** Requests to /f/... per client address per minute (PAGE_RATE_LIMIT_PER_MINUTE). */
  perAddressPerMinute: number;
}

export const feedbackPageRoutes: FastifyPluginAsyncZod<FeedbackPageRoutesOptions> = async (app, { pages, redis, redisPrefix, publicBaseUrl, perAddressPerMinute }) => {
  // Plain HTML forms post application/x-www-form-urlencoded; small bodies only.
  await app.register(formbody, { bodyLimit: 16 * 1024 });
  const ownOrigin = new URL(publicBaseUrl).origin;

  const unavailable = sendUnavailablePage;
  // Any other path under /f/ is a link that does not work either.
  await app.register(async (under) => under.setNotFoundHandler(unavailable), { prefix: '/f' });

  // Every request under /f/ counts, before any link is looked up: views, and forms before their own limits.
  const perAddress = app.addressLimiter('page', perAddressPerMinute);
  app.addHook('onRequest', async (request, reply) => {
    if (!isPagePath(request.routeOptions.url ?? '')) return;
    const state = await perAddress(request);
    if (!state.limited) return;
    reply.header('retry-after', String(state.retryAfterSeconds));
    return send(reply, 429, renderBusyPage(browserLocale(request)));
  });
  const back = (reply: FastifyReply, token: string, notice: NoticeKey) =>
    reply
      .code(303)
      .headers({ location: `/f/${token}?notice=${notice}#notice`, 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' })
      .send();

  /**
   * Counts a post against the link, then (only while the link is under its limit) against the
   * address, so one link's flood does not use up an address shared with others. Redis down →
   * allowed, as the API limiter does.
   */
  async function withinLimits(tokenKey: string, address: string): Promise<boolean> {
    const window = Math.floor(Date.now() / 1000 / LIMITS.windowSeconds);
    const count = async (key: string) => {
      const [[, value] = []] = (await redis.multi().incr(key).expire(key, LIMITS.windowSeconds).exec()) ?? [];
      return Number(value);
    };
    try {
      if ((await count(`${redisPrefix}:page-limit:link:${tokenKey}:${window}`)) > LIMITS.perLink) return false;
      return (await count(`${redisPrefix}:page-limit:ip:${address}:${window}`)) <= LIMITS.perAddress;
    } catch {
      return true;
    }
  }

  /** A form from another site (a browser says so in Origin / Sec-Fetch-Site) is refused outright. */
  const crossSite = (request: FastifyRequest) => {
    const origin = request.headers.origin;
    if (origin && origin !== 'null' && origin !== ownOrigin) return true;
    return request.headers['sec-fetch-site'] === 'cross-site';
  };

  async function page(request: FastifyRequest, reply: FastifyReply, token: string, requested: string | undefined, forced?: { status: number; notice: NoticeKey }) {
    const notice = forced?.notice ?? (noticeKeys.includes(requested as NoticeKey) ? (requested as NoticeKey) : null);
    // A view is a GET of the page (link scanners' HEADs are not); a refused form re-shows it.
    const shown = await pages.page(token, (candidate) => pageLocale(candidate, request.headers['accept-language']), notice, request.method === 'GET' && !forced);
    if (!shown) return unavailable(request, reply);
    return send(reply, forced?.status ?? 200, renderFeedbackPage(shown.model, shown.locale), shown.model.accentColor, shown.model.logoPath !== null);
  }

  /** Requests whose handler has started: an error from then on is the handler's, not a refusal of the request. */
  const started = new WeakSet<FastifyRequest>();
  /**
   * The error handler of /f/ routes. A request refused before its handler ran (a body too large
   * or not a form, text that cannot be stored, a malformed parameter) still gets a page, from
   * `answer` with the refusal's status; anything else is an ordinary problem.
   */
  const pageErrorHandler =
    (answer: (request: FastifyRequest, reply: FastifyReply, token: string, refusedWith: number) => Promise<unknown>) =>
    (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const status = error instanceof AppError ? error.status : error.statusCode;
      if (started.has(request) || status === undefined || status < 400 || status >= 500) return handleError(error, request, reply);
      // Routed already: the path gave the token, though nothing else was read.
      const { token } = request.params as { token: string };
      return answer(request, reply, token, status).catch((failure: Error) => handleError(failure, request, reply));
    };

  app.get(
    '/f/:token',
    {
      schema: { hide: true, params: tokenParams, querystring: noticeQuery },
      // A query that does not parse is ignored: the link decides what shows.
      errorHandler: pageErrorHandler((request, reply, token) => page(request, reply, token, undefined)),
    },
    (request, reply) => {
      started.add(request);
      return page(request, reply, request.params.token, request.query.notice);
    },
  );

  /**
   * One form: checks the origin and the limits, validates the fields (a bad form shows the page
   * again with `invalid_input`), runs the action, then redirects back with its notice. A request
   * refused before the handler is a bad form too, answered the same way with its own status.
   */
  function formRoute<T>(path: string, parse: (body: Record<string, unknown>) => T | null, run: (token: string, csrf: unknown, input: T) => Promise<{ result: NoticeKey } | null>) {
    async function answer(request: FastifyRequest, reply: FastifyReply, token: string, refusedWith?: number) {
      const body = (request.body ?? {}) as Record<string, unknown>;
      if (crossSite(request)) throw new AppError('forbidden_origin', 'Forms are accepted from this site only');
      const message = await pages.open(token);
      if (!message || message.sentAt === null) return unavailable(request, reply);
      if (!(await withinLimits(message.id, request.ip))) {
        reply.header('retry-after', String(LIMITS.windowSeconds));
        return page(request, reply, token, undefined, { status: 429, notice: 'rate_limited' });
      }
      const input = refusedWith === undefined ? parse(body) : null;
      if (input === null) return page(request, reply, token, undefined, { status: refusedWith ?? 400, notice: 'invalid_input' });
      try {
        const done = await run(token, body[FORM_FIELDS.csrf], input);
        if (!done) return unavailable(request, reply);
        return back(reply, token, done.result);
      } catch (error) {
        if (error instanceof PageActionRefused) return page(request, reply, token, undefined, { status: error.notice === 'form_expired' ? 403 : 409, notice: error.notice });
        throw error;
      }
    }
    app.post(
      `/f/:token${path}`,
      {
        schema: { hide: true, params: tokenParams, querystring: noticeQuery },
        errorHandler: pageErrorHandler(answer),
      },
      (request, reply) => {
        started.add(request);
        return answer(request, reply, request.params.token);
      },
    );
  }

  const text = (value: unknown, max: number) => (typeof value === 'string' && value.trim().length <= max ? value.trim() : null);

  formRoute(
    FORM_PATHS.talentPool,
    (body) => {
      const action = body[FORM_FIELDS.talentPool.action];
      return TALENT_POOL_ACTIONS.includes(action as 'join') ? { action: action as 'join' | 'leave' } : null;
    },
    // The consent's language comes from the signed form token, not from a field.
    (token, csrf, input) => pages.joinOrLeave(token, csrf, input.action),
  );

  formRoute(
    FORM_PATHS.rating,
    (body) => {
      const value = Number(body[FORM_FIELDS.rating.value]);
      const comment = text(body[FORM_FIELDS.rating.comment] ?? '', FORM_LIMITS.ratingComment);
      if (!Number.isInteger(value) || value < 1 || value > 5 || comment === null) return null;
      return { value, comment: comment || null };
    },
    (token, csrf, input) => pages.rate(token, csrf, input.value, input.comment),
  );

  formRoute(
    FORM_PATHS.questions,
    (body) => {
      const question = text(body[FORM_FIELDS.questions.question], FORM_LIMITS.question);
      return question ? { question } : null;
    },
    (token, csrf, input) => pages.ask(token, csrf, input.question),
  );

  formRoute(
    FORM_PATHS.dataRequests,
    (body) => {
      const kind = body[FORM_FIELDS.dataRequests.kind];
      if (!DATA_REQUEST_KINDS.includes(kind as 'export')) return null;
      // Deleting is for good: the box must be ticked.
      if (kind === 'deletion' && body[FORM_FIELDS.dataRequests.confirm] !== DELETION_CONFIRM_VALUE) return null;
      return { kind: kind as 'export' | 'deletion' };
    },
    (token, csrf, input) => pages.requestData(token, csrf, input.kind),
  );

  app.get(
    '/v1/feedback/:token',
    {
      config: { public: true },
      schema: {
        operationId: 'getCandidateFeedback',
        tags: ['candidate page'],
        summary: 'The candidate page as JSON, for ATS candidate portals (the token is the candidate’s own link token)',
        description: 'Unknown, expired and revoked tokens all answer 404 not_found. Each call is recorded as a view.',
        params: tokenParams,
        response: { 200: candidateFeedbackSchema },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      const found = await pages.json(request.params.token, (candidate) => pageLocale(candidate, request.headers['accept-language']));
      if (!found) throw new AppError('not_found', 'This feedback link is not available');
      return found;
    },
  );
};

const candidateFeedbackSchema = z
  .object({
    locale: z.string(),
    company: z.string(),
    role: z.string(),
    candidateName: z.string(),
    decision: z.object({ action: z.string(), kind: z.string(), sentAt: z.date() }).nullable().describe('Null until the email has actually been sent.'),
    feedback: z.unknown().nullable().describe('The structured feedback as the templates see it; null until sent.'),
    contact: z.object({ name: z.string().nullable(), email: z.string().nullable() }),
    talentPool: z.object({ offered: z.boolean(), member: z.boolean() }),
    rating: z.object({ value: z.int32(), comment: z.string().nullable() }).nullable(),
    questions: z.array(z.object({ question: z.string(), askedAt: z.date(), answer: z.string().nullable(), answeredAt: z.date().nullable() })),
    dataRequests: z.array(z.object({ kind: z.enum(['export', 'deletion']), createdAt: z.date(), status: z.enum(['pending', 'completed']) })),
  })
  .meta({ id: 'CandidateFeedback' });
