import type { JobHandler } from '../../queue/handlers.js';
import { queueDefinitions } from '../../queue/queues.js';
import type { InboundService } from './inbound.service.js';

export function inboundHandler({ inbound }: { inbound: Pick<InboundService, 'applyDelivery'> }): JobHandler<'inbound'> {
  return async ({ data, attemptsMade }) => {
    switch (data.task) {
      case 'apply':
        // On the last attempt a delivery that still cannot be applied ends `failed`, not stuck `received`.
        return inbound.applyDelivery(data.inboundId, { lastAttempt: attemptsMade + 1 >= queueDefinitions.inbound.options.attempts });
    }
  };
}
