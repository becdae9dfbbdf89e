// Housekeeping: expired idempotency records, relayed outbox rows, old ATS deliveries, and
// sign-in links and sessions that ended long ago. Scheduled hourly by the
// workers (src/queue/workers.ts).
import type { PrismaClient } from '../../db/client.js';
import type { JobHandler } from '../../queue/handlers.js';
import { inboundRepository } from '../ats-inbound/inbound.repository.js';
import { idempotencyRepository } from '../idempotency/idempotency.repository.js';
import { outboxRepository } from '../outbox/outbox.repository.js';
import { peopleRepository } from '../people/people.repository.js';

export function maintenanceHandler({ db, now = () => new Date() }: { db: PrismaClient; now?: () => Date }): JobHandler<'maintenance'> {
  return async ({ data }) => {
    switch (data.task) {
      case 'purge-idempotency-records':
        return { purged: await idempotencyRepository.purgeExpired(db, now()) };
      case 'purge-relayed-outbox':
        return { purged: await outboxRepository.purgeRelayed(db, new Date(now().getTime() - data.olderThanDays * 86_400_000)) };
      case 'purge-inbound-deliveries':
        return { purged: await inboundRepository.purgeDeliveries(db, new Date(now().getTime() - data.olderThanDays * 86_400_000)) };
      case 'purge-ended-sign-ins':
        return { purged: await peopleRepository.purgeEnded(db, new Date(now().getTime() - data.olderThanDays * 86_400_000)) };
    }
  };
}
