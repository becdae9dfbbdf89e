// Every queue's handler, wired to the services that do the work: the worker process and the
// tests start the same set (the type makes a missing one a compile error).
import type { Deps } from '../deps.js';
import { deliveryHandler } from '../modules/delivery/delivery.jobs.js';
import { maintenanceHandler } from '../modules/maintenance/maintenance.jobs.js';
import { messagesHandler } from '../modules/messages/messages.jobs.js';
import { inboundHandler } from '../modules/ats-inbound/inbound.jobs.js';
import { atsHandler } from '../modules/ats-writeback/writeback.jobs.js';
import { webhooksHandler } from '../modules/outgoing-webhooks/webhooks.jobs.js';
import type { JobHandlers } from './handlers.js';

export const projectHandlers = (deps: Pick<Deps, 'db' | 'messages' | 'delivery' | 'webhookDeliveries' | 'inbound' | 'atsWriteback'>): JobHandlers => ({
  maintenance: maintenanceHandler({ db: deps.db }),
  messages: messagesHandler({ messages: deps.messages }),
  delivery: deliveryHandler({ delivery: deps.delivery }),
  webhooks: webhooksHandler({ deliveries: deps.webhookDeliveries }),
  inbound: inboundHandler({ inbound: deps.inbound }),
  ats: atsHandler({ writeback: deps.atsWriteback }),
});
