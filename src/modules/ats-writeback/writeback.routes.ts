import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageQuerySchema, pageSchema } from '../../lib/pagination.js';
import { idParamsSchema } from '../../lib/schemas.js';
import { actorOf, authOf } from '../../plugins/auth.js';
import { atsReasonListSchema, atsUsersSchema, importStateSchema, credentialsBodySchema, credentialsSetSchema, reasonMapBodySchema, writebackSchema } from './writeback.schemas.js';
import type { AtsWritebackService } from './writeback.service.js';
import type { AtsSyncService } from './sync.service.js';

const tags = ['ats webhooks'];

/** A connection's ATS API: credentials, the reason map, and what was written back. */
export const writebackRoutes: FastifyPluginAsyncZod<{ writeback: AtsWritebackService; sync: AtsSyncService }> = async (app, { writeback, sync }) => {
  app.post(
    '/v1/ats-connections/:id/import',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'importFromAts',
        tags,
        summary: 'Import the ATS’s open jobs and active applications (with their candidates), its reasons and stages, again from the first page',
        description:
          'Saving credentials starts one already. Paged and resumable (the cursor is saved with each page; a restarted worker continues), rate-limited by the ATS’s Retry-After. ' +
          'Its progress shows on the connection (`api.import`). 409 `conflict` without credentials, or for a connection of no ATS Hearback imports from (generic).',
        params: idParamsSchema,
        response: { 202: importStateSchema },
      },
    },
    async (request, reply) => reply.code(202).send(await sync.requestImport(actorOf(request), request.params.id)),
  );
  app.put(
    '/v1/ats-connections/:id/credentials',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'setAtsCredentials',
        tags,
        summary: 'Give a Greenhouse, Lever or Ashby connection its API credentials (checked now with a harmless read; never returned)',
        description:
          'The answer lists the ATS’s rejection reasons, for the reason map. 422 `ats_credentials_refused` when the ATS refuses them, 502 `ats_unavailable` when it does not answer. ' +
          'With credentials, sent rejections are written back to the ATS and inbound events are read back from it.',
        params: idParamsSchema,
        body: credentialsBodySchema,
        response: { 200: credentialsSetSchema },
      },
    },
    async (request) => writeback.setCredentials(actorOf(request), request.params.id, request.body),
  );
  app.delete(
    '/v1/ats-connections/:id/credentials',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'removeAtsCredentials',
        tags,
        summary: 'Forget a connection’s API credentials (write-backs and read-backs stop)',
        params: idParamsSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await writeback.removeCredentials(actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/v1/ats-connections/:id/reasons',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listAtsReasons',
        tags,
        summary: 'The rejection (archive) reasons and the stages the ATS offers, as last read from it (`readAt`)',
        description:
          'Answered from the catalogue stored on the connection (`source: catalogue`), read when the credentials were saved and again at each import and each reconciliation; ' +
          'read from the ATS now (`source: live`, then stored) only when none is stored yet. POST …/import reads it again at once.',
        params: idParamsSchema,
        response: { 200: atsReasonListSchema },
      },
    },
    async (request) => writeback.reasons(authOf(request).organizationId, request.params.id),
  );
  app.get(
    '/v1/ats-connections/:id/users',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listAtsUsers',
        tags,
        summary: 'The ATS’s users, as the last import or reconciliation read them: whom the credentials can act on behalf of',
        description:
          'Pick the id for Greenhouse’s `onBehalfOfUserId` or Lever’s `performAs` (PUT …/credentials). Read with each import and reconciliation; ' +
          '`error` says why the last read failed (an API key without the permission to list users), the list then being the one read before.',
        params: idParamsSchema,
        response: { 200: atsUsersSchema },
      },
    },
    async (request) => sync.users(authOf(request).organizationId, request.params.id),
  );
  app.put(
    '/v1/ats-connections/:id/reason-map',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'setAtsReasonMap',
        tags,
        summary: 'Which ATS reason a rejection is written back with, per Hearback reason (`default` for the rest)',
        description:
          'Replaces the map as a whole; each id must be one of the ATS’s rejection reasons (`GET …/reasons`; an id the stored list lacks is checked against the ATS now). ' +
          'While the map is empty, the connection says so (`api.reasonMapMissing`): rejection write-backs fail until a reason is mapped.',
        params: idParamsSchema,
        body: reasonMapBodySchema,
        response: { 200: reasonMapBodySchema },
      },
    },
    async (request) => writeback.setReasonMap(actorOf(request), request.params.id, request.body.reasonMap),
  );
  app.get(
    '/v1/ats-connections/:id/activity',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listAtsActivity',
        tags,
        summary: 'Every write-back to the ATS: each sent rejection, what was written (or found already there), tries and errors',
        params: idParamsSchema,
        querystring: pageQuerySchema,
        response: { 200: pageSchema(writebackSchema) },
      },
    },
    async (request) => writeback.activity(authOf(request).organizationId, request.params.id, request.query),
  );
};
