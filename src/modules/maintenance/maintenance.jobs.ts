// Housekeeping: expired idempotency records and relayed outbox rows. Scheduled hourly by the
// workers (src/queue/workers.ts).
import type { PrismaClient } from '../../db/client.js';
import type { JobHandler } from '../../queue/handlers.js';
import { idempotencyRepository } from '../idempotency/idempotency.repository.js';
import { outboxRepository } from '../outbox/outbox.repository.js';

export function maintenanceHandler({ db, now = () => new Date() }: { db: PrismaClient; now?: () => Date }): JobHandler<'maintenance'> {
  return async ({ data }) => {
    switch (data.task) {
      case 'purge-idempotency-records':
        return { purged: await idempotencyRepository.purgeExpired(db, now()) };
      case 'purge-relayed-outbox':
        return { purged: await outboxRepository.purgeRelayed(db, new Date(now().getTime() - data.olderThanDays * 86_400_000)) };
      case 'purge-inbound-deliveries':
        return { purged: (await db.inboundDelivery.deleteMany({ where: { receivedAt: { lt: new Date(now().getTime() - data.olderThanDays * 86_400_000) } } })).count };
    }
  };
}
