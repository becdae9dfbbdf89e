// The organization's people (admins manage them) and each person's own API keys.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { pageQuerySchema, pageSchema } from '../../lib/pagination.js';
import { idParamsSchema } from '../../lib/schemas.js';
import { actorOf, authOf } from '../../plugins/auth.js';
import { idempotencyHeadersSchema } from '../../plugins/idempotency.schemas.js';
import { respondOnce } from '../../plugins/idempotency.js';
import { apiKeySchema, createApiKeyBodySchema, createdApiKeySchema } from '../organizations/organizations.schemas.js';
import type { CreatedApiKey, OrganizationsService } from '../organizations/organizations.service.js';
import type { Actor } from '../../lib/actor.js';
import { inviteUserBodySchema, userPatchSchema, userSchema, type UserView } from './people.schemas.js';
import type { UsersService } from './users.service.js';

export interface UsersRoutesOptions {
  users: UsersService;
  organizations: Pick<OrganizationsService, 'createPersonalKey' | 'listPersonalKeys' | 'revokePersonalKey'>;
}

export const usersRoutes: FastifyPluginAsyncZod<UsersRoutesOptions> = async (app, { users, organizations }) => {
  const tags = ['people'];

  app.post(
    '/v1/users',
    {
      config: { scope: 'admin', idempotent: true },
      schema: {
        operationId: 'inviteUser',
        tags,
        summary: 'Invite a person: they get an email with a link that signs them in (INVITATION_TTL_HOURS)',
        headers: idempotencyHeadersSchema,
        body: inviteUserBodySchema,
        response: { 201: userSchema },
      },
    },
    async (request, reply) => {
      const user = await users.invite(actorOf(request), request.body);
      return reply.code(201).header('location', `/v1/users/${user.id}`).send(user);
    },
  );

  app.get(
    '/v1/users',
    {
      config: { scope: 'admin' },
      schema: { operationId: 'listUsers', tags, summary: 'The organization’s people, oldest first', querystring: pageQuerySchema, response: { 200: pageSchema(userSchema) } },
    },
    async (request) => users.list(authOf(request).organizationId, request.query),
  );

  app.get(
    '/v1/users/:id',
    { config: { scope: 'admin' }, schema: { operationId: 'getUser', tags, summary: 'One person', params: idParamsSchema, response: { 200: userSchema } } },
    async (request) => users.get(authOf(request).organizationId, request.params.id),
  );

  app.patch(
    '/v1/users/:id',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'updateUser',
        tags,
        summary: 'Rename, change the role (their sessions end), language or time zone',
        params: idParamsSchema,
        body: userPatchSchema,
        response: { 200: userSchema },
      },
    },
    async (request) => users.update(actorOf(request), request.params.id, request.body),
  );

  const action = (path: string, operationId: string, summary: string, run: (actor: Actor, id: string) => Promise<UserView>) =>
    app.post(
      `/v1/users/:id/${path}`,
      { config: { scope: 'admin' }, schema: { operationId, tags, summary, params: idParamsSchema, response: { 200: userSchema } } },
      async (request) => run(actorOf(request), request.params.id),
    );
  action('deactivate', 'deactivateUser', 'Deactivate: sessions end, personal keys stop working, everything they did stays', (actor, id) => users.deactivate(actor, id));
  action('reactivate', 'reactivateUser', 'Let a deactivated person sign in again (their personal keys work again)', (actor, id) => users.reactivate(actor, id));
  action('invitation', 'resendInvitation', 'Send the invitation again, with a new link (the previous one stops working)', (actor, id) => users.resendInvitation(actor, id));
  action('invitation/revoke', 'revokeInvitation', 'Withdraw a pending invitation: the link stops working and the user is deactivated', (actor, id) =>
    users.revokeInvitation(actor, id),
  );

  app.post(
    '/v1/me/api-keys',
    {
      config: { scope: 'read', idempotent: 'one-statement' },
      schema: {
        operationId: 'createPersonalApiKey',
        tags,
        summary: 'Create a personal API key: it acts as you, with at most your role’s scopes (its secret is shown once)',
        headers: idempotencyHeadersSchema,
        body: createApiKeyBodySchema,
        response: { 201: createdApiKeySchema },
      },
    },
    async (request, reply) =>
      respondOnce<CreatedApiKey>(request, reply, {
        statusCode: 201,
        write: (seal) => organizations.createPersonalKey(authOf(request), request.body.name, request.body.scopes, seal),
        headers: (created) => ({ location: `/v1/me/api-keys/${created.apiKey.id}` }),
      }),
  );

  app.get(
    '/v1/me/api-keys',
    {
      config: { scope: 'read' },
      schema: { operationId: 'listPersonalApiKeys', tags, summary: 'Your personal API keys', querystring: pageQuerySchema, response: { 200: pageSchema(apiKeySchema) } },
    },
    async (request) => organizations.listPersonalKeys(authOf(request), request.query),
  );

  app.post(
    '/v1/me/api-keys/:id/revoke',
    {
      config: { scope: 'read' },
      schema: { operationId: 'revokePersonalApiKey', tags, summary: 'Revoke one of your personal API keys', params: idParamsSchema, response: { 200: apiKeySchema } },
    },
    async (request) => organizations.revokePersonalKey(authOf(request), request.params.id),
  );
};
