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

  /** Members whose latest consent ends before `endsBefore` and who were not asked to renew it yet. */
  renewalsDue: (db: DbClient, organizationId: string, consentedBefore: Date) => db.$queryRaw<{ candidateId: string; messageId: string; locale: string }[]>`
    SELECT c.candidate_id AS "candidateId", c.message_id AS "messageId", c.locale FROM (
      SELECT DISTINCT ON (candidate_id) candidate_id, message_id, locale, created_at FROM talent_pool_consents
      WHERE organization_id = ${organizationId}::uuid AND action = 'join' ORDER BY candidate_id, id DESC
    ) c JOIN candidates m ON m.id = c.candidate_id AND m.talent_pool_member AND m.erased_at IS NULL
    WHERE c.created_at < ${consentedBefore} AND (m.talent_pool_renewal_sent_at IS NULL OR m.talent_pool_renewal_sent_at < c.created_at)`,

  latestJoin: (db: DbClient, candidateId: string) =>
    db.talentPoolConsent.findFirst({ where: { candidateId, action: 'join' }, orderBy: { id: 'desc' }, select: { messageId: true, locale: true, createdAt: true } }),

  renewalSent: (db: DbClient, candidateId: string, hash: string, at: Date) =>
    db.candidate.update({ where: { id: candidateId }, data: { talentPoolRenewalHash: hash, talentPoolRenewalSentAt: at } }),

  byRenewalHash: (db: DbClient, hash: string) =>
    db.candidate.findUnique({ where: { talentPoolRenewalHash: hash }, select: { id: true, organizationId: true, talentPoolMember: true, erasedAt: true } }),

  /** A renewed consent: the exact text shown, recorded as a new join; the link stops working. */
  async renew(db: DbClient, consent: { organizationId: string; candidateId: string; messageId: string; text: string; locale: string; createdAt: Date }) {
    await db.candidate.update({ where: { id: consent.candidateId }, data: { talentPoolRenewalHash: null, talentPoolChangedAt: consent.createdAt } });
    return db.talentPoolConsent.create({ data: { ...consent, action: 'join' } });
  },

  /** Their consent ran out: they are no longer in the pool (the consents stay, as given). */
  leavePool: (db: DbClient, candidateIds: string[], at: Date) =>
    db.candidate.updateMany({ where: { id: { in: candidateIds } }, data: { talentPoolMember: false, talentPoolChangedAt: at, talentPoolRenewalHash: null } }).then((r) => r.count),

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
