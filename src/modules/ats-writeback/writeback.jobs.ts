import type { JobHandler } from '../../queue/handlers.js';
import type { AtsSyncService } from './sync.service.js';
import type { AtsWebhooksService } from './webhooks.service.js';
import type { AtsWritebackService } from './writeback.service.js';

export function atsHandler({
  writeback,
  sync,
  webhooks,
}: {
  writeback: Pick<AtsWritebackService, 'run'>;
  sync: Pick<AtsSyncService, 'runImport' | 'reconcile'>;
  webhooks: Pick<AtsWebhooksService, 'register'>;
}): JobHandler<'ats'> {
  return async ({ data }) => {
    switch (data.task) {
      case 'writeback':
        return writeback.run(data.writebackId);
      case 'import':
        return sync.runImport(data.connectionId);
      case 'reconcile':
        return sync.reconcile(data.connectionId);
      case 'webhooks':
        return webhooks.register(data.connectionId);
    }
  };
}
