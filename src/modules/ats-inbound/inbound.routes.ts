import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageQuerySchema, pageSchema } from '../../lib/pagination.js';
import { idParamsSchema } from '../../lib/schemas.js';
import { actorOf, authOf } from '../../plugins/auth.js';
import { hasScope } from '../../lib/actor.js';
import { BODY_KEY } from '../../plugins/route-problems.js';
import type { AtsConnectionsService } from './ats-connections.service.js';
import {
  connectionSchema,
  createConnectionBodySchema,
  createdConnectionSchema,
  deliveriesQuerySchema,
  inboundDeliverySchema,
  receiveParamsSchema,
  receivedSchema,
  updateConnectionBodySchema,
} from './inbound.schemas.js';
import type { InboundService } from './inbound.service.js';

const tags = ['ats webhooks'];

/** The API side: connections and the log of what arrived. */
export const inboundRoutes: FastifyPluginAsyncZod<{ connections: AtsConnectionsService; inbound: InboundService }> = async (app, { connections, inbound }) => {
  app.post(
    '/v1/ats-connections',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'createAtsConnection',
        tags,
        summary: 'Connect an ATS: its webhook URL, and the secret it signs with (shown once)',
        description:
          'Greenhouse: type the returned secret as the web hook’s secret key. Lever: paste the signature token Lever shows as `secret`; once the connection has API credentials ' +
          'and Lever’s Webhooks API, Hearback registers Lever’s webhooks and verifies each event with the token Lever made for its webhook instead. ' +
          'Ashby: Hearback registers its webhooks with this secret once the connection has API credentials (PUT …/credentials; see `api.webhooks`). Generic: sign per Standard Webhooks with the returned whsec_ secret. ' +
          'Lever also needs its archive reasons in `settings` (here or later with PATCH): without them archives are ignored.',
        body: createConnectionBodySchema,
        response: { 201: createdConnectionSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await connections.createConnection(actorOf(request), request.body)),
  );
  app.get(
    '/v1/ats-connections',
    {
      config: { scope: 'read' },
      schema: { operationId: 'listAtsConnections', tags, summary: 'ATS connections', querystring: pageQuerySchema, response: { 200: pageSchema(connectionSchema) } },
    },
    async (request) => connections.listConnections(authOf(request).organizationId, request.query),
  );
  app.get(
    '/v1/ats-connections/:id',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getAtsConnection',
        tags,
        summary: 'One ATS connection: its URL, its API side, and the webhooks Hearback registered in the ATS (`api.webhooks`)',
        params: idParamsSchema,
        response: { 200: connectionSchema },
      },
    },
    async (request) => connections.getConnection(authOf(request).organizationId, request.params.id),
  );
  app.patch(
    '/v1/ats-connections/:id',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'updateAtsConnection',
        tags,
        summary: 'Rename, enable or disable a connection, or replace its settings (Lever: archive reasons and stages)',
        description: 'Deliveries ignored for want of settings are not applied by this: replay them (`POST /v1/inbound-deliveries/{id}/replay`).',
        params: idParamsSchema,
        body: updateConnectionBodySchema,
        response: { 200: connectionSchema },
      },
    },
    async (request) => connections.updateConnection(actorOf(request), request.params.id, request.body),
  );
  app.delete(
    '/v1/ats-connections/:id',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'deleteAtsConnection',
        tags,
        summary: 'Disconnect an ATS (its URL stops working)',
        description:
          'The webhooks Hearback registered in the ATS (Ashby) are deleted there first; 502 `ats_unavailable` when the ATS does not answer (nothing is removed: try again).',
        params: idParamsSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await connections.deleteConnection(actorOf(request), request.params.id);
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
        summary: 'Every ATS delivery received: applied, ignored, refused (bad signature or body) or failed, and why',
        description: 'The raw body is included for admin keys only.',
        querystring: deliveriesQuerySchema,
        response: { 200: pageSchema(inboundDeliverySchema) },
      },
    },
    async (request) => {
      const { connectionId, status, ...page } = request.query;
      const auth = authOf(request);
      return inbound.deliveries(auth.organizationId, { connectionId, status }, page, { withRawBody: hasScope(auth, 'admin') }) as never;
    },
  );
  app.post(
    '/v1/inbound-deliveries/:id/replay',
    {
      config: { scope: 'admin', errors: ['conflict'] },
      schema: {
        operationId: 'replayInboundDelivery',
        tags,
        summary: 'Apply an ignored or failed delivery again, with the connection’s current settings',
        description: 'Back to `received` (outcome cleared) and queued; 409 `conflict` for a delivery that was processed, refused, or is still waiting.',
        params: idParamsSchema,
        response: { 202: inboundDeliverySchema },
      },
    },
    async (request, reply) => reply.code(202).send((await inbound.replayDelivery(actorOf(request), request.params.id)) as never),
  );

  // The receiving end: the raw body is kept byte for byte for the signature check.
  await app.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (_request, body, done) => done(null, body));
    raw.post(
      '/webhooks/ats/:connectionId',
      {
        config: { errors: ['signature_invalid', 'payload_too_large'] },
        schema: {
          operationId: 'receiveAtsWebhook',
          tags,
          summary: 'An ATS delivers here (Greenhouse, Lever, Ashby, or Standard Webhooks for the generic connection)',
          description:
            'Verified, stored, deduplicated on what the signature covers (the same signature again: 200 with `duplicate: true`), acknowledged with 202, applied by the workers. ' +
            'Unsigned or malformed: 401/400, recorded for inspection (the first INBOUND_REFUSED_BODY_BYTES of the body; the latest INBOUND_REFUSALS_KEPT per connection).',
          params: receiveParamsSchema,
          // Read raw for the signature, so documented rather than declared: the generic format.
          [BODY_KEY]: 'InboundWebhookEvent',
          response: receivedSchema,
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
