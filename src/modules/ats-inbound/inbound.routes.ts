import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageQuerySchema, pageSchema } from '../../lib/pagination.js';
import { idParamsSchema } from '../../lib/schemas.js';
import { actorOf, authOf } from '../../plugins/auth.js';
import { providers, type InboundService } from './inbound.service.js';

const tags = ['ats webhooks'];

const connectionSchema = z
  .object({
    id: z.uuid(),
    provider: z.enum(providers),
    name: z.string(),
    enabled: z.boolean(),
    url: z.string().describe('Give this URL to the ATS as its webhook endpoint.'),
    createdAt: z.date(),
  })
  .meta({ id: 'AtsConnection' });

const inboundDeliverySchema = z
  .object({
    id: z.uuid(),
    connectionId: z.uuid(),
    eventType: z.string(),
    dedupeKey: z.string(),
    status: z.enum(['received', 'processed', 'ignored', 'rejected', 'failed']),
    outcome: z.string().nullable().describe('What was done, or why not.'),
    receivedAt: z.date(),
    processedAt: z.date().nullable(),
    rawBody: z.string().describe('The body exactly as received.'),
  })
  .meta({ id: 'InboundDelivery' });

/** The API side: connections and the log of what arrived. */
export const inboundRoutes: FastifyPluginAsyncZod<{ inbound: InboundService }> = async (app, { inbound }) => {
  app.post(
    '/v1/ats-connections',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'createAtsConnection',
        tags,
        summary: 'Connect an ATS: its webhook URL, and the secret it signs with (shown once)',
        description:
          'Greenhouse: type the returned secret as the web hook’s secret key. Lever: paste the signature token Lever shows as `secret`. ' +
          'Ashby: set the returned secret as the webhook’s secret token. Generic: sign per Standard Webhooks with the returned whsec_ secret.',
        body: z.object({ provider: z.enum(providers), name: z.string().trim().min(1).max(200), secret: z.string().min(8).max(200).optional() }).strict(),
        response: { 201: z.object({ connection: connectionSchema, secret: z.string() }) },
      },
    },
    async (request, reply) => reply.code(201).send(await inbound.createConnection(actorOf(request), request.body)),
  );
  app.get(
    '/v1/ats-connections',
    { config: { scope: 'read' }, schema: { operationId: 'listAtsConnections', tags, summary: 'ATS connections', querystring: pageQuerySchema, response: { 200: pageSchema(connectionSchema) } } },
    async (request) => inbound.listConnections(authOf(request).organizationId, request.query),
  );
  app.delete(
    '/v1/ats-connections/:id',
    { config: { scope: 'admin' }, schema: { operationId: 'deleteAtsConnection', tags, summary: 'Disconnect an ATS (its URL stops working)', params: idParamsSchema, response: { 204: z.null() } } },
    async (request, reply) => {
      await inbound.deleteConnection(actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/v1/inbound-deliveries',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listInboundDeliveries',
        tags,
        summary: 'Every ATS delivery received, as received: applied, ignored, refused (bad signature or body) or failed, and why',
        querystring: pageQuerySchema.extend({ connectionId: z.uuid().optional(), status: z.enum(['received', 'processed', 'ignored', 'rejected', 'failed']).optional() }),
        response: { 200: pageSchema(inboundDeliverySchema) },
      },
    },
    async (request) => {
      const { connectionId, status, ...page } = request.query;
      return inbound.deliveries(authOf(request).organizationId, { connectionId, status }, page) as never;
    },
  );

  // The receiving end: the raw body is kept byte for byte for the signature check.
  await app.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (_request, body, done) => done(null, body));
    raw.post(
      '/webhooks/ats/:connectionId',
      {
        schema: {
          operationId: 'receiveAtsWebhook',
          tags,
          summary: 'An ATS delivers here (Greenhouse, Lever, Ashby, or Standard Webhooks for the generic connection)',
          description: 'Verified, stored, deduplicated (7 days at least), acknowledged with 202, applied by the workers. Unsigned or malformed: 401/400, stored for inspection.',
          params: z.object({ connectionId: z.uuid() }),
          response: { 200: z.object({ received: z.literal(true), duplicate: z.literal(true) }), 202: z.object({ received: z.literal(true), duplicate: z.literal(false) }) },
        },
      },
      async (request, reply) => {
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const result = await inbound.receive((request.params as { connectionId: string }).connectionId, body, request.headers);
        return result.status === 'duplicate' ? reply.code(200).send({ received: true, duplicate: true }) : reply.code(202).send({ received: true, duplicate: false });
      },
    );
  });
};
