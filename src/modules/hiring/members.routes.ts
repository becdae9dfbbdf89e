import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParamsSchema } from '../../lib/schemas.js';
import { actorOf, authOf } from '../../plugins/auth.js';
import { memberListSchema, memberParamsSchema, memberSchema } from './members.schemas.js';
import type { MembersService } from './members.service.js';

const tags = ['requisitions'];
const whoMayChange =
  'Needs the `override` scope, which admins and recruiters have (hiring managers and viewers do not), and, for anyone but an admin or a service key, ' +
  'membership of this requisition: a recruiter brings colleagues onto their own requisitions only. The change applies from the next request and is audited.';

export const membersRoutes: FastifyPluginAsyncZod<{ members: MembersService }> = async (app, { members }) => {
  app.get(
    '/v1/requisitions/:id/members',
    {
      config: { scope: 'read', requisitionOf: 'requisition' },
      schema: {
        operationId: 'listRequisitionMembers',
        tags,
        summary: 'Who works on a requisition',
        description:
          'Its members see and act on it and everything about it; admins and service keys see every requisition. Deactivated members stay listed (`active: false`) and see nothing.',
        params: idParamsSchema,
        response: { 200: memberListSchema },
      },
    },
    async (request) => members.list(authOf(request).organizationId, request.params.id),
  );
  app.put(
    '/v1/requisitions/:id/members/:userId',
    {
      config: { scope: 'override', requisitionOf: 'requisition', errors: ['conflict'] },
      schema: {
        operationId: 'addRequisitionMember',
        tags,
        summary: 'Add a person to a requisition (idempotent)',
        description: `201 when added, 200 when they already were. A deactivated person cannot be added (409). ${whoMayChange}`,
        params: memberParamsSchema,
        response: { 200: memberSchema, 201: memberSchema },
      },
    },
    async (request, reply) => {
      const { member, created } = await members.add(actorOf(request), request.params.id, request.params.userId);
      return reply.code(created ? 201 : 200).send(member);
    },
  );
  app.delete(
    '/v1/requisitions/:id/members/:userId',
    {
      config: { scope: 'override', requisitionOf: 'requisition' },
      schema: {
        operationId: 'removeRequisitionMember',
        tags,
        summary: 'Take a person off a requisition (idempotent)',
        description: `204 whether or not they were a member. ${whoMayChange}`,
        params: memberParamsSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await members.remove(actorOf(request), request.params.id, request.params.userId);
      return reply.code(204).send(null);
    },
  );
};
