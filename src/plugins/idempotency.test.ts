import Fastify from 'fastify';
import fp from 'fastify-plugin';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sealer } from '../lib/crypto.js';
import type { IdempotencyStore } from '../lib/idempotency.js';
import { idempotencyPlugin, respondOnce } from './idempotency.js';

// The plugin alone, with a store that must not be reached: a one-statement route writes its key's
// record in its own statement (respondOnce), and one that forgets to is refused loudly.
const store: IdempotencyStore = {
  claim: () => Promise.reject(new Error('a one-statement route does not claim')),
  complete: () => Promise.reject(new Error('a one-statement route does not complete')),
  release: () => Promise.reject(new Error('a one-statement route does not release')),
};
const sealer = { seal: (text: string) => text, open: (text: string) => text } as unknown as Sealer;

async function appWith(handler: 'respondOnce' | 'plain send') {
  const app = Fastify();
  await app.register(
    fp(
      async (instance) => {
        instance.decorateRequest('auth', null);
      },
      { name: 'auth' },
    ),
  );
  app.addHook('onRequest', async (request) => {
    (request as unknown as { auth: object }).auth = { organizationId: '00000000-0000-4000-8000-000000000001' };
  });
  await app.register(idempotencyPlugin, { store, ttlHours: 24, sealer });
  app.post('/things', { config: { idempotent: 'one-statement' } }, async (request, reply) => {
    if (handler === 'plain send') return reply.code(201).send({ id: 'thing-1' });
    return respondOnce(request, reply, {
      statusCode: 201,
      write: async (seal) => {
        if (seal) seal({ id: 'thing-1' });
        return { kind: 'written', value: { id: 'thing-1' } };
      },
    });
  });
  return app;
}

let app: Awaited<ReturnType<typeof appWith>> | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('one-statement idempotent routes', () => {
  it('answer through respondOnce, with or without a key', async () => {
    app = await appWith('respondOnce');
    for (const headers of [{}, { 'idempotency-key': 'k-1' }]) {
      const response = await app.inject({ method: 'POST', url: '/things', headers, payload: {} });
      expect(response.statusCode).toBe(201);
      expect(response.json()).toEqual({ id: 'thing-1' });
    }
  });

  it('refuse to answer 2xx without respondOnce when a key was given: the work would have no record', async () => {
    app = await appWith('plain send');
    expect((await app.inject({ method: 'POST', url: '/things', payload: {} })).statusCode).toBe(201);
    const keyed = await app.inject({ method: 'POST', url: '/things', headers: { 'idempotency-key': 'k-2' }, payload: {} });
    expect(keyed.statusCode).toBe(500);
  });
});
