import type { JobHandler } from '../../queue/handlers.js';
import type { NotificationsService } from './notifications.service.js';

export function notificationsHandler({ notifications }: { notifications: Pick<NotificationsService, 'email'> }): JobHandler<'notifications'> {
  return async ({ data }) => {
    switch (data.task) {
      case 'email':
        return notifications.email(data.notificationId);
    }
  };
}
