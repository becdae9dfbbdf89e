import type { DbClient } from '../../db/client.js';
import { lockKeys } from '../../db/locks.js';
import { runSql, statement } from '../../db/sql.js';
import type { IdentityLinkReason, Prisma } from '../../generated/prisma/client.js';
import type { PageRequest } from '../../lib/pagination.js';
import { sqlScope, type RequisitionScope } from '../../lib/requisition-scope.js';
import { externalIdsJson, type ExternalRef } from './external-ids.repository.js';

export type CandidateRow = Prisma.CandidateGetPayload<{ include: { emails: true } }>;
/** A row as its GET and its list answer it: the model's columns, emails, external ids and the group members the caller sees. */
type CandidateRead = CandidateRow & { externalIds: ExternalRef[]; groupMembers: string[] };
export type CandidateColumns = Pick<CandidateRow, 'name' | 'preferredName' | 'phone' | 'locale' | 'timezone'>;

/**
 * SQL: the candidate record `alias` is visible to a caller who sees all requisitions (`allSql`)
 * or these (`idsSql`): through an application on one of them (onVisibleApplications' rule). A
 * per-record check; listSql writes the same rule as a top-level semi-join to filter a page.
 */
const visibleRecord = (alias: string, allSql: string, idsSql: string) =>
  `(${allSql}::boolean OR EXISTS (SELECT 1 FROM applications a WHERE a.candidate_id = ${alias}.id AND a.requisition_id = ANY(${idsSql}::uuid[])))`;

/**
 * A candidate's columns as Prisma reads them with its emails (primary first, then by id), its
 * external ids, and the ids of its identity group the caller sees (membersOf: a record with an
 * application on a requisition they see, the record itself included when visible), for SQL over
 * `candidates c`; `allSql` and `idsSql` name the caller's scope (sqlScope).
 */
const columns = (allSql: string, idsSql: string) =>
  `c.id, c.organization_id AS "organizationId", c.name, c.preferred_name AS "preferredName", c.phone, c.locale, c.timezone,
   c.person_id AS "personId", c.talent_pool_member AS "talentPoolMember", c.talent_pool_changed_at AS "talentPoolChangedAt",
   c.erased_at AS "erasedAt", c.talent_pool_renewal_hash AS "talentPoolRenewalHash", c.talent_pool_renewal_sent_at AS "talentPoolRenewalSentAt",
   c.created_at AS "createdAt", c.updated_at AS "updatedAt",
   COALESCE((SELECT json_agg(json_build_object('id', e.id, 'organizationId', e.organization_id, 'candidateId', e.candidate_id, 'address', e.address,
                                               'normalized', e.normalized, 'isPrimary', e.is_primary) ORDER BY e.is_primary DESC, e.id)
             FROM candidate_emails e WHERE e.candidate_id = c.id), '[]'::json) AS emails,
   ${externalIdsJson('c.id')} AS "externalIds",
   COALESCE((SELECT json_agg(m.id ORDER BY m.id) FROM candidates m
             WHERE m.organization_id = c.organization_id AND m.person_id = c.person_id AND ${visibleRecord('m', allSql, idsSql)}),
            '[]'::json) AS "groupMembers"`;

/** $1 candidate, $2 organization, $3 sees all requisitions, $4 the requisitions seen otherwise. */
const readStatement = statement('candidate-read', `SELECT ${columns('$3', '$4')} FROM candidates c WHERE c.id = $1::uuid AND c.organization_id = $2::uuid`);

/**
 * A page of candidates, by id, in one statement (unnamed: planned with its values, see
 * applicationsRepository's LIST). The address, requisition and scope filters are written only
 * when given, as top-level `IN` semi-joins that Postgres plans as joins (a requisition's 50
 * applicants from its index); under an `OR … IS NULL` they would stay a check on every candidate
 * of the organization, in id order, until the page fills.
 */
function listSql(filter: CandidateFilter, visible: { all: boolean }): { text: string; extra: unknown[] } {
  // $1 organization, $2 phone, $3 person, $4 cursor, $5/$6 the scope (sqlScope), $7 the page's size; then these.
  const extra: unknown[] = [];
  const value = (given: unknown) => `$${7 + extra.push(given)}`;
  const only = [
    filter.email ? `AND c.id IN (SELECT f.candidate_id FROM candidate_emails f WHERE f.organization_id = $1::uuid AND f.normalized = ${value(filter.email)}::text)` : '',
    filter.requisitionId ? `AND c.id IN (SELECT p.candidate_id FROM applications p WHERE p.requisition_id = ${value(filter.requisitionId)}::uuid)` : '',
    visible.all ? '' : `AND c.id IN (SELECT v.candidate_id FROM applications v WHERE v.requisition_id = ANY($6::uuid[]))`,
  ].filter(Boolean);
  const text = `SELECT ${columns('$5', '$6')} FROM candidates c
   WHERE c.organization_id = $1::uuid
     AND ($2::text IS NULL OR c.phone = $2::text)
     AND ($3::uuid IS NULL OR c.person_id = $3::uuid)
     AND ($4::uuid IS NULL OR c.id > $4::uuid)
     ${only.join('\n     ')}
   ORDER BY c.id
   LIMIT $7`;
  return { text, extra };
}

/** $1 organization, $2 person ids, $3 sees all, $4 the requisitions seen otherwise: the records of those groups the caller sees, by id. */
const membersOfStatement = statement(
  'candidate-members-of',
  `SELECT m.id, m.person_id AS "personId" FROM candidates m
   WHERE m.organization_id = $1::uuid AND m.person_id = ANY($2::uuid[]) AND ${visibleRecord('m', '$3', '$4')}
   ORDER BY m.id`,
);

export interface NormalizedEmail {
  address: string;
  normalized: string;
}

export interface CandidateFilter {
  email?: string | undefined;
  phone?: string | undefined;
  personId?: string | undefined;
  requisitionId?: string | undefined;
}

const withEmails = { emails: { orderBy: [{ isPrimary: 'desc' as const }, { id: 'asc' as const }] } };

export const candidatesRepository = {
  async create(db: DbClient, organizationId: string, id: string, data: CandidateColumns, emails: NormalizedEmail[]) {
    return db.candidate.create({
      data: {
        id,
        organizationId,
        personId: id,
        ...data,
        emails: { create: emails.map((email, index) => ({ organizationId, ...email, isPrimary: index === 0 })) },
      },
      include: withEmails,
    });
  },

  update: (db: DbClient, id: string, data: Partial<CandidateColumns>) => db.candidate.update({ where: { id }, data }),

  /** Makes the candidate's addresses exactly `emails`, the first one primary. */
  async replaceEmails(db: DbClient, organizationId: string, candidateId: string, emails: NormalizedEmail[]) {
    await db.candidateEmail.deleteMany({ where: { candidateId, normalized: { notIn: emails.map((e) => e.normalized) } } });
    for (const [index, email] of emails.entries()) {
      await db.candidateEmail.upsert({
        where: { candidateId_normalized: { candidateId, normalized: email.normalized } },
        create: { organizationId, candidateId, ...email, isPrimary: index === 0 },
        update: { address: email.address, isPrimary: index === 0 },
      });
    }
  },

  async findForUpdate(db: DbClient, organizationId: string, id: string): Promise<CandidateRow | null> {
    await db.$executeRaw`SELECT 1 FROM candidates WHERE id = ${id}::uuid AND organization_id = ${organizationId}::uuid FOR UPDATE`;
    return db.candidate.findFirst({ where: { id, organizationId }, include: withEmails });
  },

  /** Of these records, the erased ones (data rights), with when. */
  erased: async (db: DbClient, organizationId: string, ids: string[]) =>
    db.candidate.findMany({ where: { organizationId, id: { in: ids }, erasedAt: { not: null } }, select: { id: true, erasedAt: true } }),

  /** The candidate's IANA time zone, or null. */
  timezoneOf: async (db: DbClient, id: string) => (await db.candidate.findUnique({ where: { id }, select: { timezone: true } }))?.timezone ?? null,

  find: (db: DbClient, organizationId: string, id: string) => db.candidate.findFirst({ where: { id, organizationId }, include: withEmails }),

  /**
   * The candidate with its emails, external ids and the group members `scope` sees, in one
   * statement: what a GET answers, in one round trip. The lists are JSON the statement builds
   * from their columns, not stored JSON.
   */
  async read(db: DbClient, organizationId: string, id: string, scope: RequisitionScope): Promise<CandidateRead | null> {
    const visible = sqlScope(scope);
    const [row] = await runSql<CandidateRead>(db, readStatement, [id, organizationId, visible.all, visible.ids]);
    return row ?? null;
  },

  /** A page of candidates with their emails, external ids and the group members `scope` sees, in one statement. */
  list(db: DbClient, organizationId: string, scope: RequisitionScope, filter: CandidateFilter, page: PageRequest) {
    const visible = sqlScope(scope);
    const { text, extra } = listSql(filter, visible);
    // Absent or empty filters are no filter, as they were for Prisma (`filter.email ? … : {}`).
    return runSql<CandidateRead>(db, { text }, [organizationId, filter.phone || null, filter.personId || null, page.after || null, visible.all, visible.ids, page.take, ...extra]);
  },

  /** Serialises identity matching per address/number, so concurrent writes cannot miss each other. */
  lockIdentityKeys: (db: DbClient, organizationId: string, keys: string[]) =>
    lockKeys(
      db,
      keys.map((key) => `${organizationId}|identity|${key}`),
    ),

  /** Other records sharing a normalised email or the phone number, with what matched. */
  async findIdentityMatches(db: DbClient, organizationId: string, candidateId: string, emails: string[], phone: string | null) {
    const byEmail = emails.length
      ? await db.candidateEmail.findMany({
          where: { organizationId, normalized: { in: emails }, candidateId: { not: candidateId } },
          select: { candidateId: true, normalized: true, candidate: { select: { personId: true } } },
        })
      : [];
    const byPhone = phone ? await db.candidate.findMany({ where: { organizationId, phone, id: { not: candidateId } }, select: { id: true, personId: true } }) : [];
    return [
      ...byEmail.map((m) => ({ candidateId: m.candidateId, personId: m.candidate.personId, reason: 'same_email' as const, evidence: m.normalized })),
      ...byPhone.map((m) => ({ candidateId: m.id, personId: m.personId, reason: 'same_phone' as const, evidence: phone! })),
    ];
  },

  /** Records the links; returns the ones that are new. */
  async addLinks(db: DbClient, organizationId: string, links: { candidateId: string; linkedCandidateId: string; reason: IdentityLinkReason; evidence: string; source: string }[]) {
    const created = [];
    for (const link of links) {
      const existing = await db.identityLink.findUnique({
        where: {
          candidateId_linkedCandidateId_reason_evidence: {
            candidateId: link.candidateId,
            linkedCandidateId: link.linkedCandidateId,
            reason: link.reason,
            evidence: link.evidence,
          },
        },
      });
      if (!existing) created.push(await db.identityLink.create({ data: { organizationId, ...link } }));
    }
    return created;
  },

  /**
   * Puts these records, and every record of their identity groups, into one group named by the
   * oldest person id. Serialised per organization and reading the groups as they are now (not
   * as the caller saw them), so two concurrent merges cannot split a group.
   */
  async unifyPersons(db: DbClient, organizationId: string, candidateIds: string[]): Promise<{ personId: string; moved: string[] }> {
    await lockKeys(db, [`${organizationId}|persons`]);
    const current = await db.candidate.findMany({
      where: { organizationId, id: { in: [...new Set(candidateIds)] } },
      select: { personId: true },
    });
    const [target, ...others] = [...new Set(current.map((c) => c.personId))].sort();
    if (others.length > 0) {
      await db.candidate.updateMany({ where: { organizationId, personId: { in: others } }, data: { personId: target! } });
    }
    return { personId: target!, moved: others };
  },

  /** For each person, the ids of its records. */
  /** The records of each person; with a scope, only those visible in it. */
  async membersOf(db: DbClient, organizationId: string, personIds: string[], scope: RequisitionScope = 'all'): Promise<Map<string, string[]>> {
    const visible = sqlScope(scope);
    const rows = personIds.length
      ? await runSql<{ id: string; personId: string }>(db, membersOfStatement, [organizationId, [...new Set(personIds)], visible.all, visible.ids])
      : [];
    const map = new Map<string, string[]>();
    for (const row of rows) map.set(row.personId, [...(map.get(row.personId) ?? []), row.id]);
    return map;
  },

  links: (db: DbClient, organizationId: string, candidateIds: string[]) =>
    db.identityLink.findMany({
      where: { organizationId, OR: [{ candidateId: { in: candidateIds } }, { linkedCandidateId: { in: candidateIds } }] },
      orderBy: { id: 'asc' },
    }),
};
