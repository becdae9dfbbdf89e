// One handler, one envelope: every error leaves as RFC 9457 problem+json with a stable `code`
// and the request id. Nothing internal (stack, SQL, driver text) reaches the client.
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDbUnavailable, pgErrorCode } from '../db/client.js';
import { AppError, type FieldError, type ProblemCode } from '../lib/errors.js';
import { isRedisUnavailable } from '../queue/connections.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  instance: string;
  requestId: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const problemType = (code: ProblemCode) => `urn:hearback:problem:${code}`;

/** Fastify's own errors, by code, mapped onto ours. */
const fastifyCodes: Record<string, ProblemCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation_failed',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'validation_failed',
  FST_ERR_CTP_INVALID_JSON_BODY: 'validation_failed',
  FST_ERR_VALIDATION: 'validation_failed',
};

function toAppError(error: FastifyError | Error): AppError {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors: FieldError[] = error.validation.flatMap((issue) => {
      const path = `${error.validationContext ?? 'request'}${issue.instancePath.replace(/\/$/, '').replaceAll('/', '.')}`;
      // One entry per unknown member, named, rather than one for the object that holds them.
      const unknown = issue.keyword === 'unrecognized_keys' ? (issue.params as { keys?: string[] }).keys : undefined;
      if (unknown) return unknown.map((key) => ({ path: `${path}.${key}`, message: 'is not a known field' }));
      return [{ path, message: issue.message ?? 'is not valid' }];
    });
    return new AppError('validation_failed', 'The request has invalid fields', { errors });
  }
  const code = (error as FastifyError).code;
  const mapped = code ? fastifyCodes[code] : undefined;
  if (mapped === 'validation_failed') {
    return new AppError('validation_failed', code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? 'The body is not valid JSON' : error.message);
  }
  if (mapped) return new AppError(mapped, error.message);
  // Any other client error Fastify or a plugin raised (bad URL encoding, an aborted upload...).
  const statusCode = (error as FastifyError).statusCode;
  if (statusCode !== undefined && statusCode >= 400 && statusCode < 500) {
    return new AppError(statusCode === 413 ? 'payload_too_large' : 'validation_failed', error.message);
  }
  const sqlState = pgErrorCode(error);
  if (sqlState === '22P05' || sqlState === '22021') {
    return new AppError('validation_failed', 'The request contains a character that cannot be stored (such as U+0000)');
  }
  if (sqlState === '40P01' || sqlState === '40001') {
    return new AppError('service_unavailable', 'A concurrent change got in the way; retry the request', {
      cause: error,
      headers: { 'retry-after': '1' },
    });
  }
  if (isRedisUnavailable(error) || isDbUnavailable(error)) {
    return new AppError('service_unavailable', 'A storage service is unavailable; retry shortly', {
      cause: error,
      headers: { 'retry-after': '5' },
    });
  }
  return new AppError('internal_error', 'Something went wrong on our side; the request id helps us find it', { cause: error });
}

const problemDocument = (error: AppError, instance: string, requestId: string): ProblemDocument => ({
  type: problemType(error.code),
  title: error.title,
  status: error.status,
  detail: error.detail ?? error.title,
  code: error.code,
  instance,
  requestId,
  ...(error.options.errors ? { errors: error.options.errors } : {}),
  ...error.options.extensions,
});

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  const problem = problemDocument(error, request.url, request.id);
  for (const [name, value] of Object.entries(error.options.headers ?? {})) reply.header(name, value);
  // Also here: errors raised before routing skip the hook that normally sets it.
  reply.header('x-request-id', request.id);
  return reply.code(error.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

/**
 * Node's HTTP parser refuses some requests before Fastify sees them (headers past its limit, a
 * request that never finishes arriving, bytes that are not HTTP): they get the same envelope,
 * written to the socket, with a request id of their own.
 */
export function clientErrorHandler(error: ConnectionError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const appError =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new AppError('headers_too_large', 'The request line and headers together exceed the size this server accepts')
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new AppError('request_timeout', 'The request did not arrive in time')
        : new AppError('validation_failed', 'The request is not valid HTTP');
  const requestId = randomUUID();
  // The path when the request line got through whole; the query is left out (it may hold a credential).
  const raw: unknown = error.rawPacket;
  const head = Buffer.isBuffer(raw) ? raw.toString('latin1', 0, 4096) : '';
  const path = /^[A-Z]+ (\/[^\s?#]{0,2048})\S* HTTP\/1\.[01]\r\n/.exec(head)?.[1] ?? '/';
  const body = JSON.stringify(problemDocument(appError, path, requestId));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${appError.status} ${STATUS_CODES[appError.status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/** The handler for every error: logged (500s with their cause), answered with problem+json. */
export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const appError = toAppError(error);
  if (appError.status >= 500) {
    request.log.error({ err: error, code: appError.code }, 'request failed');
  } else {
    request.log.info({ code: appError.code, detail: appError.detail }, 'request refused');
  }
  return sendProblem(request, reply, appError);
}

export const errorHandlerPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler(handleError);
    app.setNotFoundHandler((request, reply) => sendProblem(request, reply, new AppError('not_found', `No route for ${request.method} ${request.url.split('?')[0]}`)));
  },
  { name: 'error-handler' },
);
