// The Postmark API surface Hearback uses: send one, send a batch, search sent
// messages, read one message's details. Faults and auth run as hooks scoped to
// these routes only, so the control endpoints and the inbox page stay reachable.

import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import {
  ErrorCode,
  inactiveRecipients,
  incompatibleJson,
  invalidJson,
  invalidToken,
  jsonRequired,
  messageNotFound,
  missingToken,
  pmError,
  tooManyBatchMessages,
  type PostmarkError,
} from './errors.js';
import type { FakeState } from './state.js';
import { parseSearchQuery, toDetails, toSummary } from './store.js';
import { validateEmail } from './validation.js';

export const MAX_BATCH = 500;
const MB = 1024 * 1024;
const JSON_TYPES = new Set(['application/json', 'text/json', 'text/x-json']);
const FAILURE_TEXT: Record<number, PostmarkError> = {
  429: pmError(ErrorCode.rateLimitExceeded, 'Rate limit exceeded. Please retry after the time given in Retry-After.'),
  500: pmError(0, 'Internal Server Error'),
  503: pmError(100, 'The Postmark API is temporarily unavailable.'),
};

interface SendSuccess {
  To: string;
  Cc?: string;
  Bcc?: string;
  SubmittedAt: string;
  MessageID: string;
  ErrorCode: 0;
  Message: 'OK';
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const pathOf = (request: FastifyRequest): string => request.url.split('?')[0] ?? request.url;

/** Validates, applies the inactive list, and captures; one answer per message. */
function admit(state: FakeState, body: unknown): SendSuccess | PostmarkError {
  const result = validateEmail(body);
  if (!result.ok) return result.error;
  const { email, recipients } = result;
  const inactive = [...recipients.To, ...recipients.Cc, ...recipients.Bcc].map((a) => a.Email).filter((a) => state.inactive.has(a));
  if (inactive.length > 0) return inactiveRecipients(inactive);
  const captured = state.store.capture(email, recipients);
  return {
    To: email.To,
    ...(email.Cc !== undefined ? { Cc: email.Cc } : {}),
    ...(email.Bcc !== undefined ? { Bcc: email.Bcc } : {}),
    SubmittedAt: captured.ReceivedAt,
    MessageID: captured.MessageID,
    ErrorCode: 0,
    Message: 'OK',
  };
}

/** Accept-then-drop: everything is done and captured, then the client gets no answer at all. */
function dropOrSend(state: FakeState, request: FastifyRequest, reply: FastifyReply, status: number, payload: unknown) {
  if (state.faults.takeDrop(pathOf(request))) {
    reply.hijack();
    request.raw.socket.destroy();
    return reply;
  }
  return reply.code(status).send(payload);
}

function registerHooks(app: FastifyInstance, state: FakeState): void {
  app.addHook('onRequest', async (request, reply) => {
    state.requests++;
    const path = pathOf(request);
    state.requestsByPath.set(path, (state.requestsByPath.get(path) ?? 0) + 1);
    const delay = state.faults.latencyFor(path);
    if (delay > 0) await sleep(delay);
    const failure = state.faults.takeFailure(path);
    if (failure) {
      if (failure.retryAfterSeconds !== undefined) reply.header('retry-after', String(failure.retryAfterSeconds));
      return reply.code(failure.status).send(FAILURE_TEXT[failure.status]);
    }
    const token = request.headers['x-postmark-server-token'];
    const value = Array.isArray(token) ? token[0] : token;
    if (value === undefined) return reply.code(401).send(missingToken());
    if (value.trim() === '' || (state.tokens !== null && !state.tokens.has(value.trim()))) {
      return reply.code(401).send(invalidToken());
    }
  });

  // Checked before parsing so a form or text body gets Postmark's answer, not Fastify's 415.
  app.addHook('preParsing', async (request, reply) => {
    if (request.method !== 'POST') return;
    const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!JSON_TYPES.has(type)) return reply.code(422).send(jsonRequired());
  });

  app.setErrorHandler((error: { statusCode?: number; message?: string }, _request, reply) => {
    if (error.statusCode === 400) return reply.code(422).send(invalidJson());
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    return reply.code(status).send(pmError(0, error.message ?? 'Internal Server Error'));
  });
}

export const postmarkApi: FastifyPluginAsync<{ state: FakeState }> = async (app, { state }) => {
  registerHooks(app, state);
  app.addContentTypeParser(['text/json', 'text/x-json'], { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));

  app.post('/email', { bodyLimit: 10 * MB }, async (request, reply) => {
    const result = admit(state, request.body);
    return dropOrSend(state, request, reply, result.ErrorCode === 0 ? 200 : 422, result);
  });

  app.post('/email/batch', { bodyLimit: 50 * MB }, async (request, reply) => {
    const body = request.body;
    if (!Array.isArray(body)) return reply.code(422).send(incompatibleJson('expected an array of messages.'));
    if (body.length > MAX_BATCH) return reply.code(422).send(tooManyBatchMessages(MAX_BATCH));
    // Per-message outcomes ride on a 200; callers must read each entry's ErrorCode.
    return dropOrSend(
      state,
      request,
      reply,
      200,
      body.map((message) => admit(state, message)),
    );
  });

  app.get('/messages/outbound', async (request, reply) => {
    const query = parseSearchQuery(request.query as Record<string, unknown>);
    if ('ErrorCode' in query) return reply.code(422).send(query);
    const { TotalCount, Messages } = state.store.search(query);
    return { TotalCount, Messages: Messages.map(toSummary) };
  });

  app.get<{ Params: { messageid: string } }>('/messages/outbound/:messageid/details', async (request, reply) => {
    const message = state.store.get(request.params.messageid);
    return message ? toDetails(message) : reply.code(422).send(messageNotFound());
  });
};
