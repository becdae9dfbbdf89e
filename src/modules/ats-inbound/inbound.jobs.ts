import type { JobHandler } from '../../queue/handlers.js';
import type { InboundService } from './inbound.service.js';

export function inboundHandler({ inbound }: { inbound: InboundService }): JobHandler<'inbound'> {
  return async ({ data }) => {
    switch (data.task) {
      case 'apply':
        return inbound.applyDelivery(data.inboundId);
    }
  };
}
