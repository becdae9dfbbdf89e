// `Idempotency-Key` on routes with `config.idempotent`: the first request with a key runs and its
// response is stored (sealed with ENCRYPTION_KEY, in Postgres, for IDEMPOTENCY_TTL_HOURS); the
// same key with the same request gets that response again (`Idempotent-Replayed: true`); with
// another request, a 422. Responses that failed on our side (5xx) are not kept, so the client's
// retry runs for real.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Sealer } from '../lib/crypto.js';
import { AppError } from '../lib/errors.js';
import { canonicalJson, sha256Hex } from '../lib/hash.js';
import type { HeldClaim, IdempotencyStore } from '../lib/idempotency.js';
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

const claims = new WeakMap<FastifyRequest, HeldClaim>();

/** What "the same request" means: the same route, path parameters and body. */
export const idempotentRequestHash = (operation: string, params: unknown, body: unknown) => sha256Hex(canonicalJson({ operation, params: params ?? null, body: body ?? null }));

export const idempotencyPlugin = fp<IdempotencyPluginOptions>(
  async (app: FastifyInstance, { store, ttlHours, sealer }) => {
    const claimKey = async (request: FastifyRequest, reply: FastifyReply, key: string | string[]) => {
      if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
        throw new AppError('invalid_idempotency_key', 'Idempotency-Key must be 1-255 visible ASCII characters (a UUID is ideal)');
      }
      const { organizationId } = authOf(request);
      // The route pattern, not the raw URL: `/x/` and `/x` are one operation.
      const operation = `${request.method} ${request.routeOptions.url}`;
      const outcome = await store.claim({
        organizationId,
        key,
        operation,
        requestHash: idempotentRequestHash(operation, request.params, request.body),
        expiresAt: new Date(Date.now() + ttlHours * 3_600_000),
      });
      switch (outcome.kind) {
        case 'claimed':
          claims.set(request, outcome.claim);
          return;
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
    };
    // Callback hooks: most requests carry no key and need no await (an async hook costs each a promise and a turn).
    app.addHook('preHandler', (request, reply, done) => {
      const key = request.routeOptions.config.idempotent ? request.headers['idempotency-key'] : undefined;
      if (key === undefined) {
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
