// One rule for every route about what a request may carry, checked before validation and before
// any handler, so bad input is refused whole (400 validation_failed naming the field) and nothing
// is half-written or silently changed:
//  - text is text and nesting is bounded (src/lib/storable-input.ts), in bodies of any content
//    type, query strings and path parameters;
//  - a documented operation takes what its schema declares and nothing else: no query parameter
//    when it declares none, no body member when it declares no body. (Declared query strings and
//    bodies are strict zod objects, which refuse unknown members themselves.)
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, validationFailed } from '../lib/errors.js';
import { findInputFault } from '../lib/storable-input.js';

/** Deeper than any body the API or Postmark sends (4 or 5 levels), far below a stack overflow. */
export const MAX_JSON_DEPTH = 32;

const parts = [
  ['params', 'params'],
  ['querystring', 'query'],
  ['body', 'body'],
] as const;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export const inputRulesPlugin = fp(
  async (app: FastifyInstance) => {
    // A callback hook (it never waits): an async one costs every request a promise and a turn.
    app.addHook('preValidation', (request, _reply, done) => {
      try {
        checkInput(request);
      } catch (error) {
        done(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      done();
    });
  },
  { name: 'input-rules', dependencies: ['error-handler'] },
);

/** Throws the refusal when the request breaks the rules above. */
function checkInput(request: FastifyRequest): void {
  for (const [name, property] of parts) {
    const fault = findInputFault(request[property], name, MAX_JSON_DEPTH);
    if (fault) {
      const detail = fault.kind === 'too_deep' ? `The ${name} is nested more than ${MAX_JSON_DEPTH} levels deep` : 'The request contains text that cannot be stored';
      throw validationFailed([{ path: fault.path, message: fault.message }], detail);
    }
  }

  // Hidden routes (the candidate's HTML page, docs) are not operations of the API.
  const schema = request.routeOptions.schema;
  if (!schema || schema.hide) return;
  if (!schema.querystring) {
    const names = Object.keys(request.query ?? {});
    if (names.length > 0) throw unknownMembers('querystring', names, 'is not a parameter of this operation');
  }
  // A Buffer: the route reads its raw body itself (signed webhooks).
  const body = request.body;
  if (!schema.body && body !== undefined && body !== null && !Buffer.isBuffer(body)) {
    if (!isRecord(body)) throw new AppError('validation_failed', 'This operation takes no request body');
    const names = Object.keys(body);
    if (names.length > 0) throw unknownMembers('body', names, 'is not a field of this operation (it takes no body)');
  }
}

const unknownMembers = (part: string, names: string[], message: string) => validationFailed(names.map((name) => ({ path: `${part}.${name}`, message })));
