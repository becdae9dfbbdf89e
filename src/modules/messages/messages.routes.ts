import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParamsSchema } from '../../lib/schemas.js';
import { pageQuerySchema, pageSchema } from '../../lib/pagination.js';
import { actorOf, authOf } from '../../plugins/auth.js';
import {
  approveBodySchema,
  approveManyBodySchema,
  approveManyResultSchema,
  editBodySchema,
  messageEventSchema,
  messageQuerySchema,
  messageSchema,
  messageListItemSchema,
  rescheduleBodySchema,
  rescheduleResultSchema,
} from './messages.schemas.js';
import type { MessagesService } from './messages.service.js';

const tags = ['messages'];

export const messagesRoutes: FastifyPluginAsyncZod<{ messages: MessagesService }> = async (app, { messages }) => {
  app.get(
    '/v1/messages',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listMessages',
        tags,
        summary: 'The approval queue and every other message, oldest first',
        querystring: pageQuerySchema.extend(messageQuerySchema.shape),
        response: { 200: pageSchema(messageListItemSchema) },
      },
    },
    async (request) => {
      const { status, requisitionId, kind, severity, ...page } = request.query;
      const { organizationId, requisitions } = authOf(request);
      return messages.list(organizationId, { status, requisitionId, kind, severity, requisitions }, page);
    },
  );

  app.get(
    '/v1/messages/:id',
    {
      config: { scope: 'read', requisitionOf: 'message' },
      schema: { operationId: 'getMessage', tags, summary: 'One message with its rendered content, lint and checks', params: idParamsSchema, response: { 200: messageSchema } },
    },
    async (request) => messages.get(authOf(request).organizationId, request.params.id),
  );

  app.post(
    '/v1/messages/:id/approve',
    {
      config: { scope: 'approve', requisitionOf: 'message', errors: ['four_eyes', 'message_state', 'message_changed', 'message_blocked'] },
      schema: {
        operationId: 'approveMessage',
        tags,
        summary: 'Approve the version you reviewed (409 message_changed if it changed, message_blocked on blocking findings)',
        params: idParamsSchema,
        body: approveBodySchema,
        response: { 200: messageSchema },
      },
    },
    async (request) => messages.approve(actorOf(request), authOf(request).scopes, { id: request.params.id, ...request.body }),
  );

  app.patch(
    '/v1/messages/:id',
    {
      config: { scope: 'write', requisitionOf: 'message', errors: ['message_state', 'message_changed'] },
      schema: {
        operationId: 'editMessage',
        tags,
        summary: 'Edit the subject or feedback: re-rendered, re-linted, a new version, approval reset',
        params: idParamsSchema,
        body: editBodySchema,
        response: { 200: messageSchema },
      },
    },
    async (request) => messages.edit(actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/v1/message-approvals',
    {
      config: { scope: 'approve' },
      schema: {
        operationId: 'approveMessages',
        tags,
        summary: 'Approve up to 500 messages, each for the version seen; each succeeds or fails on its own',
        body: approveManyBodySchema,
        response: { 200: approveManyResultSchema },
      },
    },
    async (request) => messages.approveMany(actorOf(request), authOf(request).scopes, request.body.items),
  );

  app.post(
    '/v1/messages/:id/cancel',
    {
      config: { scope: 'write', requisitionOf: 'message', errors: ['message_state'] },
      schema: { operationId: 'cancelMessage', tags, summary: 'Cancel a message that has not started sending', params: idParamsSchema, response: { 200: messageSchema } },
    },
    async (request) => messages.cancel(actorOf(request), request.params.id),
  );

  app.post(
    '/v1/messages/:id/recall',
    {
      config: { scope: 'approve', requisitionOf: 'message', errors: ['message_state'] },
      schema: { operationId: 'recallMessage', tags, summary: 'Recall an approved message until sending starts', params: idParamsSchema, response: { 200: messageSchema } },
    },
    async (request) => messages.recall(actorOf(request), request.params.id),
  );

  app.post(
    '/v1/messages/:id/retry',
    {
      config: { scope: 'approve', requisitionOf: 'message', errors: ['message_state'] },
      schema: {
        operationId: 'retryMessage',
        tags,
        summary: 'Send a held or failed message again: every send-time check runs again (409 message_state unless held or failed)',
        params: idParamsSchema,
        response: { 200: messageSchema },
      },
    },
    async (request) => messages.retry(actorOf(request), request.params.id),
  );

  app.post(
    '/v1/messages/reschedule',
    {
      config: { scope: 'approve' },
      schema: {
        operationId: 'rescheduleMessages',
        tags,
        summary: 'After a send-policy change: give every approved message not yet being sent the send time the current policy gives it',
        body: rescheduleBodySchema,
        response: { 200: rescheduleResultSchema },
      },
    },
    async (request) => messages.reschedule(actorOf(request), request.body),
  );

  app.get(
    '/v1/messages/:id/events',
    {
      config: { scope: 'read', requisitionOf: 'message' },
      schema: {
        operationId: 'listMessageEvents',
        tags,
        summary: 'What happened to a message after approval: sent, held, failed, unknown, reconciled, delivered, bounced, opened…',
        params: idParamsSchema,
        querystring: pageQuerySchema,
        response: { 200: pageSchema(messageEventSchema) },
      },
    },
    async (request) => messages.events(authOf(request).organizationId, request.params.id, request.query),
  );
};
