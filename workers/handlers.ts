// Every queue's handler, wired to the services that do the work: the worker process and the
// tests start the same set (the type makes a missing one a compile error). Wiring belongs to the
// worker entry, beside the composition root it reads, not to the queue layer the modules use.
import type { Deps } from '../src/deps.js';
import { inboundHandler } from '../src/modules/ats-inbound/inbound.jobs.js';
import { atsHandler } from '../src/modules/ats-writeback/writeback.jobs.js';
import { deliveryHandler } from '../src/modules/delivery/delivery.jobs.js';
import { maintenanceHandler } from '../src/modules/maintenance/maintenance.jobs.js';
import { messagesHandler } from '../src/modules/messages/messages.jobs.js';
import { notificationsHandler } from '../src/modules/notifications/notifications.jobs.js';
import { webhooksHandler } from '../src/modules/outgoing-webhooks/webhooks.jobs.js';
import type { JobHandlers } from '../src/queue/handlers.js';

export const projectHandlers = (
  deps: Pick<Deps, 'db' | 'messages' | 'delivery' | 'webhookDeliveries' | 'inbound' | 'atsWriteback' | 'atsSync' | 'atsWebhooks' | 'notifications'>,
): JobHandlers => ({
  maintenance: maintenanceHandler({ db: deps.db }),
  messages: messagesHandler({ messages: deps.messages }),
  delivery: deliveryHandler({ delivery: deps.delivery }),
  webhooks: webhooksHandler({ deliveries: deps.webhookDeliveries }),
  inbound: inboundHandler({ inbound: deps.inbound }),
  ats: atsHandler({ writeback: deps.atsWriteback, sync: deps.atsSync, webhooks: deps.atsWebhooks }),
  notifications: notificationsHandler({ notifications: deps.notifications }),
});
