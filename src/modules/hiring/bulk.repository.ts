// Set-based statements for the bulk upsert: one statement per kind of row for a whole batch
// (arrays through `unnest`), where the single-record operations run one per record.
import type { DbClient } from '../../db/client.js';
import type { ExternalEntity, IdentityLinkReason } from '../../generated/prisma/enums.js';
import type { ApplicationStatus } from '../../generated/prisma/enums.js';
import type { ApplicationRow } from './applications.repository.js';
import type { CandidateRow } from './candidates.repository.js';

export interface ExternalKey {
  entity: ExternalEntity;
  source: string;
  externalId: string;
}

export interface NewCandidate {
  id: string;
  name: string;
  preferredName: string | null;
  phone: string | null;
  locale: string | null;
  timezone: string | null;
}

export interface NewApplication {
  id: string;
  candidateId: string;
  requisitionId: string;
  stage: string | null;
  status: ApplicationStatus;
  promisedDecisionAt: Date | null;
  lastInterviewAt: Date | null;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** A record's columns as they are to be: the same fields as a new one. */
export type CandidateUpdate = NewCandidate;

export interface ApplicationUpdate {
  id: string;
  stage: string | null;
  status: ApplicationStatus;
  promisedDecisionAt: Date | null;
  lastInterviewAt: Date | null;
  statusChangedAt: Date;
}

export const bulkRepository = {
  /** The rows just written, as Prisma reads them (what the audit entries record). */
  candidatesByIds: (db: DbClient, ids: string[]) => db.candidate.findMany({ where: { id: { in: ids } } }),
  applicationsByIds: (db: DbClient, ids: string[]) => db.application.findMany({ where: { id: { in: ids } } }),

  /** The records these external ids name (any entity), in one query. */
  async resolveExternal(db: DbClient, organizationId: string, keys: ExternalKey[]) {
    if (keys.length === 0) return [];
    return db.$queryRaw<(ExternalKey & { entityId: string })[]>`
      SELECT e.entity::text AS entity, e.source, e.external_id AS "externalId", e.entity_id AS "entityId"
      FROM unnest(${keys.map((k) => k.entity)}::external_entity[], ${keys.map((k) => k.source)}::text[], ${keys.map((k) => k.externalId)}::text[]) AS r(entity, source, external_id)
      JOIN external_ids e ON e.organization_id = ${organizationId}::uuid AND e.entity = r.entity AND e.source = r.source AND e.external_id = r.external_id`;
  },

  /** Which of these ids are records of this organization, by kind. */
  async existing(db: DbClient, organizationId: string, candidateIds: string[], requisitionIds: string[]) {
    const rows = await db.$queryRaw<{ kind: string; id: string }[]>`
      SELECT 'candidate' AS kind, id FROM candidates WHERE organization_id = ${organizationId}::uuid AND id = ANY(${candidateIds}::uuid[])
      UNION ALL
      SELECT 'requisition' AS kind, id FROM requisitions WHERE organization_id = ${organizationId}::uuid AND id = ANY(${requisitionIds}::uuid[])`;
    return new Set(rows.map((r) => `${r.kind}|${r.id}`));
  },

  async attachExternal(db: DbClient, organizationId: string, rows: (ExternalKey & { entityId: string })[]) {
    if (rows.length === 0) return;
    await db.$executeRaw`
      INSERT INTO external_ids (organization_id, entity, source, external_id, entity_id)
      SELECT ${organizationId}::uuid, entity, source, external_id, entity_id
      FROM unnest(${rows.map((r) => r.entity)}::external_entity[], ${rows.map((r) => r.source)}::text[], ${rows.map((r) => r.externalId)}::text[], ${rows.map((r) => r.entityId)}::uuid[])
           AS t(entity, source, external_id, entity_id)
      ON CONFLICT DO NOTHING`;
  },

  /** Existing records sharing one of these normalised emails or phone numbers, with their person. */
  async identityMatches(db: DbClient, organizationId: string, emails: string[], phones: string[]) {
    const byEmail = emails.length
      ? await db.$queryRaw<{ candidateId: string; normalized: string; personId: string }[]>`
          SELECT ce.candidate_id AS "candidateId", ce.normalized, c.person_id AS "personId"
          FROM candidate_emails ce JOIN candidates c ON c.id = ce.candidate_id
          WHERE ce.organization_id = ${organizationId}::uuid AND ce.normalized = ANY(${emails}::text[])
          ORDER BY ce.candidate_id`
      : [];
    const byPhone = phones.length
      ? await db.$queryRaw<{ candidateId: string; phone: string; personId: string }[]>`
          SELECT id AS "candidateId", phone, person_id AS "personId" FROM candidates
          WHERE organization_id = ${organizationId}::uuid AND phone = ANY(${phones}::text[])
          ORDER BY id`
      : [];
    return { byEmail, byPhone };
  },

  /** The person of each record, as it is now. */
  async personsOf(db: DbClient, organizationId: string, candidateIds: string[]) {
    const rows = await db.$queryRaw<{ id: string; personId: string }[]>`
      SELECT id, person_id AS "personId" FROM candidates WHERE organization_id = ${organizationId}::uuid AND id = ANY(${candidateIds}::uuid[])`;
    return new Map(rows.map((r) => [r.id, r.personId]));
  },

  async insertCandidates(db: DbClient, organizationId: string, rows: NewCandidate[], now: Date) {
    await db.$executeRaw`
      INSERT INTO candidates (id, organization_id, name, preferred_name, phone, locale, timezone, person_id, updated_at)
      SELECT id, ${organizationId}::uuid, name, preferred_name, phone, locale, timezone, id, ${now}
      FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.name)}::text[], ${rows.map((r) => r.preferredName)}::text[],
                  ${rows.map((r) => r.phone)}::text[], ${rows.map((r) => r.locale)}::text[], ${rows.map((r) => r.timezone)}::text[])
           AS t(id, name, preferred_name, phone, locale, timezone)`;
  },

  /** The records, locked in id order, with their addresses (primary first), by id. */
  async candidatesForUpdate(db: DbClient, organizationId: string, ids: string[]): Promise<Map<string, CandidateRow>> {
    if (ids.length === 0) return new Map();
    await db.$executeRaw`SELECT 1 FROM candidates WHERE organization_id = ${organizationId}::uuid AND id = ANY(${ids}::uuid[]) ORDER BY id FOR UPDATE`;
    const rows = await db.candidate.findMany({
      where: { organizationId, id: { in: ids } },
      include: { emails: { orderBy: [{ isPrimary: 'desc' }, { id: 'asc' }] } },
    });
    return new Map(rows.map((row) => [row.id, row]));
  },

  /** Each record's columns set to the values given (its current ones where nothing changes). */
  async updateCandidates(db: DbClient, rows: CandidateUpdate[], now: Date) {
    if (rows.length === 0) return;
    await db.$executeRaw`
      UPDATE candidates c SET name = t.name, preferred_name = t.preferred_name, phone = t.phone, locale = t.locale, timezone = t.timezone, updated_at = ${now}
      FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.name)}::text[], ${rows.map((r) => r.preferredName)}::text[],
                  ${rows.map((r) => r.phone)}::text[], ${rows.map((r) => r.locale)}::text[], ${rows.map((r) => r.timezone)}::text[])
           AS t(id, name, preferred_name, phone, locale, timezone)
      WHERE c.id = t.id`;
  },

  /** Makes each record's addresses exactly the ones given (the first of each primary), as candidatesRepository.replaceEmails does for one. */
  async replaceEmails(db: DbClient, organizationId: string, rows: { id: string; candidateId: string; address: string; normalized: string; isPrimary: boolean }[]) {
    if (rows.length === 0) return;
    const [candidates, normalized] = [rows.map((r) => r.candidateId), rows.map((r) => r.normalized)];
    await db.$executeRaw`
      DELETE FROM candidate_emails ce
      WHERE ce.candidate_id = ANY(${[...new Set(candidates)]}::uuid[])
        AND NOT EXISTS (SELECT 1 FROM unnest(${candidates}::uuid[], ${normalized}::text[]) AS k(candidate_id, normalized)
                        WHERE k.candidate_id = ce.candidate_id AND k.normalized = ce.normalized)`;
    await db.$executeRaw`
      INSERT INTO candidate_emails (id, organization_id, candidate_id, address, normalized, is_primary)
      SELECT id, ${organizationId}::uuid, candidate_id, address, normalized, is_primary
      FROM unnest(${rows.map((r) => r.id)}::uuid[], ${candidates}::uuid[], ${rows.map((r) => r.address)}::text[],
                  ${normalized}::text[], ${rows.map((r) => r.isPrimary)}::boolean[])
           AS t(id, candidate_id, address, normalized, is_primary)
      ON CONFLICT (candidate_id, normalized) DO UPDATE SET address = EXCLUDED.address, is_primary = EXCLUDED.is_primary`;
  },

  /** The links these records made (each names its evidence): what is recorded is not recorded again. */
  linkKeysOf: (db: DbClient, organizationId: string, candidateIds: string[]) =>
    candidateIds.length === 0
      ? Promise.resolve([])
      : db.$queryRaw<{ candidateId: string; linkedCandidateId: string; reason: string; evidence: string }[]>`
          SELECT candidate_id AS "candidateId", linked_candidate_id AS "linkedCandidateId", reason::text AS reason, evidence
          FROM identity_links WHERE organization_id = ${organizationId}::uuid AND candidate_id = ANY(${candidateIds}::uuid[])`,

  /** The applications, locked in id order, by id. */
  async applicationsForUpdate(db: DbClient, organizationId: string, ids: string[]): Promise<Map<string, ApplicationRow>> {
    if (ids.length === 0) return new Map();
    await db.$executeRaw`SELECT 1 FROM applications WHERE organization_id = ${organizationId}::uuid AND id = ANY(${ids}::uuid[]) ORDER BY id FOR UPDATE`;
    return new Map((await db.application.findMany({ where: { organizationId, id: { in: ids } } })).map((row) => [row.id, row]));
  },

  async updateApplications(db: DbClient, rows: ApplicationUpdate[], now: Date) {
    if (rows.length === 0) return;
    await db.$executeRaw`
      UPDATE applications a SET stage = t.stage, status = t.status, promised_decision_at = t.promised_decision_at, last_interview_at = t.last_interview_at,
                                status_changed_at = t.status_changed_at, updated_at = ${now}
      FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.stage)}::text[], ${rows.map((r) => r.status)}::application_status[],
                  ${rows.map((r) => iso(r.promisedDecisionAt))}::timestamptz[], ${rows.map((r) => iso(r.lastInterviewAt))}::timestamptz[],
                  ${rows.map((r) => iso(r.statusChangedAt))}::timestamptz[])
           AS t(id, stage, status, promised_decision_at, last_interview_at, status_changed_at)
      WHERE a.id = t.id`;
  },

  async insertEmails(db: DbClient, organizationId: string, rows: { id: string; candidateId: string; address: string; normalized: string; isPrimary: boolean }[]) {
    await db.$executeRaw`
      INSERT INTO candidate_emails (id, organization_id, candidate_id, address, normalized, is_primary)
      SELECT id, ${organizationId}::uuid, candidate_id, address, normalized, is_primary
      FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.candidateId)}::uuid[], ${rows.map((r) => r.address)}::text[],
                  ${rows.map((r) => r.normalized)}::text[], ${rows.map((r) => r.isPrimary)}::boolean[])
           AS t(id, candidate_id, address, normalized, is_primary)`;
  },

  async insertLinks(
    db: DbClient,
    organizationId: string,
    rows: { id: string; candidateId: string; linkedCandidateId: string; reason: IdentityLinkReason; evidence: string; source: string }[],
  ) {
    if (rows.length === 0) return;
    await db.$executeRaw`
      INSERT INTO identity_links (id, organization_id, candidate_id, linked_candidate_id, reason, evidence, source)
      SELECT id, ${organizationId}::uuid, candidate_id, linked_candidate_id, reason, evidence, source
      FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.candidateId)}::uuid[], ${rows.map((r) => r.linkedCandidateId)}::uuid[],
                  ${rows.map((r) => r.reason)}::identity_link_reason[], ${rows.map((r) => r.evidence)}::text[], ${rows.map((r) => r.source)}::text[])
           AS t(id, candidate_id, linked_candidate_id, reason, evidence, source)`;
  },

  /** Every record of person `from` joins person `to` (pairs already resolved to their final person). */
  async movePersons(db: DbClient, organizationId: string, moves: [from: string, to: string][]) {
    if (moves.length === 0) return;
    await db.$executeRaw`
      UPDATE candidates c SET person_id = m.to_person
      FROM unnest(${moves.map((m) => m[0])}::uuid[], ${moves.map((m) => m[1])}::uuid[]) AS m(from_person, to_person)
      WHERE c.organization_id = ${organizationId}::uuid AND c.person_id = m.from_person`;
  },

  /** Shared row locks on the requisitions, in id order (a plan being confirmed holds one exclusively). */
  shareLockRequisitions: (db: DbClient, ids: string[]) => db.$executeRaw`SELECT 1 FROM requisitions WHERE id = ANY(${[...new Set(ids)].sort()}::uuid[]) ORDER BY id FOR SHARE`,

  /** Applications that already exist for any of these (requisition, candidate) pairs. */
  async existingPairs(db: DbClient, pairs: { requisitionId: string; candidateId: string }[]) {
    return db.$queryRaw<{ id: string; requisitionId: string; candidateId: string }[]>`
      SELECT a.id, a.requisition_id AS "requisitionId", a.candidate_id AS "candidateId" FROM unnest(${pairs.map((p) => p.requisitionId)}::uuid[], ${pairs.map((p) => p.candidateId)}::uuid[]) AS p(requisition_id, candidate_id)
      JOIN applications a ON a.requisition_id = p.requisition_id AND a.candidate_id = p.candidate_id`;
  },

  async insertApplications(db: DbClient, organizationId: string, rows: NewApplication[], now: Date) {
    await db.$executeRaw`
      INSERT INTO applications (id, organization_id, candidate_id, requisition_id, stage, status, promised_decision_at, last_interview_at, updated_at)
      SELECT id, ${organizationId}::uuid, candidate_id, requisition_id, stage, status, promised_decision_at, last_interview_at, ${now}
      FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.candidateId)}::uuid[], ${rows.map((r) => r.requisitionId)}::uuid[],
                  ${rows.map((r) => r.stage)}::text[], ${rows.map((r) => r.status)}::application_status[],
                  ${rows.map((r) => iso(r.promisedDecisionAt))}::timestamptz[], ${rows.map((r) => iso(r.lastInterviewAt))}::timestamptz[])
           AS t(id, candidate_id, requisition_id, stage, status, promised_decision_at, last_interview_at)`;
  },
};
