import type { DbClient } from '../../db/client.js';

export const outboxRepository = {
  /** Rows waiting for the relay, and rows it gave up on (unknown queue, invalid payload). */
  async backlog(db: DbClient): Promise<{ pending: number; failed: number }> {
    const [pending, failed] = await Promise.all([db.outboxJob.count({ where: { relayedAt: null, failedAt: null } }), db.outboxJob.count({ where: { failedAt: { not: null } } })]);
    return { pending, failed };
  },

  async purgeRelayed(db: DbClient, before: Date): Promise<number> {
    const { count } = await db.outboxJob.deleteMany({ where: { relayedAt: { lt: before } } });
    return count;
  },
};
