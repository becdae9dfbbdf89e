// `Idempotency-Key` on routes with `config.idempotent`: the first request with a key runs and its
// response is stored (sealed with ENCRYPTION_KEY, in Postgres, for IDEMPOTENCY_TTL_HOURS); the
// same key with the same request gets that response again (`Idempotent-Replayed: true`); with
// another request, a 422. Responses that failed on our side (5xx) are not kept, so the client's
// retry runs for real.
//
// Routes whose response is known before they write (ids and times made in the app) take the
// one-statement path instead (`idempotent: 'one-statement'`, then `respondOnce` in the handler):
// the response is built and sealed first, and the record is written complete by the same
// statement as the route's own work, so the key costs no round trip of its own.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Sealer } from '../lib/crypto.js';
import { AppError } from '../lib/errors.js';
import { canonicalJson, sha256Hex } from '../lib/hash.js';
import type { HeldClaim, IdempotencyClaim, IdempotencyStore, KeyTaken, SealResponse, WrittenOnce } from '../lib/idempotency.js';
import { authOf } from './auth.js';

export interface IdempotencyPluginOptions {
  /** Where claims and responses are kept (Postgres, through the idempotency repository). */
  store: IdempotencyStore;
  ttlHours: number;
  sealer: Sealer;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** Headers a replay must repeat for the client to see the same response. */
const KEPT_HEADERS = ['content-type', 'location'];
const keptOnly = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).filter(([name]) => KEPT_HEADERS.includes(name)));
/** What reply.send sets for a serialized object. */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

const claims = new WeakMap<FastifyRequest, HeldClaim>();
/** One-statement routes: the claim their write will make, and how to seal what they send. */
const pending = new WeakMap<FastifyRequest, { claim: IdempotencyClaim; sealer: Sealer }>();

/** What "the same request" means: the same route, path parameters and body. */
export const idempotentRequestHash = (operation: string, params: unknown, body: unknown) => sha256Hex(canonicalJson({ operation, params: params ?? null, body: body ?? null }));

export const idempotencyPlugin = fp<IdempotencyPluginOptions>(
  async (app: FastifyInstance, { store, ttlHours, sealer }) => {
    const claimOf = (request: FastifyRequest, key: string | string[]): IdempotencyClaim => {
      if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
        throw new AppError('invalid_idempotency_key', 'Idempotency-Key must be 1-255 visible ASCII characters (a UUID is ideal)');
      }
      const { organizationId } = authOf(request);
      // The route pattern, not the raw URL: `/x/` and `/x` are one operation.
      const operation = `${request.method} ${request.routeOptions.url}`;
      return {
        organizationId,
        key,
        operation,
        requestHash: idempotentRequestHash(operation, request.params, request.body),
        expiresAt: new Date(Date.now() + ttlHours * 3_600_000),
      };
    };
    const claimKey = async (request: FastifyRequest, reply: FastifyReply, key: string | string[]) => {
      const outcome = await store.claim(claimOf(request, key));
      if (outcome.kind === 'claimed') {
        claims.set(request, outcome.claim);
        return;
      }
      return answerTaken(reply, outcome, sealer);
    };
    // Callback hooks: most requests carry no key and need no await (an async hook costs each a promise and a turn).
    app.addHook('preHandler', (request, reply, done) => {
      const { idempotent } = request.routeOptions.config;
      const key = idempotent ? request.headers['idempotency-key'] : undefined;
      if (key === undefined) {
        done();
        return;
      }
      if (idempotent === 'one-statement') {
        try {
          pending.set(request, { claim: claimOf(request, key), sealer });
        } catch (error) {
          done(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        done();
        return;
      }
      claimKey(request, reply, key).then(() => done(), done);
    });

    const keepResponse = async (request: FastifyRequest, reply: FastifyReply, payload: unknown, claim: HeldClaim) => {
      try {
        if (reply.statusCode >= 500 || typeof payload !== 'string') {
          await store.release(claim);
        } else {
          const headers: Record<string, string> = {};
          for (const name of KEPT_HEADERS) {
            const value = reply.getHeader(name);
            if (value !== undefined) headers[name] = String(value);
          }
          await store.complete(claim, { statusCode: reply.statusCode, sealedBody: sealer.seal(payload), headers });
        }
      } catch (error) {
        // The work is done and the client must hear so; a retry will wait out the claim.
        request.log.warn({ err: error, idempotencyKey: claim.key }, 'could not store the idempotent response');
      }
    };
    app.addHook('onSend', (request, reply, payload, done) => {
      if (pending.has(request)) {
        pending.delete(request);
        // A one-statement route that answered without respondOnce wrote without the key's record:
        // a retry would do the work twice. A programming error, loud so that a test sees it.
        if (reply.statusCode < 400) {
          done(new Error(`${request.method} ${request.routeOptions.url} is idempotent: 'one-statement' but answered without respondOnce`));
          return;
        }
      }
      const claim = claims.get(request);
      if (!claim) {
        done(null, payload);
        return;
      }
      claims.delete(request);
      keepResponse(request, reply, payload, claim).then(() => done(null, payload), done);
    });
  },
  { name: 'idempotency', dependencies: ['auth'] },
);

/** The answer when the key was already used: the stored response again, or why not. */
function answerTaken(reply: FastifyReply, outcome: KeyTaken, sealer: Sealer) {
  switch (outcome.kind) {
    case 'mismatch':
      throw new AppError('idempotency_key_reused', 'This Idempotency-Key was already used for a different request; use a new key');
    case 'in_progress':
      throw new AppError('idempotency_request_in_progress', 'The first request with this Idempotency-Key is still running; retry shortly', {
        headers: { 'retry-after': '1' },
      });
    case 'replay':
      for (const [name, value] of Object.entries(outcome.headers)) reply.header(name, value);
      return reply.header('idempotent-replayed', 'true').code(outcome.statusCode).send(sealer.open(outcome.sealedBody));
  }
}

export interface RespondOnce<T> {
  /** The status of the response when the work is done. */
  statusCode: number;
  /** Its headers beyond the content type (a `location`), from the value it sends. */
  headers?: (value: T) => Record<string, string>;
  /**
   * Does the work: with `seal` (the request has an `Idempotency-Key`), in one statement with the
   * completed record (idempotencyRepository.writeOnce); without it, as a plain write.
   */
  write: (seal: SealResponse<T> | undefined) => Promise<WrittenOnce<T>>;
}

/**
 * The handler of an `idempotent: 'one-statement'` route: runs `write` and sends its value, or,
 * when the key was already used, what the record holding it decides (the stored response again
 * with `Idempotent-Replayed: true`, a 422 for another request, a 409 while one on the multi-step
 * path still runs). The value is serialized once, before the write, so what is stored is
 * byte for byte what is sent.
 */
export async function respondOnce<T>(request: FastifyRequest, reply: FastifyReply, { statusCode, headers, write }: RespondOnce<T>) {
  const once = pending.get(request);
  pending.delete(request);
  if (!once) {
    const outcome = await write(undefined);
    if (outcome.kind !== 'written') throw new Error('a write without Idempotency-Key found the key taken');
    return reply
      .code(statusCode)
      .headers(headers?.(outcome.value) ?? {})
      .send(outcome.value);
  }
  let sent: { payload: string; headers: Record<string, string> } | undefined;
  const seal: SealResponse<T> = (value) => {
    // The route's own serializer for this status, as reply.send would use it.
    const payload = reply.code(statusCode).serialize(value);
    if (typeof payload !== 'string') throw new Error('respondOnce: the route serializes to text (JSON)');
    const kept = { 'content-type': JSON_CONTENT_TYPE, ...headers?.(value) };
    sent = { payload, headers: kept };
    return { claim: once.claim, response: { statusCode, sealedBody: once.sealer.seal(payload), headers: keptOnly(kept) } };
  };
  const outcome = await write(seal);
  if (outcome.kind !== 'written') return answerTaken(reply, outcome, once.sealer);
  if (!sent) throw new Error('respondOnce: the write did not seal its response');
  return reply.code(statusCode).headers(sent.headers).send(sent.payload);
}
