// The hiring tables' part of a person's export and erasure (src/modules/data-rights): who the
// person's records are, what they hold, and removing them. Erased records stay as pseudonymised
// rows so the ids other modules hold (messages, decisions, reports) still resolve to "someone".
import type { DbClient } from '../../db/client.js';
import { ERASED } from '../../db/scrub.js';

export interface PersonRecord {
  id: string;
  personId: string;
  name: string;
  preferredName: string | null;
  phone: string | null;
  emails: { address: string; normalized: string }[];
}

export const hiringErasureRepository = {
  /** Candidate records with their identity keys (erased ones left out). */
  records: (db: DbClient, organizationId: string, where: { ids?: string[]; personIds?: string[]; emails?: string[]; phones?: string[] }) =>
    db.candidate.findMany({
      where: {
        organizationId,
        erasedAt: null,
        OR: [
          { id: { in: where.ids ?? [] } },
          { personId: { in: where.personIds ?? [] } },
          { phone: { in: where.phones ?? [] } },
          { emails: { some: { normalized: { in: where.emails ?? [] } } } },
        ],
      },
      select: { id: true, personId: true, name: true, preferredName: true, phone: true, emails: { select: { address: true, normalized: true } } },
      orderBy: { id: 'asc' },
    }),

  /** Recorded links (merges, shared keys) touching these records. */
  links: (db: DbClient, organizationId: string, ids: string[]) =>
    db.identityLink.findMany({
      where: { organizationId, OR: [{ candidateId: { in: ids } }, { linkedCandidateId: { in: ids } }] },
      select: { candidateId: true, linkedCandidateId: true, reason: true, evidence: true },
    }),

  /** The records' ids in the ATSs, for the ATS to erase its own copy (candidate.erased). */
  externalIds: (db: DbClient, organizationId: string, ids: string[]) =>
    db.externalId.findMany({
      where: { organizationId, entity: 'candidate', entityId: { in: ids } },
      select: { source: true, externalId: true, entityId: true },
      orderBy: { createdAt: 'asc' },
    }),

  candidate: (db: DbClient, organizationId: string, id: string) => db.candidate.findFirst({ where: { id, organizationId }, select: { id: true } }),

  /** The organization's name (what exports and emails are signed with). */
  organization: (db: DbClient, id: string) => db.organization.findUniqueOrThrow({ where: { id }, select: { name: true } }),

  exportCandidates: (db: DbClient, ids: string[]) =>
    db.candidate.findMany({ where: { id: { in: ids } }, include: { emails: { omit: { organizationId: true } } }, omit: { organizationId: true }, orderBy: { id: 'asc' } }),

  exportApplications: (db: DbClient, candidateIds: string[]) =>
    db.application.findMany({ where: { candidateId: { in: candidateIds } }, omit: { organizationId: true }, orderBy: { id: 'asc' } }),

  /**
   * Candidates, not erased yet, whose every application ended (or who have none) more than
   * `months` calendar months before `now`, counted where the candidate lives (their time zone's
   * calendar and clock; UTC when unknown): Postgres adds months to the local time, keeping the
   * day or taking the month's last.
   */
  finishedMonthsBefore: (db: DbClient, organizationId: string, months: number, now: Date) => db.$queryRaw<{ id: string }[]>`
    SELECT c.id FROM candidates c
    WHERE c.organization_id = ${organizationId}::uuid AND c.erased_at IS NULL AND NOT c.talent_pool_member
      AND ((c.created_at AT TIME ZONE COALESCE(c.timezone, 'UTC')) + make_interval(months => ${months}::int)) AT TIME ZONE COALESCE(c.timezone, 'UTC') < ${now}
      AND NOT EXISTS (
        SELECT 1 FROM applications a WHERE a.candidate_id = c.id
          AND (a.status IN ('active', 'offered')
               OR ((a.status_changed_at AT TIME ZONE COALESCE(c.timezone, 'UTC')) + make_interval(months => ${months}::int)) AT TIME ZONE COALESCE(c.timezone, 'UTC') >= ${now}))
    ORDER BY c.id`,

  /**
   * Pseudonymises the records: the name, phone, addresses and identity evidence go; the row, its
   * id and its applications' outcomes stay (counts in reports). Applications lose their free text.
   */
  async erase(db: DbClient, ids: string[], at: Date) {
    const emails = (await db.candidateEmail.deleteMany({ where: { candidateId: { in: ids } } })).count;
    const links = (await db.identityLink.deleteMany({ where: { OR: [{ candidateId: { in: ids } }, { linkedCandidateId: { in: ids } }] } })).count;
    const candidates = (
      await db.candidate.updateMany({
        where: { id: { in: ids } },
        data: { name: ERASED, preferredName: null, phone: null, timezone: null, talentPoolMember: false, talentPoolChangedAt: at, talentPoolRenewalHash: null, erasedAt: at },
      })
    ).count;
    const applications = (await db.application.updateMany({ where: { candidateId: { in: ids } }, data: { stage: null, lastInterviewAt: null, promisedDecisionAt: null } })).count;
    return { candidates, candidateEmails: emails, identityLinks: links, applications };
  },
};
