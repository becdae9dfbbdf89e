import type { JobHandler } from '../../queue/handlers.js';
import type { DeliveryService } from './delivery.service.js';

export function deliveryHandler({ delivery }: { delivery: DeliveryService }): JobHandler<'delivery'> {
  return async ({ data }) => {
    switch (data.task) {
      case 'send-batch':
        return delivery.sendBatch(data.batchId);
      case 'reconcile':
        return delivery.reconcile(data.batchId);
      case 'send-transactional':
        return { outcome: await delivery.sendTransactional(data.emailId) };
    }
  };
}
