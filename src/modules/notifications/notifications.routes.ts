// A person's notifications and their email preference. A session or a personal key acts as the
// person; a service key has no notifications (403 not_a_person).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { pageSchema } from '../../lib/pagination.js';
import { idParamsSchema } from '../../lib/schemas.js';
import { authOf } from '../../plugins/auth.js';
import {
  markAllReadBodySchema,
  markAllReadResultSchema,
  notificationPreferencesBodySchema,
  notificationPreferencesSchema,
  notificationSchema,
  notificationsQuerySchema,
} from './notifications.schemas.js';
import type { NotificationsService } from './notifications.service.js';

export const notificationsRoutes: FastifyPluginAsyncZod<{ notifications: NotificationsService }> = async (app, { notifications }) => {
  const tags = ['notifications'];
  const errors = ['not_a_person' as const];

  app.get(
    '/v1/notifications',
    {
      config: { scope: 'read', errors },
      schema: {
        operationId: 'listNotifications',
        tags,
        summary: 'Your notifications, newest first: what needs you, each linking to the thing',
        querystring: notificationsQuerySchema,
        response: { 200: pageSchema(notificationSchema) },
      },
    },
    async (request) => {
      const { unread, type, ...page } = request.query;
      return notifications.list(authOf(request), { unread, type }, page);
    },
  );

  app.post(
    '/v1/notifications/:id/read',
    {
      config: { scope: 'read', errors },
      schema: { operationId: 'readNotification', tags, summary: 'Mark one of your notifications read', params: idParamsSchema, response: { 200: notificationSchema } },
    },
    async (request) => notifications.markRead(authOf(request), request.params.id),
  );

  app.post(
    '/v1/notifications/read',
    {
      config: { scope: 'read', errors },
      schema: {
        operationId: 'readAllNotifications',
        tags,
        summary: 'Mark your notifications read: all, or up to the one you last saw',
        body: markAllReadBodySchema,
        response: { 200: markAllReadResultSchema },
      },
    },
    async (request) => notifications.markAllRead(authOf(request), request.body.upToId),
  );

  app.get(
    '/v1/me/notification-preferences',
    {
      config: { scope: 'read', errors },
      schema: { operationId: 'getNotificationPreferences', tags, summary: 'How you hear about notifications by email', response: { 200: notificationPreferencesSchema } },
    },
    async (request) => notifications.preferences(authOf(request)),
  );

  app.put(
    '/v1/me/notification-preferences',
    {
      config: { scope: 'read', errors },
      schema: {
        operationId: 'setNotificationPreferences',
        tags,
        summary: 'Email each notification at once, gather them in a daily digest (08:00 your time, your language), or keep them in the app',
        body: notificationPreferencesBodySchema,
        response: { 200: notificationPreferencesSchema },
      },
    },
    async (request) => notifications.savePreferences(authOf(request), request.body),
  );
};
