// Hiring data as the API serves it: each write in one transaction with its audit entries, reads
// with external ids and identity groups, and the bulk upsert (all or nothing).
import type { TransactionalMail } from '../delivery/transactional.js';
import { acknowledgeApplication } from './acknowledgement.js';
import type { DbClient, PrismaClient } from '../../db/client.js';
import type { ApplicationStatus, RequisitionStatus } from '../../generated/prisma/enums.js';
import { found } from '../../lib/errors.js';
import { pageRequest, toPage, type PageQuery } from '../../lib/pagination.js';
import type { Actor } from '../../lib/actor.js';
import { seesAll, type RequisitionScope } from '../../lib/requisition-scope.js';
import type { MessageLifecycle } from '../messages/lifecycle.js';
import { applicationsRepository, type ApplicationFilter, type ApplicationRow } from './applications.repository.js';
import { applicationOps, applicationView } from './applications.service.js';
import { candidatesRepository, type CandidateFilter, type CandidateRow } from './candidates.repository.js';
import { candidateOps, candidateView } from './candidates.service.js';
import { upsertApplications } from './bulk-applications.js';
import { lockBatch, upsertCandidates, type Outcome } from './bulk.js';
import { externalIdsRepository } from './external-ids.repository.js';
import type { ApplicationInput, ApplicationPatch, CandidateInput, CandidatePatch, RequisitionInput, RequisitionPatch } from './hiring.schemas.js';
import { normalizeEmail, normalizePhone } from './identity.js';
import { requisitionsRepository, type RequisitionRow } from './requisitions.repository.js';
import { requisitionOps, requisitionView } from './requisitions.service.js';

export type HiringService = ReturnType<typeof createHiringService>;

/** Long enough for a 1,000-record bulk upsert on a busy machine. */
const TRANSACTION = { timeout: 120_000, maxWait: 10_000 };

export interface HiringServiceDeps {
  db: PrismaClient;
  /** A merge into the chosen person, or an application marked hired or offered, holds what the checks now stop. */
  messageLifecycle: Pick<MessageLifecycle, 'holdWhereChecksFail'>;
  /** A new application may be acknowledged by email (the delivery module sends it once). */
  mail: Pick<TransactionalMail, 'queue'>;
}

export function createHiringService({ db, messageLifecycle: messages, mail }: HiringServiceDeps) {
  /** In the caller's transaction when given one (a webhook applied all or nothing), else in a new one. */
  const inTx = <T>(run: (tx: DbClient) => Promise<T>, tx?: DbClient) => (tx ? run(tx) : db.$transaction(run, TRANSACTION));

  async function requisitionViews(client: DbClient, rows: RequisitionRow[]) {
    const ids = await externalIdsRepository.forEntities(
      client,
      rows.map((r) => r.id),
    );
    return rows.map((row) => requisitionView(row, ids.get(row.id) ?? []));
  }
  /** `scope`: someone who sees only some requisitions is shown, as the same person, only the records they can see. */
  async function candidateViews(client: DbClient, organizationId: string, rows: CandidateRow[], scope: RequisitionScope) {
    const [ids, members] = await Promise.all([
      externalIdsRepository.forEntities(
        client,
        rows.map((r) => r.id),
      ),
      candidatesRepository.membersOf(
        client,
        organizationId,
        rows.map((r) => r.personId),
        scope,
      ),
    ]);
    return rows.map((row) => candidateView(row, ids.get(row.id) ?? [], members.get(row.personId) ?? []));
  }
  async function applicationViews(client: DbClient, rows: ApplicationRow[]) {
    const ids = await externalIdsRepository.forEntities(
      client,
      rows.map((r) => r.id),
    );
    return rows.map((row) => applicationView(row, ids.get(row.id) ?? []));
  }
  const one = async <T>(views: Promise<T[]>) => (await views)[0]!;

  return {
    // ----- requisitions
    async upsertRequisition(actor: Actor, input: RequisitionInput) {
      const { row, created } = await inTx((tx) => requisitionOps.upsertInTx(tx, actor, input));
      return { requisition: await one(requisitionViews(db, [row])), created };
    },
    async updateRequisition(actor: Actor, id: string, patch: RequisitionPatch) {
      const row = await inTx((tx) => requisitionOps.updateInTx(tx, actor, id, patch));
      return one(requisitionViews(db, [row]));
    },
    async getRequisition(organizationId: string, id: string) {
      const row = found(await requisitionsRepository.read(db, organizationId, id), 'Requisition');
      return requisitionView(row, row.externalIds);
    },
    async listRequisitions(organizationId: string, scope: RequisitionScope, filter: { status?: RequisitionStatus | undefined }, query: PageQuery) {
      const page = pageRequest(query);
      const result = toPage(await requisitionsRepository.list(db, organizationId, scope, filter, page), page);
      return { ...result, data: result.data.map((row) => requisitionView(row, row.externalIds)) };
    },

    // ----- candidates
    async upsertCandidate(actor: Actor, input: CandidateInput) {
      const { row, created } = await inTx((tx) => candidateOps.upsertInTx(tx, actor, input));
      return { candidate: await one(candidateViews(db, actor.organizationId, [row], actor.requisitions ?? 'all')), created };
    },
    async updateCandidate(actor: Actor, id: string, patch: CandidatePatch) {
      const row = await inTx((tx) => candidateOps.updateInTx(tx, actor, id, patch));
      return one(candidateViews(db, actor.organizationId, [row], actor.requisitions ?? 'all'));
    },
    async getCandidate(organizationId: string, id: string, scope: RequisitionScope) {
      const row = found(await candidatesRepository.read(db, organizationId, id, scope), 'Candidate');
      return candidateView(row, row.externalIds, row.groupMembers);
    },
    async listCandidates(organizationId: string, scope: RequisitionScope, filter: CandidateFilter, query: PageQuery) {
      const page = pageRequest(query);
      const normalized: CandidateFilter = {
        email: filter.email ? normalizeEmail(filter.email) : undefined,
        // A number that cannot be normalised matches nothing rather than everything.
        phone: filter.phone ? (normalizePhone(filter.phone) ?? 'invalid') : undefined,
        personId: filter.personId,
        requisitionId: filter.requisitionId,
      };
      const result = toPage(await candidatesRepository.list(db, organizationId, scope, normalized, page), page);
      return { ...result, data: result.data.map((row) => candidateView(row, row.externalIds, row.groupMembers)) };
    },
    async linkCandidates(actor: Actor, id: string, otherId: string, source: string, note: string | undefined, tx?: DbClient) {
      return inTx(async (client) => {
        const linked = await candidateOps.linkInTx(client, actor, id, otherId, source, note);
        await messages.holdWhereChecksFail(client, actor.organizationId, { candidateIds: [id, otherId] });
        return linked;
      }, tx);
    },
    /** The links within the person's records; someone who sees only some requisitions gets those between records they can see. */
    async identityLinks(organizationId: string, id: string, scope: RequisitionScope) {
      const row = found(await candidatesRepository.find(db, organizationId, id), 'Candidate');
      const members = new Set([row.id, ...((await candidatesRepository.membersOf(db, organizationId, [row.personId], scope)).get(row.personId) ?? [])]);
      const links = await candidatesRepository.links(db, organizationId, [...members]);
      return links.filter((link) => members.has(link.candidateId) && members.has(link.linkedCandidateId));
    },

    // ----- applications
    async upsertApplication(actor: Actor, input: ApplicationInput) {
      const { row, created } = await inTx(async (tx) => {
        const upserted = await applicationOps.upsertInTx(tx, actor, input);
        if (upserted.created) await acknowledgeApplication(tx, mail, upserted.row.id);
        return upserted;
      });
      return { application: await one(applicationViews(db, [row])), created };
    },
    async updateApplication(actor: Actor, id: string, patch: ApplicationPatch) {
      const row = await inTx(async (tx) => {
        const updated = await applicationOps.updateInTx(tx, actor, id, patch);
        if (patch.status === 'hired' || patch.status === 'offered') await messages.holdWhereChecksFail(tx, actor.organizationId, { applicationIds: [id] });
        return updated;
      });
      return one(applicationViews(db, [row]));
    },
    async getApplication(organizationId: string, id: string) {
      const row = found(await applicationsRepository.read(db, organizationId, id), 'Application');
      return applicationView(row, row.externalIds);
    },
    async listApplications(organizationId: string, scope: RequisitionScope, filter: ApplicationFilter & { status?: ApplicationStatus | undefined }, query: PageQuery) {
      const page = pageRequest(query);
      const result = toPage(await applicationsRepository.list(db, organizationId, scope, filter, page), page);
      return { ...result, data: result.data.map((row) => applicationView(row, row.externalIds)) };
    },

    // ----- bulk
    /** Requisitions, then candidates, then applications (which may name the others by external id). */
    /** `acknowledge`: new applications get the acknowledgement (an ATS event announcing one; not an import of past ones). */
    async bulkUpsert(
      actor: Actor,
      input: { requisitions: RequisitionInput[]; candidates: CandidateInput[]; applications: ApplicationInput[] },
      outer?: DbClient,
      { acknowledge = false }: { acknowledge?: boolean } = {},
    ) {
      return inTx(async (tx) => {
        const result = { requisitions: [] as Outcome[], candidates: [] as Outcome[], applications: [] as Outcome[] };
        // Every key the batch names, in one sorted statement: concurrent batches queue, never deadlock.
        await lockBatch(tx, actor.organizationId, input);
        for (const item of input.requisitions) {
          result.requisitions.push(outcome(await requisitionOps.upsertInTx(tx, actor, item)));
        }
        // Their creator is a member of the requisitions just made: the applications may name them.
        const made = result.requisitions.filter((r) => r.created).map((r) => r.id);
        const scoped: Actor = actor.requisitions && !seesAll(actor.requisitions) && actor.userId ? { ...actor, requisitions: [...actor.requisitions, ...made] } : actor;
        // Set-based (bulk.ts, bulk-applications.ts) when it answers as record by record would; else record by record.
        const candidates = await upsertCandidates(tx, actor, input.candidates);
        if (candidates) result.candidates = candidates;
        else {
          for (const [i, item] of input.candidates.entries()) {
            result.candidates.push(outcome(await candidateOps.upsertInTx(tx, actor, item, `body.candidates.${i}`)));
          }
        }
        const applications = await upsertApplications(tx, scoped, input.applications);
        if (applications) {
          result.applications = applications.outcomes;
          if (acknowledge) for (const id of applications.created) await acknowledgeApplication(tx, mail, id);
        } else {
          for (const [i, item] of input.applications.entries()) {
            const upserted = await applicationOps.upsertInTx(tx, scoped, item, `body.applications.${i}`);
            if (acknowledge && upserted.created) await acknowledgeApplication(tx, mail, upserted.row.id);
            result.applications.push(outcome(upserted));
          }
        }
        return result;
      }, outer);
    },
  };
}

const outcome = ({ row, created }: { row: { id: string }; created: boolean }): Outcome => ({ id: row.id, created });
