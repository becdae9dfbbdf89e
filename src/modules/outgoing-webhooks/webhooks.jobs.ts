import type { JobHandler } from '../../queue/handlers.js';
import type { WebhookDeliveryService } from './webhook-delivery.service.js';

export function webhooksHandler({ deliveries }: { deliveries: WebhookDeliveryService }): JobHandler<'webhooks'> {
  return async ({ data }) => {
    switch (data.task) {
      case 'pump':
        return deliveries.pump(data.endpointId);
    }
  };
}
