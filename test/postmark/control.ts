// Control endpoints under /__fake, so a demo or benchmark running in another
// process can read captured mail and inject faults over plain HTTP. No auth:
// the fake only ever listens on a local interface.

import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { FakeState } from './state.js';

const path = z.string().min(1).max(200).startsWith('/').optional();
const status = z.union([z.literal(429), z.literal(500), z.literal(503)]);

const latencyBody = z.union([
  z.strictObject({ fixedMs: z.number().min(0).max(600_000), path }),
  z.strictObject({ p50Ms: z.number().positive().max(600_000), p99Ms: z.number().positive().max(600_000), path }).refine((v) => v.p99Ms >= v.p50Ms, 'p99Ms must be >= p50Ms'),
]);

const failureBody = z
  .strictObject({
    status,
    count: z.number().int().min(1).max(1_000_000).optional(),
    probability: z.number().min(0).max(1).optional(),
    path,
    retryAfterSeconds: z.number().int().min(0).max(86_400).optional(),
  })
  .refine((v) => (v.count === undefined) !== (v.probability === undefined), 'give exactly one of count or probability');

const dropBody = z.strictObject({ count: z.number().int().min(1).max(1_000_000), path });

const inactiveBody = z.strictObject({ addresses: z.array(z.string().min(3).max(320)).min(1).max(10_000) });

function parse<T>(schema: z.ZodType<T>, body: unknown, reply: FastifyReply): T | undefined {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  void reply.code(400).send({ error: 'invalid control request', issues: z.treeifyError(result.error) });
  return undefined;
}

export const controlRoutes: FastifyPluginAsync<{ state: FakeState }> = async (app, { state }) => {
  const { store, faults, inactive } = state;

  app.get('/health', async () => ({ ok: true }));

  app.get('/messages', async () => ({ TotalCount: store.size, Messages: store.all() }));
  app.get('/messages/count', async () => ({ count: store.size }));
  app.get<{ Params: { id: string } }>('/messages/:id', async (request, reply) => {
    return store.get(request.params.id) ?? reply.code(404).send({ error: 'no captured message with that MessageID' });
  });
  app.delete('/messages', async (_request, reply) => {
    store.clear();
    return reply.code(204).send();
  });

  app.post('/reset', async (_request, reply) => {
    store.clear();
    faults.clear();
    inactive.reset();
    return reply.code(204).send();
  });

  app.get('/faults', async () => faults.snapshot());
  app.delete('/faults', async () => {
    faults.clear();
    return faults.snapshot();
  });
  app.put('/faults/latency', async (request, reply) => {
    const spec = parse(latencyBody, request.body, reply);
    if (!spec) return reply;
    faults.setLatency(spec);
    return faults.snapshot();
  });
  app.delete('/faults/latency', async () => {
    faults.setLatency(null);
    return faults.snapshot();
  });
  app.post('/faults/failures', async (request, reply) => {
    const spec = parse(failureBody, request.body, reply);
    if (!spec) return reply;
    const options = { ...(spec.path ? { path: spec.path } : {}), ...(spec.retryAfterSeconds !== undefined ? { retryAfterSeconds: spec.retryAfterSeconds } : {}) };
    if (spec.count !== undefined) faults.failNext(spec.count, spec.status, options);
    else faults.failWithProbability(spec.probability ?? 0, spec.status, options);
    return faults.snapshot();
  });
  app.post('/faults/drops', async (request, reply) => {
    const spec = parse(dropBody, request.body, reply);
    if (!spec) return reply;
    faults.dropNext(spec.count, spec.path ? { path: spec.path } : {});
    return faults.snapshot();
  });

  app.get('/inactive', async () => ({ addresses: inactive.list() }));
  app.post('/inactive', async (request, reply) => {
    const body = parse(inactiveBody, request.body, reply);
    if (!body) return reply;
    inactive.add(...body.addresses);
    return { addresses: inactive.list() };
  });
  app.delete('/inactive', async () => {
    inactive.clear();
    return { addresses: inactive.list() };
  });
};
