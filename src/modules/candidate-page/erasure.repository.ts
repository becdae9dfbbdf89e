// The candidate page's tables' part of a person's export and erasure (src/modules/data-rights):
// what they did on their pages, their questions, ratings and talent-pool consents, their data
// requests. Erasure deletes what they wrote; the data requests stay (the organization must show
// it answered them), without their note.
import type { DbClient } from '../../db/client.js';

export const candidatePageErasureRepository = {
  exportActions: async (db: DbClient, candidateIds: string[]) => {
    const where = { candidateId: { in: candidateIds } };
    const [events, questions, ratings, consents, dataRequests] = await Promise.all([
      db.candidateEvent.findMany({ where, omit: { organizationId: true }, orderBy: { id: 'asc' } }),
      db.feedbackQuestion.findMany({ where, omit: { organizationId: true, answeredBy: true }, orderBy: { id: 'asc' } }),
      db.feedbackRating.findMany({ where, omit: { organizationId: true }, orderBy: { messageId: 'asc' } }),
      db.talentPoolConsent.findMany({ where, omit: { organizationId: true }, orderBy: { id: 'asc' } }),
      db.dataRequest.findMany({
        where,
        select: { id: true, candidateId: true, kind: true, status: true, createdAt: true, dueAt: true, completedAt: true, confirmedAt: true, deliveredAt: true },
        orderBy: { id: 'asc' },
      }),
    ]);
    return { events, questions, ratings, consents, dataRequests };
  },

  /** What the person wrote, to find it wherever else it was copied. */
  writtenBy: async (db: DbClient, candidateIds: string[]) => {
    const where = { candidateId: { in: candidateIds } };
    const [questions, ratings] = await Promise.all([
      db.feedbackQuestion.findMany({ where, select: { question: true, answer: true } }),
      db.feedbackRating.findMany({ where, select: { comment: true } }),
    ]);
    return [...questions.flatMap((q) => [q.question, q.answer ?? '']), ...ratings.map((r) => r.comment ?? '')].filter((t) => t.length > 0);
  },

  /** Members whose latest join is older than `before` (their consent has run out). */
  consentsEndedBefore: (db: DbClient, organizationId: string, before: Date) => db.$queryRaw<{ candidateId: string }[]>`
    SELECT c.candidate_id AS "candidateId" FROM (
      SELECT DISTINCT ON (candidate_id) candidate_id, created_at FROM talent_pool_consents
      WHERE organization_id = ${organizationId}::uuid AND action = 'join' ORDER BY candidate_id, id DESC
    ) c JOIN candidates m ON m.id = c.candidate_id AND m.talent_pool_member AND m.erased_at IS NULL
    WHERE c.created_at < ${before}`,

  /** Their consent ran out: they are no longer in the pool (the consents stay, as given). */
  leavePool: (db: DbClient, candidateIds: string[], at: Date) =>
    db.candidate.updateMany({ where: { id: { in: candidateIds } }, data: { talentPoolMember: false, talentPoolChangedAt: at } }).then((r) => r.count),

  async erase(db: DbClient, candidateIds: string[]) {
    const where = { candidateId: { in: candidateIds } };
    const candidateEvents = await db.$executeRaw`UPDATE candidate_events SET detail = NULL WHERE candidate_id = ANY(${candidateIds}::uuid[]) AND detail IS NOT NULL`;
    const questions = (await db.feedbackQuestion.deleteMany({ where })).count;
    const ratings = (await db.feedbackRating.deleteMany({ where })).count;
    const talentPoolConsents = (await db.talentPoolConsent.deleteMany({ where })).count;
    await db.dataRequest.updateMany({ where, data: { note: null } });
    return { candidateEvents, questions, ratings, talentPoolConsents };
  },
};
