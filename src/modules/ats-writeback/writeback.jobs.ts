import type { JobHandler } from '../../queue/handlers.js';
import type { AtsWritebackService } from './writeback.service.js';

export function atsHandler({ writeback }: { writeback: Pick<AtsWritebackService, 'run'> }): JobHandler<'ats'> {
  return async ({ data }) => {
    switch (data.task) {
      case 'writeback':
        return writeback.run(data.writebackId);
    }
  };
}
