import type { JobHandler } from '../../queue/handlers.js';
import type { AtsSyncService } from './sync.service.js';
import type { AtsWritebackService } from './writeback.service.js';

export function atsHandler({ writeback, sync }: { writeback: Pick<AtsWritebackService, 'run'>; sync: Pick<AtsSyncService, 'runImport' | 'reconcile'> }): JobHandler<'ats'> {
  return async ({ data }) => {
    switch (data.task) {
      case 'writeback':
        return writeback.run(data.writebackId);
      case 'import':
        return sync.runImport(data.connectionId);
      case 'reconcile':
        return sync.reconcile(data.connectionId);
    }
  };
}
